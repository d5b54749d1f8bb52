//! The catalogue: offering learning, finding it, booking under concurrency, the waiting list,
//! cancellation, attendance writing the entry, and the refusals.

use crate::on_both;
use crate::support::{TestApp, org, person};
use cairn::catalogue::BookingStatus;
use cairn::catalogue::store::{self, BookOutcome};
use cairn::people::{NewPerson, store as people};
use cairn::{Clock, Db};
use cairn_core::Email;
use cairn_core::catalogue::OpportunityDraft;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

fn course(starts_at: OffsetDateTime, capacity: i64) -> Value {
    let rfc = |t: OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .expect("time")
    };
    json!({
        "title": "Giving evidence in court", "provider": "NHS Education for Scotland",
        "description": "A day on giving evidence in court.", "kind": "course", "mode": "in-person",
        "topics": ["court-skills"], "elements": ["knowledge-for-role"], "hours": 6,
        "cost_per_place": "120.50", "visibility": "own",
        "sessions": [{"starts_at": rfc(starts_at), "ends_at": rfc(starts_at + Duration::hours(7)),
                      "venue": "Kirkwall", "locality": "island", "capacity": capacity}]
    })
}

/// An opportunity with one session of `capacity` places, straight into the store.
async fn session(db: &Db, org_id: Uuid, capacity: i64) -> Uuid {
    let draft: OpportunityDraft = serde_json::from_value(course(
        OffsetDateTime::now_utc() + Duration::days(30),
        capacity,
    ))
    .expect("draft");
    let valid = draft.validate().expect("valid");
    let creator = people::insert_person(
        db,
        &NewPerson {
            email: Email::parse("organiser@a.example").expect("email"),
            name: "Organiser".into(),
            password_hash: None,
            birth_year: None,
            employment: None,
            registrations: Vec::new(),
            roles: Vec::new(),
        },
        OffsetDateTime::now_utc(),
    )
    .await
    .expect("organiser");
    let id =
        store::insert_opportunity(db, org_id, &valid, Some(creator), OffsetDateTime::now_utc())
            .await
            .expect("opportunity");
    store::get_opportunity(db, id)
        .await
        .expect("q")
        .expect("it")
        .sessions[0]
        .id
}

on_both!(
    a_request_that_waited_for_the_lock_queues_behind,
    |test_db| {
        let a = org(&test_db.db, "Organisation A").await;
        let session_id = session(&test_db.db, a.id, 1).await;
        let mut ids = Vec::new();
        for i in 0..3 {
            ids.push(
                person(
                    &test_db.db,
                    &a,
                    &format!("w{i}@a.example"),
                    &["practitioner"],
                )
                .await,
            );
        }
        let t = OffsetDateTime::now_utc();
        let position = |outcome: BookOutcome| {
            let db = test_db.db.clone();
            async move {
                let BookOutcome::Waiting(id) = outcome else {
                    panic!("waiting: {outcome:?}")
                };
                store::booking(&db, id)
                    .await
                    .expect("q")
                    .expect("booking")
                    .position
            }
        };
        assert!(matches!(
            store::book(&test_db.db, session_id, ids[0], t)
                .await
                .expect("book"),
            BookOutcome::Booked(_)
        ));
        let second = store::book(&test_db.db, session_id, ids[1], t + Duration::seconds(1))
            .await
            .expect("book");
        assert_eq!(position(second.clone()).await, Some(1));
        // Its clock was read first, but it took the session's lock last: it is second, and the
        // first person waiting is still told they are first.
        let third = store::book(&test_db.db, session_id, ids[2], t)
            .await
            .expect("book");
        let third_id = match third {
            BookOutcome::Waiting(id) => id,
            other => panic!("waiting: {other:?}"),
        };
        assert_eq!(position(BookOutcome::Waiting(third_id)).await, Some(2));
        assert_eq!(position(second.clone()).await, Some(1));
    }
);

on_both!(
    two_hundred_people_booking_the_last_ten_places_at_once,
    |test_db| {
        let a = org(&test_db.db, "Organisation A").await;
        let session_id = session(&test_db.db, a.id, 10).await;
        let mut people_ids = Vec::new();
        for i in 0..200 {
            let person = NewPerson {
                email: Email::parse(&format!("p{i}@a.example")).expect("email"),
                name: format!("Person {i}"),
                password_hash: None,
                birth_year: None,
                employment: None,
                registrations: Vec::new(),
                roles: Vec::new(),
            };
            people_ids.push(
                people::insert_person(&test_db.db, &person, OffsetDateTime::now_utc())
                    .await
                    .expect("person"),
            );
        }
        let attempt = |person: Uuid| {
            let db = test_db.db.clone();
            tokio::spawn(async move {
                store::book(&db, session_id, person, OffsetDateTime::now_utc()).await
            })
        };
        let tasks: Vec<_> = people_ids.iter().map(|p| attempt(*p)).collect();
        let mut booked = 0;
        let mut waiting = 0;
        for task in tasks {
            match task.await.expect("task").expect("booking") {
                BookOutcome::Booked(_) => booked += 1,
                BookOutcome::Waiting(_) => waiting += 1,
                other => panic!("nobody asked twice or needs approval: {other:?}"),
            }
        }
        assert_eq!((booked, waiting), (10, 190));

        // Asking again, all at once, adds nothing.
        let tasks: Vec<_> = people_ids.iter().map(|p| attempt(*p)).collect();
        for task in tasks {
            assert!(matches!(
                task.await.expect("task").expect("booking"),
                BookOutcome::AlreadyBooked(_)
            ));
        }
        let list = store::session_bookings(&test_db.db, session_id)
            .await
            .expect("list");
        assert_eq!(list.len(), 200, "one booking per person, none lost");
        assert_eq!(
            list.iter()
                .filter(|b| b.status == BookingStatus::Booked)
                .count(),
            10
        );
        let opportunity_id = store::opportunity_of_session(&test_db.db, session_id)
            .await
            .expect("q")
            .expect("it");
        let places = store::get_opportunity(&test_db.db, opportunity_id)
            .await
            .expect("q")
            .expect("it")
            .sessions[0]
            .clone();
        assert_eq!((places.booked, places.waiting), (10, 190));

        // Five of the booked cancel at once: the first five waiting get their places, in order.
        let first_waiting: Vec<Uuid> = list
            .iter()
            .filter(|b| b.status == BookingStatus::Waiting)
            .take(5)
            .map(|b| b.person_id)
            .collect();
        let cancellations: Vec<_> = list
            .iter()
            .filter(|b| b.status == BookingStatus::Booked)
            .take(5)
            .map(|b| {
                let (db, id) = (test_db.db.clone(), b.id);
                tokio::spawn(async move {
                    store::cancel(&db, id, OffsetDateTime::now_utc(), "yours").await
                })
            })
            .collect();
        let mut promoted = Vec::new();
        for task in cancellations {
            promoted.push(
                task.await
                    .expect("task")
                    .expect("cancel")
                    .expect("someone promoted"),
            );
        }
        promoted.sort();
        let mut expected = first_waiting.clone();
        expected.sort();
        assert_eq!(promoted, expected);
        let after = store::session_bookings(&test_db.db, session_id)
            .await
            .expect("list");
        assert_eq!(
            after
                .iter()
                .filter(|b| b.status == BookingStatus::Booked)
                .count(),
            10
        );
        assert_eq!(
            after
                .iter()
                .filter(|b| b.status == BookingStatus::Waiting)
                .count(),
            185
        );
        for person in &first_waiting {
            let told = cairn::notifications::notifications_of(&test_db.db, *person)
                .await
                .expect("q");
            assert_eq!(told.len(), 1, "told once");
        }
    }
);

on_both!(
    learning_is_offered_found_booked_cancelled_and_attended,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        let b = org(&test_db.db, "Organisation B").await;
        person(&test_db.db, &a, "lead@a.example", &["ld-lead"]).await;
        person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
        let cal = person(&test_db.db, &a, "cal@a.example", &["practitioner"]).await;
        person(
            &test_db.db,
            &b,
            "bob@b.example",
            &["practitioner", "ld-lead"],
        )
        .await;
        let lead = app.api("lead@a.example").await;
        let ann = app.api("ann@a.example").await;
        let cal_api = app.api("cal@a.example").await;
        let bob = app.api("bob@b.example").await;
        let starts = OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .expect("time")
            + Duration::days(14);
        let path = format!("/api/v1/orgs/{}/opportunities", a.id);

        // Bad input is refused, every field named; nothing is stored.
        let mut bad = course(starts, -2);
        bad["cost_per_place"] = json!(-10);
        bad["sessions"][0]["ends_at"] = bad["sessions"][0]["starts_at"].clone();
        bad["colour"] = json!("blue");
        let response = lead.post(&path).json(&bad).send().await.expect("post");
        assert_eq!(response.status(), 422);
        bad.as_object_mut().expect("object").remove("colour");
        let problem: Value = lead
            .post(&path)
            .json(&bad)
            .send()
            .await
            .expect("post")
            .json()
            .await
            .expect("json");
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e["field"].as_str().expect("field"))
            .collect();
        for field in [
            "cost_per_place",
            "sessions[0].ends_at",
            "sessions[0].capacity",
        ] {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
        // Only the organisation's L&D lead or administrator offers learning.
        assert_eq!(
            ann.post(&path)
                .json(&course(starts, 1))
                .send()
                .await
                .expect("post")
                .status(),
            403
        );
        assert_eq!(
            bob.post(&path)
                .json(&course(starts, 1))
                .send()
                .await
                .expect("post")
                .status(),
            404
        );

        let created: Value = lead
            .post(&path)
            .json(&course(starts, 1))
            .send()
            .await
            .expect("post")
            .json()
            .await
            .expect("json");
        let opportunity_id = created["id"].as_str().expect("id").to_owned();
        assert_eq!(created["cost_per_place"], "120.50");
        let session_id = created["sessions"][0]["id"]
            .as_str()
            .expect("session")
            .to_owned();

        // Suggested to Ann once her employer requires that topic and she has not done it.
        let none = ann.get_json("/api/v1/me/suggestions").await;
        assert!(
            !none.to_string().contains(&opportunity_id),
            "nothing needs it yet: {none}"
        );
        let policy = r#"format = "cairn-policy/1"
id = "court"
title = "Court skills"
effective_from = 2000-01-01
applies_to_existing = true
[applies_to]
register = "EMP"
[[rules]]
id = "court"
kind = "completed"
topics = ["court-skills"]
valid_for = "P3Y"
"#;
        let today = OffsetDateTime::now_utc().date().to_string();
        let saved = lead
            .post(&format!("/api/v1/orgs/{}/policies", a.id))
            .json(&json!({"source": policy, "in_force_from": today}))
            .send()
            .await
            .expect("post");
        assert!(
            saved.status().is_success(),
            "{}",
            saved.text().await.expect("text")
        );
        let suggested = ann.get_json("/api/v1/me/suggestions").await;
        assert_eq!(
            suggested["suggestions"][0]["because_of_topic"], "court-skills",
            "{suggested}"
        );
        assert_eq!(
            suggested["suggestions"][0]["opportunity"]["id"].as_str(),
            Some(opportunity_id.as_str())
        );

        // Found by a topic by its own staff; invisible to another organisation's.
        let found = ann
            .get_json("/api/v1/opportunities?topic=court-skills")
            .await;
        assert_eq!(found["opportunities"].as_array().expect("list").len(), 1);
        let theirs = bob.get_json("/api/v1/opportunities").await;
        assert_eq!(theirs["opportunities"].as_array().expect("list").len(), 0);
        assert_eq!(
            bob.get(&format!("/api/v1/opportunities/{opportunity_id}"))
                .send()
                .await
                .expect("get")
                .status(),
            404
        );
        let booking = format!("/api/v1/sessions/{session_id}/bookings");
        // Another organisation's L&D lead cannot see who booked, or mark attendance.
        assert_eq!(bob.get(&booking).send().await.expect("get").status(), 404);
        let attendance_path = format!("/api/v1/sessions/{session_id}/attendance");
        let someone = json!({"booking_id": Uuid::now_v7(), "attended": true});
        assert_eq!(
            bob.post(&attendance_path)
                .json(&someone)
                .send()
                .await
                .expect("post")
                .status(),
            404
        );
        assert_eq!(bob.post(&booking).send().await.expect("post").status(), 404);

        // One place: Ann gets it, Cal waits; asking twice is a conflict.
        let first: Value = ann
            .post(&booking)
            .send()
            .await
            .expect("post")
            .json()
            .await
            .expect("json");
        assert_eq!(first["status"], "booked");
        let second: Value = cal_api
            .post(&booking)
            .send()
            .await
            .expect("post")
            .json()
            .await
            .expect("json");
        assert_eq!(
            (second["status"].as_str(), second["position"].as_i64()),
            (Some("waiting"), Some(1))
        );
        assert_eq!(
            cal_api.post(&booking).send().await.expect("post").status(),
            409
        );

        // Ann cancels: Cal is promoted and told.
        let ann_booking = first["id"].as_str().expect("id");
        assert_eq!(
            cal_api
                .delete(&format!("/api/v1/me/bookings/{ann_booking}"))
                .send()
                .await
                .expect("delete")
                .status(),
            404,
            "not Cal's to cancel"
        );
        assert_eq!(
            ann.delete(&format!("/api/v1/me/bookings/{ann_booking}"))
                .send()
                .await
                .expect("delete")
                .status(),
            204
        );
        let mine = cal_api.get_json("/api/v1/me/bookings").await;
        assert_eq!(mine["bookings"][0]["status"], "booked");
        let told = cal_api.get_json("/api/v1/me/notifications").await;
        assert!(
            told["notifications"][0]["message"]
                .as_str()
                .expect("text")
                .contains("Giving evidence in court")
        );

        // The home page shows what is new until My bookings has been seen.
        let home = cal_api
            .get("/")
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        assert!(
            home.contains("New for you") && home.contains("A place came free and is now yours"),
            "{home}"
        );

        // Cal's private calendar address lists the session, without signing in; a wrong one nothing.
        let page = cal_api
            .get("/bookings")
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        let start = page.find("/calendar/").expect("the address");
        let path: String = page[start..].split('"').next().expect("path").to_owned();
        let home = cal_api
            .get("/")
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        assert!(!home.contains("New for you"), "seen on My bookings");
        let feed = reqwest::get(app.url(&path)).await.expect("feed");
        assert_eq!(
            feed.headers()["content-type"],
            "text/calendar; charset=utf-8"
        );
        let ics = feed.text().await.expect("text");
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1, "{ics}");
        assert!(
            ics.contains("SUMMARY:Giving evidence in court\r\n"),
            "{ics}"
        );
        let wrong = reqwest::get(app.url("/calendar/not-a-token.ics"))
            .await
            .expect("feed");
        assert_eq!(wrong.status(), 404);
        if let Ok(dir) = std::env::var("CAIRN_SAVE_ICS") {
            std::fs::write(format!("{dir}/feed-{}.ics", Uuid::now_v7()), &ics).expect("save");
        }

        // Attendance can be marked once the session has started: a server whose clock is then.
        let later =
            TestApp::spawn_with_clock(test_db, Clock::Fixed(starts + Duration::hours(8))).await;
        let lead_later = later.api("lead@a.example").await;
        let cal_booking = mine["bookings"][0]["id"].as_str().expect("id").to_owned();
        let attendance = format!("/api/v1/sessions/{session_id}/attendance");
        assert_eq!(
            lead.post(&attendance)
                .json(&json!({"booking_id": cal_booking, "attended": true}))
                .send()
                .await
                .expect("post")
                .status(),
            422,
            "not before it starts"
        );
        let marked: Value = lead_later
            .post(&attendance)
            .json(&json!({"booking_id": cal_booking, "attended": true}))
            .send()
            .await
            .expect("post")
            .json()
            .await
            .expect("json");
        let entry_id = marked["entry_id"].as_str().expect("entry").to_owned();
        let again: Value = lead_later
            .post(&attendance)
            .json(&json!({"booking_id": cal_booking, "attended": true}))
            .send()
            .await
            .expect("post")
            .json()
            .await
            .expect("json");
        assert_eq!(
            again["entry_id"].as_str(),
            Some(entry_id.as_str()),
            "one entry, however often it is marked"
        );
        let entry = cal_api
            .get_json(&format!("/api/v1/me/entries/{entry_id}"))
            .await;
        assert_eq!(entry["title"], "Giving evidence in court");
        assert_eq!(entry["kind"], "course");
        assert_eq!(entry["hours"], json!(6));
        assert_eq!(entry["topics"], json!(["court-skills"]));
        let cal_total = cal_api.get_json("/api/v1/me/entries?limit=0").await;
        assert_eq!(cal_total["total"], 1);
        let _ = cal;

        // The organiser's page shows who attended; a practitioner cannot open it.
        let lead_browser = crate::auth::browser();
        crate::auth::sign_in(&later, &lead_browser, "lead@a.example").await;
        let page = lead_browser
            .get(later.url(&format!("/learning/sessions/{session_id}")))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        assert!(
            page.contains("Person cal@a.example")
                && page.contains("Attended: entry in their record"),
            "{page}"
        );
        let ann_browser = crate::auth::browser();
        crate::auth::sign_in(&later, &ann_browser, "ann@a.example").await;
        let refused = ann_browser
            .get(later.url(&format!("/learning/sessions/{session_id}")))
            .send()
            .await
            .expect("get");
        assert_eq!(refused.status(), 403);

        // A session that has started cannot be booked.
        assert_eq!(
            later
                .api("ann@a.example")
                .await
                .post(&booking)
                .send()
                .await
                .expect("post")
                .status(),
            422
        );
    }
);
