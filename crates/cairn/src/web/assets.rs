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
