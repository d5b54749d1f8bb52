//! Tenant isolation: for every route that names something, a person from another
//! organisation is told it does not exist; inside an organisation, roles decide.

use crate::auth::{browser, csrf_of, sign_in};
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

/// Every route of the router that names something: the API's from its generated document
/// (an API route cannot be routed without being in it: `openapi::every_api_route_is_documented`)
/// and the pages' from their route declarations in `src/`: (method, path as declared).
fn id_bearing_routes() -> Vec<(String, String)> {
    let mut files = Vec::new();
    crate::structure::rust_files(&crate::structure::src(), &mut files);
    let document = serde_json::to_value(cairn::server::api_document()).expect("JSON");
    let mut routes = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        if !path.contains('{') {
            continue;
        }
        for method in ["get", "post", "put", "delete"] {
            if item.get(method).is_some() {
                routes.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        let mut rest = text.as_str();
        while let Some(at) = rest.find(".route(") {
            rest = &rest[at + ".route(".len()..];
            // The declaration runs to its closing parenthesis.
            let mut depth = 1;
            let end = rest
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(rest.len(), |(i, _)| i);
            let declaration = &rest[..end];
            let Some(path) = declaration.split('"').nth(1) else {
                continue;
            };
            if !path.contains('{') {
                continue;
            }
            for method in ["get", "post", "put", "delete"] {
                let called = declaration
                    .match_indices(&format!("{method}("))
                    .any(|(i, _)| {
                        i == 0
                            || !declaration[..i]
                                .ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                    });
                if called {
                    routes.push((method.to_uppercase(), path.to_owned()));
                }
            }
        }
    }
    routes.sort();
    routes.dedup();
    routes
}

async fn one_id(db: &cairn::Db, sql: &'static str, bind: Option<uuid::Uuid>) -> Option<uuid::Uuid> {
    match db {
        cairn::Db::Sqlite(sqlite) => {
            let pool = &sqlite.pool;
            let query = sqlx::query_scalar(sql);
            let query = match bind {
                Some(id) => query.bind(id),
                None => query,
            };
            query.fetch_optional(pool).await.expect("fixture query")
        }
        cairn::Db::Postgres(pool) => {
            let query = sqlx::query_scalar(sql);
            let query = match bind {
                Some(id) => query.bind(id),
                None => query,
            };
            query.fetch_optional(pool).await.expect("fixture query")
        }
    }
}

// Every route that names something, taken from the router's own declarations: someone of
// another organisation, holding every role there, gets the same answer for organisation A's
// things as for things that do not exist, and never a success. A route added with an id
// and no way to fill it in here fails this test until it is covered.
on_both!(
    every_id_bearing_route_answers_an_outsider_as_if_nothing_were_there,
    |test_db| {
        let now = time::OffsetDateTime::now_utc();
        cairn::demo::showcase::ensure_showcase(&test_db.db, now.date(), now)
            .await
            .expect("showcase");
        let app = TestApp::spawn(test_db).await;
        let db = &test_db.db;
        let elsewhere = org(db, "Elsewhere Care").await;
        person(
            db,
            &elsewhere,
            "bob@elsewhere.example",
            &[
                "practitioner",
                "org-admin",
                "ld-lead",
                "auditor",
                "supervisor",
            ],
        )
        .await;

        let highland = one_id(
            db,
            "SELECT id FROM organisation WHERE name = 'Highland Council'",
            None,
        )
        .await
        .expect("the showcase's council");
        let ailsa = one_id(
            db,
            "SELECT id FROM person WHERE email = 'ailsa@demo.cairn.test'",
            None,
        )
        .await
        .expect("ailsa");
        // An entry with a file, so that the evidence routes have something to find.
        let ailsa_api = app
            .api_with_password(
                "ailsa@demo.cairn.test",
                cairn::demo::showcase::DEMO_PASSWORD,
            )
            .await;
        let entry = ailsa_api.create_entry(entry_body("Ailsa's learning")).await;
        let entry_id: uuid::Uuid = entry["id"].as_str().expect("id").parse().expect("uuid");
        let part =
            reqwest::multipart::Part::bytes(b"%PDF-1.7 certificate".to_vec()).file_name("c.pdf");
        let file: Value = ailsa_api
            .post(&format!("/api/v1/me/entries/{entry_id}/evidence"))
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .expect("upload")
            .json()
            .await
            .expect("json");
        let evidence: uuid::Uuid = file["id"].as_str().expect("id").parse().expect("uuid");
        // A session of a course only Highland's own staff may book.
        let session = one_id(
            db,
            "SELECT s.id FROM opportunity_session s JOIN opportunity o ON o.id = s.opportunity_id WHERE o.org_id = $1 ORDER BY s.id LIMIT 1",
            Some(highland),
        )
        .await
        .expect("a session");
        let opportunity = one_id(
            db,
            "SELECT opportunity_id FROM opportunity_session WHERE id = $1",
            Some(session),
        )
        .await
        .expect("its opportunity");
        let own_only = "UPDATE opportunity SET visibility = 'own' WHERE id = $1";
        match db {
            cairn::Db::Sqlite(sqlite) => sqlx::query(own_only)
                .bind(opportunity)
                .execute(&sqlite.pool)
                .await
                .map(|_| ()),
            cairn::Db::Postgres(pool) => sqlx::query(own_only)
                .bind(opportunity)
                .execute(pool)
                .await
                .map(|_| ()),
        }
        .expect("own staff only");
        let job = cairn::db::jobs::enqueue(
            db,
            &cairn::db::jobs::NewJob {
                kind: cairn::db::jobs::JobKind::PeopleFeed,
                org_id: Some(highland),
                person_id: None,
                requested_by: Some(ailsa),
                label: "feed.csv",
                input: "email\n",
                total: 0,
            },
            now,
        )
        .await
        .expect("job");
        let calendar = cairn::auth::calendar_token::token_of(db, ailsa, now)
            .await
            .expect("token");
        let in_highland = Some(highland);
        let mut ids: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
        // A declaration awaiting Morag's verification (the showcase has none).
        let morag = one_id(
            db,
            "SELECT id FROM person WHERE email = 'morag@demo.cairn.test'",
            None,
        )
        .await;
        let declared = cairn::standing::changes::declare(
            db,
            &cairn::standing::declarations::NewDeclaration {
                person_id: ailsa,
                policy_id: "sssc-social-worker-2024",
                period_start: time::macros::date!(2025 - 01 - 01),
                period_end: time::macros::date!(2025 - 12 - 31),
                declared_on: now.date(),
                statement: None,
                verifier: morag.map(|m| (m, "supervisor")),
            },
            now,
        )
        .await
        .expect("declaration");
        // An endorsement request, an indicator, a follow-up question and an invitation.
        let morag_email = "morag@demo.cairn.test";
        let asked: Value = ailsa_api
            .post("/api/v1/me/endorsement-requests")
            .json(&serde_json::json!({"entry_ids": [entry_id], "endorser_email": morag_email}))
            .send()
            .await
            .expect("ask")
            .json()
            .await
            .expect("json");
        let endorsement = asked["request"]["id"]
            .as_str()
            .or(asked["id"].as_str())
            .and_then(|id| id.parse().ok());
        let fiona = app
            .api_with_password(
                "fiona@demo.cairn.test",
                cairn::demo::showcase::DEMO_PASSWORD,
            )
            .await;
        let indicator: Value = fiona
            .post(&format!("/api/v1/opportunities/{opportunity}/indicators"))
            .json(&serde_json::json!({"name": "Cases reviewed on time", "unit": "%", "baseline": 60.0}))
            .send()
            .await
            .expect("indicator")
            .json()
            .await
            .expect("json");
        let indicator = indicator["id"].as_str().and_then(|id| id.parse().ok());
        let booking = one_id(db, "SELECT b.id FROM booking b JOIN opportunity_session s ON s.id = b.session_id JOIN opportunity o ON o.id = s.opportunity_id WHERE o.org_id = $1 ORDER BY b.id LIMIT 1", in_highland).await;
        if let (Some(booking), Some(morag)) = (booking, morag) {
            cairn::evaluation::store::plan_follow_up(db, booking, morag, now.date())
                .await
                .expect("follow-up");
        }
        let feed = fiona
            .post(&format!("/api/v1/orgs/{highland}/people/import"))
            .header("content-type", "text/csv")
            .body("email,name,job_role,start_date\ngrace@demo.cairn.test,Grace,Support worker,2026-01-05\n")
            .send()
            .await
            .expect("feed");
        assert!(feed.status().is_success(), "feed: {}", feed.status());
        let mut missing = Vec::new();
        let mut fixture = |name: &'static str, id: Option<uuid::Uuid>| match id {
            Some(id) => {
                ids.insert(name, id.to_string());
            }
            None => missing.push(name),
        };
        fixture("org", in_highland);
        fixture("person", Some(ailsa));
        fixture(
            "supervisor",
            one_id(
                db,
                "SELECT id FROM person WHERE email = 'morag@demo.cairn.test'",
                None,
            )
            .await,
        );
        fixture(
            "team",
            one_id(
                db,
                "SELECT id FROM team WHERE org_id = $1 ORDER BY id LIMIT 1",
                in_highland,
            )
            .await,
        );
        fixture("entry", Some(entry_id));
        fixture("evidence", Some(evidence));
        fixture("session", Some(session));
        fixture("opportunity", Some(opportunity));
        fixture("booking", booking);
        fixture(
            "supervision",
            one_id(
                db,
                "SELECT id FROM supervision_session WHERE org_id = $1 ORDER BY id LIMIT 1",
                in_highland,
            )
            .await,
        );
        fixture("action", one_id(db, "SELECT a.id FROM supervision_action a JOIN supervision_session s ON s.id = a.session_id WHERE s.org_id = $1 ORDER BY a.id LIMIT 1", in_highland).await);
        fixture("declaration", Some(declared.id));
        fixture("endorsement", endorsement);
        fixture("follow-up", one_id(db, "SELECT f.booking_id FROM evaluation_follow_up f JOIN booking b ON b.id = f.booking_id JOIN opportunity_session s ON s.id = b.session_id JOIN opportunity o ON o.id = s.opportunity_id WHERE o.org_id = $1 ORDER BY f.booking_id LIMIT 1", in_highland).await);
        fixture("indicator", indicator);
        fixture("goal", one_id(db, "SELECT g.id FROM plan_goal g JOIN employment e ON e.person_id = g.person_id WHERE e.org_id = $1 ORDER BY g.id LIMIT 1", in_highland).await);
        fixture(
            "invitation",
            one_id(
                db,
                "SELECT id FROM employment_invitation WHERE org_id = $1 ORDER BY id LIMIT 1",
                in_highland,
            )
            .await,
        );
        fixture("job", Some(job));
        assert!(missing.is_empty(), "the showcase has no {missing:?}");
        ids.insert("file", format!("{calendar}.ics"));
        ids.insert("year", "2026".to_owned());

        // What each `{…}` of a route names, from its name and the segment before it.
        let kind_of = |before: &str, name: &str| -> &'static str {
            match (before, name) {
                (_, "person") => "person",
                (_, "supervisor") => "supervisor",
                (_, "team") => "team",
                (_, "job") => "job",
                (_, "evidence_id") => "evidence",
                (_, "year") => "year",
                (_, "file") => "file",
                ("people", "id") => "person",
                ("orgs", "id") => "org",
                ("entries", "id") => "entry",
                ("bookings" | "approvals", "id") => "booking",
                ("sessions", "id") => "session",
                ("opportunities" | "learning", "id") => "opportunity",
                ("supervision", "id") => "supervision",
                ("actions", "id") => "action",
                ("declarations", "id") => "declaration",
                ("endorsement-requests" | "endorsements", "id") => "endorsement",
                ("follow-ups", "id") => "follow-up",
                ("indicators", "id") => "indicator",
                ("goals", "id") => "goal",
                ("invitations", "id") => "invitation",
                ("jobs", "id") => "job",
                _ => panic!(
                    "no isolation case for `{{{name}}}` after /{before}/: add what it names to this test"
                ),
            }
        };
        let fill = |path: &str, real: bool| -> String {
            let segments: Vec<&str> = path.split('/').collect();
            let mut out = Vec::with_capacity(segments.len());
            for (i, segment) in segments.iter().enumerate() {
                let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
                    out.push((*segment).to_owned());
                    continue;
                };
                let before = if i > 0 { segments[i - 1] } else { "" };
                let kind = kind_of(before, name);
                out.push(match (kind, real) {
                    ("year", _) => "2026".to_owned(),
                    ("file", false) => format!("{}.ics", uuid::Uuid::now_v7().simple()),
                    (_, false) => uuid::Uuid::now_v7().to_string(),
                    (kind, true) => ids[kind].clone(),
                });
            }
            out.join("/")
        };

        let bob_api = app.api("bob@elsewhere.example").await;
        let bob_browser = browser();
        let home = sign_in(&app, &bob_browser, "bob@elsewhere.example").await;
        let csrf = csrf_of(&home);
        let routes = id_bearing_routes();
        assert!(routes.len() > 80, "the routes were read: {}", routes.len());
        let send = |method: &str, path: &str| {
            let api = path.starts_with("/api/");
            let request = match (method, api) {
                ("GET", true) => bob_api.get(path),
                ("PUT", true) => bob_api.put(path).json(&serde_json::json!({})),
                ("DELETE", true) => bob_api.delete(path),
                ("POST", true) => bob_api.post(path).json(&serde_json::json!({})),
                ("GET", false) => bob_browser.get(app.url(path)),
                _ => bob_browser
                    .post(app.url(path))
                    .form(&[("csrf", csrf.as_str())]),
            };
            async move { request.send().await.expect("request") }
        };
        let mut leaks = Vec::new();
        for (method, path) in &routes {
            // The feed's address is itself the secret (calendar applications cannot sign
            // in); whoever holds it reads that calendar, as the person chose.
            if path == "/calendar/{file}" {
                continue;
            }
            let real = send(method, &fill(path, true)).await;
            let none = send(method, &fill(path, false)).await;
            let (real, none) = (real.status(), none.status());
            if real.is_success() || real.is_redirection() || real != none {
                leaks.push(format!(
                    "{method} {path}: {real} for organisation A's, {none} for nothing"
                ));
            }
        }
        assert!(
            leaks.is_empty(),
            "an outsider can tell or touch:\n{}",
            leaks.join("\n")
        );
    }
);
