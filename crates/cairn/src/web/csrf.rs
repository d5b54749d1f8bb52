//! Cross-site request forgery protection, in two layers:
//! 1. every unsafe request that relies on the session cookie must come from our own origin
//!    (`Sec-Fetch-Site`, else `Origin` against `Host`), checked here for every route;
//! 2. every HTML form carries a token tied to the session (or, before sign-in, to a short-lived
//!    cookie), checked by the handler that receives it.
//!
//! API clients that send `Authorization: Bearer` carry no ambient credentials and skip both.

use crate::web::AppError;
use axum::extract::Request;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuses cookie-authenticated unsafe requests from another site.
pub async fn origin_guard(request: Request, next: Next) -> Response {
    if is_safe_method(request.method()) || has_bearer(&request) || same_origin(&request) {
        next.run(request).await
    } else {
        tracing::warn!(http.method = %request.method(), http.path = request.uri().path(), "refused a cross-site request");
        AppError::Forbidden.into_response()
    }
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn has_bearer(request: &Request) -> bool {
    request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.len() > 7 && v[..7].eq_ignore_ascii_case("bearer "))
}

fn same_origin(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        // Browsers always send Origin on cross-site POSTs; its absence means a non-browser client.
        (None, _) => true,
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, authority)| authority == host),
        (Some(_), None) => false,
    }
}

/// Compares a submitted form token with the expected one in constant time.
pub fn tokens_match(expected: &str, submitted: &str) -> bool {
    expected.len() == submitted.len()
        && !expected.is_empty()
        && expected
            .bytes()
            .zip(submitted.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// A form that carries only the CSRF token (buttons such as sign out, cancel, remove).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    pub csrf: String,
}

/// `Ok` when a form's token is the session's; a forged or stale form is refused.
pub fn require(expected: &str, submitted: &str) -> Result<(), AppError> {
    if tokens_match(expected, submitted) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_must_match_exactly_and_not_be_empty() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abc", "abd"));
        assert!(!tokens_match("abc", "ab"));
        assert!(!tokens_match("", ""));
    }
}
