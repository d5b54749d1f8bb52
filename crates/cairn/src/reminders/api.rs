//! What is due, in the API: `GET /api/v1/me/reminders`.

use super::store::{self, Preferences};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::openapi::SignedOut;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// `GET /api/v1/me/reminders`: what is due for me now (in every area), and my choices.
#[utoipa::path(
    get, path = "/me/reminders", tag = "reminders", operation_id = "my_reminders",
    summary = "What is due for me now, and what I chose to be reminded of",
    responses((status = 200, description = "Due items (text and link) and choices", body = Reminders),
        SignedOut),
)]
pub async fn my_reminders(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, crate::web::AppError> {
    let due = super::due_for(&state, user.person_id, &Preferences::default()).await?;
    let choices = store::preferences(&state.db, user.person_id).await?;
    Ok(axum::Json(Reminders { due, choices }).into_response())
}

/// What is due for a person now, and what they chose to be reminded of.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Reminders {
    due: Vec<super::Reminder>,
    choices: Preferences,
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_reminders))
}
