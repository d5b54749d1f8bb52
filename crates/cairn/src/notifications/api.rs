//! `GET /api/v1/me/notifications`.

use super::Notification;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::AppError;
use crate::web::openapi::SignedOut;
use axum::extract::State;
use axum::response::{IntoResponse, Json, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// `GET /api/v1/me/notifications`: the latest 50, newest first.
#[utoipa::path(
    get, path = "/me/notifications", tag = "catalogue", operation_id = "my_notifications",
    summary = "My latest notifications",
    responses((status = 200, description = "Notifications, newest first", body = Notifications), SignedOut),
)]
pub async fn my_notifications(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let notifications = super::notifications_of(&state.db, user.person_id).await?;
    Ok(Json(Notifications { notifications }).into_response())
}

/// A person's latest notifications.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Notifications {
    notifications: Vec<Notification>,
}

/// This module's JSON API (mounted under `/api/v1`).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_notifications))
}
