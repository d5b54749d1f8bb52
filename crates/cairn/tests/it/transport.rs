//! How answers travel: compressed for a client that asks, plain for one that does not.

use crate::on_both;
use crate::support::TestApp;
use std::io::Read;

on_both!(pages_are_gzipped_for_clients_that_ask, |test_db| {
    let app = TestApp::spawn(test_db).await;
    let client = reqwest::Client::new();
    let plain = client.get(app.url("/sign-in")).send().await.expect("get");
    assert_eq!(plain.status(), 200);
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.text().await.expect("html");

    let zipped = client
        .get(app.url("/sign-in"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("get");
    assert_eq!(zipped.status(), 200);
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    assert!(
        zipped.headers()["vary"]
            .to_str()
            .expect("ascii")
            .contains("accept-encoding")
    );
    let bytes = zipped.bytes().await.expect("bytes");
    let mut page = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut page)
        .expect("gzip");
    // The same page, unzipped (its form's token aside, which is new each time).
    assert_eq!(page.len(), plain.len(), "{page}");
    assert!(page.contains("Sign in"), "{page}");

    // The stylesheet too: the largest thing a first visit downloads.
    let css = client
        .get(app.url("/assets/cairn.css"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("get");
    assert_eq!(css.headers()["content-encoding"], "gzip");
    let zipped = css.bytes().await.expect("bytes").len();
    let plain = client
        .get(app.url("/assets/cairn.css"))
        .send()
        .await
        .expect("get")
        .bytes()
        .await
        .expect("bytes")
        .len();
    assert!(zipped * 3 < plain, "{zipped} bytes of {plain}");
});
