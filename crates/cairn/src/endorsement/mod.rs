//! Endorsement: a practitioner asks their supervisor, or a colleague they name, to endorse a
//! learning entry or a set of them; the endorser reads them and endorses (the entries are
//! marked endorsed and count for rules that ask for it) or returns them with a comment.
//! Nobody endorses their own learning, or learning of someone they neither supervise nor work
//! with.

pub mod pages;
pub mod routes;
pub mod store;

// Routes: what this feature answers; server.rs mounts them.
use crate::app::AppState;
use axum::Router;
use axum::routing::{get, post};

/// This feature's JSON API (mounted under `/api/v1`).
pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/me/endorsement-requests",
            get(routes::my_requests).post(routes::post_request),
        )
        .route("/endorsement-requests/{id}", get(routes::get_request))
        .route(
            "/endorsement-requests/{id}/decision",
            post(routes::post_decision),
        )
}

/// This feature's pages.
pub fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/endorsements", get(pages::show).post(pages::post_ask))
        .route("/endorsements/{id}", post(pages::post_decision))
}
