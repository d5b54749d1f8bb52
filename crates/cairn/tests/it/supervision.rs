//! Supervision records over HTTP on both databases: recording with its refusals, actions on
//! both people's pages, the session as a learning entry, who is overdue, and private notes
//! that nobody else ever sees (pages, API, exports, team views).

use crate::on_both;
use crate::support::{TestApp, call, fields, org, person};
use cairn::people::store as people;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

const PRIVATE: &str = "Talked about the strain of the Thursday court list";

on_both!(supervision_is_recorded_shared_and_kept_private, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let a = org(&test_db.db, "Organisation A").await;
    let b = org(&test_db.db, "Organisation B").await;
    let sup_id = person(&test_db.db, &a, "sup@a.example", &["supervisor"]).await;
    let ann_id = person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
    let bob_id = person(&test_db.db, &a, "bob@a.example", &["practitioner"]).await;
    let cal_id = person(&test_db.db, &a, "cal@a.example", &["practitioner"]).await;
    person(&test_db.db, &a, "lead@a.example", &["ld-lead"]).await;
    person(&test_db.db, &b, "other@b.example", &["ld-lead"]).await;
    for supervisee in [ann_id, bob_id] {
        people::add_supervision(&test_db.db, sup_id, supervisee, a.id)
            .await
            .expect("supervision");
    }
    let sup = app.api("sup@a.example").await;
    let ann = app.api("ann@a.example").await;
    let bob = app.api("bob@a.example").await;
    let lead = app.api("lead@a.example").await;
    let other = app.api("other@b.example").await;
    let today = OffsetDateTime::now_utc().date();
    let day = |days: i64| (today + Duration::days(days)).to_string();
    let session = |attendees: Value, extra: Value| {
        let mut body = json!({
            "held_on": day(-3), "duration_minutes": 90, "kind": "individual", "attendees": attendees,
            "agenda": {"case_management": 40, "reflection": 30, "professional_development": 20, "wellbeing": 10},
            "notes": "Caseload reviewed.", "private_notes": PRIVATE,
            "actions": [{"description": "Book the court skills course", "owner": ann_id, "due_on": day(14)}],
            "add_to_records": true
        });
        for (key, value) in extra.as_object().expect("object") {
            body[key] = value.clone();
        }
        body
    };

    // Refusals, each named: a session in the future, an action without an owner, someone
    // the recorder does not supervise, private notes in a group.
    let (status, problem) = call(
        sup.post("/api/v1/supervision")
            .json(&session(json!([ann_id]), json!({"held_on": day(2)}))),
    )
    .await;
    assert_eq!(
        (status, fields(&problem)),
        (422, vec!["held_on".to_owned()])
    );
    let (status, problem) = call(sup.post("/api/v1/supervision").json(&session(
        json!([ann_id]),
        json!({"actions": [{"description": "Read", "due_on": day(5)}]}),
    )))
    .await;
    assert_eq!(
        (status, fields(&problem)),
        (422, vec!["actions[0].owner".to_owned()])
    );
    let (status, problem) = call(
        sup.post("/api/v1/supervision")
            .json(&session(json!([cal_id]), json!({"actions": []}))),
    )
    .await;
    assert_eq!(
        (status, fields(&problem)),
        (422, vec!["attendees".to_owned()]),
        "Cal is not supervised by them"
    );
    let (status, problem) = call(
        sup.post("/api/v1/supervision")
            .json(&session(json!([ann_id, bob_id]), json!({"kind": "group"}))),
    )
    .await;
    assert_eq!(
        (status, fields(&problem)),
        (422, vec!["private_notes".to_owned()])
    );
    let (status, _) = call(
        ann.post("/api/v1/supervision")
            .json(&session(json!([bob_id]), json!({"actions": []}))),
    )
    .await;
    assert_eq!(status, 422, "a practitioner supervises nobody");

    let (status, created) = call(
        sup.post("/api/v1/supervision")
            .json(&session(json!([ann_id]), json!({}))),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["session"]["id"].as_str().expect("id").to_owned();

    // The session is in Ann's record as supervision, an hour and a half.
    let entries = ann.get_json("/api/v1/me/entries?kind=supervision").await;
    assert_eq!(entries["entries"][0]["hours"], json!(1.5), "{entries}");
    // Its action is on both people's pages, and she was told.
    for api in [&sup, &ann] {
        let mine = api.get_json("/api/v1/me/supervision").await;
        assert_eq!(mine["sessions"].as_array().expect("list").len(), 1);
        assert_eq!(
            mine["open_actions"][0]["description"],
            "Book the court skills course"
        );
    }
    assert!(
        ann.get_json("/api/v1/me/notifications")
            .await
            .to_string()
            .contains("recorded your supervision")
    );

    // Her calendar has the session, what falls due, and nothing private.
    let bookings = ann
        .get("/bookings")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let start = bookings.find("/calendar/").expect("the address");
    let address: String = bookings[start..]
        .split('"')
        .next()
        .expect("path")
        .to_owned();
    let ics = reqwest::get(app.url(&address))
        .await
        .expect("feed")
        .text()
        .await
        .expect("text");
    let unfolded = ics.replace("\r\n ", "");
    for expected in [
        "SUMMARY:Supervision with Person sup@a.example (90 minutes)",
        "SUMMARY:Action due: Book the court skills course",
        "SUMMARY:Supervision due",
        "DTSTART;VALUE=DATE:",
    ] {
        assert!(unfolded.contains(expected), "{expected} in {ics}");
    }
    assert!(
        !unfolded.contains("strain of the Thursday"),
        "no private notes in the feed"
    );
    if let Ok(dir) = std::env::var("CAIRN_SAVE_ICS") {
        std::fs::write(
            format!("{dir}/supervision-{}.ics", uuid::Uuid::now_v7()),
            &ics,
        )
        .expect("save");
    }

    // Private notes: the two of them, and nobody else, anywhere.
    let path = format!("/api/v1/supervision/{id}");
    assert_eq!(
        ann.get_json(&path).await["session"]["private_notes"],
        PRIVATE
    );
    for api in [&bob, &lead, &other] {
        assert_eq!(call(api.get(&path)).await.0, 404);
    }
    let record = ann
        .get("/api/v1/me/record")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("text");
    assert!(!record.contains(PRIVATE), "not in the portable record");
    let csv = ann
        .get("/record.csv")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("text");
    assert!(!csv.contains(PRIVATE), "not in the CSV");
    let team = sup
        .get("/team")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(
        team.contains("Last supervision") && !team.contains(PRIVATE),
        "not in the team view"
    );
    // Each person's kept standing, by the policy's title, and when it was computed.
    assert!(
        team.contains("Requirements:")
            && team.contains("SSSC continuous professional learning (2024)")
            && team.contains("computed just now"),
        "{team}"
    );
    let theirs = lead
        .get(&format!("/api/v1/people/{ann_id}/entries"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("text");
    assert!(
        !theirs.contains(PRIVATE),
        "not in the employer's view of her record"
    );
    let page = sup
        .get(&format!("/supervision/{id}"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(
        page.contains(PRIVATE),
        "the supervisor sees them on the session page"
    );

    // Actions are done once, by someone who was there.
    let action = ann.get_json("/api/v1/me/supervision").await["open_actions"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let done = format!("/api/v1/supervision/actions/{action}/done");
    assert_eq!(call(bob.post(&done)).await.0, 404);
    assert_eq!(call(ann.post(&done)).await.0, 204);
    assert_eq!(call(sup.post(&done)).await.0, 409);
    assert_eq!(
        sup.get_json("/api/v1/me/supervision").await["open_actions"],
        json!([])
    );

    // Who is overdue: Bob has never had supervision; Ann had it three days ago.
    let overdue = lead
        .get_json(&format!("/api/v1/orgs/{}/supervision?overdue", a.id))
        .await;
    let names: Vec<&str> = overdue["people"]
        .as_array()
        .expect("list")
        .iter()
        .map(|p| p["name"].as_str().expect("name"))
        .collect();
    assert!(
        names.contains(&"Person bob@a.example") && !names.contains(&"Person ann@a.example"),
        "{names:?}"
    );
    // Only those expected to be supervised are listed: the L&D lead (no supervisor, not a
    // practitioner) is not, however long ago their job began.
    let everyone = lead
        .get_json(&format!("/api/v1/orgs/{}/supervision", a.id))
        .await;
    let listed: Vec<&str> = everyone["people"]
        .as_array()
        .expect("list")
        .iter()
        .map(|p| p["name"].as_str().expect("name"))
        .collect();
    assert!(!listed.contains(&"Person lead@a.example"), "{listed:?}");
    assert!(listed.contains(&"Person cal@a.example"), "{listed:?}");
    // Their supervisor is reminded of Bob, and not of Ann.
    let reminders = sup.get_json("/api/v1/me/reminders").await.to_string();
    assert!(
        reminders.contains("Person bob@a.example\u{2019}s supervision is overdue"),
        "{reminders}"
    );
    assert!(
        !reminders.contains("Person ann@a.example\u{2019}s supervision"),
        "{reminders}"
    );
    assert_eq!(
        call(sup.get(&format!("/api/v1/orgs/{}/supervision", a.id)))
            .await
            .0,
        403
    );
    assert_eq!(
        call(other.get(&format!("/api/v1/orgs/{}/supervision", a.id)))
            .await
            .0,
        404
    );
    let frequency = format!("/api/v1/orgs/{}/supervision-frequency", a.id);
    let (status, problem) = call(
        lead.put(&frequency)
            .json(&json!({"nqsw_every_days": 0, "every_days": 400})),
    )
    .await;
    assert_eq!(
        (status, fields(&problem)),
        (
            422,
            vec!["nqsw_every_days".to_owned(), "every_days".to_owned()]
        )
    );
    assert_eq!(
        call(
            lead.put(&frequency)
                .json(&json!({"nqsw_every_days": 7, "every_days": 28}))
        )
        .await
        .0,
        200
    );
});

on_both!(
    a_team_session_is_in_each_record_ready_for_reflection,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        let sup_id = person(&test_db.db, &a, "sup@a.example", &["supervisor"]).await;
        let ann_id = person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
        let bob_id = person(&test_db.db, &a, "bob@a.example", &["practitioner"]).await;
        let cal_id = person(&test_db.db, &a, "cal@a.example", &["practitioner"]).await;
        for supervisee in [ann_id, bob_id] {
            people::add_supervision(&test_db.db, sup_id, supervisee, a.id)
                .await
                .expect("supervision");
        }
        let sup = app.api("sup@a.example").await;
        let ann = app.api("ann@a.example").await;
        let yesterday = (OffsetDateTime::now_utc().date() - Duration::days(1)).to_string();
        let tomorrow = (OffsetDateTime::now_utc().date() + Duration::days(1)).to_string();
        let body = |attendees: Value, held_on: &str| {
            json!({"title": "SWOTT module 3: working with risk", "held_on": held_on, "hours": "1.5",
               "topics": ["risk-assessment"], "description": "Module, then a case study together",
               "attendees": attendees})
        };
        let (status, problem) = call(
            sup.post("/api/v1/team-sessions")
                .json(&body(json!([ann_id, cal_id]), &yesterday)),
        )
        .await;
        assert_eq!(
            (status, fields(&problem)),
            (422, vec!["attendees".to_owned()]),
            "Cal is not supervised by them"
        );
        let (status, problem) = call(
            sup.post("/api/v1/team-sessions")
                .json(&body(json!([ann_id]), &tomorrow)),
        )
        .await;
        assert_eq!(
            (status, fields(&problem)),
            (422, vec!["held_on".to_owned()])
        );
        let (status, created) = call(
            sup.post("/api/v1/team-sessions")
                .json(&body(json!([ann_id, bob_id]), &yesterday)),
        )
        .await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["entries"].as_array().expect("list").len(), 2);

        // Ann's entry: peer-reflected, 1.5 hours, ready for her own reflection, which she adds.
        let entries = ann
            .get_json("/api/v1/me/entries?kind=team-learning-session")
            .await;
        let entry = entries["entries"][0].clone();
        assert_eq!(
            (entry["peer_reflection"].as_bool(), entry["hours"].clone()),
            (Some(true), json!(1.5)),
            "{entry}"
        );
        assert!(
            ann.get_json("/api/v1/me/notifications")
                .await
                .to_string()
                .contains("add your own reflection")
        );
        let mut edited = entry.clone();
        edited["reflection"] = json!("We found the risk matrix useful for the Smith case");
        let (status, _) = call(
            ann.put(&format!(
                "/api/v1/me/entries/{}",
                entry["id"].as_str().expect("id")
            ))
            .json(&edited),
        )
        .await;
        assert_eq!(status, 200);
    }
);

on_both!(
    peer_supervision_counts_only_once_the_colleague_confirms,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        let ann_id = person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
        person(&test_db.db, &a, "bob@a.example", &["practitioner"]).await;
        let ann = app.api("ann@a.example").await;
        let bob = app.api("bob@a.example").await;
        let today = OffsetDateTime::now_utc().date();
        let peer = |held_on: String, minutes: i64| {
            json!({
                "held_on": held_on, "duration_minutes": minutes, "kind": "peer", "attendees": [ann_id],
                "agenda": {"case_management": 50, "reflection": 50, "professional_development": 0, "wellbeing": 0},
                "notes": "", "private_notes": "",
                "actions": [{"description": "Read the guidance", "owner": ann_id, "due_on": (today + Duration::days(7)).to_string()}],
                "add_to_records": true
            })
        };
        // Not before they worked here (the helpers employ both from 2020-01-01), nor 12 hours.
        let (status, problem) = call(
            bob.post("/api/v1/supervision")
                .json(&peer("1950-06-01".into(), 60)),
        )
        .await;
        assert_eq!(
            (status, fields(&problem)),
            (422, vec!["held_on".to_owned()])
        );
        let (status, problem) = call(
            bob.post("/api/v1/supervision")
                .json(&peer((today - Duration::days(1)).to_string(), 720)),
        )
        .await;
        assert_eq!(
            (status, fields(&problem)),
            (422, vec!["duration_minutes".to_owned()])
        );

        let (status, created) = call(
            bob.post("/api/v1/supervision")
                .json(&peer((today - Duration::days(1)).to_string(), 60)),
        )
        .await;
        assert_eq!(status, 201, "{created}");
        let id = created["session"]["id"].as_str().expect("id").to_owned();
        // Nothing in Ann's record, nor her actions, until she confirms.
        let entries = ann.get_json("/api/v1/me/entries").await;
        assert_eq!(
            entries["entries"].as_array().expect("entries").len(),
            0,
            "{entries}"
        );
        let mine = ann.get_json("/api/v1/me/supervision").await;
        assert_eq!(mine["open_actions"].as_array().expect("actions").len(), 0);
        let (status, _) = call(bob.post(&format!("/api/v1/supervision/{id}/confirm"))).await;
        assert_eq!(status, 409, "only the attendee confirms");
        let (status, _) = call(ann.post(&format!("/api/v1/supervision/{id}/confirm"))).await;
        assert_eq!(status, 204);
        let entries = ann.get_json("/api/v1/me/entries?kind=supervision").await;
        assert_eq!(entries["entries"][0]["hours"], json!(1), "{entries}");
        let mine = ann.get_json("/api/v1/me/supervision").await;
        assert_eq!(mine["open_actions"].as_array().expect("actions").len(), 1);
        let (status, _) = call(ann.post(&format!("/api/v1/supervision/{id}/confirm"))).await;
        assert_eq!(status, 409, "confirmed once");

        // A session Ann was not at: she says so, and it is gone from her view.
        let (_, created) = call(
            bob.post("/api/v1/supervision")
                .json(&peer((today - Duration::days(2)).to_string(), 600)),
        )
        .await;
        let other = created["session"]["id"].as_str().expect("id").to_owned();
        let (status, _) = call(ann.post(&format!("/api/v1/supervision/{other}/disown"))).await;
        assert_eq!(status, 204);
        let (status, _) = call(ann.get(&format!("/api/v1/supervision/{other}"))).await;
        assert_eq!(status, 404);
        let entries = ann.get_json("/api/v1/me/entries").await;
        assert_eq!(entries["entries"].as_array().expect("entries").len(), 1);
    }
);
