//! The quick capture that opens without a connection: a page with no personal data (the
//! service worker keeps it), whose script keeps what is typed in the browser and sends it
//! when the connection returns (assets/offline.js).

use super::page::{Chrome, render};
use askama::Template;
use axum::response::Response;

#[derive(Template)]
#[template(path = "offline.html")]
struct OfflineCapture {
    chrome: Chrome,
    kinds: Vec<(&'static str, &'static str)>,
}

/// `GET /offline`: the same for everyone, signed in or not (entries are sent as whoever is
/// signed in when they go).
pub async fn show_offline_capture() -> Response {
    render(&OfflineCapture {
        chrome: Chrome::default(),
        kinds: cairn_core::vocabulary::KINDS.to_vec(),
    })
}
