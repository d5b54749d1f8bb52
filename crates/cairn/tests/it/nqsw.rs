//! The supported year of a newly qualified social worker, through the pages a lead and a
//! supervisor use and the API, on both databases: requirements met by entries, milestone
//! reviews by the supervisor only, the refusals, who can see the year, and its export.

use crate::auth::{browser, csrf_of, sign_in};
use crate::on_both;
use crate::support::{TestApp, call, entry_body, org, person};
use cairn::people::store as people;
use serde_json::json;

on_both!(
    a_supported_year_is_set_up_followed_and_reviewed,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        let b = org(&test_db.db, "Organisation B").await;
        person(&test_db.db, &a, "lead@a.example", &["ld-lead"]).await;
        let sup_id = person(&test_db.db, &a, "sup@a.example", &["supervisor"]).await;
        let nq_id = person(&test_db.db, &a, "new@a.example", &["practitioner"]).await;
        person(&test_db.db, &a, "colleague@a.example", &["practitioner"]).await;
        person(&test_db.db, &a, "mentor@a.example", &["practitioner"]).await;
        person(&test_db.db, &b, "other@b.example", &["ld-lead"]).await;
        people::add_supervision(&test_db.db, sup_id, nq_id, a.id)
            .await
            .expect("supervision");
        let today = time::OffsetDateTime::now_utc().date();
        let started = (today - time::Duration::days(100)).to_string();

        // The lead sets an activity and enrols the NQSW; mistakes are named.
        let lead = browser();
        sign_in(&app, &lead, "lead@a.example").await;
        let programme = app.url(&format!("/orgs/{}/nqsw", a.id));
        let page = lead
            .get(&programme)
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        let csrf = csrf_of(&page);
        let bad = lead
            .post(app.url(&format!("/orgs/{}/nqsw/requirements", a.id)))
            .form(&[
                ("csrf", csrf.as_str()),
                ("title", ""),
                ("kind", "juggling"),
                ("due_after_months", "13"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(bad.status(), 422);
        let text = bad.text().await.expect("html");
        assert!(
            text.contains("must be a whole number of months, 1 to 12"),
            "{text}"
        );
        for (title, kind, topic, months) in [
            (
                "Child protection refresher",
                "course",
                "child-protection",
                "3",
            ),
            (
                "Reflective account on a first case",
                "reflective-account",
                "",
                "6",
            ),
        ] {
            let response = lead
                .post(app.url(&format!("/orgs/{}/nqsw/requirements", a.id)))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("title", title),
                    ("kind", kind),
                    ("topic", topic),
                    ("due_after_months", months),
                ])
                .send()
                .await
                .expect("post");
            assert_eq!(response.status(), 303);
        }
        let refused = lead
            .post(app.url(&format!("/orgs/{}/nqsw/enrolments", a.id)))
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", "other@b.example"),
                ("started_on", started.as_str()),
                ("protected_hours", "lots"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(
            refused.status(),
            422,
            "someone of another organisation, and no hours"
        );
        let enrolled = lead
            .post(app.url(&format!("/orgs/{}/nqsw/enrolments", a.id)))
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", "new@a.example"),
                ("started_on", started.as_str()),
                ("mentor_email", "mentor@a.example"),
                ("protected_hours", "3.7"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(enrolled.status(), 303);

        // The NQSW records a child protection course: that activity is met; the other is due.
        let nq = app.api("new@a.example").await;
        let mut course = entry_body("Child protection: the new guidance");
        course["date"] = json!(today.to_string());
        nq.create_entry(course).await;
        let year = nq.get_json("/api/v1/me/nqsw").await;
        assert_eq!(year["mentor"], "Person mentor@a.example");
        assert_eq!(year["requirements"][0]["status"], "met", "{year}");
        assert_eq!(year["requirements"][1]["status"], "due", "{year}");
        assert_eq!(year["milestones"][0]["month"], 3);
        assert_eq!(year["protected_hours_per_week"], json!(3.7));

        // Who sees the year: the NQSW, their supervisor, the lead; not a colleague or another
        // organisation.
        let path = format!("/api/v1/people/{nq_id}/nqsw");
        for (email, status) in [
            ("sup@a.example", 200),
            ("lead@a.example", 200),
            ("colleague@a.example", 404),
            ("other@b.example", 404),
        ] {
            let api = app.api(email).await;
            assert_eq!(call(api.get(&path)).await.0, status, "{email}");
        }

        // The 3-month review: by the supervisor only, never in the future.
        let sup = browser();
        sign_in(&app, &sup, "sup@a.example").await;
        let page = sup
            .get(app.url(&format!("/people/{nq_id}/nqsw")))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        let csrf = csrf_of(&page);
        let milestones = app.url(&format!("/people/{nq_id}/nqsw/milestones"));
        let tomorrow = (today + time::Duration::days(1)).to_string();
        let future = sup
            .post(&milestones)
            .form(&[
                ("csrf", csrf.as_str()),
                ("month", "3"),
                ("reviewed_on", tomorrow.as_str()),
                ("comments", "Going well"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(future.status(), 422);
        let today_text = today.to_string();
        let saved = sup
            .post(&milestones)
            .form(&[
                ("csrf", csrf.as_str()),
                ("month", "3"),
                ("reviewed_on", today_text.as_str()),
                ("comments", "Confident with the court report"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(saved.status(), 303);
        let page = lead
            .get(app.url(&format!("/people/{nq_id}/nqsw")))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        assert!(
            !page.contains("Record a milestone review"),
            "the lead does not review"
        );
        let lead_post = lead
            .post(&milestones)
            .form(&[
                ("csrf", csrf_of(&page).as_str()),
                ("month", "6"),
                ("reviewed_on", today_text.as_str()),
                ("comments", "x"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(lead_post.status(), 403);
        let year = nq.get_json("/api/v1/me/nqsw").await;
        assert_eq!(
            year["milestones"][0]["review"]["comments"],
            "Confident with the court report"
        );

        // The year's record exports.
        let csv = nq
            .get("/nqsw.csv")
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("csv");
        assert!(
            csv.contains("activity,Child protection refresher")
                && csv.contains("milestone,3 months"),
            "{csv}"
        );
    }
);
