//! Recording a team learning session in the browser.

use crate::app::AppState;
use crate::auth::CheckedForm;
use crate::auth::CurrentUser;
use crate::supervision::team::record;
use crate::web::page::{Chrome, FormErrors, render};
use crate::web::{AppError, PageError};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cairn_core::supervision::TeamSessionDraft;
use cairn_core::vocabulary::TOPICS;
use uuid::Uuid;

#[derive(Default)]
struct Typed {
    title: String,
    held_on: String,
    hours: String,
    topics: String,
    description: String,
    attendees: Vec<String>,
}

#[derive(Template)]
#[template(path = "supervision/team_session.html")]
struct TeamSessionPage {
    chrome: Chrome,
    errors: FormErrors,
    supervisees: Vec<(String, String)>,
    typed: Typed,
}

impl TeamSessionPage {
    fn taking_part(&self, id: &str) -> bool {
        self.typed.attendees.iter().any(|a| a == id)
    }
}

/// `GET /team-sessions/new`
pub async fn show_new(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PageError> {
    let typed = Typed {
        held_on: state.clock.today().to_string(),
        hours: "1.5".into(),
        ..Default::default()
    };
    Ok(render(&TeamSessionPage {
        chrome: user.chrome(),
        errors: FormErrors::default(),
        supervisees: crate::supervision::pages::supervisees(&state, &user).await?,
        typed,
    }))
}

/// `POST /team-sessions/new`
pub async fn post_new(
    State(state): State<AppState>,
    user: CurrentUser,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let field = |key: &str| crate::web::form::field(&form, key);
    let typed = Typed {
        title: field("title").to_owned(),
        held_on: field("held_on").trim().to_owned(),
        hours: field("hours").trim().to_owned(),
        topics: field("topics").to_owned(),
        description: field("description").to_owned(),
        attendees: crate::web::form::all(&form, "attendees"),
    };
    let draft = TeamSessionDraft {
        title: Some(typed.title.clone()),
        held_on: Some(typed.held_on.clone()),
        hours: Some(serde_json::Value::String(typed.hours.clone())),
        topics: cairn_core::vocabulary::ids_from_typed(&typed.topics, &[TOPICS]),
        description: typed.description.clone(),
        attendees: typed
            .attendees
            .iter()
            .filter_map(|a| Uuid::parse_str(a).ok())
            .collect(),
    };
    match record(&state, &user, &draft).await {
        Ok(_) => Ok(Redirect::to("/team?team-session").into_response()),
        Err(AppError::Invalid(problems)) => {
            let errors = FormErrors {
                items: problems
                    .0
                    .into_iter()
                    .map(|mut e| {
                        if e.field.starts_with("topics[") {
                            e.field = "topics".into();
                        }
                        e
                    })
                    .collect(),
            };
            let page = TeamSessionPage {
                chrome: user.chrome(),
                errors,
                supervisees: crate::supervision::pages::supervisees(&state, &user).await?,
                typed,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
