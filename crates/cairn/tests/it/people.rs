//! The HR feed, from the API (the command line shares the same code).

use crate::on_both;
use crate::support::{TestApp, org, person};
use serde_json::Value;

const FEED: &str = "email,name,job_role,start_date,end_date,team,hours_per_week,register,part,registration_start,first_registration,roles,supervisor_email,birth_year
new.person@a.example,New Person,Social worker,2024-01-08,,Adults,37,SSSC,social-worker,2024-02-01,yes,practitioner,sup@a.example,1990
sup@a.example,Sue Pervisor,Team manager,2015-05-01,,Adults,37,SSSC,social-worker,2010-06-01,no,supervisor;practitioner,,1968
bad.date@a.example,Bad Date,Support worker,31/13/2024,,Adults,37,,,,,,,
short.row@a.example,Short Row
wrong.team@a.example,Wrong Team,Support worker,2024-01-08,,Nowhere,x,SSSC,plumber,2024-01-01,,wizard,,
";

on_both!(an_hr_feed_creates_updates_and_rejects_by_line, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let a = org(&test_db.db, "Organisation A").await;
    person(&test_db.db, &a, "admin@a.example", &["org-admin"]).await;
    person(&test_db.db, &a, "sup@a.example", &["practitioner"]).await;
    let admin = app.api("admin@a.example").await;
    let path = format!("/api/v1/orgs/{}/people/import", a.id);

    let report: Value = admin
        .post(&path)
        .body(FEED)
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(report["added"][0]["line"], 2);
    assert_eq!(report["updated"][0]["line"], 3);
    let rejected = report["rejected"].as_array().expect("rejected");
    let lines: Vec<i64> = rejected
        .iter()
        .map(|r| r["line"].as_i64().expect("line"))
        .collect();
    assert_eq!(lines, [4, 5, 6]);
    assert!(
        rejected[0]["errors"][0]
            .as_str()
            .expect("text")
            .starts_with("start_date")
    );
    assert!(
        rejected[1]["errors"][0]
            .as_str()
            .expect("text")
            .contains("columns")
    );
    let wrong = rejected[2]["errors"].to_string();
    for field in ["team", "hours_per_week", "part", "roles"] {
        assert!(wrong.contains(field), "{field} in {wrong}");
    }

    // Applying the same feed again changes nothing new: everyone is now an update.
    let again: Value = admin
        .post(&path)
        .body(FEED)
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(again["added"].as_array().expect("added").len(), 0);
    assert_eq!(again["updated"].as_array().expect("updated").len(), 2);

    let people: Value = admin
        .get_json(&format!("/api/v1/orgs/{}/people", a.id))
        .await;
    let emails: Vec<&str> = people["people"]
        .as_array()
        .expect("people")
        .iter()
        .map(|p| p["email"].as_str().expect("email"))
        .collect();
    assert!(emails.contains(&"new.person@a.example"));
    assert!(!emails.contains(&"bad.date@a.example"));

    // A header with an unknown column is refused as a whole.
    let response = admin
        .post(&path)
        .body("email,name,job_role,start_date,shoe_size\n")
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.expect("json");
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .contains("shoe_size")
    );
});

on_both!(
    a_feed_never_takes_over_another_organisations_people,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let highland = org(&test_db.db, "Highland").await;
        let orkney = org(&test_db.db, "Orkney").await;
        let ailsa = person(&test_db.db, &highland, "ailsa@h.example", &["practitioner"]).await;
        person(&test_db.db, &highland, "hsup@h.example", &["supervisor"]).await;
        person(&test_db.db, &orkney, "oadmin@o.example", &["org-admin"]).await;
        person(&test_db.db, &orkney, "olead@o.example", &["supervisor"]).await;
        let ailsa_api = app.api("ailsa@h.example").await;
        ailsa_api
            .create_entry(crate::support::entry_body("Kept mine"))
            .await;
        let admin = app.api("oadmin@o.example").await;
        let lead = app.api("olead@o.example").await;
        let path = format!("/api/v1/orgs/{}/people/import", orkney.id);
        let feed = "email,name,job_role,start_date,supervisor_email,roles
ailsa@h.example,Renamed By Orkney,Social worker,2026-01-05,olead@o.example,practitioner
brand.new@o.example,Brand New,Social worker,2026-01-05,olead@o.example,practitioner
";
        let report: Value = admin
            .post(&path)
            .body(feed)
            .send()
            .await
            .expect("post")
            .json()
            .await
            .expect("json");
        // The report says the same of a stranger's email and of an existing record.
        let added: Vec<i64> = report["added"]
            .as_array()
            .expect("added")
            .iter()
            .map(|l| l["line"].as_i64().expect("line"))
            .collect();
        assert_eq!(added, [2, 3], "{report}");
        assert_eq!(report["updated"].as_array().expect("updated").len(), 0);
        assert_eq!(report["rejected"].as_array().expect("rejected").len(), 0);

        // Nothing of Ailsa's changed, and Orkney sees none of it.
        let me: Value = ailsa_api.get_json("/api/v1/me").await;
        assert_eq!(me["person"]["name"], "Person ailsa@h.example", "{me}");
        for (who, client) in [("admin", &admin), ("lead", &lead)] {
            let status = client
                .get(&format!("/api/v1/people/{ailsa}/entries"))
                .send()
                .await
                .expect("get")
                .status();
            assert_eq!(status, 404, "Orkney's {who} cannot read Ailsa's record");
        }
        let people: Value = admin
            .get_json(&format!("/api/v1/orgs/{}/people", orkney.id))
            .await;
        assert!(!people.to_string().contains("ailsa@h.example"), "{people}");

        // A supervisor from another organisation is refused with the same words as a stranger.
        let report: Value = admin
        .post(&path)
        .body("email,name,job_role,start_date,supervisor_email\nbrand.new@o.example,Brand New,Social worker,2026-01-05,hsup@h.example\nbrand.new@o.example,Brand New,Social worker,2026-01-05,nobody@h.example\n")
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
        let rejected = report["rejected"].as_array().expect("rejected");
        assert_eq!(rejected.len(), 2, "{report}");
        let words = |i: usize| {
            rejected[i]["errors"][0]
                .as_str()
                .expect("text")
                .replace("hsup@h.example", "EMAIL")
                .replace("nobody@h.example", "EMAIL")
        };
        assert_eq!(words(0), words(1));

        // Ailsa is asked; she accepts, and only then is she Orkney's, supervised by its lead.
        let invitations: Value = ailsa_api.get_json("/api/v1/me/invitations").await;
        let invitation = &invitations["invitations"][0];
        assert_eq!(invitation["org_name"], "Orkney");
        assert_eq!(invitation["status"], "waiting");
        let id = invitation["id"].as_str().expect("id");
        let outsider = app.api("hsup@h.example").await;
        let status = outsider
            .post(&format!("/api/v1/me/invitations/{id}/accept"))
            .send()
            .await
            .expect("post")
            .status();
        assert_eq!(status, 404, "nobody answers another person's invitation");
        let accepted: Value = ailsa_api
            .post(&format!("/api/v1/me/invitations/{id}/accept"))
            .send()
            .await
            .expect("post")
            .json()
            .await
            .expect("json");
        assert_eq!(accepted["status"], "accepted", "{accepted}");
        let again = ailsa_api
            .post(&format!("/api/v1/me/invitations/{id}/decline"))
            .send()
            .await
            .expect("post")
            .status();
        assert_eq!(again, 409, "an answer is final");
        let status = lead
            .get(&format!("/api/v1/people/{ailsa}/entries"))
            .send()
            .await
            .expect("get")
            .status();
        assert_eq!(status, 200, "once accepted, Orkney's lead supervises her");
        let me: Value = ailsa_api.get_json("/api/v1/me").await;
        assert_eq!(
            me["person"]["name"], "Person ailsa@h.example",
            "her name is hers"
        );

        // Now Orkney employs her, its feed updates her like anyone else it employs.
        let report: Value = admin
            .post(&path)
            .body(feed)
            .send()
            .await
            .expect("post")
            .json()
            .await
            .expect("json");
        assert_eq!(
            report["updated"].as_array().expect("updated").len(),
            2,
            "{report}"
        );
    }
);

on_both!(a_declined_invitation_is_not_asked_again, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let highland = org(&test_db.db, "Highland").await;
    let orkney = org(&test_db.db, "Orkney").await;
    let ailsa = person(&test_db.db, &highland, "ailsa@h.example", &["practitioner"]).await;
    person(&test_db.db, &orkney, "oadmin@o.example", &["org-admin"]).await;
    let admin = app.api("oadmin@o.example").await;
    let ailsa_api = app.api("ailsa@h.example").await;
    let path = format!("/api/v1/orgs/{}/people/import", orkney.id);
    let feed = "email,name,job_role,start_date\nailsa@h.example,Ailsa,Social worker,2026-01-05\n";
    let first: Value = admin
        .post(&path)
        .body(feed)
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(first["added"].as_array().expect("added").len(), 1);
    let invitations: Value = ailsa_api.get_json("/api/v1/me/invitations").await;
    let id = invitations["invitations"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let declined: Value = ailsa_api
        .post(&format!("/api/v1/me/invitations/{id}/decline"))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(declined["status"], "declined");
    let again: Value = admin
        .post(&path)
        .body(feed)
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(
        again["updated"].as_array().expect("updated").len(),
        1,
        "{again}"
    );
    let invitations: Value = ailsa_api.get_json("/api/v1/me/invitations").await;
    assert_eq!(
        invitations["invitations"].as_array().expect("list").len(),
        1
    );
    assert_eq!(invitations["invitations"][0]["status"], "declined");
    let status = admin
        .get(&format!("/api/v1/people/{ailsa}/entries"))
        .send()
        .await
        .expect("get")
        .status();
    assert_eq!(status, 404);
});

on_both!(
    a_feed_line_with_a_control_character_is_rejected_alone,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        person(&test_db.db, &a, "admin@a.example", &["org-admin"]).await;
        let admin = app.api("admin@a.example").await;
        let feed = "email,name,job_role,start_date\nfirst@a.example,First,Support worker,2024-01-08\nnul@a.example,Nul\u{0}Name,Support worker,2024-01-08\nlast@a.example,Last,Support worker,2024-01-08\n";
        let report: Value = admin
            .post(&format!("/api/v1/orgs/{}/people/import", a.id))
            .body(feed)
            .send()
            .await
            .expect("post")
            .json()
            .await
            .expect("json");
        assert_eq!(
            report["added"].as_array().expect("added").len(),
            2,
            "{report}"
        );
        assert_eq!(report["rejected"][0]["line"], 3);
        assert!(
            report["rejected"][0]["errors"][0]
                .as_str()
                .expect("text")
                .starts_with("name contains a control character (U+0000)")
        );
        // Trailing data after a JSON body is refused.
        let response = admin
            .post("/api/v1/me/entries")
            .header("content-type", "application/json")
            .body(r#"{"date":"2026-01-15","title":"x","hours":1}garbage"#)
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 400);
    }
);
