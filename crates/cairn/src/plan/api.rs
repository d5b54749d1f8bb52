//! Development plans in the API: my plan and its goals, a supervisee's plan and its reviews.

use super::Plan;
use super::shared::{add_goal, change_goal, link, readable_plan, review};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::Created;
use crate::web::IdPath;
use crate::web::openapi::{Hidden, Invalid, SignedOut, problems};
use crate::web::{ApiJson, AppError};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use cairn_core::plan::{GoalDraft, ReviewDraft};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

#[utoipa::path(
    get, path = "/me/plan", tag = "plan", operation_id = "my_plan",
    summary = "My development plan: goals with their evidence, and reviews",
    responses((status = 200, description = "The plan", body = Plan), SignedOut),
)]
pub async fn get_my_plan(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    Ok(Json(super::plan_of(&state.db, user.person_id).await?).into_response())
}

#[utoipa::path(
    post, path = "/me/plan/goals", tag = "plan", operation_id = "add_goal", request_body = GoalDraft,
    summary = "Add a goal",
    responses((status = 201, description = "Added", body = Created), SignedOut, Invalid),
)]
pub async fn post_goal(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(draft): ApiJson<GoalDraft>,
) -> Result<Response, AppError> {
    let id = add_goal(&state, &user, &draft).await?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

#[utoipa::path(
    put, path = "/me/plan/goals/{id}", tag = "plan", operation_id = "change_goal", params(IdPath), request_body = GoalDraft,
    summary = "Change a goal (its status too)",
    responses((status = 204, description = "Changed"), SignedOut, Hidden, Invalid),
)]
pub async fn put_goal(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    ApiJson(draft): ApiJson<GoalDraft>,
) -> Result<StatusCode, AppError> {
    change_goal(&state, &user, id, &draft).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkBody {
    entry_ids: Vec<Uuid>,
}

problems!(NotYourEntries: "422" => "Entries that are not yours are named");

#[utoipa::path(
    post, path = "/me/plan/goals/{id}/entries", tag = "plan", operation_id = "link_goal_entries", params(IdPath), request_body = LinkBody,
    summary = "Link your entries to a goal as evidence",
    responses((status = 204, description = "Linked"), SignedOut, Hidden, NotYourEntries),
)]
pub async fn post_goal_entries(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<LinkBody>,
) -> Result<StatusCode, AppError> {
    link(&state, &user, id, &body.entry_ids).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get, path = "/people/{id}/plan", tag = "plan", operation_id = "person_plan", params(IdPath),
    summary = "Someone's plan: their supervisor, or their employer's L&D lead, administrator or auditor",
    responses((status = 200, description = "The plan", body = Plan), SignedOut, Hidden),
)]
pub async fn get_person_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response, AppError> {
    Ok(Json(readable_plan(&state, &user, id).await?).into_response())
}

#[utoipa::path(
    post, path = "/people/{id}/plan/reviews", tag = "plan", operation_id = "review_plan", params(IdPath), request_body = ReviewDraft,
    summary = "Review the plan (their supervisor): comments, and a comment and status per goal",
    responses((status = 201, description = "Saved", body = Created), SignedOut, Hidden,
        (status = 403, description = "Not their supervisor"),
        (status = 422, description = "Invalid: a goal not in the plan, a review in the future")),
)]
pub async fn post_review(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    ApiJson(draft): ApiJson<ReviewDraft>,
) -> Result<Response, AppError> {
    let id = review(&state, &user, id, &draft).await?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_my_plan))
        .routes(routes!(post_goal))
        .routes(routes!(put_goal))
        .routes(routes!(post_goal_entries))
        .routes(routes!(get_person_plan))
        .routes(routes!(post_review))
}
