//! Static assets, embedded in the binary: no CDN, no build step.

use axum::http::header;
use axum::response::IntoResponse;

const STYLESHEET: &str = include_str!("../../assets/cairn.css");

/// `GET /assets/cairn.css`. Cached for a day; the small size makes re-fetching cheap.
pub async fn get_stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        STYLESHEET,
    )
}

const JOB_SCRIPT: &str = include_str!("../../assets/job.js");

/// `GET /assets/job.js`: the progress of a background import, kept up to date.
pub async fn get_job_script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        JOB_SCRIPT,
    )
}

/// An asset of the binary with its type, cached for a day.
fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
}

/// `GET /assets/offline.js`: the service worker's registration and the offline outbox.
pub async fn get_offline_script() -> impl IntoResponse {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../assets/offline.js"),
    )
}

/// `GET /sw.js`: the service worker, at the root so that it serves every page. Never cached
/// by HTTP: a browser checks it on each visit, and a new one replaces the old at once.
pub async fn get_service_worker() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        include_str!("../../assets/sw.js"),
    )
}

/// `GET /manifest.webmanifest`: what a phone needs to keep cairn on its home screen.
pub async fn get_manifest() -> impl IntoResponse {
    asset(
        "application/manifest+json",
        include_str!("../../assets/manifest.webmanifest"),
    )
}

/// `GET /favicon.svg` (and `/favicon.ico`, which browsers ask for by themselves).
pub async fn get_favicon() -> impl IntoResponse {
    asset("image/svg+xml", include_str!("../../assets/favicon.svg"))
}
