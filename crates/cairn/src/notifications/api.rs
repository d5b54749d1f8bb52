//! `GET /api/v1/me/notifications`.

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::AppError;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use serde_json::json;

/// `GET /api/v1/me/notifications`: the latest 50, newest first.
pub async fn my_notifications(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let notifications = super::notifications_of(&state.db, user.person_id).await?;
    Ok(Json(json!({ "notifications": notifications })).into_response())
}

/// This module's JSON API (mounted under `/api/v1`).
pub fn routes() -> axum::Router<AppState> {
    Router::new().route("/me/notifications", get(my_notifications))
}
