//! Two instances of cairn on one PostgreSQL database behave as one service.

use crate::auth::sign_in;
use crate::support::{Backend, TestApp, TestDb, entry_body, org, person};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_sessions_and_data() {
    let test_db = TestDb::new(Backend::Postgres).await;
    let a = org(&test_db.db, "Organisation A").await;
    person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
    let first = TestApp::spawn(&test_db).await;
    // The second instance has its own pool, as a separate process would.
    let second_db = test_db.another_instance().await;
    let second = TestApp::spawn(&second_db).await;

    // A browser signs in on the first and carries on with the second (cookies are per host,
    // not per port, just as behind a load balancer).
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    sign_in(&first, &browser, "ann@a.example").await;
    let response = browser.get(second.url("/")).send().await.expect("home");
    assert_eq!(
        response.status(),
        200,
        "the session made on one instance is valid on the other"
    );
    assert!(
        response
            .text()
            .await
            .expect("html")
            .contains("My learning record")
    );

    // A change through one is seen through the other.
    let api_first = first.api("ann@a.example").await;
    let created = api_first
        .create_entry(entry_body("Made on the first instance"))
        .await;
    let api_second = second.api("ann@a.example").await;
    let listed: Value = api_second.get_json("/api/v1/me/entries").await;
    assert_eq!(listed["entries"][0]["id"], created["id"]);

    second_db.cleanup().await;
    test_db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_lock_holds_across_instances() {
    let test_db = TestDb::new(Backend::Postgres).await;
    let a = org(&test_db.db, "Organisation A").await;
    person(&test_db.db, &a, "ann@a.example", &["practitioner"]).await;
    let first = TestApp::spawn(&test_db).await;
    let second_db = test_db.another_instance().await;
    let second = TestApp::spawn(&second_db).await;
    let checked = crate::auth::guess_in_parallel(&[&first, &second], "ann@a.example", 8, 10).await;
    assert!(
        checked <= 4,
        "two instances check at most five guesses between them (the fifth answers 429); {} were",
        checked + 1
    );
    second_db.cleanup().await;
    test_db.cleanup().await;
}
