//! Endorsement in the API: my requests, a request, and the endorser's decision.

use super::shared::{ask, decide, visible};
use super::store;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::{ApiJson, AppError};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use serde_json::json;
use uuid::Uuid;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AskBody {
    entry_ids: Vec<Uuid>,
    endorser_email: String,
    #[serde(default)]
    message: String,
}

/// `POST /api/v1/me/endorsement-requests` `{"entry_ids", "endorser_email", "message"}`
pub async fn post_request(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<AskBody>,
) -> Result<Response, AppError> {
    let id = ask(
        &state,
        &user,
        &body.entry_ids,
        &body.endorser_email,
        &body.message,
    )
    .await?;
    let (request, items) = visible(&state, &user, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"request": request, "entries": items})),
    )
        .into_response())
}

/// `GET /api/v1/me/endorsement-requests`: mine, and those waiting for my decision.
pub async fn my_requests(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let mine = store::requests_of(&state.db, user.person_id).await?;
    let to_endorse = store::waiting_for(&state.db, user.person_id).await?;
    Ok(Json(json!({"mine": mine, "to_endorse": to_endorse})).into_response())
}

/// `GET /api/v1/endorsement-requests/{id}`
pub async fn get_request(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = crate::web::parse_id(&id)?;
    let (request, items) = visible(&state, &user, id).await?;
    Ok(Json(json!({"request": request, "entries": items})).into_response())
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    endorse: bool,
    #[serde(default)]
    comment: String,
}

/// `POST /api/v1/endorsement-requests/{id}/decision` `{"endorse", "comment"}`
pub async fn post_decision(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<Response, AppError> {
    let id = crate::web::parse_id(&id)?;
    decide(&state, &user, id, body.endorse, &body.comment).await?;
    let (request, items) = visible(&state, &user, id).await?;
    Ok(Json(json!({"request": request, "entries": items})).into_response())
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/me/endorsement-requests",
            get(my_requests).post(post_request),
        )
        .route("/endorsement-requests/{id}", get(get_request))
        .route("/endorsement-requests/{id}/decision", post(post_decision))
}
