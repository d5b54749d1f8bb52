//! The OpenAPI document describes routes that exist, and every documented operation answers.

use crate::support::{Backend, TestApp, TestDb};
use serde_json::Value;

#[tokio::test]
async fn every_documented_operation_is_routed() {
    let test_db = TestDb::new(Backend::Sqlite).await;
    let app = TestApp::spawn(&test_db).await;
    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 14, "{} paths", paths.len());
    let client = reqwest::Client::new();
    for (path, item) in paths {
        let concrete = path
            .replace("{id}", "0196a000-0000-7000-8000-000000000000")
            .replace("{evidence_id}", "0196a000-0000-7000-8000-000000000001")
            .replace("{year}", "2026");
        for method in ["get", "post", "put", "delete"] {
            if item.get(method).is_none() {
                continue;
            }
            let request = client.request(
                method.to_uppercase().parse().expect("method"),
                app.url(&concrete),
            );
            let status = request.send().await.expect("request").status();
            assert!(
                status != 404 && status != 405,
                "{method} {path} is documented but answers {status}"
            );
        }
    }
}

#[test]
fn every_schema_reference_resolves() {
    let doc: Value =
        serde_json::from_str(include_str!("../../src/openapi.json")).expect("valid JSON");
    let text = doc.to_string();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().expect("a name");
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "{name} is referenced but not defined"
        );
    }
}

/// NUL and other control characters, sent to every documented operation in the query, the
/// path and a JSON body, are refused with 422 naming the field, signed in or not, on both
/// databases (PostgreSQL cannot store NUL; it was a 500 on about ten routes).
async fn control_characters_are_refused_everywhere(test_db: &TestDb) {
    use crate::support::{org, person};
    let app = TestApp::spawn(test_db).await;
    let a = org(&test_db.db, "Organisation A").await;
    person(
        &test_db.db,
        &a,
        "admin@a.example",
        &["org-admin", "ld-lead"],
    )
    .await;
    let token = app.token("admin@a.example").await;
    let doc: Value =
        serde_json::from_str(include_str!("../../src/openapi.json")).expect("valid JSON");
    let client = reqwest::Client::new();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let concrete = path
            .replace("{id}", &a.id.to_string())
            .replace("{evidence_id}", "0196a000-0000-7000-8000-000000000001")
            .replace("{year}", "2026");
        for method in ["get", "post", "put", "delete"] {
            if item.get(method).is_none() {
                continue;
            }
            let verb: reqwest::Method = method.to_uppercase().parse().expect("method");
            for signed_in in [false, true] {
                let with_auth = |request: reqwest::RequestBuilder| {
                    if signed_in {
                        request.bearer_auth(&token)
                    } else {
                        request
                    }
                };
                let url = format!("/api/v1{}", concrete.trim_start_matches("/api/v1"));
                let query = with_auth(client.request(
                    verb.clone(),
                    app.url(&format!("{url}?q=a%00b&as_of=2026-01-01%01")),
                ));
                let response = query.send().await.expect("request");
                assert_eq!(
                    response.status(),
                    422,
                    "{method} {path} with NUL in the query"
                );
                let problem: Value = response.json().await.expect("problem");
                assert_eq!(problem["errors"][0]["field"], "q", "{method} {path}");
                if matches!(method, "post" | "put") {
                    let body = with_auth(client.request(verb.clone(), app.url(&url)))
                        .json(&serde_json::json!({"title": "a\u{0}b", "notes": ["ok", "x\u{1b}"]}));
                    let response = body.send().await.expect("request");
                    assert_eq!(response.status(), 422, "{method} {path} with NUL in JSON");
                    let problem: Value = response.json().await.expect("problem");
                    let field = problem["errors"][0]["field"].as_str().expect("field");
                    assert!(
                        matches!(field, "title" | "notes[1]"),
                        "{method} {path}: {field}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked} operations checked");
    // A path with NUL, signed out (a 500 on PostgreSQL before), and a form field.
    let response = client
        .get(app.url("/calendar/%00.ics"))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), 422);
    let response = client
        .post(app.url("/sign-in"))
        .form(&[("email", "a\u{0}@a.example"), ("password", "x")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .expect("html")
            .contains("email contains a control character")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_characters_are_refused_everywhere_on_sqlite() {
    let db = TestDb::new(Backend::Sqlite).await;
    control_characters_are_refused_everywhere(&db).await;
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_characters_are_refused_everywhere_on_postgres() {
    let db = TestDb::new(Backend::Postgres).await;
    control_characters_are_refused_everywhere(&db).await;
    db.cleanup().await;
}
