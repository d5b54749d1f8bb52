//! `/reminders`: what is due now, and what the person wants to be reminded of.

use super::store::{self, Preferences};
use crate::app::AppState;
use crate::auth::CheckedForm;
use crate::auth::CurrentUser;
use crate::web::PageError;
use crate::web::page::{Chrome, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "reminders/page.html")]
struct RemindersPage {
    chrome: Chrome,
    saved: bool,
    due: Vec<super::Reminder>,
    choices: Preferences,
    /// Whether this installation sends email at all.
    email_available: bool,
}

impl RemindersPage {
    /// (field, label, chosen) for each area of reminders.
    fn topics(&self) -> Vec<(&'static str, &'static str, bool)> {
        let c = &self.choices;
        vec![
            (
                "supervision",
                "Supervision due, and actions agreed in it",
                c.supervision,
            ),
            (
                "development_plan",
                "Development goals and plan reviews",
                c.development_plan,
            ),
            (
                "endorsements",
                "Requests waiting for my endorsement",
                c.endorsements,
            ),
            (
                "follow_ups",
                "Questions about what changed in practice after learning",
                c.follow_ups,
            ),
            (
                "bookings",
                "Sessions I am booked on in the next two days",
                c.bookings,
            ),
        ]
    }
}

/// `GET /reminders`
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let choices = store::preferences(&state.db, user.person_id).await?;
    let everything = Preferences::default();
    let due = super::due_for(&state, user.person_id, &everything).await?;
    Ok(render(&RemindersPage {
        chrome: user.chrome(),
        saved: params.contains_key("saved"),
        due,
        choices,
        email_available: state.config.mail.is_some(),
    }))
}

/// `POST /reminders`: the choices, as checkboxes (absent means off).
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let on = |key: &str| form.iter().any(|(k, _)| k == key);
    let choices = Preferences {
        email_digest: on("email_digest"),
        requirements: on("requirements"),
        supervision: on("supervision"),
        development_plan: on("development_plan"),
        endorsements: on("endorsements"),
        follow_ups: on("follow_ups"),
        bookings: on("bookings"),
    };
    store::set_preferences(&state.db, user.person_id, &choices, state.clock.now()).await?;
    Ok(Redirect::to("/reminders?saved").into_response())
}

/// This feature's pages.
pub fn routes() -> Router<AppState> {
    Router::new().route("/reminders", get(show).post(save))
}
