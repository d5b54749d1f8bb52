//! What is due, in the API: `GET /api/v1/me/reminders`.

use super::store::{self, Preferences};
use crate::app::AppState;
use crate::auth::CurrentUser;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// `GET /api/v1/me/reminders`: what is due for me now (in every area), and my choices.
pub async fn my_reminders(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, crate::web::AppError> {
    let due = super::due_for(&state, user.person_id, &Preferences::default()).await?;
    let choices = store::preferences(&state.db, user.person_id).await?;
    Ok(axum::Json(serde_json::json!({"due": due, "choices": choices})).into_response())
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new().route("/me/reminders", get(my_reminders))
}
