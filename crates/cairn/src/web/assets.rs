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
