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

    let standing: Value = api.get_json("/api/v1/me/standing?as_of=2021-03-01").await;
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
    let standing: Value = api.get_json("/api/v1/me/standing?as_of=2021-03-01").await;
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

on_both!(
    the_compliance_report_covers_everyone_employed_in_three_queries,
    |test_db| {
        let now = time::OffsetDateTime::now_utc();
        cairn::demo::showcase::ensure_showcase(&test_db.db, now.date(), now)
            .await
            .expect("demo");
        let highland = cairn::people::store::list_orgs(&test_db.db)
            .await
            .expect("orgs")
            .into_iter()
            .find(|o| o.name == "Highland Council")
            .expect("Highland");
        let policies = cairn_core::policy::builtin::all();
        let report =
            cairn::standing::report::compliance(&test_db.db, highland.id, now.date(), &policies)
                .await
                .expect("report");
        let ailsa = report
            .rows
            .iter()
            .find(|r| r.email == "ailsa@demo.cairn.test")
            .expect("Ailsa is in the report");
        // Registered in 2017: continuous professional learning took over from PRTL at her
        // first renewal after June 2024, and her NQSW year is before the record began.
        assert_eq!(ailsa.policy, "sssc-cpl-2024-social-worker");
        assert_eq!(ailsa.team.as_deref(), Some("Skye and Lochalsh adults"));
        assert_eq!(ailsa.locality.as_deref(), Some("island"));
        assert!(
            !report
                .rows
                .iter()
                .any(|r| r.email == "chidi@demo.cairn.test"),
            "Orkney's care worker is not Highland's"
        );
        for summary in &report.summary {
            let rows = report
                .rows
                .iter()
                .filter(|r| r.policy == summary.policy)
                .count() as u64;
            assert_eq!(
                summary.met + summary.on_track + summary.at_risk + summary.overdue,
                rows,
                "{}",
                summary.policy
            );
        }
        // The same answer as evaluating one person's own record.
        let ailsa_id = ailsa.person_id;
        let own = cairn::standing::standing_of(&test_db.db, ailsa_id, now.date(), now)
            .await
            .expect("standing")
            .expect("a record");
        let prtl = own
            .results
            .iter()
            .find(|r| r.policy == "sssc-cpl-2024-social-worker")
            .expect("CPL");
        assert_eq!(prtl.status, ailsa.status);
        let mut csv = cairn::web::spreadsheet::writer(Vec::new());
        report.write_csv(&mut csv).expect("csv");
        let text = String::from_utf8(csv.into_inner().expect("bytes")).expect("utf-8");
        assert!(text.contains("sssc-cpl-2024-social-worker"));
    }
);

const FIRE_SAFETY: &str = r#"format = "cairn-policy/1"
id = "fire-safety-training"
title = "Fire safety for social workers"
effective_from = 2000-01-01
applies_to_existing = true

[applies_to]
register = "EMP"

[[rules]]
id = "fire-safety"
kind = "completed"
topics = ["fire-safety"]
valid_for = "P1Y"
"#;

on_both!(
    an_organisation_defines_versioned_mandatory_training,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
        person(&test_db.db, &a, "lee@a.example", &["ld-lead"]).await;
        let lead = app.api("lee@a.example").await;
        let path = format!("/api/v1/orgs/{}/policies", a.id);

        // A regulator's policy is not an organisation's to define; a broken file names its line.
        let response = lead
            .post(&path)
            .json(&json!({"source": FIRE_SAFETY.replace("\"EMP\"", "\"SSSC\"")}))
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 422);
        let problem: Value = response.json().await.expect("json");
        assert_eq!(problem["errors"][0]["field"], "applies_to.register");
        let response = lead
            .post(&path)
            .json(&json!({"source": FIRE_SAFETY.replace("valid_for", "valid_four")}))
            .send()
            .await
            .expect("post");
        let problem: Value = response.json().await.expect("json");
        assert_eq!(problem["errors"][0]["field"], "source");
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .expect("text")
                .starts_with("line 14: valid_four"),
            "{problem}"
        );

        let body = json!({"source": FIRE_SAFETY, "job_roles": ["social worker"], "in_force_from": "2020-01-01"});
        let response = lead.post(&path).json(&body).send().await.expect("post");
        assert_eq!(response.status(), 201);
        let v1: Value = response.json().await.expect("json");
        assert_eq!(v1["version"], 1);
        // Version 2 renews every two years, from 2026 on; 2025 is still judged by version 1.
        let body = json!({"source": FIRE_SAFETY.replace("P1Y", "P2Y"), "job_roles": ["social worker"], "in_force_from": "2026-01-01"});
        let v2: Value = lead
            .post(&path)
            .json(&body)
            .send()
            .await
            .expect("post")
            .json()
            .await
            .expect("json");
        assert_eq!(v2["version"], 2);
        let listed: Value = lead.get_json(&path).await;
        assert_eq!(listed["policies"].as_array().expect("versions").len(), 2);

        let ann = app.api("ann@a.example").await;
        ann.create_entry(json!({"date": "2025-03-01", "title": "Fire safety", "kind": "e-learning", "hours": 1, "topics": ["fire-safety"]})).await;
        let item_on = |as_of: &'static str| {
            let request = ann.get(&format!("/api/v1/me/standing?as_of={as_of}"));
            async move {
                let standing: Value = request
                    .send()
                    .await
                    .expect("get")
                    .json()
                    .await
                    .expect("json");
                let result = standing["results"]
                    .as_array()
                    .expect("results")
                    .iter()
                    .find(|r| r["policy"] == "fire-safety-training")
                    .cloned();
                result
                    .map(|r| r["items"][0].clone())
                    .expect("the organisation's policy applies")
            }
        };
        assert_eq!(item_on("2025-06-01").await["valid_until"], "2026-03-01");
        assert_eq!(item_on("2026-06-01").await["valid_until"], "2027-03-01");

        // Practitioners read but do not define policies.
        assert_eq!(
            ann.post(&path)
                .json(&json!({"source": FIRE_SAFETY}))
                .send()
                .await
                .expect("post")
                .status(),
            403
        );
    }
);

on_both!(
    leads_see_their_organisation_and_supervisors_their_people,
    |test_db| {
        let now = time::OffsetDateTime::now_utc();
        cairn::demo::showcase::ensure_showcase(&test_db.db, now.date(), now)
            .await
            .expect("demo");
        let app = TestApp::spawn(test_db).await;
        let highland = cairn::people::store::list_orgs(&test_db.db)
            .await
            .expect("orgs")
            .into_iter()
            .find(|o| o.name == "Highland Council")
            .expect("Highland");
        let token =
            |email: &'static str| {
                let url = app.url("/api/v1/auth/token");
                async move {
                    let body: Value = reqwest::Client::new()
                .post(url)
                .json(&json!({"email": email, "password": cairn::demo::showcase::DEMO_PASSWORD}))
                .send()
                .await
                .expect("token")
                .json()
                .await
                .expect("json");
                    body["token"].as_str().expect("token").to_owned()
                }
            };
        let path = app.url(&format!("/api/v1/orgs/{}/compliance", highland.id));
        let client = reqwest::Client::new();

        let lead = token("iain@demo.cairn.test").await;
        let report: Value = client
            .get(&path)
            .bearer_auth(&lead)
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("json");
        let rows = report["rows"].as_array().expect("rows");
        assert!(rows.iter().any(|r| r["email"] == "ailsa@demo.cairn.test"));
        assert!(rows.len() > 3, "colleagues too");
        let days: Vec<i64> = rows
            .iter()
            .map(|r| r["days_left"].as_i64().unwrap_or(i64::MAX))
            .collect();
        assert!(days.windows(2).all(|w| w[0] <= w[1]), "sorted by days left");

        let island: Value = client
            .get(format!("{path}?locality=island&status=overdue"))
            .bearer_auth(&lead)
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("json");
        assert!(
            island["rows"]
                .as_array()
                .expect("rows")
                .iter()
                .all(|r| r["locality"] == "island" && r["status"] == "overdue")
        );
        let csv = client
            .get(format!("{path}?format=csv"))
            .bearer_auth(&lead)
            .send()
            .await
            .expect("get");
        assert!(
            csv.headers()["content-type"]
                .to_str()
                .expect("ascii")
                .starts_with("text/csv")
        );
        assert!(
            csv.text()
                .await
                .expect("text")
                .starts_with("org_id,person_id,name")
        );
        let bad = client
            .get(format!("{path}?status=fine"))
            .bearer_auth(&lead)
            .send()
            .await
            .expect("get");
        assert_eq!(bad.status(), 422);

        let supervisor = token("morag@demo.cairn.test").await;
        let mine: Value = client
            .get(&path)
            .bearer_auth(&supervisor)
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("json");
        let mut emails: Vec<&str> = mine["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| r["email"].as_str().expect("email"))
            .collect();
        emails.sort();
        emails.dedup();
        assert_eq!(
            emails,
            ["ailsa@demo.cairn.test", "eilidh@demo.cairn.test"],
            "a supervisor sees the people they supervise"
        );

        let practitioner = token("ailsa@demo.cairn.test").await;
        assert_eq!(
            client
                .get(&path)
                .bearer_auth(&practitioner)
                .send()
                .await
                .expect("get")
                .status(),
            403
        );
        let outsider = token("chidi@demo.cairn.test").await;
        assert_eq!(
            client
                .get(&path)
                .bearer_auth(&outsider)
                .send()
                .await
                .expect("get")
                .status(),
            404
        );
    }
);

on_both!(a_far_as_of_date_is_refused_with_the_range, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let a = org(&test_db.db, "Organisation A").await;
    person(
        &test_db.db,
        &a,
        "admin@a.example",
        &["org-admin", "practitioner"],
    )
    .await;
    let api = app.api("admin@a.example").await;
    for path in [
        "/api/v1/me/standing?as_of=9999-12-31".to_owned(),
        format!("/api/v1/orgs/{}/compliance?as_of=9999-12-31", a.id),
    ] {
        let (status, problem) = crate::support::call(api.get(&path)).await;
        assert_eq!(status, 422, "{path}: {problem}");
        assert_eq!(crate::support::fields(&problem), ["as_of"], "{path}");
        assert!(
            problem.to_string().contains("up to 10 years from today"),
            "{problem}"
        );
    }
    let (status, _) = crate::support::call(api.get("/api/v1/me/standing?as_of=2030-01-01")).await;
    assert_eq!(status, 200, "a date a few years ahead is fine");
});

on_both!(
    everyone_in_post_has_a_line_with_a_headline_even_when_nothing_applies,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        person(&test_db.db, &a, "lead@a.example", &["ld-lead"]).await;
        // Someone in post with no registration recorded: not a requirement in sight.
        let unregistered = cairn::people::NewPerson {
            email: cairn_core::Email::parse("noreg@a.example").expect("email"),
            name: "Nell Noreg".into(),
            password_hash: None,
            birth_year: None,
            employment: Some(cairn::people::NewEmployment {
                org_id: a.id,
                team_id: Some(a.team),
                job_role: "Support worker".into(),
                start_date: time::macros::date!(2024 - 01 - 01),
                end_date: None,
                hours_per_week: cairn_core::Hours::from_whole(30),
            }),
            registrations: Vec::new(),
            roles: Vec::new(),
        };
        cairn::people::store::insert_person(
            &test_db.db,
            &unregistered,
            time::OffsetDateTime::now_utc(),
        )
        .await
        .expect("person");
        let lead = app.api("lead@a.example").await;

        let report: Value = lead
            .get_json(&format!("/api/v1/orgs/{}/compliance", a.id))
            .await;
        let rows = report["rows"].as_array().expect("rows");
        let nell: Vec<&Value> = rows.iter().filter(|r| r["name"] == "Nell Noreg").collect();
        assert_eq!(nell.len(), 1, "{report}");
        assert_eq!(nell[0]["status"], "none");
        assert_eq!(nell[0]["policy"], "");
        assert_eq!(nell[0]["reason"], "no registration recorded");
        // Every person in post is counted under one headline.
        let headlines = &report["headlines"];
        let counted: u64 = ["overdue", "at_risk", "on_track", "met", "none"]
            .iter()
            .map(|h| headlines[*h].as_u64().expect("count"))
            .sum();
        assert_eq!(counted, report["people"].as_u64().expect("people"));
        assert_eq!(headlines["none"], 1);

        let only_none: Value = lead
            .get_json(&format!("/api/v1/orgs/{}/compliance?headline=none", a.id))
            .await;
        let names: Vec<&str> = only_none["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| r["name"].as_str().expect("name"))
            .collect();
        assert_eq!(names, ["Nell Noreg"]);
        let bad = lead
            .get(&format!("/api/v1/orgs/{}/compliance?headline=fine", a.id))
            .send()
            .await
            .expect("get");
        assert_eq!(bad.status(), 422);

        let csv = lead
            .get(&format!("/api/v1/orgs/{}/compliance?format=csv", a.id))
            .send()
            .await
            .expect("csv")
            .text()
            .await
            .expect("text");
        assert!(
            csv.lines().any(|line| line.contains("Nell Noreg")
                && line.contains(",none,")
                && line.contains("no registration recorded")),
            "{csv}"
        );
    }
);

on_both!(
    the_whole_register_in_one_walk_matches_every_organisations_own_report,
    |test_db| {
        use cairn::demo::{RegisterSpec, generate, showcase};
        let now = time::OffsetDateTime::now_utc();
        showcase::ensure_showcase(&test_db.db, now.date(), now)
            .await
            .expect("demo");
        let spec = RegisterSpec {
            people: 300,
            years: 3,
            seed: 7,
            largest_org: 120,
        };
        // Its ids are made from the clock like the showcase's: start them elsewhere.
        let earlier = now - time::Duration::days(90);
        generate(&test_db.db, spec, now.date(), earlier, |_| {})
            .await
            .expect("register");
        let orgs: Vec<uuid::Uuid> = cairn::people::store::list_orgs(&test_db.db)
            .await
            .expect("orgs")
            .into_iter()
            .map(|o| o.id)
            .collect();
        let policies = cairn_core::policy::builtin::all();
        let in_order = |report: &cairn::standing::report::ComplianceReport| {
            let mut rows: Vec<Value> = report
                .rows
                .iter()
                .map(|r| serde_json::to_value(r).expect("json"))
                .collect();
            rows.sort_by_key(|r| (r["person_id"].to_string(), r["policy"].to_string()));
            (
                serde_json::to_value(report.headlines).expect("json"),
                serde_json::to_value(&report.summary).expect("json"),
                report.people,
                rows,
            )
        };
        let mut people_seen = 0;
        // Today, and a day when others were in post and other periods were open.
        for as_of in [now.date(), now.date() - time::Duration::days(500)] {
            let (all, stats) =
                cairn::standing::register::compliance_of_all(&test_db.db, &orgs, as_of, &policies)
                    .await
                    .expect("the whole register");
            assert_eq!(all.len(), orgs.len(), "one report per organisation");
            let in_post: std::collections::HashSet<_> = all
                .iter()
                .flat_map(|r| r.rows.iter().map(|row| row.person_id))
                .collect();
            assert_eq!(stats.people, in_post.len() as u64, "each judged once");
            for (org, walked) in orgs.iter().zip(&all) {
                assert_eq!(walked.org_id, *org);
                let own = cairn::standing::report::compliance(&test_db.db, *org, as_of, &policies)
                    .await
                    .expect("one organisation");
                assert_eq!(in_order(walked), in_order(&own), "{org} on {as_of}");
                people_seen += walked.people;
            }
        }
        assert!(
            people_seen > 300,
            "most of the register is in post: {people_seen}"
        );
    }
);

on_both!(
    standing_is_kept_in_the_transaction_of_every_write,
    |test_db| {
        use cairn::standing::kept;
        let app = TestApp::spawn(test_db).await;
        let db = &test_db.db;
        let a = org(db, "Organisation A").await;
        let ann = person(db, &a, "ann@a.example", &["practitioner"]).await;
        person(db, &a, "lead@a.example", &["ld-lead"]).await;
        let lines = |db: cairn::Db| async move {
            let mut lines: Vec<(String, String, Option<String>)> = kept::of_person(&db, ann)
                .await
                .expect("kept")
                .into_iter()
                .map(|l| (l.policy_id, l.status, l.next))
                .collect();
            lines.sort();
            lines
        };
        // Kept as the person was added: the 2024 rule for social workers, after PRTL.
        let added = lines(db.clone()).await;
        assert_eq!(added.len(), 1, "{added:?}");
        assert_eq!(added[0].0, "sssc-cpl-2024-social-worker");
        // Nothing for a pass to correct after each write; it judges everyone in one walk.
        let no_drift = |db: cairn::Db| async move {
            let pass = kept::rebuild(&db, time::OffsetDateTime::now_utc())
                .await
                .expect("pass");
            assert_eq!(pass.drifted, 0, "{}", pass.describe());
            assert_eq!(pass.people, 2);
        };
        no_drift(db.clone()).await;

        let api = app.api("ann@a.example").await;
        let today = time::OffsetDateTime::now_utc().date();
        let entry = api
            .create_entry(json!({"date": today.to_string(), "title": "Protecting adults at risk", "kind": "course", "hours": 12, "topics": ["adult-support-and-protection"], "elements": ["ethics-values-rights", "protection"]}))
            .await;
        let recorded = lines(db.clone()).await;
        assert_ne!(recorded, added, "the entry moved the standing on");
        no_drift(db.clone()).await;

        let deleted = api
            .delete(&format!(
                "/api/v1/me/entries/{}",
                entry["id"].as_str().expect("id")
            ))
            .send()
            .await
            .expect("delete");
        assert!(deleted.status().is_success(), "{}", deleted.status());
        assert_eq!(lines(db.clone()).await, added, "back where it was");
        no_drift(db.clone()).await;

        // An organisation's new policy judges everyone it employs again, in its transaction.
        cairn::standing::changes::add_org_policy_version(
            db,
            a.id,
            FIRE_SAFETY,
            &Default::default(),
            time::macros::date!(2020 - 01 - 01),
            None,
            time::OffsetDateTime::now_utc(),
        )
        .await
        .expect("policy");
        let with_policy = lines(db.clone()).await;
        assert!(
            with_policy.iter().any(|l| l.0 == "fire-safety-training"),
            "{with_policy:?}"
        );
        no_drift(db.clone()).await;

        // Today's report reads the kept standing and says when it was computed; it is the
        // report judged on request, line for line.
        let lead = app.api("lead@a.example").await;
        let kept_report: Value = lead
            .get_json(&format!("/api/v1/orgs/{}/compliance", a.id))
            .await;
        assert!(kept_report["computed_at"].is_string(), "{kept_report}");
        let judged = cairn::standing::report::compliance(
            db,
            a.id,
            today,
            &cairn_core::policy::builtin::all(),
        )
        .await
        .expect("judged");
        let mut judged_rows = serde_json::to_value(&judged.rows).expect("json");
        let mut kept_rows = kept_report["rows"].clone();
        for rows in [&mut judged_rows, &mut kept_rows] {
            rows.as_array_mut()
                .expect("rows")
                .sort_by_key(|r| (r["person_id"].to_string(), r["policy"].to_string()));
        }
        assert_eq!(kept_rows, judged_rows);

        // A line a write did not keep is drift, and the pass says so (and mends it).
        let table = cairn::db::execute(
            db,
            "UPDATE standing SET status = 'overdue' WHERE person_id = $1",
            (ann,),
        )
        .await
        .expect("tamper");
        assert!(table > 0);
        let pass = kept::rebuild(db, time::OffsetDateTime::now_utc())
            .await
            .expect("pass");
        assert!(pass.drifted >= 1, "{}", pass.describe());
        assert!(pass.describe().contains("DRIFT"));
        no_drift(db.clone()).await;
    }
);

on_both!(
    standing_is_kept_for_names_and_tags_that_need_escaping,
    |test_db| {
        use cairn::standing::kept;
        let db = &test_db.db;
        let a = org(db, "Organisation A").await;
        let id = person(db, &a, "siobhan@a.example", &["practitioner"]).await;
        cairn::db::execute(
            db,
            "UPDATE person SET name = $2 WHERE id = $1",
            (id, "Siobhán \"Bee\" O'Brien \\ 🌿"),
        )
        .await
        .expect("name");
        cairn::db::execute(
            db,
            "UPDATE team SET name = $2 WHERE id = $1",
            (a.team, "Adults \"North\" \\ Skye"),
        )
        .await
        .expect("team");
        let entry = cairn_core::EntryDraft {
            date: Some("2026-01-15".into()),
            title: Some("Tags with \"quotes\"".into()),
            kind: Some("course".into()),
            hours: Some(serde_json::json!(3)),
            topics: vec!["child-protection".into(), "gàidhlig ùr".into()],
            ..Default::default()
        }
        .validate(time::macros::date!(2026 - 06 - 01))
        .expect("valid");
        cairn::learning::service::insert_entry(db, id, &entry, time::OffsetDateTime::now_utc())
            .await
            .expect("entry");
        let lines = kept::of_person(db, id).await.expect("kept");
        assert!(!lines.is_empty());
        let pass = kept::rebuild(db, time::OffsetDateTime::now_utc())
            .await
            .expect("pass");
        assert_eq!(pass.drifted, 0, "{}", pass.describe());
    }
);

on_both!(
    a_large_employers_compliance_page_shows_its_table_a_page_at_a_time,
    |test_db| {
        use cairn::demo::{RegisterSpec, generate};
        let now = time::OffsetDateTime::now_utc();
        let spec = RegisterSpec {
            people: 260,
            years: 1,
            seed: 11,
            largest_org: 250,
        };
        generate(&test_db.db, spec, now.date(), now, |_| {})
            .await
            .expect("register");
        let (id, team): (uuid::Uuid, uuid::Uuid) = cairn::db::row(
            &test_db.db,
            "SELECT e.org_id, e.team_id FROM employment e GROUP BY e.org_id, e.team_id \
             ORDER BY COUNT(*) DESC LIMIT 1",
            (),
        )
        .await
        .expect("query")
        .expect("an employer");
        let large = crate::support::Org { id, team };
        person(&test_db.db, &large, "lead@large.example", &["ld-lead"]).await;
        let app = TestApp::spawn(test_db).await;
        let browser = crate::auth::browser();
        crate::auth::sign_in(&app, &browser, "lead@large.example").await;
        let page = |query: &'static str| {
            let browser = browser.clone();
            let url = app.url(&format!("/orgs/{id}/compliance{query}"));
            async move {
                let response = browser.get(url).send().await.expect("get");
                assert_eq!(response.status(), 200);
                response.text().await.expect("html")
            }
        };
        let first = page("").await;
        assert!(first.contains("Lines 1 to 200 of 251."), "{first}");
        assert!(first.contains("Next page") && !first.contains("Previous page"));
        assert_eq!(first.matches("<td><span class=\"status-tag").count(), 200);
        let second = page("?page=2").await;
        assert!(second.contains("Lines 201 to 251 of 251."));
        assert!(second.contains("Previous page") && !second.contains("Next page"));
        // Past the end, or not a number: the nearest page there is.
        assert!(page("?page=9").await.contains("Lines 201 to 251"));
        assert!(page("?page=x").await.contains("Lines 1 to 200"));
        assert_eq!(second.matches("<td><span class=\"status-tag").count(), 51);
    }
);

on_both!(
    an_ld_lead_sets_out_mandatory_training_in_a_form,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        person(&test_db.db, &a, "lead@a.example", &["ld-lead"]).await;
        let browser = crate::auth::browser();
        let home = crate::auth::sign_in(&app, &browser, "lead@a.example").await;
        let csrf = crate::auth::csrf_of(&home);
        let path = app.url(&format!("/orgs/{}/policies/training", a.id));
        let form = browser.get(&path).send().await.expect("get");
        assert_eq!(form.status(), 200);
        let form = form.text().await.expect("html");
        assert!(
            form.contains("name=\"item8_topic\""),
            "room for eight items"
        );

        // Wrong: every problem on its field, everything typed kept.
        let bad = browser
            .post(&path)
            .form(&[
                ("csrf", csrf.as_str()),
                ("title", "Mandatory training for care staff"),
                ("item1_topic", "fire-safety"),
                ("item1_valid_for", "a year"),
                ("item2_topic", "fire-safety"),
                ("job_roles", "Support worker"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(bad.status(), 422);
        let page = bad.text().await.expect("html");
        assert!(page.contains("id=\"item1_valid_for-error\""), "{page}");
        assert!(
            page.contains("Item 1: \u{201c}valid for\u{201d} must be a whole number of months"),
            "{page}"
        );
        assert!(
            page.contains("Item 2: this training is already an item above"),
            "{page}"
        );
        assert!(page.contains("value=\"a year\""), "{page}");
        assert!(page.contains("value=\"Support worker\""), "{page}");

        let good = browser
            .post(&path)
            .form(&[
                ("csrf", csrf.as_str()),
                ("title", "Mandatory training for care staff"),
                ("item1_topic", "fire-safety"),
                ("item1_valid_for", "12"),
                ("item2_topic", "first-aid"),
                ("item2_valid_for", "36"),
                ("item2_due_within", "1"),
                ("job_roles", "Support worker"),
                ("in_force_from", "2026-01-01"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(good.status(), 303, "{}", good.text().await.expect("html"));
        let saved = cairn::standing::org_policies::versions(&test_db.db, a.id)
            .await
            .expect("versions");
        assert_eq!(saved.len(), 1);
        assert_eq!(saved[0].policy_id, "mandatory-training-for-care-staff");
        assert_eq!(saved[0].assigned_to.job_roles, ["Support worker"]);
        assert!(
            saved[0].source_text.contains("valid_for = \"P3Y\""),
            "{}",
            saved[0].source_text
        );

        // The policies page shows it with its file, and changing it starts from what it says.
        let policies = browser
            .get(app.url(&format!("/orgs/{}/policies", a.id)))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        assert!(
            policies.contains("policies/training?edit=mandatory-training-for-care-staff"),
            "{policies}"
        );
        assert!(
            policies.contains("kind = &quot;completed&quot;")
                || policies.contains("kind = &#34;completed&#34;"),
            "{policies}"
        );
        assert!(policies.contains("Regulators"), "{policies}");
        let again = browser
            .get(format!("{path}?edit=mandatory-training-for-care-staff"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        assert!(
            again.contains("<option value=\"first-aid\" selected>"),
            "{again}"
        );
        assert!(again.contains("value=\"36\""), "{again}");
    }
);
