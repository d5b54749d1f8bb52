//! Development plans in the API: my plan and its goals, a supervisee's plan and its reviews.

use super::shared::{add_goal, change_goal, link, readable_plan, review};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::parse_id;
use crate::web::{ApiJson, AppError};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post, put};
use cairn_core::plan::{GoalDraft, ReviewDraft};
use serde_json::json;
use uuid::Uuid;

/// `GET /api/v1/me/plan`
pub async fn get_my_plan(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    Ok(Json(super::plan_of(&state.db, user.person_id).await?).into_response())
}

/// `POST /api/v1/me/plan/goals`
pub async fn post_goal(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(draft): ApiJson<GoalDraft>,
) -> Result<Response, AppError> {
    let id = add_goal(&state, &user, &draft).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

/// `PUT /api/v1/me/plan/goals/{id}`
pub async fn put_goal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(draft): ApiJson<GoalDraft>,
) -> Result<Response, AppError> {
    change_goal(&state, &user, parse_id(&id)?, &draft).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkBody {
    entry_ids: Vec<Uuid>,
}

/// `POST /api/v1/me/plan/goals/{id}/entries` `{"entry_ids"}`
pub async fn post_goal_entries(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<LinkBody>,
) -> Result<Response, AppError> {
    link(&state, &user, parse_id(&id)?, &body.entry_ids).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /api/v1/people/{id}/plan`
pub async fn get_person_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    Ok(Json(readable_plan(&state, &user, parse_id(&id)?).await?).into_response())
}

/// `POST /api/v1/people/{id}/plan/reviews`
pub async fn post_review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(draft): ApiJson<ReviewDraft>,
) -> Result<Response, AppError> {
    let id = review(&state, &user, parse_id(&id)?, &draft).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me/plan", get(get_my_plan))
        .route("/me/plan/goals", post(post_goal))
        .route("/me/plan/goals/{id}", put(put_goal))
        .route("/me/plan/goals/{id}/entries", post(post_goal_entries))
        .route("/people/{id}/plan", get(get_person_plan))
        .route("/people/{id}/plan/reviews", post(post_review))
}
