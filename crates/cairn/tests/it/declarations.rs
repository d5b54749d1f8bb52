//! Declaring a period complete and having it verified, as the SSSC's 2024 rule asks.

use crate::on_both;
use crate::support::{PASSWORD, TestApp, org, person};
use cairn::people::{NewEmployment, NewPerson, NewRegistration, store as people};
use cairn_core::{Email, Hours};
use serde_json::{Value, json};

on_both!(
    a_declaration_is_verified_by_the_chosen_supervisor,
    |test_db| {
        let app = TestApp::spawn(test_db).await;
        let a = org(&test_db.db, "Organisation A").await;
        let today = time::OffsetDateTime::now_utc().date();
        // A care worker registered with the SSSC under the 2024 rule, four months ago.
        let worker = NewPerson {
            email: Email::parse("cara@a.example").expect("email"),
            name: "Cara".into(),
            password_hash: Some(cairn::auth::password::hash_blocking(PASSWORD).expect("hash")),
            birth_year: None,
            employment: Some(NewEmployment {
                org_id: a.id,
                team_id: Some(a.team),
                job_role: "Support worker".into(),
                start_date: today - time::Duration::days(200),
                end_date: None,
                hours_per_week: Hours::from_whole(30),
            }),
            registrations: vec![NewRegistration {
                register: "SSSC".into(),
                part: "social-care".into(),
                start_date: today - time::Duration::days(120),
                first: true,
            }],
            roles: vec![(a.id, "practitioner".into())],
        };
        let cara = people::insert_person(&test_db.db, &worker, time::OffsetDateTime::now_utc())
            .await
            .expect("person");
        let sue = person(&test_db.db, &a, "sue@a.example", &["supervisor"]).await;
        let pat = person(&test_db.db, &a, "pat@a.example", &["practitioner"]).await;
        people::add_supervision(&test_db.db, sue, cara, a.id)
            .await
            .expect("link");

        let cara_api = app.api("cara@a.example").await;
        let declare = |verifier: Option<uuid::Uuid>| {
            cara_api
                .post("/api/v1/me/declarations")
                .json(&json!({"policy": "sssc-cpl-2024-social-care", "verifier_id": verifier}))
        };
        for (verifier, why) in [
            (None, "no verifier"),
            (Some(cara), "herself"),
            (Some(pat), "not a supervisor"),
        ] {
            let response = declare(verifier).send().await.expect("post");
            assert_eq!(response.status(), 422, "{why}");
            let problem: Value = response.json().await.expect("json");
            assert_eq!(problem["errors"][0]["field"], "verifier_id", "{why}");
        }
        let response = cara_api
            .post("/api/v1/me/declarations")
            .json(&json!({"policy": "swe-cpd"}))
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 422, "a policy that does not apply");

        // Not while the year's other requirements are still to do: the answer says what is left.
        let response = declare(Some(sue)).send().await.expect("post");
        assert_eq!(response.status(), 422, "nothing learnt yet");
        let problem: Value = response.json().await.expect("json");
        assert_eq!(problem["errors"][0]["field"], "period_start");
        let message = problem["errors"][0]["message"].as_str().expect("message");
        assert!(
            message.contains("core-elements: 7 more") && message.contains("trauma-informed"),
            "{message}"
        );
        // The year's learning: every core element, trauma-informed practice and protection.
        let learnt_on = (today - time::Duration::days(5)).to_string();
        cara_api
            .create_entry(json!({
                "date": learnt_on, "title": "Induction standards", "kind": "course", "hours": 12,
                "topics": ["trauma-informed-practice", "adult-support-and-protection"],
                "elements": ["rights-and-ethics", "communication-and-relationships",
                    "wellbeing-and-support", "protection", "knowledge-for-role",
                    "reflective-practice", "leadership-and-quality"]
            }))
            .await;

        let response = declare(Some(sue)).send().await.expect("post");
        assert_eq!(response.status(), 201);
        let declaration: Value = response.json().await.expect("json");
        assert_eq!(declaration["status"], "awaiting-verification");
        let id = declaration["id"].as_str().expect("id").to_owned();

        let declaration_rule = |standing: &Value| {
            let policy = standing["results"]
                .as_array()
                .expect("results")
                .iter()
                .find(|r| r["policy"] == "sssc-cpl-2024-social-care")
                .cloned()
                .expect("applies");
            policy["current"]["rules"]
                .as_array()
                .expect("rules")
                .iter()
                .find(|r| r["id"] == "declaration")
                .cloned()
                .expect("rule")
        };
        let standing: Value = cara_api.get_json("/api/v1/me/standing").await;
        assert_eq!(
            declaration_rule(&standing)["met"],
            false,
            "not until verified"
        );

        let sue_api = app.api("sue@a.example").await;
        let waiting: Value = sue_api.get_json("/api/v1/me/verifications").await;
        assert_eq!(waiting["waiting"][0]["person_name"], "Cara");
        let pat_api = app.api("pat@a.example").await;
        assert_eq!(
            pat_api
                .post(&format!("/api/v1/declarations/{id}/verify"))
                .send()
                .await
                .expect("post")
                .status(),
            404,
            "only the chosen verifier"
        );

        assert_eq!(
            sue_api
                .post(&format!("/api/v1/declarations/{id}/return"))
                .send()
                .await
                .expect("post")
                .status(),
            422,
            "a return says why"
        );
        let returned: Value = sue_api
            .post(&format!("/api/v1/declarations/{id}/return"))
            .json(&json!({"comment": "Add your trauma-informed practice learning first"}))
            .send()
            .await
            .expect("post")
            .json()
            .await
            .expect("json");
        assert_eq!(returned["status"], "returned");
        assert_eq!(
            sue_api
                .post(&format!("/api/v1/declarations/{id}/verify"))
                .send()
                .await
                .expect("post")
                .status(),
            409
        );

        assert_eq!(
            declare(Some(sue)).send().await.expect("again").status(),
            201
        );
        let verified: Value = sue_api
            .post(&format!("/api/v1/declarations/{id}/verify"))
            .send()
            .await
            .expect("post")
            .json()
            .await
            .expect("json");
        assert_eq!(verified["status"], "verified");

        let standing: Value = cara_api.get_json("/api/v1/me/standing").await;
        assert_eq!(declaration_rule(&standing)["met"], true);
        let record: Value = cara_api.get_json("/api/v1/me/record").await;
        assert_eq!(record["declarations"][0]["verified_by"], "supervisor");
    }
);
