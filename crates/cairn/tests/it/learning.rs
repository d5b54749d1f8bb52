//! The learning record through the API, on both backends.

use crate::on_both;
use crate::support::{TestApp, entry_body, org, person};
use serde_json::{Value, json};

on_both!(an_entry_round_trips_through_the_api, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let org = org(&test_db.db, "Highland").await;
    person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
    let api = app.api("ann@example.org").await;

    let created = api
        .create_entry(entry_body("Child protection refresher"))
        .await;
    assert_eq!(created["version"], 1);
    assert_eq!(created["hours"], 2.5);
    assert_eq!(created["topics"], json!(["child-protection"]));
    let id = created["id"].as_str().expect("id");

    let fetched: Value = api.get_json(&format!("/api/v1/me/entries/{id}")).await;
    assert_eq!(fetched["title"], "Child protection refresher");
    assert_eq!(fetched["reflection_now_what"], "Now what");

    let mut edited = fetched.clone();
    edited["title"] = json!("Child protection: a two-day refresher");
    edited["hours"] = json!("12.25");
    let response = api
        .put(&format!("/api/v1/me/entries/{id}"))
        .json(&edited)
        .send()
        .await
        .expect("put");
    assert_eq!(response.status(), 200);
    let saved: Value = response.json().await.expect("json");
    assert_eq!(saved["version"], 2);
    assert_eq!(saved["hours"], 12.25);

    let listed: Value = api.get_json("/api/v1/me/entries").await;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["total_hours"], 12.25);
    assert_eq!(listed["entries"][0]["id"], id);
});

on_both!(
    a_stale_edit_gets_a_conflict_and_changes_nothing,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let org = org(&test_db.db, "Highland").await;
        person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
        let api = app.api("ann@example.org").await;
        let created = api.create_entry(entry_body("Reading")).await;
        let id = created["id"].as_str().expect("id");

        // Two tabs read version 1; the first saves, the second must not overwrite it.
        let mut first = created.clone();
        first["title"] = json!("First tab");
        assert_eq!(
            api.put(&format!("/api/v1/me/entries/{id}"))
                .json(&first)
                .send()
                .await
                .expect("put")
                .status(),
            200
        );
        let mut second = created.clone();
        second["title"] = json!("Second tab");
        let response = api
            .put(&format!("/api/v1/me/entries/{id}"))
            .json(&second)
            .send()
            .await
            .expect("put");
        assert_eq!(response.status(), 409);
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        let problem: Value = response.json().await.expect("json");
        assert_eq!(problem["current_version"], 2);
        assert!(
            problem["detail"]
                .as_str()
                .expect("detail")
                .contains("changed elsewhere")
        );
        let stored: Value = api.get_json(&format!("/api/v1/me/entries/{id}")).await;
        assert_eq!(stored["title"], "First tab");

        // If-Match works as well as the body's version.
        let mut third = stored.clone();
        third.as_object_mut().expect("object").remove("version");
        third["title"] = json!("Third");
        let response = api
            .put(&format!("/api/v1/me/entries/{id}"))
            .header("if-match", "\"2\"")
            .json(&third)
            .send()
            .await
            .expect("put");
        assert_eq!(response.status(), 200);
    }
);

on_both!(bad_input_names_each_field_and_changes_nothing, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let org = org(&test_db.db, "Highland").await;
    person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
    let api = app.api("ann@example.org").await;

    let response = api
        .post("/api/v1/me/entries")
        .json(&json!({"date": "2999-01-01", "title": "", "kind": "nap", "hours": 1001, "reflection": "x".repeat(20_001)}))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Value = response.json().await.expect("json");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["date", "title", "kind", "hours", "reflection"]);

    let response = api
        .post("/api/v1/me/entries")
        .json(&json!({"date": "2026-01-01", "title": "t", "hours": 1, "colour": "red"}))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.expect("json");
    assert_eq!(problem["errors"][0]["field"], "colour");

    let response = api
        .post("/api/v1/me/entries")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 400);

    let response = api
        .get("/api/v1/me/entries?from=yesterday&limit=9999&colour=red")
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), 422);

    let listed: Value = api.get_json("/api/v1/me/entries").await;
    assert_eq!(listed["total"], 0, "nothing was stored");
});

on_both!(filters_search_and_paging_work_together, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let org = org(&test_db.db, "Highland").await;
    person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
    let api = app.api("ann@example.org").await;
    api.create_entry(json!({"date": "2025-03-01", "title": "Court skills", "kind": "course", "hours": 6, "topics": ["court-skills"]})).await;
    api.create_entry(json!({"date": "2025-06-01", "title": "Reading on 100% trauma", "kind": "reading", "hours": 0.5,
        "topics": ["trauma-informed-practice"], "reflection": "Noticed how Shame shows up", "peer_reflection": true, "peer_name": "Bob"}))
    .await;
    api.create_entry(json!({"date": "2025-09-01", "title": "Supervision", "kind": "supervision", "hours": 1.5, "elements": ["protection"]})).await;

    let get = |query: &'static str| {
        let request = api.get(&format!("/api/v1/me/entries?{query}"));
        async move {
            request
                .send()
                .await
                .expect("get")
                .json::<Value>()
                .await
                .expect("json")
        }
    };
    assert_eq!(get("kind=reading").await["total"], 1);
    assert_eq!(get("topic=court-skills").await["total"], 1);
    assert_eq!(get("element=protection").await["total"], 1);
    assert_eq!(get("has_reflection=true").await["total"], 1);
    assert_eq!(get("has_reflection=false").await["total"], 2);
    assert_eq!(
        get("peer_reflection=true").await["entries"][0]["peer_name"],
        "Bob"
    );
    assert_eq!(
        get("q=shame").await["total"],
        1,
        "search is case-insensitive and covers reflections"
    );
    assert_eq!(
        get("q=100%25").await["total"],
        1,
        "a percent sign is searched for literally"
    );
    assert_eq!(get("q=%25").await["total"], 1);
    assert_eq!(get("from=2025-05-01&to=2025-12-31").await["total"], 2);
    let page = get("limit=1&offset=1").await;
    assert_eq!(page["total"], 3);
    assert_eq!(page["total_hours"], 8);
    assert_eq!(page["entries"].as_array().expect("entries").len(), 1);
    assert_eq!(
        page["entries"][0]["title"], "Reading on 100% trauma",
        "newest first"
    );
});

on_both!(
    pages_keep_newest_first_and_carry_the_totals_of_the_record,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let org = org(&test_db.db, "Highland").await;
        person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
        let api = app.api("ann@example.org").await;
        // Two on one day: the later-recorded comes first.
        let mut ids = Vec::new();
        for (date, title, hours) in [
            ("2025-01-10", "First", 1),
            ("2025-05-02", "Same day, earlier", 2),
            ("2025-05-02", "Same day, later", 3),
            ("2025-08-20", "Latest", 4),
            ("2024-12-01", "Oldest", 5),
        ] {
            let created = api
                .create_entry(
                    json!({"date": date, "title": title, "kind": "reading", "hours": hours}),
                )
                .await;
            ids.push(created["id"].as_str().expect("id").to_owned());
        }
        let titles = |page: &Value| -> Vec<String> {
            page["entries"]
                .as_array()
                .expect("entries")
                .iter()
                .map(|e| e["title"].as_str().expect("title").to_owned())
                .collect()
        };
        let mut seen = Vec::new();
        for offset in [0, 2, 4] {
            let page: Value = api
                .get_json(&format!("/api/v1/me/entries?limit=2&offset={offset}"))
                .await;
            assert_eq!(page["total"], 5, "every page carries the record's totals");
            assert_eq!(page["total_hours"], 15);
            seen.extend(titles(&page));
        }
        assert_eq!(
            seen,
            [
                "Latest",
                "Same day, later",
                "Same day, earlier",
                "First",
                "Oldest"
            ]
        );
        let past_the_end: Value = api.get_json("/api/v1/me/entries?offset=10").await;
        assert_eq!(past_the_end["total"], 5, "an empty page still has totals");
        assert!(titles(&past_the_end).is_empty());
        let totals_only: Value = api.get_json("/api/v1/me/entries?limit=0").await;
        assert_eq!(totals_only["total_hours"], 15);

        // A deleted entry leaves the record and its totals, and is in the bin alone.
        let response = api
            .delete(&format!("/api/v1/me/entries/{}", ids[3]))
            .send()
            .await
            .expect("delete");
        assert_eq!(response.status(), 200);
        let record: Value = api.get_json("/api/v1/me/entries").await;
        assert_eq!(record["total"], 4);
        assert_eq!(record["total_hours"], 11);
        assert_eq!(titles(&record)[0], "Same day, later");
        let bin: Value = api.get_json("/api/v1/me/entries?deleted=true").await;
        assert_eq!(titles(&bin), ["Latest"]);
        assert_eq!(bin["total_hours"], 4);
        // A filter and paging together: the filtered statement keeps the same order.
        let filtered: Value = api
            .get_json("/api/v1/me/entries?from=2025-01-01&limit=2&offset=1")
            .await;
        assert_eq!(filtered["total"], 3);
        assert_eq!(titles(&filtered), ["Same day, earlier", "First"]);
    }
);

on_both!(a_deleted_entry_can_be_restored_for_thirty_days, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let org = org(&test_db.db, "Highland").await;
    person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
    let api = app.api("ann@example.org").await;
    let id = api.create_entry(entry_body("To delete")).await["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let response = api
        .delete(&format!("/api/v1/me/entries/{id}"))
        .send()
        .await
        .expect("delete");
    assert_eq!(response.status(), 200);
    let listed: Value = api.get_json("/api/v1/me/entries").await;
    assert_eq!(listed["total"], 0);
    let bin: Value = api.get_json("/api/v1/me/entries?deleted=true").await;
    assert_eq!(bin["total"], 1);
    assert_eq!(
        api.delete(&format!("/api/v1/me/entries/{id}"))
            .send()
            .await
            .expect("again")
            .status(),
        404
    );

    let response = api
        .post(&format!("/api/v1/me/entries/{id}/restore"))
        .send()
        .await
        .expect("restore");
    assert_eq!(response.status(), 200);
    let listed: Value = api.get_json("/api/v1/me/entries").await;
    assert_eq!(listed["total"], 1);
    assert_eq!(
        api.post(&format!("/api/v1/me/entries/{id}/restore"))
            .send()
            .await
            .expect("again")
            .status(),
        404
    );
});

on_both!(
    evidence_is_checked_by_content_and_downloaded_safely,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let org = org(&test_db.db, "Highland").await;
        person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
        let api = app.api("ann@example.org").await;
        let id = api.create_entry(entry_body("With evidence")).await["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let path = format!("/api/v1/me/entries/{id}/evidence");

        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR certificate".to_vec();
        let part = reqwest::multipart::Part::bytes(png.clone()).file_name("../../certificate.exe");
        let response = api
            .post(&path)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .expect("upload");
        assert_eq!(response.status(), 201);
        let file: Value = response.json().await.expect("json");
        assert_eq!(file["content_type"], "image/png");
        assert_eq!(file["filename"], "certificate.exe");

        let response = api
            .get(&format!("{path}/{}", file["id"].as_str().expect("id")))
            .send()
            .await
            .expect("download");
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-disposition"]
                .to_str()
                .expect("ascii")
                .starts_with("attachment")
        );
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        assert_eq!(response.bytes().await.expect("bytes").to_vec(), png);

        // An executable named like a PDF is refused, and nothing is stored.
        let part = reqwest::multipart::Part::bytes(b"MZ\x90\x00\x03\x00\x00\x00".to_vec())
            .file_name("cert.pdf");
        let response = api
            .post(&path)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .expect("upload");
        assert_eq!(response.status(), 422);
        let problem: Value = response.json().await.expect("json");
        assert_eq!(problem["errors"][0]["field"], "file");

        // Over 20 MB is refused before anything is stored.
        let big = vec![b'a'; 20 * 1024 * 1024 + 1];
        let part = reqwest::multipart::Part::bytes(big).file_name("notes.txt");
        let response = api
            .post(&path)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .expect("upload");
        assert_eq!(response.status(), 413);

        let entry: Value = api.get_json(&format!("/api/v1/me/entries/{id}")).await;
        assert_eq!(entry["evidence"].as_array().expect("evidence").len(), 1);
        let listed: Value = api.get_json("/api/v1/me/entries").await;
        assert_eq!(
            listed["entries"][0]["evidence"][0]["content_type"], "image/png",
            "lists carry evidence too"
        );
        let stored_files = walk(app.state.evidence.dir());
        assert_eq!(stored_files, 1, "only the accepted file is on disk");

        let response = api
            .delete(&format!("{path}/{}", file["id"].as_str().expect("id")))
            .send()
            .await
            .expect("delete");
        assert_eq!(response.status(), 204);
        assert_eq!(walk(app.state.evidence.dir()), 0);
        // The entry page's upload form needs its token; without it nothing is stored.
        let part = reqwest::multipart::Part::bytes(b"%PDF-1.4 x".to_vec()).file_name("c.pdf");
        let forged = api
            .post(&format!("/entries/{id}/evidence"))
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .expect("post");
        assert_eq!(forged.status(), 403);
        assert_eq!(walk(app.state.evidence.dir()), 0);
    }
);

fn walk(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|e| {
            if e.path().is_dir() {
                walk(&e.path())
            } else {
                1
            }
        })
        .sum()
}

on_both!(
    api_answers_are_never_cached_and_booleans_are_exact,
    |test_db| {
        let app = crate::support::TestApp::spawn(test_db).await;
        let a = crate::support::org(&test_db.db, "Organisation A").await;
        crate::support::person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
        let ann = app.api("ann@a.example").await;
        let response = ann.get("/api/v1/me/entries").send().await.expect("get");
        assert_eq!(response.headers()["cache-control"], "private, no-store");
        let response = ann
            .get("/api/v1/me/entries?deleted=yes")
            .send()
            .await
            .expect("get");
        assert_eq!(response.status(), 422);
        #[cfg(unix)]
        if let cairn::db::DbUrl::Sqlite(path) = &test_db.url {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &std::path::Path| {
                std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
            };
            assert_eq!(mode(path), 0o600, "the SQLite file is its owner's only");
            assert_eq!(mode(path.parent().expect("folder")), 0o700);
        }
    }
);

on_both!(a_person_s_evidence_has_a_quota, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let org = org(&test_db.db, "Highland").await;
    person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
    let api = app.api("ann@example.org").await;
    let id = api.create_entry(entry_body("With evidence")).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let path = format!("/api/v1/me/entries/{id}/evidence");
    let upload = || {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR certificate".to_vec();
        let part = reqwest::multipart::Part::bytes(png).file_name("certificate.png");
        api.post(&path)
            .multipart(reqwest::multipart::Form::new().part("file", part))
    };
    let (status, file) = crate::support::call(upload()).await;
    assert_eq!(status, 201, "{file}");
    // As if years of uploads had filled the quota to within a few bytes.
    let file_id: uuid::Uuid = file["id"].as_str().expect("id").parse().expect("uuid");
    let full = cairn_core::evidence::MAX_EVIDENCE_BYTES_PER_PERSON - 10;
    match &test_db.db {
        cairn::Db::Sqlite(db) => sqlx::query("UPDATE evidence SET size = $1 WHERE id = $2")
            .bind(full)
            .bind(file_id)
            .execute(&db.pool)
            .await
            .map(|_| ()),
        cairn::Db::Postgres(pool) => sqlx::query("UPDATE evidence SET size = $1 WHERE id = $2")
            .bind(full)
            .bind(file_id)
            .execute(pool)
            .await
            .map(|_| ()),
    }
    .expect("filled");
    let (status, problem) = crate::support::call(upload()).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(crate::support::fields(&problem), ["file"]);
    assert!(
        problem
            .to_string()
            .contains("of the 1024 MB each person can keep"),
        "{problem}"
    );
    let entry = api.get_json(&format!("/api/v1/me/entries/{id}")).await;
    assert_eq!(
        entry["evidence"].as_array().expect("evidence").len(),
        1,
        "nothing stored"
    );
});

on_both!(
    a_post_retried_with_its_idempotency_key_is_done_once,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let org = org(&test_db.db, "Highland").await;
        person(&test_db.db, &org, "ann@example.org", &["practitioner"]).await;
        person(&test_db.db, &org, "bob@example.org", &["practitioner"]).await;
        let ann = app.api("ann@example.org").await;
        let send = |api: &crate::support::Api, key: &str, body: Value| {
            api.post("/api/v1/me/entries")
                .header("Idempotency-Key", key)
                .json(&body)
        };
        let count = |api: crate::support::Api| async move {
            api.get_json("/api/v1/me/entries").await["total"]
                .as_i64()
                .expect("total")
        };

        let first = send(&ann, "k-1", entry_body("Safeguarding refresher"))
            .send()
            .await
            .expect("post");
        assert_eq!(first.status(), 201);
        let first: Value = first.json().await.expect("json");
        // The answer was lost on the way: the phone sends it again.
        let again = send(&ann, "k-1", entry_body("Safeguarding refresher"))
            .send()
            .await
            .expect("post");
        assert_eq!(again.status(), 201);
        assert_eq!(again.headers()["idempotent-replayed"], "true");
        let again: Value = again.json().await.expect("json");
        assert_eq!(
            again["id"], first["id"],
            "the first answer, not a second entry"
        );
        assert_eq!(count(app.api("ann@example.org").await).await, 1);

        // The same key for something else is refused; a key is the sender's own.
        let (status, problem) =
            crate::support::call(send(&ann, "k-1", entry_body("Another"))).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(crate::support::fields(&problem), ["Idempotency-Key"]);
        let bob = app.api("bob@example.org").await;
        let (status, _) =
            crate::support::call(send(&bob, "k-1", entry_body("Safeguarding refresher"))).await;
        assert_eq!(status, 201);

        // A refused request is not kept: corrected, it may use the same key.
        let (status, _) =
            crate::support::call(send(&ann, "k-2", json!({"title": "No date"}))).await;
        assert_eq!(status, 422);
        let (status, _) =
            crate::support::call(send(&ann, "k-2", entry_body("Now with a date"))).await;
        assert_eq!(status, 201);
        let (status, problem) =
            crate::support::call(send(&ann, &"x".repeat(101), entry_body("Long key"))).await;
        assert_eq!(status, 422, "{problem}");
        assert!(
            problem.to_string().contains("1 to 100 visible characters"),
            "{problem}"
        );

        // Ten at once with one key: one entry; the others replay it or are told to wait.
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let request = send(&ann, "k-3", entry_body("Sent ten times"));
                tokio::spawn(async move { request.send().await.expect("post").status().as_u16() })
            })
            .collect();
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.expect("task"));
        }
        assert!(
            statuses.iter().all(|s| *s == 201 || *s == 409),
            "{statuses:?}"
        );
        assert!(statuses.contains(&201));
        assert_eq!(
            count(app.api("ann@example.org").await).await,
            3,
            "{statuses:?}"
        );
    }
);

// The quick capture form, sent wrong: the page comes back with each field's error tied to
// the field (id="…-error", read out after "Error:"), a notice-free page, and what was typed.
on_both!(a_capture_form_sent_wrong_marks_each_field, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let a = org(&test_db.db, "Organisation A").await;
    person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
    let browser = crate::auth::browser();
    let home = crate::auth::sign_in(&app, &browser, "ann@a.example").await;
    let csrf = crate::auth::csrf_of(&home);
    let response = browser
        .post(app.url("/entries"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("date", "2026-02-30"),
            ("title", "Court skills"),
            ("hours", "lots"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("html");
    for field in ["date", "hours"] {
        assert!(
            page.contains(&format!(
                "<p class=\"error-message\" id=\"{field}-error\"><span class=\"visually-hidden\">Error:</span> "
            )),
            "{field}: {page}"
        );
    }
    assert!(!page.contains("id=\"title-error\""), "{page}");
    assert!(page.contains("value=\"Court skills\""), "{page}");
});

on_both!(
    editing_an_entry_in_the_browser_keeps_what_the_form_does_not_show,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        let sup_id = person(&test_db.db, &a, "sup@a.example", &["supervisor"]).await;
        let ann_id = person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
        cairn::people::store::add_supervision(&test_db.db, sup_id, ann_id, a.id)
            .await
            .expect("supervision");
        let ann = app.api("ann@a.example").await;
        let sup = app.api("sup@a.example").await;
        let mut body = entry_body("Court skills day");
        body["elements"] = json!(["protection", "our-own-element"]);
        body["peer_reflection"] = json!(true);
        body["peer_name"] = json!("Iain");
        let id = ann.create_entry(body).await["id"]
            .as_str()
            .expect("id")
            .to_owned();
        // Evidence, and an endorsement by her supervisor.
        let part = reqwest::multipart::Part::bytes(b"%PDF-1.4 certificate".to_vec())
            .file_name("certificate.pdf");
        let (status, _) = crate::support::call(
            ann.post(&format!("/api/v1/me/entries/{id}/evidence"))
                .multipart(reqwest::multipart::Form::new().part("file", part)),
        )
        .await;
        assert_eq!(status, 201);
        let (status, asked) = crate::support::call(
            ann.post("/api/v1/me/endorsement-requests")
                .json(&json!({"entry_ids": [id], "endorser_email": "sup@a.example"})),
        )
        .await;
        assert_eq!(status, 201, "{asked}");
        let request = asked["request"]["id"].as_str().expect("id");
        let (status, _) = crate::support::call(
            sup.post(&format!("/api/v1/endorsement-requests/{request}/decision"))
                .json(&json!({"endorse": true})),
        )
        .await;
        assert_eq!(status, 200);

        // The entry page offers her elements checked, and keeps the one it does not offer.
        let browser = crate::auth::browser();
        crate::auth::sign_in(&app, &browser, "ann@a.example").await;
        let page = browser
            .get(app.url(&format!("/entries/{id}")))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        assert!(
            page.contains("name=\"element\" value=\"protection\" checked"),
            "{page}"
        );
        assert!(
            page.contains("type=\"hidden\" name=\"element\" value=\"our-own-element\""),
            "{page}"
        );
        // A reflection added and one more element chosen, as the form sends them.
        let csrf = crate::auth::csrf_of(&page);
        let version = page
            .split("name=\"version\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the version the page was opened at")
            .to_owned();
        let response = browser
            .post(app.url(&format!("/entries/{id}")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("version", version.as_str()),
                ("date", "2026-01-15"),
                ("title", "Court skills day"),
                ("hours", "2.5"),
                ("kind", "course"),
                ("topics", "Child protection"),
                ("element", "our-own-element"),
                ("element", "protection"),
                ("element", "knowledge-for-role"),
                ("reflection", "What happened, and more"),
                ("reflection_so_what", "So what"),
                ("reflection_now_what", "Now what"),
                ("peer_reflection", "yes"),
                ("peer_name", "Iain"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(
            response.status(),
            303,
            "{}",
            response.text().await.expect("html")
        );

        let entry = ann.get_json(&format!("/api/v1/me/entries/{id}")).await;
        assert_eq!(entry["reflection"], "What happened, and more");
        assert_eq!(
            entry["elements"],
            json!(["our-own-element", "protection", "knowledge-for-role"]),
            "{entry}"
        );
        assert_eq!(entry["topics"], json!(["child-protection"]));
        assert_eq!(entry["endorsed"], true, "{entry}");
        assert_eq!(entry["peer_reflection"], true);
        assert_eq!(entry["peer_name"], "Iain");
        assert_eq!(entry["evidence"].as_array().expect("evidence").len(), 1);
    }
);
