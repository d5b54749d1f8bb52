//! `GET /api/v1/jobs/{id}`: how a background import stands, and its report once done.

use super::{job_json, may_see};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::db::jobs;
use crate::web::{AppError, parse_id};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;

pub async fn show_job(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let job = jobs::get(&state.db, id)
        .await?
        .filter(|job| may_see(&user, job))
        .ok_or(AppError::NotFound)?;
    Ok(Json(job_json(&job)).into_response())
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new().route("/jobs/{id}", get(show_job))
}
