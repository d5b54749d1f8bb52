//! `GET /api/v1/jobs/{id}`: how a background import stands, and its report once done.

use super::{JobStatus, may_see};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::db::jobs;
use crate::web::AppError;
use crate::web::IdPath;
use crate::web::openapi::{Hidden, Malformed, SignedOut};
use axum::extract::State;
use axum::response::{IntoResponse, Json, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[utoipa::path(
    get, path = "/jobs/{id}", tag = "jobs", operation_id = "show_job", params(IdPath),
    summary = "How a background import stands, and its report once done (the person who sent it, the person whose record it fills, or the organisation's administrators)",
    responses((status = 200, description = "The job", body = JobStatus), Malformed, SignedOut, Hidden),
)]
pub async fn show_job(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response, AppError> {
    let job = jobs::get(&state.db, id)
        .await?
        .filter(|job| may_see(&user, job))
        .ok_or(AppError::NotFound)?;
    Ok(Json(JobStatus::of(&job)).into_response())
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(show_job))
}
