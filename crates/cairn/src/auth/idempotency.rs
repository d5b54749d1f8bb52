//! `Idempotency-Key` on the API's POSTs: a client that sends the same key again (a phone that
//! lost the answer on a poor connection) gets the first answer again, marked
//! `Idempotent-Replayed: true`, and nothing is done twice. Only successful answers are kept:
//! after a refusal the corrected request may use the same key. Keys belong to the person who sent
//! them and are kept for a day. A key reused for a different request (another path or body) is
//! refused, and one whose first request is still being handled answers 409.

use super::{CurrentUser, store};
use crate::app::AppState;
use crate::web::AppError;
use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

pub const HEADER: &str = "idempotency-key";
/// The longest key accepted (a UUID is 36 characters).
const MAX_KEY: usize = 100;
/// The largest request or answer kept for replaying (an HR feed is the largest POST).
const MAX_BODY: usize = 50 * 1024 * 1024;
/// How long a key is remembered.
pub const KEPT_FOR: time::Duration = time::Duration::days(1);

/// The layer over the API's routes.
pub async fn replay(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST || !request.headers().contains_key(HEADER) {
        return next.run(request).await;
    }
    match handle(&state, request, next).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn handle(state: &AppState, request: Request, next: Next) -> Result<Response, AppError> {
    let key = request.headers()[HEADER]
        .to_str()
        .ok()
        .filter(|k| (1..=MAX_KEY).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_owned)
        .ok_or_else(|| {
            AppError::field(
                "Idempotency-Key",
                format!("must be 1 to {MAX_KEY} visible characters, such as a UUID made for this request"),
            )
        })?;
    let (mut parts, body) = request.into_parts();
    // Not signed in: the route answers 401 as it would without a key.
    let Ok(user) = CurrentUser::from_request_parts(&mut parts, state).await else {
        return Ok(next.run(Request::from_parts(parts, body)).await);
    };
    let bytes = to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| AppError::PayloadTooLarge("The request is larger than 50 MB.".into()))?;
    let fingerprint = format!(
        "{} {} {:x}",
        parts.method,
        parts.uri.path(),
        Sha256::digest(&bytes)
    );
    let now = state.clock.now();
    match store::claim_key(&state.db, user.person_id, &key, &fingerprint, now).await? {
        store::KeyClaim::Seen { request, .. } if request != fingerprint => Err(AppError::field(
            "Idempotency-Key",
            "was used for a different request in the last day; make a new key for each new request",
        )),
        store::KeyClaim::Seen { answer: None, .. } => Err(AppError::Conflict {
            message: "A request with this Idempotency-Key is still being handled. Wait a moment and send it again.".into(),
            current_version: None,
        }),
        store::KeyClaim::Seen {
            answer: Some((status, content_type, body)),
            ..
        } => {
            let mut response = Response::new(Body::from(body));
            *response.status_mut() =
                StatusCode::from_u16(u16::try_from(status).unwrap_or(500)).unwrap_or(StatusCode::OK);
            let headers = response.headers_mut();
            if let Some(value) = content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
                headers.insert(header::CONTENT_TYPE, value);
            }
            headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
            Ok(response)
        }
        store::KeyClaim::New => {
            let response = next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
            if !response.status().is_success() {
                // Refused or failed, so nothing was done: a retry with the same key (corrected,
                // perhaps) is handled afresh.
                store::forget_key(&state.db, user.person_id, &key).await?;
                return Ok(response);
            }
            let (parts, body) = response.into_parts();
            let body = to_bytes(body, MAX_BODY).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            let content_type = parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|c| c.to_str().ok());
            store::keep_answer(
                &state.db,
                user.person_id,
                &key,
                i64::from(parts.status.as_u16()),
                content_type,
                &body,
            )
            .await?;
            Ok(Response::from_parts(parts, Body::from(body)))
        }
    }
}
