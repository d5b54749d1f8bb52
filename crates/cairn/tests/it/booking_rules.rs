//! What surrounds a booking: search filters, manager approval and nominations, the
//! cancellation notice, calendar invitations, costs and the spend report, and evaluation at
//! four levels, over HTTP on both databases.

use crate::on_both;
use crate::support::{Api, Org, TestApp, call, fields, org, person};
use cairn::Clock;
use cairn::people::store as people;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// Keeps a calendar file for `scripts/check-ics.py` when CAIRN_SAVE_ICS names a directory.
fn save_ics(name: &str, ics: &str) {
    if let Ok(dir) = std::env::var("CAIRN_SAVE_ICS") {
        std::fs::write(format!("{dir}/{name}-{}.ics", Uuid::now_v7()), ics).expect("save");
    }
}

fn rfc(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .expect("time")
}

/// Offers a course through the API and returns (opportunity id, first session id).
async fn offer(lead: &Api, org: &Org, body: Value) -> (String, String) {
    let (status, created) = call(
        lead.post(&format!("/api/v1/orgs/{}/opportunities", org.id))
            .json(&body),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    (
        created["id"].as_str().expect("id").to_owned(),
        created["sessions"][0]["id"]
            .as_str()
            .expect("session")
            .to_owned(),
    )
}

fn course(starts: OffsetDateTime, capacity: i64, extra: Value) -> Value {
    let mut body = json!({
        "title": "Court skills", "provider": "Highland Council", "kind": "course", "mode": "in-person",
        "topics": ["court-skills"], "elements": ["knowledge-for-role", "values-and-ethics"], "hours": 6,
        "cost_per_place": "120.50", "visibility": "own",
        "sessions": [{"starts_at": rfc(starts), "ends_at": rfc(starts + Duration::hours(6)),
                      "venue": "Council offices", "town": "kirkwall", "capacity": capacity}]
    });
    for (key, value) in extra.as_object().expect("object") {
        body[key] = value.clone();
    }
    body
}

async fn search(api: &Api, query: &str) -> Value {
    api.get_json(&format!("/api/v1/opportunities?{query}"))
        .await
}

fn soon() -> OffsetDateTime {
    OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("time")
}

on_both!(
    search_filters_by_element_cost_dates_distance_and_online,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Orkney").await;
        person(&test_db.db, &a, "lead@a.example", &["ld-lead"]).await;
        let lead = app.api("lead@a.example").await;
        let start = soon() + Duration::days(20);
        let mut inverness = course(
            start,
            10,
            json!({"title": "In Inverness", "cost_per_place": "40"}),
        );
        inverness["sessions"][0]["town"] = json!("inverness");
        offer(&lead, &a, inverness).await;
        offer(
            &lead,
            &a,
            course(
                start + Duration::days(30),
                10,
                json!({"title": "In Kirkwall", "elements": ["values-and-ethics"]}),
            ),
        )
        .await;
        let mut online = course(
            start,
            10,
            json!({"title": "Online", "mode": "online", "cost_per_place": "0"}),
        );
        online["sessions"][0]["town"] = json!("");
        offer(&lead, &a, online).await;
        let titles = |found: &Value| -> Vec<String> {
            found["opportunities"]
                .as_array()
                .expect("list")
                .iter()
                .map(|o| o["title"].as_str().expect("title").to_owned())
                .collect()
        };

        // The team is in Kirkwall: Inverness is across the sea however short the miles.
        assert_eq!(
            titles(&search(&lead, "within=150").await),
            ["In Kirkwall", "Online"]
        );
        assert_eq!(
            titles(&search(&lead, "max_cost=50").await),
            ["In Inverness", "Online"]
        );
        assert_eq!(titles(&search(&lead, "online=1").await), ["Online"]);
        assert_eq!(
            titles(&search(&lead, "element=knowledge-for-role").await),
            ["In Inverness", "Online"]
        );
        let day = |t: OffsetDateTime| t.date().to_string();
        let window = format!(
            "from={}&to={}",
            day(start + Duration::days(25)),
            day(start + Duration::days(40))
        );
        assert_eq!(titles(&search(&lead, &window).await), ["In Kirkwall"]);
        // Bad filters are named.
        let (status, problem) = call(lead.get("/api/v1/opportunities?within=0&max_cost=-3&from=someday&to=2020-01-01&mode=carrier-pigeon")).await;
        assert_eq!(status, 422);
        let named = fields(&problem);
        for field in ["within", "max_cost", "from", "mode"] {
            assert!(named.contains(&field.to_owned()), "{field} in {named:?}");
        }
        // Someone whose team's town is not known is told why distance cannot work.
        let b = org(&test_db.db, "Elsewhere").await;
        let team = people::insert_team(&test_db.db, b.id, "No town", "adults", "rural", None)
            .await
            .expect("team");
        let elsewhere = Org {
            id: b.id,
            team: team.id,
        };
        person(
            &test_db.db,
            &elsewhere,
            "nowhere@b.example",
            &["practitioner"],
        )
        .await;
        let nowhere = app.api("nowhere@b.example").await;
        let (status, problem) = call(nowhere.get("/api/v1/opportunities?within=20")).await;
        assert_eq!((status, fields(&problem)), (422, vec!["within".to_owned()]));
        // Their administrator records where the team is based (a made-up town is refused);
        // then distance works.
        person(&test_db.db, &elsewhere, "admin@b.example", &["org-admin"]).await;
        let admin = crate::auth::browser();
        crate::auth::sign_in(&app, &admin, "admin@b.example").await;
        let teams = admin
            .get(app.url(&format!("/orgs/{}/teams", b.id)))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        let csrf = crate::auth::csrf_of(&teams);
        let town = app.url(&format!("/orgs/{}/teams/{}/town", b.id, team.id));
        let refused = admin
            .post(&town)
            .form(&[("csrf", csrf.as_str()), ("town", "atlantis")])
            .send()
            .await
            .expect("post");
        assert_eq!(refused.status(), 422);
        let saved = admin
            .post(&town)
            .form(&[("csrf", csrf.as_str()), ("town", "kirkwall")])
            .send()
            .await
            .expect("post");
        assert_eq!(saved.status(), 303);
        assert_eq!(
            call(nowhere.get("/api/v1/opportunities?within=20")).await.0,
            200
        );
        let elsewhere_team = app.url(&format!("/orgs/{}/teams/{}/town", b.id, a.team));
        let not_theirs = admin
            .post(&elsewhere_team)
            .form(&[("csrf", csrf.as_str()), ("town", "kirkwall")])
            .send()
            .await
            .expect("post");
        assert_eq!(not_theirs.status(), 404, "another organisation's team");
    }
);

on_both!(
    approval_nomination_cancellation_and_invitations,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        let b = org(&test_db.db, "Organisation B").await;
        let lead_id = person(&test_db.db, &a, "lead@a.example", &["ld-lead"]).await;
        let sup_id = person(&test_db.db, &a, "sup@a.example", &["supervisor"]).await;
        let ann_id = person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
        person(&test_db.db, &a, "bob@a.example", &["practitioner"]).await;
        person(&test_db.db, &a, "cal@a.example", &["practitioner"]).await;
        person(&test_db.db, &b, "other@b.example", &["ld-lead"]).await;
        people::add_supervision(&test_db.db, sup_id, ann_id, a.id)
            .await
            .expect("supervision");
        let lead = app.api("lead@a.example").await;
        let sup = app.api("sup@a.example").await;
        let ann = app.api("ann@a.example").await;
        let bob = app.api("bob@a.example").await;
        let cal = app.api("cal@a.example").await;
        let other = app.api("other@b.example").await;
        // Five days away, with a week's notice to cancel free of charge.
        let starts = soon() + Duration::days(5);
        let (_, session) = offer(
            &lead,
            &a,
            course(
                starts,
                1,
                json!({"approval_stages": 2, "cancel_notice_days": 7}),
            ),
        )
        .await;
        let book = format!("/api/v1/sessions/{session}/bookings");

        // Asking holds no place: the line manager is asked first.
        let (status, asked) = call(ann.post(&book)).await;
        assert_eq!(status, 201, "{asked}");
        assert_eq!(
            (asked["status"].as_str(), asked["awaiting_stage"].as_i64()),
            (Some("pending"), Some(1))
        );
        let ann_booking = asked["id"].as_str().expect("id").to_owned();
        let told = sup.get_json("/api/v1/me/notifications").await;
        assert!(
            told.to_string().contains("your approval as line manager"),
            "{told}"
        );
        let waiting = sup.get_json("/api/v1/me/approvals").await;
        assert_eq!(waiting["approvals"].as_array().expect("list").len(), 1);
        assert_eq!(call(ann.post(&book)).await.0, 409, "asking twice");

        let decision = format!("/api/v1/bookings/{ann_booking}/decision");
        // Nobody approves their own request; L&D waits for the line manager; another employer
        // sees nothing; a refusal needs a reason.
        assert_eq!(
            call(ann.post(&decision).json(&json!({"approved": true})))
                .await
                .0,
            404
        );
        assert_eq!(
            call(lead.post(&decision).json(&json!({"approved": true})))
                .await
                .0,
            403
        );
        assert_eq!(
            call(other.post(&decision).json(&json!({"approved": true})))
                .await
                .0,
            404
        );
        let (status, problem) = call(sup.post(&decision).json(&json!({"approved": false}))).await;
        assert_eq!(
            (status, fields(&problem)),
            (422, vec!["comment".to_owned()])
        );
        let (_, after_one) = call(
            sup.post(&decision)
                .json(&json!({"approved": true, "comment": "Good timing"})),
        )
        .await;
        assert_eq!(
            (
                after_one["status"].as_str(),
                after_one["awaiting_stage"].as_i64()
            ),
            (Some("pending"), Some(2))
        );
        assert!(
            lead.get_json("/api/v1/me/notifications")
                .await
                .to_string()
                .contains("approved by their line manager")
        );
        assert_eq!(
            call(sup.post(&decision).json(&json!({"approved": true})))
                .await
                .0,
            403,
            "stage 2 is not theirs"
        );
        let (_, approved) = call(lead.post(&decision).json(&json!({"approved": true}))).await;
        assert_eq!(approved["status"], "booked", "{approved}");
        assert!(
            ann.get_json("/api/v1/me/notifications")
                .await
                .to_string()
                .contains("was approved: you have a place")
        );

        // Bob has no supervisor: L&D stands in as line manager, then decides stage 2; the one
        // place is taken, so he waits.
        let (_, bob_asked) = call(bob.post(&book)).await;
        let bob_decision = format!(
            "/api/v1/bookings/{}/decision",
            bob_asked["id"].as_str().expect("id")
        );
        call(lead.post(&bob_decision).json(&json!({"approved": true}))).await;
        let (_, bob_now) = call(lead.post(&bob_decision).json(&json!({"approved": true}))).await;
        assert_eq!(
            (bob_now["status"].as_str(), bob_now["position"].as_i64()),
            (Some("waiting"), Some(1))
        );

        // Nominations: only for people one supervises or whose learning one manages; the
        // nominator's approvals count.
        let nominate = format!("/api/v1/sessions/{session}/nominations");
        let (status, problem) =
            call(sup.post(&nominate).json(&json!({"email": "cal@a.example"}))).await;
        assert_eq!((status, fields(&problem)), (422, vec!["email".to_owned()]));
        let (status, problem) = call(
            other
                .post(&nominate)
                .json(&json!({"email": "cal@a.example"})),
        )
        .await;
        assert_eq!(status, 404, "another employer's course: {problem}");
        let (status, nominated) = call(
            lead.post(&nominate)
                .json(&json!({"email": "cal@a.example"})),
        )
        .await;
        assert_eq!(
            (status, nominated["status"].as_str()),
            (201, Some("waiting")),
            "{nominated}"
        );
        assert_eq!(
            nominated["nominated_by"].as_str(),
            Some(lead_id.to_string().as_str())
        );
        assert!(
            cal.get_json("/api/v1/me/notifications")
                .await
                .to_string()
                .contains("put you forward for Court skills")
        );

        // The invitation for Ann's place, then its cancellation.
        let invitation = format!("/bookings/{ann_booking}/invitation.ics");
        let response = ann.get(&invitation).send().await.expect("get");
        assert_eq!(
            response.headers()["content-type"],
            "text/calendar; charset=utf-8; method=REQUEST"
        );
        let ics = response.text().await.expect("text");
        assert!(
            ics.contains("METHOD:REQUEST\r\n") && ics.contains("SUMMARY:Court skills\r\n"),
            "{ics}"
        );
        assert!(
            // Long lines are folded (CRLF and a space) and read back joined.
            ics.replace("\r\n ", "").contains("mailto:lead@a.example")
                && ics.replace("\r\n ", "").contains("mailto:ann@a.example"),
            "{ics}"
        );
        assert!(
            ics.contains("LOCATION:Council offices\\, Kirkwall (Orkney)"),
            "{ics}"
        );
        save_ics("invitation-request", &ics);
        assert_eq!(call(bob.get(&invitation)).await.0, 404, "not Bob's");

        // Ann cancels inside the notice: allowed, recorded as late (the fee stands), and the
        // place goes to Bob, who asked first.
        assert_eq!(
            call(ann.delete(&format!("/api/v1/me/bookings/{ann_booking}")))
                .await
                .0,
            204
        );
        let mine = ann.get_json("/api/v1/me/bookings").await;
        assert_eq!(
            (
                mine["bookings"][0]["status"].as_str(),
                mine["bookings"][0]["late_cancellation"].as_bool()
            ),
            (Some("cancelled"), Some(true))
        );
        assert_eq!(
            bob.get_json("/api/v1/me/bookings").await["bookings"][0]["status"],
            "booked"
        );
        let ics = ann
            .get(&invitation)
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("text");
        assert!(
            ics.contains("METHOD:CANCEL\r\n") && ics.contains("SEQUENCE:1\r\n"),
            "{ics}"
        );
        save_ics("invitation-cancel", &ics);

        // Once the session has started nothing can be cancelled: the organiser records absence.
        let later =
            TestApp::spawn_with_clock(test_db, Clock::Fixed(starts + Duration::hours(1))).await;
        let bob_later = later.api("bob@a.example").await;
        let bob_booking = bob_now["id"].as_str().expect("id");
        assert_eq!(
            call(bob_later.delete(&format!("/api/v1/me/bookings/{bob_booking}")))
                .await
                .0,
            409
        );
    }
);

on_both!(costs_budgets_allowance_and_the_spend_report, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let a = org(&test_db.db, "Organisation A").await;
    let b = org(&test_db.db, "Organisation B").await;
    let urban = people::insert_team(
        &test_db.db,
        a.id,
        "Children",
        "children-and-families",
        "urban",
        Some("glasgow"),
    )
    .await
    .expect("team");
    let a_urban = Org {
        id: a.id,
        team: urban.id,
    };
    person(&test_db.db, &a, "lead@a.example", &["ld-lead"]).await;
    person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
    person(&test_db.db, &a_urban, "dan@a.example", &["practitioner"]).await;
    person(&test_db.db, &b, "other@b.example", &["ld-lead"]).await;
    let lead = app.api("lead@a.example").await;
    let ann = app.api("ann@a.example").await;
    let dan = app.api("dan@a.example").await;
    let other = app.api("other@b.example").await;
    let starts = soon() + Duration::days(10);
    let year = starts.year();
    let (_, session) = offer(&lead, &a, course(starts, 5, json!({}))).await;
    let book = format!("/api/v1/sessions/{session}/bookings");
    let ann_booking = call(ann.post(&book)).await.1["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let dan_booking = call(dan.post(&book)).await.1["id"]
        .as_str()
        .expect("id")
        .to_owned();

    // Ann records her travel; what she may not change (the fee) stays as it was.
    let costs = format!("/api/v1/bookings/{ann_booking}/costs");
    let (status, saved) = call(
        ann.put(&costs)
            .json(&json!({"travel": "86.40", "fee": "0"})),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(
        (saved["travel"].as_str(), saved["fee"].as_str()),
        (Some("86.40"), Some("120.50"))
    );
    let (status, problem) = call(
        ann.put(&costs)
            .json(&json!({"travel": "-1", "accommodation": "lots"})),
    )
    .await;
    assert_eq!(
        (status, fields(&problem)),
        (422, vec!["travel".to_owned(), "accommodation".to_owned()])
    );
    assert_eq!(call(dan.get(&costs)).await.0, 404, "not Dan's");
    // L&D adds the backfill: 7.5 hours at £21.33 = £159.98; Dan's fee is waived.
    let (_, saved) = call(
        lead.put(&costs)
            .json(&json!({"travel": "86.40", "backfill_hours": "7.5", "backfill_rate": "21.33"})),
    )
    .await;
    assert_eq!(
        (saved["backfill"].as_str(), saved["total"].as_str()),
        (Some("159.98"), Some("366.88"))
    );
    call(
        lead.put(&format!("/api/v1/bookings/{dan_booking}/costs"))
            .json(&json!({"fee": "0"})),
    )
    .await;

    // Budgets and the allowance: unknown services and bad amounts are named.
    let budgets = format!("/api/v1/orgs/{}/budgets/{year}", a.id);
    let (status, problem) = call(
        lead.put(&budgets)
            .json(&json!({"budgets": {"adults": "x", "spaceships": "5"}})),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(fields(&problem), ["budgets.adults", "budgets.spaceships"]);
    let (status, _) = call(
        lead.put(&budgets)
            .json(&json!({"budgets": {"adults": "200", "children-and-families": "100"}})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = call(
        lead.put(&format!("/api/v1/orgs/{}/allowance", a.id))
            .json(&json!({"allowance": "500"})),
    )
    .await;
    assert_eq!(status, 200);

    let spend = format!("/api/v1/orgs/{}/spend?year={year}", a.id);
    let report = lead.get_json(&spend).await;
    let adults = report["services"]
        .as_array()
        .expect("services")
        .iter()
        .find(|s| s["service"] == "adults")
        .expect("adults")
        .clone();
    assert_eq!(
        (
            adults["spent"].as_str(),
            adults["remaining"].as_str(),
            adults["overspent"].as_bool()
        ),
        (Some("366.88"), Some("-166.88"), Some(true))
    );
    let island = report["localities"]
        .as_array()
        .expect("localities")
        .iter()
        .find(|l| l["locality"] == "island")
        .expect("island")
        .clone();
    assert_eq!(
        (
            island["spent"].as_str(),
            island["people"].as_i64(),
            island["travel"].as_str()
        ),
        (Some("366.88"), Some(1), Some("86.40"))
    );
    assert_eq!(
        (
            report["total"]["people"].as_i64(),
            report["total"]["per_head"].as_str()
        ),
        (Some(2), Some("183.44"))
    );
    assert_eq!(
        report["total"]["per_learning_hour"],
        Value::Null,
        "nobody has attended yet"
    );
    assert_eq!(report["allowance"], "500.00");
    // Only the employer's L&D lead or administrator sees it.
    assert_eq!(call(other.get(&spend)).await.0, 404);
    assert_eq!(call(ann.get(&spend)).await.0, 403);
    // A year out of range is named.
    assert_eq!(
        call(lead.get(&format!("/api/v1/orgs/{}/spend?year=1066", a.id)))
            .await
            .0,
        422
    );

    // Ann sees her allowance on her booking; the report downloads as CSV.
    let page = ann
        .get(&format!("/bookings/{ann_booking}"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(
        page.contains("£500.00, used £120.50, £379.50 left"),
        "{page}"
    );
    let csv = lead
        .get(&format!("/orgs/{}/spend.csv?year={year}", a.id))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("csv");
    assert!(csv.starts_with("section,name,budget,spent"), "{csv}");
    assert!(
        csv.contains("service,Adults,200.00,366.88,-166.88"),
        "{csv}"
    );

    // A cancellation in good time costs nothing; Dan's (free) place no longer counts.
    assert_eq!(
        call(dan.delete(&format!("/api/v1/me/bookings/{dan_booking}")))
            .await
            .0,
        204
    );
    let report = lead.get_json(&spend).await;
    assert_eq!(report["total"]["people"].as_i64(), Some(1));
});

on_both!(evaluation_at_four_levels, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let a = org(&test_db.db, "Organisation A").await;
    let b = org(&test_db.db, "Organisation B").await;
    person(&test_db.db, &a, "lead@a.example", &["ld-lead"]).await;
    let sup_id = person(&test_db.db, &a, "sup@a.example", &["supervisor"]).await;
    let ann_id = person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
    person(&test_db.db, &b, "other@b.example", &["ld-lead"]).await;
    people::add_supervision(&test_db.db, sup_id, ann_id, a.id)
        .await
        .expect("supervision");
    let lead = app.api("lead@a.example").await;
    let ann = app.api("ann@a.example").await;
    let starts = soon() + Duration::days(3);
    let (opportunity, session) =
        offer(&lead, &a, course(starts, 5, json!({"follow_up_days": 30}))).await;
    let booking = call(ann.post(&format!("/api/v1/sessions/{session}/bookings")))
        .await
        .1["id"]
        .as_str()
        .expect("id")
        .to_owned();

    // Level 2, before: every element rated, nothing else.
    let before = format!("/api/v1/bookings/{booking}/confidence-before");
    let (status, problem) = call(
        ann.put(&before)
            .json(&json!({"confidence": {"knowledge-for-role": 2, "juggling": 3}})),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        fields(&problem),
        ["confidence.values-and-ethics", "confidence.juggling"]
    );
    let (status, _) = call(
        ann.put(&before)
            .json(&json!({"confidence": {"knowledge-for-role": 2, "values-and-ethics": 3}})),
    )
    .await;
    assert_eq!(status, 204);
    let evaluation = format!("/api/v1/bookings/{booking}/evaluation");
    let answers = json!({"overall": 5, "relevance": 4, "comment": "Useful role-play",
                         "confidence": {"knowledge-for-role": 4, "values-and-ethics": 4}});
    assert_eq!(
        call(ann.put(&evaluation).json(&answers)).await.0,
        422,
        "not before attending"
    );

    // She attends; the evaluation opens and the supervisor's question is planned.
    let later = TestApp::spawn_with_clock(test_db, Clock::Fixed(starts + Duration::hours(7))).await;
    let lead_later = later.api("lead@a.example").await;
    let (status, _) = call(
        lead_later
            .post(&format!("/api/v1/sessions/{session}/attendance"))
            .json(&json!({"booking_id": booking, "attended": true})),
    )
    .await;
    assert_eq!(status, 200);
    let ann_later = later.api("ann@a.example").await;
    let (status, problem) = call(ann_later.put(&evaluation).json(&json!({"overall": 9}))).await;
    assert_eq!(status, 422);
    assert!(
        fields(&problem).contains(&"overall".to_owned())
            && fields(&problem).contains(&"relevance".to_owned())
    );
    assert_eq!(call(ann_later.put(&evaluation).json(&answers)).await.0, 204);

    // Level 3: not yet due; then due, sent once, answered once, only by the supervisor.
    let sup_later = later.api("sup@a.example").await;
    assert_eq!(
        sup_later.get_json("/api/v1/me/follow-ups").await["follow_ups"],
        json!([])
    );
    let due = starts + Duration::days(31);
    let sent = cairn::evaluation::store::send_due_follow_ups(&test_db.db, due.date(), due)
        .await
        .expect("send");
    assert_eq!(sent, 1);
    let again = cairn::evaluation::store::send_due_follow_ups(&test_db.db, due.date(), due)
        .await
        .expect("send");
    assert_eq!(again, 0, "told once");
    let month_on = TestApp::spawn_with_clock(test_db, Clock::Fixed(due)).await;
    let sup = month_on.api("sup@a.example").await;
    assert!(
        sup.get_json("/api/v1/me/notifications")
            .await
            .to_string()
            .contains("What has changed in Person ann@a.example's practice")
    );
    let due_list = sup.get_json("/api/v1/me/follow-ups").await;
    assert_eq!(due_list["follow_ups"].as_array().expect("list").len(), 1);
    let answer = format!("/api/v1/follow-ups/{booking}");
    let ann_month_on = month_on.api("ann@a.example").await;
    assert_eq!(
        call(ann_month_on.post(&answer).json(&json!({"answer": "Me"})))
            .await
            .0,
        404,
        "not hers to answer"
    );
    assert_eq!(
        call(sup.post(&answer).json(&json!({"answer": "  "})))
            .await
            .0,
        422
    );
    assert_eq!(
        call(
            sup.post(&answer)
                .json(&json!({"answer": "She now prepares court reports with the family"}))
        )
        .await
        .0,
        204
    );
    assert_eq!(
        call(sup.post(&answer).json(&json!({"answer": "Again"})))
            .await
            .0,
        409
    );

    // Level 4: the organisation's indicator and its measurements.
    let lead_month_on = month_on.api("lead@a.example").await;
    let (status, indicator) = call(lead_month_on.post(&format!("/api/v1/opportunities/{opportunity}/indicators")).json(&json!({"name": "Court reports on time", "unit": "%", "baseline": 60, "target": 85}))).await;
    assert_eq!(status, 201);
    let measures = format!(
        "/api/v1/indicators/{}/measures",
        indicator["id"].as_str().expect("id")
    );
    let tomorrow = (due + Duration::days(1)).date().to_string();
    let (status, problem) = call(
        lead_month_on
            .post(&measures)
            .json(&json!({"measured_on": tomorrow, "value": 70})),
    )
    .await;
    assert_eq!(
        (status, fields(&problem)),
        (422, vec!["measured_on".to_owned()])
    );
    let today = due.date().to_string();
    assert_eq!(
        call(
            lead_month_on
                .post(&measures)
                .json(&json!({"measured_on": today, "value": 72.5, "note": "Q1"}))
        )
        .await
        .0,
        201
    );

    // The results, at every level, without names; only for the organiser.
    let results = lead_month_on
        .get_json(&format!("/api/v1/opportunities/{opportunity}/evaluation"))
        .await;
    assert_eq!(
        (
            results["reactions"].as_i64(),
            results["mean_overall"].as_str()
        ),
        (Some(1), Some("5.0"))
    );
    assert_eq!(results["comments"], json!(["Useful role-play"]));
    let knowledge = results["confidence"]
        .as_array()
        .expect("list")
        .iter()
        .find(|c| c["element"] == "knowledge-for-role")
        .expect("element")
        .clone();
    assert_eq!(
        (
            knowledge["before"].as_str(),
            knowledge["after"].as_str(),
            knowledge["change"].as_str()
        ),
        (Some("2.0"), Some("4.0"), Some("+2.0"))
    );
    assert_eq!(
        results["follow_up_answers"],
        json!(["She now prepares court reports with the family"])
    );
    assert_eq!(results["indicators"][0]["change"].as_f64(), Some(12.5));
    assert!(
        !results.to_string().contains("ann@a.example"),
        "no names: {results}"
    );
    let other = month_on.api("other@b.example").await;
    assert_eq!(
        call(other.get(&format!("/api/v1/opportunities/{opportunity}/evaluation")))
            .await
            .0,
        404
    );
    let csv = lead_month_on
        .get(&format!("/learning/{opportunity}/evaluation.csv"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("csv");
    assert!(
        csv.contains("1,overall,5") && csv.contains("3,what has changed in practice"),
        "{csv}"
    );

    let by_provider = lead_month_on
        .get(&format!("/orgs/{}/evaluation.csv", a.id))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("csv");
    assert!(
        by_provider.contains("Highland Council,Court skills,1,1,5.00,+1.50,1,1"),
        "{by_provider}"
    );
    let _ = Uuid::nil();
});
