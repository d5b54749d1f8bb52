//! Signing in and out in the browser, continuing what was being done when a session ended, and
//! changing one's password.

use super::sign_in::{Authenticated, authenticate};
use super::{CurrentUser, MaybeUser, SESSION_COOKIE, SIGN_IN_COOKIE, password, store};
use crate::app::AppState;
use crate::auth::CheckedForm;
use crate::web::csrf::CsrfForm;
use crate::web::page::{Chrome, FormErrors, render};
use crate::web::{AppError, PageError, csrf};
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use cairn_core::FieldErrors;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "auth/sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    csrf: String,
    email: String,
    errors: FormErrors,
    /// Where to go after signing in (a path of this site), if not home.
    next: String,
    /// A form submitted after the session ended, urlencoded, to offer again after signing in.
    kept_form: String,
}

/// After signing in: the kept form, ready to send again with the new session's token.
#[derive(Template)]
#[template(path = "auth/continue.html")]
struct ContinuePage {
    chrome: Chrome,
    action: String,
    csrf: String,
    fields: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "auth/password.html")]
struct PasswordPage {
    chrome: Chrome,
    changed: bool,
    errors: FormErrors,
}

/// The sign-in form's fields.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignInForm {
    csrf: String,
    email: String,
    password: String,
    next: String,
    kept_form: String,
}

/// Where to go and what to send again after signing in.
#[derive(Default)]
pub struct Continuation {
    next: String,
    kept_form: String,
}

/// `GET /sign-in?next=/path`
pub async fn show_sign_in(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    axum::extract::Query(params): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    let next = params
        .get("next")
        .and_then(|n| super::safe_next(n))
        .unwrap_or_default()
        .to_owned();
    if user.is_some() {
        return Redirect::to(if next.is_empty() { "/" } else { &next }).into_response();
    }
    let continuation = Continuation {
        next,
        kept_form: String::new(),
    };
    sign_in_page(
        &state,
        String::new(),
        FormErrors::default(),
        StatusCode::OK,
        continuation,
    )
}

/// The sign-in page for someone whose session ended as they sent a form to `path`: it keeps
/// `fields` (urlencoded) to offer again once they have signed in.
pub fn sign_in_to_continue(state: &AppState, path: String, fields: String) -> Response {
    let continuation = Continuation {
        next: super::safe_next(&path).unwrap_or_default().to_owned(),
        kept_form: fields,
    };
    sign_in_page(
        state,
        String::new(),
        FormErrors::default(),
        StatusCode::UNAUTHORIZED,
        continuation,
    )
}

fn sign_in_page(
    state: &AppState,
    email: String,
    errors: FormErrors,
    status: StatusCode,
    continuation: Continuation,
) -> Response {
    let token = super::new_token();
    let page = SignInPage {
        chrome: Chrome::default(),
        csrf: token.clone(),
        email,
        errors,
        next: continuation.next,
        kept_form: continuation.kept_form,
    };
    let cookie = super::cookie_header(SIGN_IN_COOKIE, &token, 3600, state.config.secure_cookies);
    (status, [(header::SET_COOKIE, cookie)], render(&page)).into_response()
}

/// `POST /sign-in`
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    from: super::Requester,
    Form(form): Form<SignInForm>,
) -> Result<Response, PageError> {
    let expected = super::cookie(&headers, SIGN_IN_COOKIE).unwrap_or_default();
    let continuation = Continuation {
        next: super::safe_next(&form.next).unwrap_or_default().to_owned(),
        kept_form: form.kept_form,
    };
    if !csrf::tokens_match(&expected, &form.csrf) {
        let errors = FormErrors::one(
            "email",
            "Your sign-in form had expired. Please sign in again.",
        );
        return Ok(sign_in_page(
            &state,
            form.email,
            errors,
            StatusCode::BAD_REQUEST,
            continuation,
        ));
    }
    match authenticate(&state, &form.email, &form.password, &from).await {
        Ok(Authenticated {
            person_id,
            email,
            known_device,
        }) => {
            // A form kept when a session ended is offered only to the person who typed it:
            // the browser was last signed in as them (its device cookie is theirs).
            let continuation = if !known_device {
                Continuation {
                    kept_form: String::new(),
                    ..continuation
                }
            } else {
                continuation
            };
            let new_session = store::create_session(
                &state.db,
                person_id,
                store::SessionKind::Browser,
                state.clock.now(),
            )
            .await?;
            tracing::info!(person.id = %person_id, "signed in");
            let max_age = store::BROWSER_IDLE.whole_seconds();
            let session = super::cookie_header(
                SESSION_COOKIE,
                &new_session.token,
                max_age,
                state.config.secure_cookies,
            );
            let clear = super::cookie_header(SIGN_IN_COOKIE, "", 0, state.config.secure_cookies);
            let mut cookies = vec![(header::SET_COOKIE, session), (header::SET_COOKIE, clear)];
            // A browser new to this person is remembered; a known one keeps its cookie.
            if !known_device {
                let token =
                    store::remember_device(&state.db, email.as_str(), state.clock.now()).await?;
                cookies.push((
                    header::SET_COOKIE,
                    super::cookie_header(
                        super::DEVICE_COOKIE,
                        &token,
                        super::DEVICE_LIFETIME_SECS,
                        state.config.secure_cookies,
                    ),
                ));
            }
            let cookies = AppendHeaders(cookies);
            if !continuation.kept_form.is_empty() && !continuation.next.is_empty() {
                // Offer the kept form again, with the new session's token.
                let page = ContinuePage {
                    chrome: Chrome::default(),
                    action: continuation.next,
                    csrf: new_session.csrf_token,
                    fields: form_urlencoded::parse(continuation.kept_form.as_bytes())
                        .filter(|(key, _)| key != "csrf")
                        .map(|(k, v)| (k.into_owned(), v.into_owned()))
                        .collect(),
                };
                return Ok((cookies, render(&page)).into_response());
            }
            let next = if continuation.next.is_empty() {
                "/".to_owned()
            } else {
                continuation.next
            };
            Ok((StatusCode::SEE_OTHER, [(header::LOCATION, next)], cookies).into_response())
        }
        Err(AppError::Invalid(errors)) => Ok(sign_in_page(
            &state,
            form.email,
            errors.into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            continuation,
        )),
        Err(error @ AppError::TooManyAttempts { .. }) => {
            let errors = FormErrors::one("email", error.detail());
            Ok(sign_in_page(
                &state,
                form.email,
                errors,
                StatusCode::TOO_MANY_REQUESTS,
                continuation,
            ))
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /sign-out`
pub async fn sign_out(
    State(state): State<AppState>,
    user: CurrentUser,
    CheckedForm(_form): CheckedForm<CsrfForm>,
) -> Result<Response, PageError> {
    store::delete_session(&state.db, &user.token_hash).await?;
    state.sessions.forget(&user.token_hash);
    let clear = super::cookie_header(SESSION_COOKIE, "", 0, state.config.secure_cookies);
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/sign-in".to_owned()),
            (header::SET_COOKIE, clear),
        ],
    )
        .into_response())
}

/// `GET /account/password`
pub async fn show_password(user: CurrentUser) -> Response {
    render(&PasswordPage {
        chrome: user.chrome(),
        changed: false,
        errors: FormErrors::default(),
    })
}

/// The change-password form's fields.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

/// `POST /account/password`: checks the current password, sets the new one and signs out
/// every other session.
pub async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    CheckedForm(form): CheckedForm<PasswordForm>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    let stored = store::password_hash(&state.db, user.person_id).await?;
    if form.current_password.is_empty() {
        errors.push("current_password", "Enter your current password");
    } else if !password::verify(form.current_password.clone(), stored).await? {
        errors.push("current_password", "Your current password is not right");
    }
    if let Err(message) = password::check_new(&form.new_password) {
        errors.push("new_password", message);
    }
    if !errors.is_empty() {
        let page = PasswordPage {
            chrome: user.chrome(),
            changed: false,
            errors: errors.into(),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response());
    }
    let hash = password::hash(form.new_password).await?;
    store::set_password_hash(&state.db, user.person_id, &hash, state.clock.now()).await?;
    store::delete_other_sessions(&state.db, user.person_id, &user.token_hash).await?;
    state.sessions.forget_person(user.person_id);
    tracing::info!(person.id = %user.person_id, "password changed");
    Ok(render(&PasswordPage {
        chrome: user.chrome(),
        changed: true,
        errors: FormErrors::default(),
    }))
}

/// This feature's pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign-in", get(show_sign_in).post(sign_in))
        .route("/sign-out", post(sign_out))
        .route(
            "/account/password",
            get(show_password).post(change_password),
        )
}
