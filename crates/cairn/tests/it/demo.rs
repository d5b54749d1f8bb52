//! The demo: created once, its accounts sign in; the register generator is deterministic.

use crate::on_both;
use crate::support::TestApp;
use cairn::demo::{RegisterSpec, generate, showcase};
use serde_json::{Value, json};
use time::OffsetDateTime;

on_both!(
    the_showcase_is_created_once_and_its_accounts_sign_in,
    |test_db| {
        let now = OffsetDateTime::now_utc();
        assert!(
            showcase::ensure_showcase(&test_db.db, now.date(), now)
                .await
                .expect("create")
        );
        assert!(
            !showcase::ensure_showcase(&test_db.db, now.date(), now)
                .await
                .expect("again"),
            "created once"
        );
        let app = TestApp::spawn(test_db).await;
        for account in showcase::demo_accounts() {
            let response = reqwest::Client::new()
                .post(app.url("/api/v1/auth/token"))
                .json(&json!({"email": account.email, "password": showcase::DEMO_PASSWORD}))
                .send()
                .await
                .expect("token");
            assert_eq!(response.status(), 201, "{}", account.email);
        }
        let token: Value = reqwest::Client::new()
            .post(app.url("/api/v1/auth/token"))
            .json(&json!({"email": "ailsa@demo.cairn.test", "password": showcase::DEMO_PASSWORD}))
            .send()
            .await
            .expect("token")
            .json()
            .await
            .expect("json");
        let entries: Value = reqwest::Client::new()
            .get(app.url("/api/v1/me/entries?has_reflection=true"))
            .bearer_auth(token["token"].as_str().expect("token"))
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("json");
        assert!(
            entries["total"].as_i64().expect("total") >= 5,
            "two to three years of learning with reflections"
        );
    }
);

on_both!(the_register_generator_is_deterministic, |test_db| {
    let now = OffsetDateTime::now_utc();
    let spec = RegisterSpec {
        people: 120,
        years: 2,
        seed: 42,
        largest_org: 0,
    };
    let first = generate(&test_db.db, spec, now.date(), now, |_| {})
        .await
        .expect("generate");
    assert_eq!(first.people, 120);
    assert!(first.entries > 120 * 2 * 5, "{} entries", first.entries);
    let other = crate::support::TestDb::new(crate::support::Backend::Sqlite).await;
    let second = generate(&other.db, spec, now.date(), now, |_| {})
        .await
        .expect("generate");
    assert_eq!(
        first.entries, second.entries,
        "the same seed gives the same register"
    );
    other.cleanup().await;
});

on_both!(
    experienced_staff_in_the_demo_completed_their_last_period,
    |test_db| {
        let now = OffsetDateTime::now_utc();
        showcase::ensure_showcase(&test_db.db, now.date(), now)
            .await
            .expect("demo");
        let orgs: Vec<uuid::Uuid> = cairn::people::store::list_orgs(&test_db.db)
            .await
            .expect("orgs")
            .into_iter()
            .map(|o| o.id)
            .collect();
        let regulators = cairn_core::policy::builtin::all();
        let (reports, _) = cairn::standing::register::compliance_of_all(
            &test_db.db,
            &orgs,
            now.date(),
            &regulators,
        )
        .await
        .expect("reports");
        let rows: Vec<_> = reports
            .iter()
            .flat_map(|r| &r.rows)
            .filter(|row| regulators.iter().any(|p| p.id == row.policy))
            .collect();
        for who in ["ailsa", "morag", "chidi", "grace", "priya"] {
            let email = format!("{who}@demo.cairn.test");
            for row in rows.iter().filter(|row| row.email == email) {
                assert_ne!(
                    row.status,
                    cairn_core::policy::eval::Status::Overdue,
                    "{email}: {} {:?}",
                    row.policy,
                    row.next
                );
            }
        }
        let overdue = rows
            .iter()
            .filter(|row| row.status == cairn_core::policy::eval::Status::Overdue)
            .count();
        assert!(
            overdue * 5 < rows.len(),
            "most registrants completed their last period: {overdue} of {} overdue",
            rows.len()
        );
    }
);
