//! Large imports as background jobs: the HR feed and the portable record past the size that
//! runs in the request, the progress page and API, who may see a job, and the queue's claims
//! and leases (a crashed worker's job taken over exactly where its last commit left it).

use crate::auth::{browser, sign_in};
use crate::on_both;
use crate::support::{TestApp, call, org, person};
use cairn::db::jobs::{self, JobKind, NewJob};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use std::time::Duration;

/// A feed of `people` new people in team Adults, each supervised by the administrator, with
/// one bad line after the header and one line for someone employed elsewhere.
fn big_feed(people: usize) -> String {
    let mut feed =
        String::from("email,name,job_role,start_date,team,hours_per_week,roles,supervisor_email\n");
    feed.push_str("broken@a.example,Broken Line,Support worker,the end of December,Adults,37,,\n");
    feed.push_str("elsewhere@b.example,Someone Elsewhere,Support worker,2024-01-08,Adults,37,,\n");
    for i in 0..people {
        feed.push_str(&format!(
            "worker{i}@a.example,Worker {i},Support worker,2024-01-08,Adults,37,practitioner,admin@a.example\n"
        ));
    }
    feed
}

/// Waits for the job at `location` to end (at most a minute), and returns its last state.
async fn finished(api: &crate::support::Api, location: &str) -> Value {
    for _ in 0..600 {
        let body = api.get_json(location).await;
        if !matches!(body["job"]["status"].as_str(), Some("queued" | "running")) {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the job at {location} did not finish within a minute");
}

on_both!(a_large_feed_runs_as_a_job_with_a_report, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let a = org(&test_db.db, "Organisation A").await;
    let b = org(&test_db.db, "Organisation B").await;
    person(
        &test_db.db,
        &a,
        "admin@a.example",
        &["org-admin", "supervisor"],
    )
    .await;
    person(&test_db.db, &a, "worker@a.example", &["practitioner"]).await;
    person(&test_db.db, &b, "elsewhere@b.example", &["practitioner"]).await;
    person(&test_db.db, &b, "admin@b.example", &["org-admin"]).await;
    let admin = app.api("admin@a.example").await;

    let response = admin
        .post(&format!("/api/v1/orgs/{}/people/import", a.id))
        .body(big_feed(2_600))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 202, "queued, not applied in the request");
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let queued: Value = response.json().await.expect("json");
    assert_eq!(queued["job"]["kind"], "people_feed");
    // 2,602 lines and 2,600 supervisor links.
    assert_eq!(queued["job"]["total"], 5_202);

    let done = finished(&admin, &location).await;
    assert_eq!(done["job"]["status"], "done", "{done}");
    assert_eq!(done["percent"], 100);
    let report = &done["report"];
    // The invited person is "added" like anyone new: the report tells nothing of elsewhere.
    assert_eq!(report["added"].as_array().expect("added").len(), 2_601);
    assert_eq!(report["updated"].as_array().expect("updated").len(), 0);
    let rejected = report["rejected"].as_array().expect("rejected");
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    assert_eq!(rejected[0]["line"], 2);

    let members: Value = admin
        .get_json(&format!("/api/v1/orgs/{}/people?limit=1", a.id))
        .await;
    assert_eq!(
        members["total"], 2_602,
        "2,600 new, the admin and the worker"
    );
    let supervisees = cairn::people::store::supervisees_of(
        &test_db.db,
        cairn::people::store::person_by_email(&test_db.db, "admin@a.example")
            .await
            .expect("q")
            .expect("admin")
            .id,
        a.id,
    )
    .await
    .expect("supervisees");
    assert_eq!(
        supervisees.len(),
        2_600,
        "every link made in the second phase"
    );

    // Only the organisation's administrators follow its feed.
    for stranger in ["worker@a.example", "admin@b.example"] {
        let (status, _) = call(app.api(stranger).await.get(&location)).await;
        assert_eq!(status, 404, "{stranger}");
    }
    // The file (names and emails) is not kept once the job is done.
    let id: uuid::Uuid = done["job"]["id"]
        .as_str()
        .expect("id")
        .parse()
        .expect("uuid");
    let input: String = match &test_db.db {
        cairn::Db::Sqlite(db) => sqlx::query_scalar("SELECT input FROM job WHERE id = $1")
            .bind(id)
            .fetch_one(&db.pool)
            .await
            .expect("input"),
        cairn::Db::Postgres(pool) => sqlx::query_scalar("SELECT input FROM job WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
            .expect("input"),
    };
    assert_eq!(input, "");
});

on_both!(
    a_large_feed_from_the_browser_shows_its_progress_and_report,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        let b = org(&test_db.db, "Organisation B").await;
        person(
            &test_db.db,
            &a,
            "admin@a.example",
            &["org-admin", "supervisor"],
        )
        .await;
        person(&test_db.db, &b, "admin@b.example", &["org-admin"]).await;
        let client = browser();
        sign_in(&app, &client, "admin@a.example").await;
        let form = client
            .get(app.url(&format!("/orgs/{}/import", a.id)))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        let csrf = crate::auth::csrf_of(&form);
        let response = client
            .post(app.url(&format!("/orgs/{}/import?csrf={csrf}", a.id)))
            .multipart(Form::new().part(
                "file",
                Part::bytes(big_feed(2_100).into_bytes()).file_name("staff-december.csv"),
            ))
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 303);
        let page = response.headers()["location"]
            .to_str()
            .expect("location")
            .to_owned();
        assert!(
            page.starts_with(&format!("/orgs/{}/imports/", a.id)),
            "{page}"
        );

        let mut html = String::new();
        for _ in 0..600 {
            html = client
                .get(app.url(&page))
                .send()
                .await
                .expect("get")
                .text()
                .await
                .expect("html");
            if !html.contains("Check again") {
                break;
            }
            assert!(html.contains("<progress"), "a progress bar while it runs");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(
            html.contains("staff-december.csv: 2,101 added, 0 updated, 1 rejected"),
            "{html}"
        );
        assert!(html.contains("Line 2"), "the rejected line");
        assert!(
            html.contains("Only the first 1,000 lines"),
            "a long list is cut short"
        );
        let csv = client
            .get(app.url(&format!("{page}/report.csv")))
            .send()
            .await
            .expect("get");
        assert_eq!(csv.status(), 200);
        let csv = csv.text().await.expect("csv");
        assert!(
            csv.starts_with("line,outcome,email,problems\n2,rejected,,"),
            "{csv:.200}"
        );
        assert_eq!(csv.lines().count(), 1 + 2_102);

        // The import page lists it; another organisation's administrator cannot open it.
        let form = client
            .get(app.url(&format!("/orgs/{}/import", a.id)))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        assert!(form.contains("Background imports") && form.contains("Finished"));
        let other = browser();
        sign_in(&app, &other, "admin@b.example").await;
        for path in [page.clone(), format!("{page}/report.csv")] {
            let status = other
                .get(app.url(&path))
                .send()
                .await
                .expect("get")
                .status();
            assert_eq!(status, 404, "{path}");
        }
        let own_org_path = page.replace(&a.id.to_string(), &b.id.to_string());
        let status = other
            .get(app.url(&own_org_path))
            .send()
            .await
            .expect("get")
            .status();
        assert_eq!(status, 404, "not found under the other organisation either");
    }
);

on_both!(a_large_record_import_runs_as_a_job, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let a = org(&test_db.db, "Organisation A").await;
    person(&test_db.db, &a, "cara@a.example", &["practitioner"]).await;
    person(&test_db.db, &a, "other@a.example", &["practitioner"]).await;
    let cara = app.api("cara@a.example").await;
    let entries: Vec<Value> = (0..2_500)
        .map(|i| {
            json!({"id": format!("old-{i}"), "date": "2025-03-01", "title": format!("Reading {i}"),
                   "kind": "reading", "hours": "0.5", "endorsed": i == 0})
        })
        .collect();
    let record = json!({"format": "cairn-record/1", "person": {"id": "x", "name": "Cara"}, "entries": entries});
    let response = cara
        .post("/api/v1/me/record")
        .json(&record)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 202);
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let done = finished(&cara, &location).await;
    assert_eq!(done["job"]["status"], "done", "{done}");
    assert_eq!(
        done["report"],
        json!({"added": 2_500, "already_present": 0, "endorsement_not_carried": 1})
    );
    let (status, _) = call(app.api("other@a.example").await.get(&location)).await;
    assert_eq!(status, 404, "a colleague cannot follow it");

    // A bad file is refused at once, with the path, and nothing is queued.
    let mut bad = record.clone();
    bad["entries"][2_400]["hours"] = json!("many");
    let (status, problem) = call(cara.post("/api/v1/me/record").json(&bad)).await;
    assert_eq!(status, 422, "{problem}");
    assert!(
        problem.to_string().contains("entries[2400].hours"),
        "{problem}"
    );
});

on_both!(
    a_lapsed_claim_is_taken_over_and_the_old_worker_cannot_commit,
    |test_db| {
        let db = &test_db.db;
        let a = org(db, "Organisation A").await;
        let now = time::OffsetDateTime::now_utc();
        let new = |label| NewJob {
            kind: JobKind::PeopleFeed,
            org_id: Some(a.id),
            person_id: None,
            requested_by: None,
            label,
            input: "email,name,job_role,start_date\n",
            total: 1,
        };
        let first = jobs::enqueue(db, &new("first.csv"), now)
            .await
            .expect("enqueue");
        let second = jobs::enqueue(db, &new("second.csv"), now + time::Duration::seconds(1))
            .await
            .expect("enqueue");

        // Two workers at once take different jobs, oldest first.
        let (one, two) = tokio::join!(jobs::claim_next(db, now), jobs::claim_next(db, now));
        let (one, two) = (
            one.expect("claim").expect("a job"),
            two.expect("claim").expect("a job"),
        );
        let mut taken = [one.id, two.id];
        taken.sort();
        assert_eq!(taken, [first, second]);
        assert!(
            jobs::claim_next(db, now).await.expect("claim").is_none(),
            "both are held"
        );

        // The first worker goes quiet; after its lease another takes its job over.
        let stalled = if one.id == first { one } else { two };
        let later = now + jobs::LEASE + time::Duration::seconds(1);
        let takeover = jobs::claim_next(db, later)
            .await
            .expect("claim")
            .expect("the lapsed job");
        assert_eq!(takeover.id, first);
        assert_eq!(takeover.attempts, 2);

        // The stalled worker's chunk is refused; the new holder's is kept.
        let mut tx = db.begin_write().await.expect("tx");
        assert!(
            !jobs::advance_in(&mut tx, &stalled, 1, "{}", later)
                .await
                .expect("advance")
        );
        tx.rollback().await.expect("rollback");
        let mut tx = db.begin_write().await.expect("tx");
        assert!(
            jobs::advance_in(&mut tx, &takeover, 1, "{}", later)
                .await
                .expect("advance")
        );
        tx.commit().await.expect("commit");
        assert!(
            !jobs::finish(db, &stalled, Ok("{}"), later)
                .await
                .expect("finish")
        );
        assert!(
            jobs::finish(db, &takeover, Ok("{}"), later)
                .await
                .expect("finish")
        );
        let job = jobs::get(db, first).await.expect("get").expect("job");
        assert_eq!((job.status.as_str(), job.done), ("done", 1));
        assert!(jobs::parts(db, first).await.expect("parts").is_empty());
    }
);
