//! API tokens: `POST /api/v1/auth/token` (sign in) and `DELETE` (sign out).

use super::sign_in::authenticate;
use super::{CurrentUser, Via, store};
use crate::app::AppState;
use crate::web::openapi::{Invalid, Malformed, SignedOut};
use crate::web::{ApiJson, AppError};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// `POST /api/v1/auth/token`'s body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    #[schema(format = Email)]
    email: String,
    password: String,
}

/// A bearer token for the `Authorization` header.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Token {
    token: String,
    /// Always `Bearer`.
    token_type: &'static str,
    #[serde(with = "time::serde::rfc3339")]
    expires_at: time::OffsetDateTime,
}

/// `POST /api/v1/auth/token`: a bearer token for an API client.
#[utoipa::path(
    post, path = "/auth/token", tag = "sign-in", operation_id = "create_token", security(()), request_body = TokenRequest,
    summary = "Get a bearer token",
    responses((status = 201, description = "A token for the Authorization header", body = Token), SignedOut,
        Invalid, (status = 429, description = "Too many attempts")),
)]
pub async fn create_token(
    State(state): State<AppState>,
    from: super::Requester,
    ApiJson(request): ApiJson<TokenRequest>,
) -> Result<Response, AppError> {
    // API clients keep no device cookie: they have the account's and the client's limits.
    let from = super::Requester {
        device: None,
        ..from
    };
    let person_id = match authenticate(&state, &request.email, &request.password, &from).await {
        Err(AppError::Invalid(errors))
            if errors.0.iter().any(|e| e.message.contains("not right")) =>
        {
            return Err(AppError::Unauthenticated);
        }
        other => other?.person_id,
    };
    let now = state.clock.now();
    let token = store::create_session(&state.db, person_id, store::SessionKind::Api, now)
        .await?
        .token;
    let answer = Token {
        token,
        token_type: "Bearer",
        expires_at: now + store::API_LIFETIME,
    };
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// `DELETE /api/v1/auth/token`: ends the bearer token used for this request.
#[utoipa::path(
    delete, path = "/auth/token", tag = "sign-in", operation_id = "revoke_token",
    summary = "Revoke the bearer token used for this request",
    responses((status = 204, description = "Revoked"), Malformed, SignedOut),
)]
pub async fn revoke_token(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<StatusCode, AppError> {
    if user.via != Via::Bearer {
        return Err(AppError::BadRequest(
            "This revokes a bearer token; sign out of the browser with POST /sign-out".into(),
        ));
    }
    store::delete_session(&state.db, &user.token_hash).await?;
    state.sessions.forget(&user.token_hash);
    Ok(StatusCode::NO_CONTENT)
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_token, revoke_token))
}
