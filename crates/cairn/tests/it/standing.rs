//! Where I stand, through the API and on the home page; a new entry updates it at once.

use crate::on_both;
use crate::support::{TestApp, org, person};
use serde_json::{Value, json};

on_both!(standing_follows_the_record_at_once, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let a = org(&test_db.db, "Organisation A").await;
    // Registered with the SSSC as a social worker on 2020-03-01: PRTL applies.
    person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
    let api = app.api("ann@a.example").await;

    let standing: Value = api
        .get("/api/v1/me/standing?as_of=2021-03-01")
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(standing["as_of"], "2021-03-01");
    let prtl = &standing["results"][0];
    assert_eq!(prtl["policy"], "sssc-prtl-social-worker");
    assert_eq!(prtl["status"], "at-risk");
    assert_eq!(prtl["current"]["start"], "2020-03-01");
    assert!(
        prtl["explanation"][0]
            .as_str()
            .expect("text")
            .contains("more hours")
    );

    api.create_entry(json!({"date": "2020-06-01", "title": "Risk assessment course", "kind": "course", "hours": 90, "topics": ["risk-to-vulnerable-groups"]})).await;
    let standing: Value = api
        .get("/api/v1/me/standing?as_of=2021-03-01")
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(standing["results"][0]["status"], "met");

    let response = api
        .get("/api/v1/me/standing?as_of=tomorrow")
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.expect("json");
    assert_eq!(problem["errors"][0]["field"], "as_of");
});
