//! Evaluation in the API: confidence before, the evaluation after, follow-up questions, an
//! opportunity's results and its outcome indicators.

use super::EvaluationResults;
use super::shared::{answer, measure, organised, results_for, save_after, save_before};
use super::store;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::Created;
use crate::web::IdPath;
use crate::web::openapi::{Hidden, Invalid, SignedOut};
use crate::web::{ApiJson, AppError};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use cairn_core::evaluation::{IndicatorDraft, ReactionDraft};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfidenceBody {
    /// For each framework element the course covers: confidence from 1 (not at all) to 5.
    confidence: BTreeMap<String, i64>,
}

#[utoipa::path(
    put, path = "/bookings/{id}/confidence-before", tag = "evaluation", operation_id = "put_confidence_before", params(IdPath), request_body = ConfidenceBody,
    summary = "Evaluation level 2: confidence on each element before the session (1 to 5)",
    responses((status = 204, description = "Saved"), SignedOut, Hidden,
        (status = 422, description = "Every element rated 1 to 5, no others")),
)]
pub async fn put_before(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<ConfidenceBody>,
) -> Result<StatusCode, AppError> {
    save_before(&state, &user, id, &body.confidence).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationBody {
    #[schema(minimum = 1, maximum = 5)]
    overall: Option<i64>,
    #[schema(minimum = 1, maximum = 5)]
    relevance: Option<i64>,
    #[schema(max_length = 5000)]
    comment: Option<String>,
    /// For each framework element the course covers: confidence afterwards, 1 to 5.
    #[serde(default)]
    confidence: BTreeMap<String, i64>,
}

#[utoipa::path(
    put, path = "/bookings/{id}/evaluation", tag = "evaluation", operation_id = "put_evaluation", params(IdPath), request_body = EvaluationBody,
    summary = "Evaluation levels 1 and 2 after attending: reaction and confidence",
    responses((status = 204, description = "Saved"), SignedOut, Hidden,
        (status = 422, description = "Invalid, or not attended")),
)]
pub async fn put_evaluation(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<EvaluationBody>,
) -> Result<StatusCode, AppError> {
    let reaction = ReactionDraft {
        overall: body.overall,
        relevance: body.relevance,
        comment: body.comment,
    };
    save_after(&state, &user, id, &reaction, &body.confidence).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/me/follow-ups`: questions due for my answer.
#[utoipa::path(
    get, path = "/me/follow-ups", tag = "evaluation", operation_id = "my_follow_ups",
    summary = "Evaluation level 3: questions due for my answer as supervisor",
    responses((status = 200, description = "Questions", body = FollowUps), SignedOut),
)]
pub async fn my_follow_ups(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let due = store::follow_ups_due(&state.db, user.person_id, state.clock.today()).await?;
    Ok(Json(FollowUps { follow_ups: due }).into_response())
}

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// What has changed in the person's practice since.
    #[schema(max_length = 5000)]
    answer: Option<String>,
}

#[utoipa::path(
    post, path = "/follow-ups/{id}", tag = "evaluation", operation_id = "answer_follow_up", params(IdPath), request_body = AnswerBody,
    summary = "Answer what has changed in practice (the booking's id)",
    responses((status = 204, description = "Saved"), SignedOut,
        (status = 404, description = "Not found, or not yours to answer"),
        (status = 409, description = "Already answered"),
        (status = 422, description = "An answer is needed, or it is not due")),
)]
pub async fn post_answer(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<AnswerBody>,
) -> Result<StatusCode, AppError> {
    answer(&state, &user, id, body.answer.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get, path = "/opportunities/{id}/evaluation", tag = "evaluation", operation_id = "get_evaluation", params(IdPath),
    summary = "Results at every level, without names (organisers)",
    responses((status = 200, description = "Results", body = EvaluationResults), SignedOut, Hidden,
        (status = 403, description = "Not an organiser")),
)]
pub async fn get_results(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response, AppError> {
    Ok(Json(results_for(&state, &user, id).await?).into_response())
}

#[utoipa::path(
    post, path = "/opportunities/{id}/indicators", tag = "evaluation", operation_id = "post_indicator", params(IdPath), request_body = IndicatorDraft,
    summary = "Evaluation level 4: an outcome indicator for the programme",
    responses((status = 201, description = "Created", body = Created), SignedOut, Hidden, Invalid,
        (status = 403, description = "Not an organiser")),
)]
pub async fn post_indicator(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    ApiJson(draft): ApiJson<IndicatorDraft>,
) -> Result<Response, AppError> {
    let opportunity = organised(&state, &user, id).await?;
    let indicator = draft.validate().map_err(AppError::Invalid)?;
    let id = store::add_indicator(&state.db, opportunity.id, &indicator, state.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureBody {
    #[schema(required, value_type = String, format = Date)]
    measured_on: Option<String>,
    #[schema(required)]
    value: Option<f64>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    note: String,
}

#[utoipa::path(
    post, path = "/indicators/{id}/measures", tag = "evaluation", operation_id = "post_measure", params(IdPath), request_body = MeasureBody,
    summary = "A measurement of an indicator",
    responses((status = 201, description = "Created"), SignedOut, Hidden, Invalid,
        (status = 403, description = "Not an organiser")),
)]
pub async fn post_measure(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<MeasureBody>,
) -> Result<Response, AppError> {
    measure(
        &state,
        &user,
        id,
        body.measured_on.as_deref(),
        body.value,
        &body.note,
    )
    .await?;
    Ok(StatusCode::CREATED.into_response())
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(put_before))
        .routes(routes!(put_evaluation))
        .routes(routes!(my_follow_ups))
        .routes(routes!(post_answer))
        .routes(routes!(get_results))
        .routes(routes!(post_indicator))
        .routes(routes!(post_measure))
}

/// The follow-up questions waiting for a supervisor's answer.
#[derive(Serialize, ToSchema)]
pub struct FollowUps {
    follow_ups: Vec<store::FollowUpDue>,
}
