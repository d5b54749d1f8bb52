//! When a browser's session has ended (idle for two weeks, signed out in another tab, password
//! changed elsewhere), nothing the person was doing is lost: a page they open sends them to
//! sign in and then back to it, and a form they submit is kept. The sign-in page carries what
//! they typed, and after signing in they are offered it again, with a fresh token, to save
//! with one press.

use crate::app::AppState;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// The largest form kept across a sign-in (the body limit for forms).
const MAX_KEPT_FORM: usize = 1024 * 1024;

/// The page routes' layer: turns "not signed in" into a trip to sign-in that keeps the work.
pub async fn keep_work_on_expiry(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let target = request
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    if request.uri().path() == "/sign-in" {
        return next.run(request).await;
    }
    let is_form = method == Method::POST
        && request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let (request, kept) = if is_form {
        let (parts, body) = request.into_parts();
        match to_bytes(body, MAX_KEPT_FORM).await {
            Ok(bytes) => (
                Request::from_parts(parts, Body::from(bytes.clone())),
                Some(bytes),
            ),
            Err(_) => {
                return (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "The form is too large to send.",
                )
                    .into_response();
            }
        }
    } else {
        (request, None)
    };
    let response = next.run(request).await;
    if response.status() != StatusCode::UNAUTHORIZED {
        return response;
    }
    match (method, kept) {
        (Method::GET | Method::HEAD, _) => {
            let query: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("next", &target)
                .finish();
            Redirect::to(&format!("/sign-in?{query}")).into_response()
        }
        (_, Some(form)) => {
            // Everything but the old session's token, which is no use any more.
            let fields: String = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form_urlencoded::parse(&form).filter(|(k, _)| k != "csrf"))
                .finish();
            let path = target.split('?').next().unwrap_or("/").to_owned();
            super::pages::sign_in_to_continue(&state, path, fields)
        }
        // A file upload cannot be kept: sign in and choose the file again.
        _ => Redirect::to("/sign-in").into_response(),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn only_paths_of_this_site_are_followed() {
        assert_eq!(
            crate::auth::safe_next("/record?kind=course"),
            Some("/record?kind=course")
        );
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "record",
            "/sign-in",
            "/api/v1/me",
            "/a\r\nSet-Cookie: x",
            "/\t/evil.example",
            "/\u{1}",
            "/\u{0}x",
            "/ /evil.example",
            "/caf\u{e9}",
        ] {
            assert_eq!(crate::auth::safe_next(bad), None, "{bad}");
        }
    }
}
