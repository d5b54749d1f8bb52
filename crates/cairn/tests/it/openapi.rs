//! The OpenAPI document is generated with the router from the handlers: every API route has
//! a documented operation, every documented operation answers, and every schema it names is
//! in it.

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

/// The generated document, as a client reads it.
fn document() -> Value {
    serde_json::to_value(cairn::server::api_document()).expect("the document is JSON")
}

/// Every Rust file under `src/`, with its path relative to `src/`.
fn sources() -> Vec<(String, String)> {
    let src = crate::structure::src();
    let mut files = Vec::new();
    crate::structure::rust_files(&src, &mut files);
    files
        .into_iter()
        .map(|path| {
            let name = path.strip_prefix(&src).expect("under src");
            let text = std::fs::read_to_string(&path).expect("read");
            (name.to_string_lossy().replace('\\', "/"), text)
        })
        .collect()
}

/// An API route can only be added through `routes!` of a handler with `#[utoipa::path]`,
/// which documents it: a feature's `api.rs` declares no route by hand (`.route(`), and the
/// server's API table takes nothing but documented handlers and the features' API routers.
/// This is what fails when an operation is routed without being documented.
#[test]
fn every_api_route_is_documented() {
    let mut undocumented = Vec::new();
    let mut features = 0;
    for (name, text) in sources() {
        if name.ends_with("/api.rs") {
            features += 1;
            for call in [".route(", ".route_service(", ".nest(", ".nest_service("] {
                if text.contains(call) {
                    undocumented.push(format!(
                        "{name} calls {call}: use .routes(routes!(handler))"
                    ));
                }
            }
            if !text.contains("#[utoipa::path(") {
                undocumented.push(format!("{name} has no documented operation"));
            }
        }
        if name == "server.rs" {
            let table = text
                .split("fn api_routes()")
                .nth(1)
                .and_then(|rest| rest.split("\n}\n").next())
                .expect("server.rs has fn api_routes()");
            for line in table.lines().skip(2) {
                let line = line.trim();
                let documented = line.starts_with(".routes(routes!(")
                    || (line.starts_with(".merge(") && line.ends_with("::api::routes())"));
                if !documented {
                    undocumented.push(format!("server.rs api_routes(): {line}"));
                }
            }
        }
    }
    assert!(features >= 15, "{features} api.rs files read");
    assert!(undocumented.is_empty(), "{undocumented:#?}");
    // And the document holds every operation they declare.
    let declared = sources()
        .iter()
        .map(|(_, text)| text.matches("#[utoipa::path(").count())
        .sum::<usize>();
    let documented: usize = document()["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|item| {
            ["get", "post", "put", "delete", "patch"]
                .iter()
                .filter(|m| item.get(**m).is_some())
                .count()
        })
        .sum();
    assert_eq!(
        declared, documented,
        "every #[utoipa::path] is in the document"
    );
}

/// The document passes an OpenAPI validator's basic checks that need no network: 3.1, an
/// operation id for each operation, unique, and a response for each.
#[test]
fn every_operation_has_a_unique_id_and_responses() {
    let doc = document();
    let mut ids = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("item") {
            let id = operation["operationId"].as_str().expect("operationId");
            assert!(ids.insert(id.to_owned()), "{method} {path}: {id} twice");
            assert!(
                operation["responses"]
                    .as_object()
                    .is_some_and(|r| !r.is_empty()),
                "{method} {path} has no responses"
            );
            assert!(
                operation["summary"].is_string(),
                "{method} {path} has no summary"
            );
        }
    }
    assert!(ids.len() >= 80, "{} operations", ids.len());
}

#[test]
fn every_schema_reference_resolves() {
    let doc = document();
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
    let doc = document();
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
