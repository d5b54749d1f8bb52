//! A JSON body extractor whose rejections are problem+json naming the field at fault.

use crate::web::AppError;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use serde::de::DeserializeOwned;

/// Like `axum::Json`, but a malformed body is reported with the JSON path of the problem.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
        if !is_json {
            return Err(AppError::UnsupportedMediaType(
                "Send the body as JSON with Content-Type: application/json".into(),
            ));
        }
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|_| {
                AppError::PayloadTooLarge(
                    "The request body is too large (at most 1 MB of JSON)".into(),
                )
            })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Reads JSON, naming the path of the first problem (`topics[2]`, `hours`) or the line and
/// column of a syntax error.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut *deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            AppError::BadRequest(format!("The body is not valid JSON: {inner}"))
        } else {
            let field = if path == "." { "body".to_owned() } else { path };
            // The path already says where; serde's "at line 1 column 52" is noise here.
            let message = inner.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_owned();
            AppError::field(&field, message)
        }
    })?;
    // One JSON value and nothing after it: `{…}garbage` is not a body we understand.
    deserializer.end().map_err(|error| {
        AppError::BadRequest(format!("The body has more after its JSON value: {error}"))
    })?;
    Ok(value)
}
