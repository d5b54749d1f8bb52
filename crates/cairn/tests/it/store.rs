//! Store behaviour that has no route of its own: housekeeping, migrations, sessions.

use crate::on_both;
use crate::support::{TestApp, entry_body, org, person};
use cairn::Clock;
use serde_json::Value;
use time::{Duration, OffsetDateTime};

#[test]
fn both_migration_folders_hold_the_same_versions() {
    let versions = |backend: &str| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(backend);
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(versions("sqlite"), versions("postgres"));
}

on_both!(housekeeping_empties_the_bin_after_thirty_days, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let a = org(&test_db.db, "Organisation A").await;
    person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
    let api = app.api("ann@a.example").await;
    let id = api.create_entry(entry_body("Deleted long ago")).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let part = reqwest::multipart::Part::bytes(b"%PDF-1.4 x".to_vec()).file_name("c.pdf");
    api.post(&format!("/api/v1/me/entries/{id}/evidence"))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    api.create_entry(entry_body("Kept")).await;
    assert_eq!(
        api.delete(&format!("/api/v1/me/entries/{id}"))
            .send()
            .await
            .expect("delete")
            .status(),
        200
    );

    // 29 days on, it is still restorable; 31 days on, it is gone with its file.
    let later = |days| {
        TestApp::spawn_with_clock(
            test_db,
            Clock::Fixed(OffsetDateTime::now_utc() + Duration::days(days)),
        )
    };
    let app29 = later(29).await;
    assert_eq!(
        cairn::ops::housekeeping(&app29.state)
            .await
            .expect("housekeeping"),
        0
    );
    let app31 = later(31).await;
    assert_eq!(
        cairn::ops::housekeeping(&app31.state)
            .await
            .expect("housekeeping"),
        1
    );
    let bin: Value = api.get_json("/api/v1/me/entries?deleted=true").await;
    assert_eq!(bin["total"], 0);
    let listed: Value = api.get_json("/api/v1/me/entries").await;
    assert_eq!(listed["total"], 1);
    let on_disk = std::fs::read_dir(app.state.evidence.dir())
        .map(|d| d.count())
        .unwrap_or(0);
    let files: usize = std::fs::read_dir(app.state.evidence.dir())
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| std::fs::read_dir(e.path()).map(|f| f.count()).unwrap_or(0))
                .sum()
        })
        .unwrap_or(0);
    assert!(on_disk <= 1 && files == 0, "the evidence file was removed");
});

on_both!(sessions_expire, |test_db| {
    let a = org(&test_db.db, "Organisation A").await;
    let ann = person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
    let now = OffsetDateTime::now_utc();
    let token = cairn::auth::store::create_session(
        &test_db.db,
        ann,
        cairn::auth::store::SessionKind::Browser,
        now,
    )
    .await
    .expect("session")
    .token;
    let hash = cairn::auth::hash_token(&token);
    let kind = cairn::auth::store::SessionKind::Browser;
    assert!(
        cairn::auth::store::find_session(&test_db.db, &hash, kind, now + Duration::days(13))
            .await
            .expect("find")
            .is_some()
    );
    assert!(
        cairn::auth::store::find_session(&test_db.db, &hash, kind, now + Duration::days(15))
            .await
            .expect("find")
            .is_none()
    );
    assert!(
        cairn::auth::store::find_session(
            &test_db.db,
            &hash,
            cairn::auth::store::SessionKind::Api,
            now
        )
        .await
        .expect("find")
        .is_none(),
        "a browser cookie is not a bearer token"
    );
    assert_eq!(
        cairn::auth::store::delete_expired_sessions(&test_db.db, now + Duration::days(15))
            .await
            .expect("delete"),
        1
    );
});
