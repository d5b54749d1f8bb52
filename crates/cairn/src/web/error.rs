//! One error type for the web boundary.
//!
//! Handlers and services return [`AppError`]; it becomes an RFC 9457 `application/problem+json`
//! body for the API and, wrapped as [`PageError`], an accessible HTML page. Server faults are
//! logged exactly once, here, inside the request's span (so with its request id), and never
//! leak their details to the client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cairn_core::{FieldError, FieldErrors};

/// Why a request did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input was understood but some fields are wrong; each is named.
    #[error("some fields are not valid")]
    Invalid(FieldErrors),
    /// The request itself is malformed (not JSON, missing body…).
    #[error("{0}")]
    BadRequest(String),
    /// Not signed in, or the token has expired.
    #[error("sign in to continue")]
    Unauthenticated,
    /// Signed in, but this is not theirs to do.
    #[error("you do not have permission to do this")]
    Forbidden,
    /// Nothing there, or nothing this person may know about (other organisations' data is
    /// reported as missing, never as forbidden, so that its existence does not leak).
    #[error("not found")]
    NotFound,
    /// Someone else changed the thing first; `current_version` is what is stored now.
    #[error("{message}")]
    Conflict {
        message: String,
        current_version: Option<i64>,
    },
    #[error("too many attempts")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("the upload is too large")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// A fault of ours: logged, and reported to the client without details.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        AppError::Internal(error.into())
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Invalid(errors)
    }
}

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        AppError::Invalid(error.into())
    }
}

impl AppError {
    /// A single bad field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(FieldError::new(field, message).into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The sentence a person reads.
    pub fn detail(&self) -> String {
        match self {
            AppError::Invalid(errors) if errors.0.len() == 1 => errors.0[0].message.clone(),
            AppError::Invalid(errors) => format!("{} fields are not valid", errors.0.len()),
            AppError::TooManyAttempts { retry_after_secs } => {
                format!(
                    "Too many attempts. Try again in {} minutes, or sign in from a browser \
                     you have signed in with before: it is not locked out.",
                    retry_after_secs.div_ceil(60).max(1)
                )
            }
            AppError::PayloadTooLarge(message) => message.clone(),
            AppError::Internal(_) => {
                "Something went wrong on our side. Nothing was changed; please try again."
                    .to_owned()
            }
            other => other.to_string(),
        }
    }

    fn log(&self) {
        if let AppError::Internal(error) = self {
            tracing::error!(
                error = format!("{error:#}"),
                "request failed with a server fault"
            );
        }
    }
}

/// RFC 9457 problem details: the body of every error the API answers with.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the status says what kind of problem it is.
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    kind: &'static str,
    title: &'static str,
    status: u16,
    /// Plain English: what went wrong and what to do.
    detail: String,
    /// Each field at fault, when the request was refused for what it holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<Vec<cairn_core::field::FieldError>>,
    /// After a conflicting change: the version the record is at now.
    #[serde(skip_serializing_if = "Option::is_none")]
    current_version: Option<i64>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status();
        let body = Problem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail: self.detail(),
            errors: match &self {
                AppError::Invalid(errors) => Some(errors.0.clone()),
                _ => None,
            },
            current_version: match &self {
                AppError::Conflict {
                    current_version, ..
                } => *current_version,
                _ => None,
            },
        };
        let body = serde_json::to_string(&body).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let AppError::TooManyAttempts { retry_after_secs } = &self
            && let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            headers.insert(header::RETRY_AFTER, value);
        }
        if matches!(self, AppError::Unauthenticated) {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The same errors, for people in a browser: an HTML page, or a trip to sign-in.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(error: E) -> Self {
        PageError(error.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0.log();
        if matches!(self.0, AppError::Unauthenticated) {
            return axum::response::Redirect::to("/sign-in").into_response();
        }
        let status = self.0.status();
        let page = crate::web::page::ErrorPage {
            chrome: crate::web::page::Chrome::default(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            detail: self.0.detail(),
        };
        (status, crate::web::page::render(&page)).into_response()
    }
}
