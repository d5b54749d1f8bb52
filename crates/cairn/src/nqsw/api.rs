//! The supported year in the API: my year, and a supervisee's.

use super::readable;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::AppError;
use crate::web::IdPath;
use crate::web::openapi::{Hidden, SignedOut};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
#[utoipa::path(
    get, path = "/me/nqsw", tag = "supervision", operation_id = "my_nqsw_year",
    summary = "My supported year as a newly qualified social worker",
    responses((status = 200, description = "The year", body = super::Progress), SignedOut,
        (status = 404, description = "Not on a supported year")),
)]
pub async fn get_mine(
    axum::extract::State(state): axum::extract::State<AppState>,
    user: CurrentUser,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    Ok(axum::Json(readable(&state, &user, user.person_id).await?).into_response())
}

#[utoipa::path(
    get, path = "/people/{id}/nqsw", tag = "supervision", operation_id = "person_nqsw_year", params(IdPath),
    summary = "Someone's supported year: their supervisor, or their employer's L&D lead, administrator or auditor",
    responses((status = 200, description = "The year", body = super::Progress), SignedOut, Hidden),
)]
pub async fn get_person(
    axum::extract::State(state): axum::extract::State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    Ok(axum::Json(readable(&state, &user, id).await?).into_response())
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_mine))
        .routes(routes!(get_person))
}
