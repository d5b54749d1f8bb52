//! The HR feed, from the API (the command line shares the same code).

use crate::on_both;
use crate::support::{TestApp, org, person};
use serde_json::Value;

const FEED: &str = "email,name,job_role,start_date,end_date,team,hours_per_week,register,part,registration_start,first_registration,roles,supervisor_email,birth_year
new.person@a.example,New Person,Social worker,2024-01-08,,Adults,37,SSSC,social-worker,2024-02-01,yes,practitioner,sup@a.example,1990
sup@a.example,Sue Pervisor,Team manager,2015-05-01,,Adults,37,SSSC,social-worker,2010-06-01,no,supervisor;practitioner,,1968
bad.date@a.example,Bad Date,Support worker,08/01/2024,,Adults,37,,,,,,,
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
    assert_eq!(report["created"][0]["line"], 2);
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
    assert_eq!(again["created"].as_array().expect("created").len(), 0);
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
