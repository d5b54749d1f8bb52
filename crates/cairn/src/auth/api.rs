//! API tokens: `POST /api/v1/auth/token` (sign in) and `DELETE` (sign out).

use super::sign_in::authenticate;
use super::{CurrentUser, Via, store};
use crate::app::AppState;
use crate::web::{ApiJson, AppError};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::post;
use serde::Deserialize;
use serde_json::json;

/// `POST /api/v1/auth/token`'s body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    email: String,
    password: String,
}

/// `POST /api/v1/auth/token`: a bearer token for an API client.
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
    let expires_at = (now + store::API_LIFETIME)
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(anyhow::Error::from)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"token": token, "token_type": "Bearer", "expires_at": expires_at})),
    )
        .into_response())
}

/// `DELETE /api/v1/auth/token`: ends the bearer token used for this request.
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
pub fn routes() -> Router<AppState> {
    Router::new().route("/auth/token", post(create_token).delete(revoke_token))
}
