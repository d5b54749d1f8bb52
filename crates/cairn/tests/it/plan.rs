//! Development plans over HTTP on both databases: goals, evidence, reviews by the supervisor
//! (never of a goal that is not in the plan), and who may see someone's plan.

use crate::on_both;
use crate::support::{TestApp, call, entry_body, fields, org, person};
use cairn::people::store as people;
use serde_json::json;

on_both!(a_plan_is_kept_evidenced_reviewed_and_private, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let a = org(&test_db.db, "Organisation A").await;
    let b = org(&test_db.db, "Organisation B").await;
    let sup_id = person(&test_db.db, &a, "sup@a.example", &["supervisor"]).await;
    let ann_id = person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
    person(&test_db.db, &a, "colleague@a.example", &["practitioner"]).await;
    person(&test_db.db, &a, "lead@a.example", &["ld-lead"]).await;
    person(&test_db.db, &b, "other@b.example", &["org-admin"]).await;
    people::add_supervision(&test_db.db, sup_id, ann_id, a.id)
        .await
        .expect("supervision");
    let sup = app.api("sup@a.example").await;
    let ann = app.api("ann@a.example").await;
    let colleague = app.api("colleague@a.example").await;
    let lead = app.api("lead@a.example").await;
    let other = app.api("other@b.example").await;

    let (status, problem) =
        call(ann.post("/api/v1/me/plan/goals").json(&json!({"why": "x"}))).await;
    assert_eq!(
        (status, fields(&problem)),
        (422, vec!["what".to_owned(), "by_when".to_owned()])
    );
    let (status, goal) = call(ann.post("/api/v1/me/plan/goals").json(&json!({
        "what": "Give evidence in court with confidence", "why": "Two hearings next year",
        "how": "Court skills course and shadowing", "by_when": "2027-06-30", "elements": ["knowledge-for-role"]}))).await;
    assert_eq!(status, 201);
    let goal_id = goal["id"].as_str().expect("id").to_owned();
    let entry = ann.create_entry(entry_body("Court skills day")).await;
    let theirs = colleague.create_entry(entry_body("Not Ann's")).await;
    let link = format!("/api/v1/me/plan/goals/{goal_id}/entries");
    let (status, problem) = call(ann.post(&link).json(&json!({"entry_ids": [theirs["id"]]}))).await;
    assert_eq!(
        (status, fields(&problem)),
        (422, vec!["entry_ids[0]".to_owned()])
    );
    assert_eq!(
        call(ann.post(&link).json(&json!({"entry_ids": [entry["id"]]})))
            .await
            .0,
        204
    );
    assert_eq!(
        call(
            colleague
                .post(&link)
                .json(&json!({"entry_ids": [theirs["id"]]}))
        )
        .await
        .0,
        404,
        "not her goal"
    );
    let plan = ann.get_json("/api/v1/me/plan").await;
    assert_eq!(plan["goals"][0]["evidence"][0]["title"], "Court skills day");

    // Who sees Ann's plan: her supervisor and her employer's L&D lead; not a colleague or
    // another organisation.
    let path = format!("/api/v1/people/{ann_id}/plan");
    assert_eq!(call(sup.get(&path)).await.0, 200);
    assert_eq!(call(lead.get(&path)).await.0, 200);
    assert_eq!(call(colleague.get(&path)).await.0, 404);
    assert_eq!(call(other.get(&path)).await.0, 404);

    // Reviews: by the supervisor only; a goal that is not in the plan is refused.
    let reviews = format!("/api/v1/people/{ann_id}/plan/reviews");
    let review = json!({"reviewed_on": "2026-11-20", "comments": "A good start",
                        "goals": [{"goal_id": goal_id, "comment": "Book the course", "status": "in-progress"}]});
    assert_eq!(call(lead.post(&reviews).json(&review)).await.0, 403);
    assert_eq!(call(colleague.post(&reviews).json(&review)).await.0, 404);
    let mut wrong = review.clone();
    wrong["goals"][0]["goal_id"] = json!(uuid::Uuid::now_v7());
    let (status, problem) = call(sup.post(&reviews).json(&wrong)).await;
    assert_eq!(
        (status, fields(&problem)),
        (422, vec!["goals[0].goal_id".to_owned()])
    );
    assert_eq!(call(sup.post(&reviews).json(&review)).await.0, 201);
    let plan = ann.get_json("/api/v1/me/plan").await;
    assert_eq!(plan["goals"][0]["status"], "in-progress");
    assert_eq!(plan["reviews"][0]["comments"], "A good start");
    assert!(
        ann.get_json("/api/v1/me/notifications")
            .await
            .to_string()
            .contains("reviewed your development plan")
    );
});

on_both!(
    an_individual_learning_plan_is_imported_as_the_first_plan,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        person(&test_db.db, &a, "new@a.example", &["practitioner"]).await;
        let browser = crate::auth::browser();
        let home = crate::auth::sign_in(&app, &browser, "new@a.example").await;
        let csrf = crate::auth::csrf_of(&home);
        let upload = |text: &'static str| {
            let part = reqwest::multipart::Part::bytes(text.as_bytes().to_vec())
                .file_name("ilp.csv")
                .mime_str("text/csv")
                .expect("mime");
            browser
                .post(app.url(&format!("/plan/import?csrf={csrf}")))
                .multipart(reqwest::multipart::Form::new().part("file", part))
        };
        let bad = upload("what,why,how,by_when,elements\nCourt skills,,,someday,\n")
            .send()
            .await
            .expect("post");
        assert_eq!(bad.status(), 422);
        let page = bad.text().await.expect("html");
        assert!(page.contains("line 2: by_when"), "{page}");
        let api = app.api("new@a.example").await;
        assert_eq!(
            api.get_json("/api/v1/me/plan").await["goals"],
            json!([]),
            "nothing half-imported"
        );
        let good = upload("what,why,how,by_when,elements\nCourt skills,Hearings,Course,2027-06-30,knowledge-for-role\nRecording,Clarity,Peer review,2027-03-31,\n")
        .send()
        .await
        .expect("post");
        assert_eq!(good.status(), 303);
        let plan = api.get_json("/api/v1/me/plan").await;
        assert_eq!(plan["goals"].as_array().expect("goals").len(), 2, "{plan}");
        let again = upload("what,why,how,by_when,elements\nMore,,,2027-06-30,\n")
            .send()
            .await
            .expect("post");
        assert_eq!(again.status(), 422, "only as the first plan");
    }
);
