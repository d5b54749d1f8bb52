//! Endorsement in the API: my requests, a request, and the endorser's decision.

use super::shared::{ask, decide, visible};
use super::store;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::IdPath;
use crate::web::openapi::{Hidden, SignedOut};
use crate::web::{ApiJson, AppError};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AskBody {
    /// One or more of the person's own entries.
    #[schema(min_items = 1, max_items = 50)]
    entry_ids: Vec<Uuid>,
    #[schema(format = Email)]
    endorser_email: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    message: String,
}

/// An endorsement request and the entries it asks about.
#[derive(Serialize, ToSchema)]
pub struct RequestAndEntries {
    request: store::Request,
    entries: Vec<store::Item>,
}

/// A person's requests, and those waiting for their decision.
#[derive(Serialize, ToSchema)]
pub struct Requests {
    mine: Vec<store::Request>,
    to_endorse: Vec<store::Request>,
}

#[utoipa::path(
    post, path = "/me/endorsement-requests", tag = "endorsement", operation_id = "ask_endorsement", request_body = AskBody,
    summary = "Ask your supervisor or a colleague to endorse entries",
    responses((status = 201, description = "The request", body = RequestAndEntries), SignedOut,
        (status = 422, description = "Invalid: each problem names its field (your own email, someone you do not work with, entries not yours)")),
)]
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
        Json(RequestAndEntries {
            request,
            entries: items,
        }),
    )
        .into_response())
}

/// `GET /api/v1/me/endorsement-requests`: mine, and those waiting for my decision.
#[utoipa::path(
    get, path = "/me/endorsement-requests", tag = "endorsement", operation_id = "my_endorsement_requests",
    summary = "My requests for endorsement, and those waiting for my decision",
    responses((status = 200, description = "Requests", body = Requests), SignedOut),
)]
pub async fn my_requests(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let mine = store::requests_of(&state.db, user.person_id).await?;
    let to_endorse = store::waiting_for(&state.db, user.person_id).await?;
    Ok(Json(Requests { mine, to_endorse }).into_response())
}

#[utoipa::path(
    get, path = "/endorsement-requests/{id}", tag = "endorsement", operation_id = "get_endorsement_request", params(IdPath),
    summary = "A request with its entries, to its person and endorser only",
    responses((status = 200, description = "The request", body = RequestAndEntries), SignedOut, Hidden),
)]
pub async fn get_request(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response, AppError> {
    let (request, items) = visible(&state, &user, id).await?;
    Ok(Json(RequestAndEntries {
        request,
        entries: items,
    })
    .into_response())
}

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    endorse: bool,
    /// Needed when returning.
    #[serde(default)]
    #[schema(max_length = 2000)]
    comment: String,
}

#[utoipa::path(
    post, path = "/endorsement-requests/{id}/decision", tag = "endorsement", operation_id = "decide_endorsement", params(IdPath), request_body = DecisionBody,
    summary = "Endorse (the entries are marked) or return with a comment",
    responses((status = 200, description = "The request", body = RequestAndEntries), SignedOut, Hidden,
        (status = 403, description = "Only the named endorser decides"),
        (status = 409, description = "Already decided"),
        (status = 422, description = "Returning needs a comment")),
)]
pub async fn post_decision(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<Response, AppError> {
    decide(&state, &user, id, body.endorse, &body.comment).await?;
    let (request, items) = visible(&state, &user, id).await?;
    Ok(Json(RequestAndEntries {
        request,
        entries: items,
    })
    .into_response())
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_requests, post_request))
        .routes(routes!(get_request))
        .routes(routes!(post_decision))
}
