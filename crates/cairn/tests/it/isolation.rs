//! Tenant isolation: for every route that names something, a person from another
//! organisation is told it does not exist; inside an organisation, roles decide.

use crate::on_both;
use crate::support::{TestApp, entry_body, org, person};
use cairn::people::store as people;
use reqwest::StatusCode;
use serde_json::Value;

on_both!(another_organisation_sees_nothing_on_any_route, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let a = org(&test_db.db, "Organisation A").await;
    let b = org(&test_db.db, "Organisation B").await;
    let ann = person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
    person(
        &test_db.db,
        &b,
        "bob@b.example",
        &["org-admin", "ld-lead", "auditor", "supervisor"],
    )
    .await;

    let ann_api = app.api("ann@a.example").await;
    let entry = ann_api.create_entry(entry_body("Ann's learning")).await;
    let entry_id = entry["id"].as_str().expect("id");
    let part = reqwest::multipart::Part::bytes(b"%PDF-1.7 certificate".to_vec()).file_name("c.pdf");
    let file: Value = ann_api
        .post(&format!("/api/v1/me/entries/{entry_id}/evidence"))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload")
        .json()
        .await
        .expect("json");
    let file_id = file["id"].as_str().expect("id");

    let bob = app.api("bob@b.example").await;
    let org_a = a.id;
    let routes: Vec<(&str, String)> = vec![
        ("GET", format!("/api/v1/people/{ann}")),
        ("GET", format!("/api/v1/people/{ann}/entries")),
        ("GET", format!("/api/v1/orgs/{org_a}")),
        ("GET", format!("/api/v1/orgs/{org_a}/people")),
        ("POST", format!("/api/v1/orgs/{org_a}/people/import")),
        ("GET", format!("/orgs/{org_a}/people")),
        ("GET", format!("/orgs/{org_a}/people/{ann}")),
        ("GET", format!("/orgs/{org_a}/teams")),
        ("GET", format!("/orgs/{org_a}/import")),
        ("POST", format!("/orgs/{org_a}/import")),
        ("GET", format!("/api/v1/orgs/{org_a}/policies")),
        ("GET", format!("/api/v1/orgs/{org_a}/compliance")),
        ("POST", format!("/api/v1/orgs/{org_a}/policies")),
        ("GET", format!("/api/v1/me/entries/{entry_id}")),
        ("PUT", format!("/api/v1/me/entries/{entry_id}")),
        ("DELETE", format!("/api/v1/me/entries/{entry_id}")),
        ("POST", format!("/api/v1/me/entries/{entry_id}/restore")),
        ("POST", format!("/api/v1/me/entries/{entry_id}/evidence")),
        (
            "GET",
            format!("/api/v1/me/entries/{entry_id}/evidence/{file_id}"),
        ),
        (
            "DELETE",
            format!("/api/v1/me/entries/{entry_id}/evidence/{file_id}"),
        ),
    ];
    for (method, path) in &routes {
        let request = match *method {
            "GET" => bob.get(path),
            "PUT" => bob.put(path).json(&entry),
            "DELETE" => bob.delete(path),
            _ if path.ends_with("/policies") => bob
                .post(path)
                .json(&serde_json::json!({"source": "format = \"cairn-policy/1\""})),
            _ => bob
                .post(path)
                .header("content-type", "text/csv")
                .body("email,name,job_role,start_date\n"),
        };
        let response = request.send().await.expect("request");
        assert_eq!(
            response.status(),
            StatusCode::NOT_FOUND,
            "{method} {path} must not reveal organisation A's data"
        );
    }
    // Bob's own lists never include Ann.
    let mine: Value = bob.get_json("/api/v1/me/entries").await;
    assert_eq!(mine["total"], 0);
    let their_people: Value = bob.get_json(&format!("/api/v1/orgs/{}/people", b.id)).await;
    assert!(!their_people.to_string().contains("ann@a.example"));
    // And nothing of Ann's changed.
    let still: Value = ann_api
        .get_json(&format!("/api/v1/me/entries/{entry_id}"))
        .await;
    assert_eq!(still["version"], 1);
    assert_eq!(still["evidence"].as_array().expect("files").len(), 1);
});

on_both!(inside_an_organisation_roles_decide, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let a = org(&test_db.db, "Organisation A").await;
    let ann = person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
    let cal = person(&test_db.db, &a, "cal@a.example", &["practitioner"]).await;
    let sue = person(&test_db.db, &a, "sue@a.example", &["supervisor"]).await;
    person(&test_db.db, &a, "lee@a.example", &["ld-lead"]).await;
    people::add_supervision(&test_db.db, sue, ann, a.id)
        .await
        .expect("link");
    app.api("ann@a.example")
        .await
        .create_entry(entry_body("Ann's learning"))
        .await;

    let sue_api = app.api("sue@a.example").await;
    let seen: Value = sue_api
        .get_json(&format!("/api/v1/people/{ann}/entries"))
        .await;
    assert_eq!(
        seen["total"], 1,
        "a supervisor reads their supervisee's record"
    );
    // The same rule on the read-only page.
    assert_eq!(
        sue_api
            .get(&format!("/people/{ann}"))
            .send()
            .await
            .expect("page")
            .status(),
        200
    );
    assert_eq!(
        sue_api
            .get(&format!("/people/{cal}"))
            .send()
            .await
            .expect("page")
            .status(),
        404
    );
    assert_eq!(
        sue_api
            .get(&format!("/api/v1/people/{cal}/entries"))
            .send()
            .await
            .expect("get")
            .status(),
        404,
        "but not anyone else's"
    );
    assert_eq!(
        sue_api
            .get(&format!("/api/v1/people/{ann}/entries?deleted=true"))
            .send()
            .await
            .expect("get")
            .status(),
        422
    );

    let lee = app.api("lee@a.example").await;
    assert_eq!(
        lee.get(&format!("/api/v1/people/{cal}"))
            .send()
            .await
            .expect("get")
            .status(),
        200,
        "an L&D lead sees everyone employed"
    );
    assert_eq!(
        lee.get(&format!("/api/v1/orgs/{}/people", a.id))
            .send()
            .await
            .expect("get")
            .status(),
        200
    );
    let response = lee
        .post(&format!("/api/v1/orgs/{}/people/import", a.id))
        .body("email\n")
        .send()
        .await
        .expect("post");
    assert_eq!(
        response.status(),
        403,
        "only an administrator imports people"
    );

    let ann_api = app.api("ann@a.example").await;
    assert_eq!(
        ann_api
            .get(&format!("/api/v1/people/{cal}"))
            .send()
            .await
            .expect("get")
            .status(),
        404
    );
    assert_eq!(
        ann_api
            .get(&format!("/api/v1/orgs/{}/people", a.id))
            .send()
            .await
            .expect("get")
            .status(),
        403
    );
});
