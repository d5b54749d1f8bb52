//! The home page: a person's record at a glance with quick capture first, composed of
//! learning, where they stand, what is due and what is new.

use crate::app::AppState;
use crate::auth::CheckedForm;
use crate::auth::{CurrentUser, MaybeUser};
use crate::learning::EntryFilter;
use crate::learning::service as store;
use crate::learning::views::{CaptureForm, CaptureSubmission, ElementChoices, EntryLine};
use crate::web::page::{Chrome, FormErrors, render};
use crate::web::{AppError, PageError};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use cairn_core::vocabulary;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "learning/home.html")]
struct HomePage {
    chrome: Chrome,
    standing: crate::standing::section::StandingSection,
    year: i32,
    count_this_year: i64,
    hours_this_year: String,
    entries: Vec<EntryLine>,
    // Quick capture.
    form: CaptureForm,
    errors: FormErrors,
    saved_title: Option<String>,
    today: String,
    kinds: Vec<(&'static str, &'static str)>,
    recent_titles: Vec<String>,
    topic_suggestions: Vec<String>,
    elements: ElementChoices,
    open_details: bool,
    /// Notifications not yet seen (e.g. a place came free), newest first.
    /// Unread notifications: (message, where to act on it).
    unread: Vec<(String, String)>,
    /// What is due, in the areas the person chose (the first five).
    due: Vec<crate::reminders::Reminder>,
}

/// `GET /`: the signed-in person's record at a glance, with quick capture first.
pub async fn show_home(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let Some(user) = user else {
        return Ok(Redirect::to("/sign-in").into_response());
    };
    // What the last form did, said back once.
    let notice = if params.contains_key("declared") {
        Some("Your declaration was sent.")
    } else if params.contains_key("verified") {
        Some("The declaration is verified.")
    } else if params.contains_key("returned") {
        Some("The declaration was returned with your comment.")
    } else {
        None
    };
    let saved_title = match params.get("saved").and_then(|id| Uuid::parse_str(id).ok()) {
        Some(id) => store::get_entry(&state.db, user.person_id, id)
            .await?
            .map(|e| e.title),
        None => None,
    };
    let page = home_page(
        &state,
        &user,
        CaptureForm::default(),
        FormErrors::default(),
        saved_title,
        notice,
    )
    .await?;
    Ok(render(&page))
}

async fn home_page(
    state: &AppState,
    user: &CurrentUser,
    mut form: CaptureForm,
    errors: FormErrors,
    saved_title: Option<String>,
    notice: Option<&'static str>,
) -> Result<HomePage, AppError> {
    let now = state.clock.now();
    let today = state.clock.today();
    if form.date.is_empty() {
        form.date = today.to_string();
    }
    // The details stay folded until used: "other" is the kind nobody has to choose.
    if form.kind.is_empty() {
        form.kind = "other".to_owned();
    }
    let year_start = today.replace_ordinal(1).map_err(anyhow::Error::from)?;
    let (count_this_year, hours_this_year) =
        store::totals_between(&state.db, user.person_id, year_start, today, now).await?;
    let latest = store::list_entries(
        &state.db,
        user.person_id,
        &EntryFilter::default(),
        50,
        0,
        now,
    )
    .await?;
    let mut recent_titles: Vec<String> = Vec::new();
    let mut recent_topics: Vec<String> = Vec::new();
    for entry in &latest.entries {
        if recent_titles.len() < 10 && !recent_titles.contains(&entry.title) {
            recent_titles.push(entry.title.clone());
        }
        for topic in &entry.topics {
            let label = vocabulary::label(vocabulary::TOPICS, topic)
                .map_or_else(|| topic.clone(), str::to_owned);
            if !recent_topics.contains(&label) {
                recent_topics.push(label);
            }
        }
    }
    // Recently used topics first, then the rest of the managed vocabulary.
    let mut topic_suggestions = recent_topics;
    for (_, label) in vocabulary::TOPICS {
        if !topic_suggestions.iter().any(|t| t == label) {
            topic_suggestions.push((*label).to_owned());
        }
    }
    let entries = latest
        .entries
        .iter()
        .take(10)
        .map(EntryLine::from_entry)
        .collect();
    let standing = crate::standing::section::standing_section(state, user, notice).await?;
    let elements = ElementChoices::for_person(state, user.person_id, &form.elements).await?;
    // Requirements have their own section on this page; the rest of what is due shows here.
    let mut choices = crate::reminders::service::preferences(&state.db, user.person_id).await?;
    choices.requirements = false;
    let due = crate::reminders::due_for(state, user.person_id, &choices)
        .await?
        .into_iter()
        .take(5)
        .collect();
    let unread = crate::notifications::notifications_of(&state.db, user.person_id)
        .await?
        .into_iter()
        .filter(|n| n.read_at.is_none())
        .take(5)
        .map(|n| {
            let link = n
                .link
                .filter(|l| !l.is_empty())
                .unwrap_or_else(|| "/notifications".to_owned());
            (n.message, link)
        })
        .collect();
    Ok(HomePage {
        unread,
        due,
        chrome: user.chrome(),
        standing,
        year: today.year(),
        count_this_year,
        hours_this_year: hours_this_year.to_string(),
        entries,
        form,
        errors,
        saved_title,
        today: today.to_string(),
        kinds: vocabulary::KINDS.to_vec(),
        recent_titles,
        topic_suggestions,
        elements,
        open_details: false,
    })
}

/// `POST /entries`: quick capture. One request; back on the home page, ready for the next.
pub async fn capture_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    CheckedForm(CaptureSubmission(form)): CheckedForm<CaptureSubmission>,
) -> Result<Response, PageError> {
    match form.to_draft().validate(state.clock.today()) {
        Ok(entry) => {
            let saved =
                store::insert_entry(&state.db, user.person_id, &entry, state.clock.now()).await?;
            tracing::info!(person.id = %user.person_id, entry.id = %saved.id, "entry recorded");
            Ok(Redirect::to(&format!("/?saved={}", saved.id)).into_response())
        }
        Err(errors) => {
            // Topic errors are reported against the one field the form has for them.
            let errors = cairn_core::FieldErrors(
                errors
                    .0
                    .into_iter()
                    .map(|e| {
                        if e.field.starts_with("topics[") {
                            cairn_core::FieldError::new("topics", e.message)
                        } else {
                            e
                        }
                    })
                    .collect(),
            );
            let page = home_page(&state, &user, form, errors.into(), None, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
    }
}

/// The home page and its capture form.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(show_home))
        .route("/entries", post(capture_entry))
}
