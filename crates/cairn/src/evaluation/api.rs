//! Evaluation in the API: confidence before, the evaluation after, follow-up questions, an
//! opportunity's results and its outcome indicators.

use super::shared::{answer, measure, organised, results_for, save_after, save_before};
use super::store;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::parse_id;
use crate::web::{ApiJson, AppError};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post, put};
use cairn_core::evaluation::{IndicatorDraft, ReactionDraft};
use serde_json::json;
use std::collections::BTreeMap;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfidenceBody {
    confidence: BTreeMap<String, i64>,
}

/// `PUT /api/v1/bookings/{id}/confidence-before` `{"confidence": {"element": 1..5}}`
pub async fn put_before(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ConfidenceBody>,
) -> Result<Response, AppError> {
    save_before(&state, &user, parse_id(&id)?, &body.confidence).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationBody {
    overall: Option<i64>,
    relevance: Option<i64>,
    comment: Option<String>,
    #[serde(default)]
    confidence: BTreeMap<String, i64>,
}

/// `PUT /api/v1/bookings/{id}/evaluation` `{"overall", "relevance", "comment", "confidence"}`
pub async fn put_evaluation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EvaluationBody>,
) -> Result<Response, AppError> {
    let reaction = ReactionDraft {
        overall: body.overall,
        relevance: body.relevance,
        comment: body.comment,
    };
    save_after(&state, &user, parse_id(&id)?, &reaction, &body.confidence).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /api/v1/me/follow-ups`: questions due for my answer.
pub async fn my_follow_ups(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let due = store::follow_ups_due(&state.db, user.person_id, state.clock.today()).await?;
    Ok(Json(json!({ "follow_ups": due })).into_response())
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    answer: Option<String>,
}

/// `POST /api/v1/follow-ups/{booking}` `{"answer"}`
pub async fn post_answer(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AnswerBody>,
) -> Result<Response, AppError> {
    answer(&state, &user, parse_id(&id)?, body.answer.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /api/v1/opportunities/{id}/evaluation`
pub async fn get_results(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    Ok(Json(results_for(&state, &user, parse_id(&id)?).await?).into_response())
}

/// `POST /api/v1/opportunities/{id}/indicators` `{"name", "unit", "baseline", "target"}`
pub async fn post_indicator(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(draft): ApiJson<IndicatorDraft>,
) -> Result<Response, AppError> {
    let opportunity = organised(&state, &user, parse_id(&id)?).await?;
    let indicator = draft.validate().map_err(AppError::Invalid)?;
    let id = store::add_indicator(&state.db, opportunity.id, &indicator, state.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureBody {
    measured_on: Option<String>,
    value: Option<f64>,
    #[serde(default)]
    note: String,
}

/// `POST /api/v1/indicators/{id}/measures` `{"measured_on", "value", "note"}`
pub async fn post_measure(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MeasureBody>,
) -> Result<Response, AppError> {
    measure(
        &state,
        &user,
        parse_id(&id)?,
        body.measured_on.as_deref(),
        body.value,
        &body.note,
    )
    .await?;
    Ok(StatusCode::CREATED.into_response())
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/bookings/{id}/confidence-before", put(put_before))
        .route("/bookings/{id}/evaluation", put(put_evaluation))
        .route("/me/follow-ups", get(my_follow_ups))
        .route("/follow-ups/{id}", post(post_answer))
        .route("/opportunities/{id}/evaluation", get(get_results))
        .route("/opportunities/{id}/indicators", post(post_indicator))
        .route("/indicators/{id}/measures", post(post_measure))
}
