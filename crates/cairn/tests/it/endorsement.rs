//! Endorsement over HTTP on both databases: asking, the refusals, endorsing (which marks the
//! entries) and returning, and who can see a request.

use crate::on_both;
use crate::support::{TestApp, call, entry_body, fields, org, person};
use cairn::people::store as people;
use serde_json::json;

on_both!(
    entries_are_endorsed_by_the_supervisor_or_a_colleague,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        let b = org(&test_db.db, "Organisation B").await;
        let sup_id = person(&test_db.db, &a, "sup@a.example", &["supervisor"]).await;
        let ann_id = person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
        person(&test_db.db, &a, "peer@a.example", &["practitioner"]).await;
        person(&test_db.db, &b, "stranger@b.example", &["supervisor"]).await;
        people::add_supervision(&test_db.db, sup_id, ann_id, a.id)
            .await
            .expect("supervision");
        let sup = app.api("sup@a.example").await;
        let ann = app.api("ann@a.example").await;
        let peer = app.api("peer@a.example").await;
        let stranger = app.api("stranger@b.example").await;
        let first = ann.create_entry(entry_body("Court skills day")).await;
        let second = ann.create_entry(entry_body("Reading on risk")).await;
        let peers_own = peer.create_entry(entry_body("Not Ann's")).await;
        let ids = json!([first["id"], second["id"]]);
        let ask = "/api/v1/me/endorsement-requests";

        // Refused, each named: endorsing your own learning, someone of another organisation,
        // entries that are not yours.
        let (status, problem) = call(
            ann.post(ask)
                .json(&json!({"entry_ids": ids, "endorser_email": "ann@a.example"})),
        )
        .await;
        assert_eq!(
            (status, fields(&problem)),
            (422, vec!["endorser_email".to_owned()])
        );
        assert!(problem.to_string().contains("cannot endorse your own"));
        let (status, problem) = call(
            ann.post(ask)
                .json(&json!({"entry_ids": ids, "endorser_email": "stranger@b.example"})),
        )
        .await;
        assert_eq!(
            (status, fields(&problem)),
            (422, vec!["endorser_email".to_owned()])
        );
        let (status, problem) = call(
            ann.post(ask)
                .json(&json!({"entry_ids": [peers_own["id"]], "endorser_email": "sup@a.example"})),
        )
        .await;
        assert_eq!(
            (status, fields(&problem)),
            (422, vec!["entry_ids[0]".to_owned()])
        );

        // Asked of her supervisor: he is told, sees the entries, and a stranger sees nothing.
        let (status, asked) = call(ann.post(ask).json(&json!({"entry_ids": ids, "endorser_email": "sup@a.example", "message": "From the court day"}))).await;
        assert_eq!(status, 201, "{asked}");
        let id = asked["request"]["id"].as_str().expect("id").to_owned();
        assert!(
            sup.get_json("/api/v1/me/notifications")
                .await
                .to_string()
                .contains("asks you to endorse 2 learning entries")
        );
        let waiting = sup.get_json(ask).await;
        assert_eq!(waiting["to_endorse"].as_array().expect("list").len(), 1);
        assert_eq!(
            call(stranger.get(&format!("/api/v1/endorsement-requests/{id}")))
                .await
                .0,
            404
        );
        let decision = format!("/api/v1/endorsement-requests/{id}/decision");
        assert_eq!(
            call(stranger.post(&decision).json(&json!({"endorse": true})))
                .await
                .0,
            404
        );
        assert_eq!(
            call(ann.post(&decision).json(&json!({"endorse": true})))
                .await
                .0,
            403,
            "not her own"
        );
        // Returning needs a reason; endorsing marks both entries, once.
        let (status, problem) = call(sup.post(&decision).json(&json!({"endorse": false}))).await;
        assert_eq!(
            (status, fields(&problem)),
            (422, vec!["comment".to_owned()])
        );
        let (status, _) = call(
            sup.post(&decision)
                .json(&json!({"endorse": true, "comment": "Seen in court"})),
        )
        .await;
        assert_eq!(status, 200);
        for entry in [&first, &second] {
            let now = ann
                .get_json(&format!(
                    "/api/v1/me/entries/{}",
                    entry["id"].as_str().expect("id")
                ))
                .await;
            assert_eq!(now["endorsed"], true, "{now}");
        }
        assert_eq!(
            call(sup.post(&decision).json(&json!({"endorse": true})))
                .await
                .0,
            409
        );
        assert!(
            ann.get_json("/api/v1/me/notifications")
                .await
                .to_string()
                .contains("endorsed your learning")
        );

        // A colleague may be named too, and may return it with a reason.
        let third = ann.create_entry(entry_body("Shadowing a duty shift")).await;
        let (_, asked) = call(
            ann.post(ask)
                .json(&json!({"entry_ids": [third["id"]], "endorser_email": "peer@a.example"})),
        )
        .await;
        let id = asked["request"]["id"].as_str().expect("id").to_owned();
        let (status, _) = call(
            peer.post(&format!("/api/v1/endorsement-requests/{id}/decision"))
                .json(&json!({"endorse": false, "comment": "Add what you learnt about triage"})),
        )
        .await;
        assert_eq!(status, 200);
        let mine = ann.get_json(ask).await;
        assert_eq!(mine["mine"][0]["status"], "returned");
        let entry = ann
            .get_json(&format!(
                "/api/v1/me/entries/{}",
                third["id"].as_str().expect("id")
            ))
            .await;
        assert_eq!(entry["endorsed"], false);
    }
);
