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
