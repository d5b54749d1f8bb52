//! Endorsement in the browser: ask for it (choosing entries), and endorse or return what
//! others ask of you.

use super::shared::{ask, decide};
use super::store;
use crate::app::AppState;
use crate::auth::CheckedForm;
use crate::auth::CurrentUser;
use crate::web::PageIdPath;
use crate::web::form::field;
use crate::web::page::{Chrome, FormErrors, long_date, render};
use crate::web::{AppError, PageError};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use cairn_core::Hours;
use std::collections::HashMap;
use uuid::Uuid;

struct ItemLine {
    title: String,
    facts: String,
    reflection: Vec<String>,
}

struct ToEndorse {
    id: Uuid,
    person: String,
    message: String,
    asked: String,
    items: Vec<ItemLine>,
}

struct Mine {
    endorser: String,
    asked: String,
    status: &'static str,
    comment: String,
}

#[derive(Default)]
struct Typed {
    entries: Vec<String>,
    /// The email of the person chosen from the list.
    endorser_choice: String,
    endorser_email: String,
    message: String,
    /// The request whose decision failed, and the comment typed.
    decision: Option<(Uuid, String)>,
}

#[derive(Template)]
#[template(path = "endorsement/page.html")]
struct EndorsementsPage {
    chrome: Chrome,
    errors: FormErrors,
    notice: Option<&'static str>,
    to_endorse: Vec<ToEndorse>,
    mine: Vec<Mine>,
    /// (id, title, date) of the person's latest entries, to choose from.
    entries: Vec<(String, String, String)>,
    /// (email, label) of those who can endorse: supervisors first, then teammates.
    endorsers: Vec<(String, String)>,
    typed: Typed,
}

impl EndorsementsPage {
    fn chosen(&self, id: &str) -> bool {
        self.typed.entries.iter().any(|e| e == id)
    }
    fn decision_comment(&self, id: &Uuid) -> &str {
        match &self.typed.decision {
            Some((request, comment)) if request == id => comment,
            _ => "",
        }
    }
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    errors: FormErrors,
    notice: Option<&'static str>,
    typed: Typed,
) -> Result<EndorsementsPage, AppError> {
    let mut to_endorse = Vec::new();
    for request in store::waiting_for(&state.db, user.person_id).await? {
        let items = store::items(&state.db, request.id)
            .await?
            .into_iter()
            .map(|i| ItemLine {
                title: i.title,
                facts: format!(
                    "{} · {} hours",
                    long_date(i.date),
                    Hours::from_units(i.hours)
                ),
                reflection: [i.reflection, i.reflection_so_what, i.reflection_now_what]
                    .into_iter()
                    .flatten()
                    .filter(|r| !r.trim().is_empty())
                    .collect(),
            })
            .collect();
        to_endorse.push(ToEndorse {
            id: request.id,
            person: request.person_name,
            message: request.message,
            asked: long_date(crate::zone::local(request.requested_at).date()),
            items,
        });
    }
    let mine = store::requests_of(&state.db, user.person_id)
        .await?
        .into_iter()
        .map(|r| Mine {
            endorser: r.endorser_name,
            asked: long_date(crate::zone::local(r.requested_at).date()),
            status: r.status.label(),
            comment: r.comment,
        })
        .collect();
    let now = state.clock.now();
    let entries =
        crate::learning::service::latest_choices(&state.db, user.person_id, 20, now).await?;
    let mut endorsers: Vec<(String, String)> = Vec::new();
    for supervisor in crate::people::service::supervisors_of(&state.db, user.person_id).await? {
        if let Some(p) = crate::people::service::get_person(&state.db, supervisor).await? {
            endorsers.push((p.email.to_string(), format!("{} (your supervisor)", p.name)));
        }
    }
    for (_, name, email) in
        crate::people::service::teammates_of(&state.db, user.person_id, state.clock.today()).await?
    {
        if !endorsers.iter().any(|(e, _)| *e == email) {
            endorsers.push((email, name));
        }
    }
    crate::notifications::mark_kind_read(&state.db, user.person_id, "endorsement-requested", now)
        .await?;
    Ok(EndorsementsPage {
        chrome: user.chrome(),
        errors,
        notice,
        to_endorse,
        mine,
        entries,
        endorsers,
        typed,
    })
}

/// `GET /endorsements?entry=ID`
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let notice = match params.get("done").map(String::as_str) {
        Some("asked") => Some("Your request was sent."),
        Some("endorsed") => Some("Endorsed: the entries are marked, and they have been told."),
        Some("returned") => Some("Returned, with your comment."),
        _ => None,
    };
    let typed = Typed {
        entries: params.get("entry").cloned().into_iter().collect(),
        ..Default::default()
    };
    Ok(render(
        &page(&state, &user, FormErrors::default(), notice, typed).await?,
    ))
}

/// `POST /endorsements`: ask for endorsement of the chosen entries.
pub async fn post_ask(
    State(state): State<AppState>,
    user: CurrentUser,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let typed = Typed {
        entries: crate::web::form::all(&form, "entries"),
        endorser_choice: field(&form, "endorser_choice").to_owned(),
        endorser_email: field(&form, "endorser_email").to_owned(),
        message: field(&form, "message").to_owned(),
        decision: None,
    };
    let ids: Vec<Uuid> = typed
        .entries
        .iter()
        .filter_map(|e| Uuid::parse_str(e).ok())
        .collect();
    // Someone typed in wins over someone chosen: it is the later, more deliberate answer.
    let endorser = if typed.endorser_email.trim().is_empty() {
        typed.endorser_choice.as_str()
    } else {
        typed.endorser_email.as_str()
    };
    match ask(&state, &user, &ids, endorser, &typed.message).await {
        Ok(_) => Ok(Redirect::to("/endorsements?done=asked").into_response()),
        Err(AppError::Invalid(problems)) => {
            let errors = FormErrors {
                items: problems
                    .0
                    .into_iter()
                    .map(|mut e| {
                        if e.field.starts_with("entry_ids") {
                            e.field = "entries".into();
                        }
                        e
                    })
                    .collect(),
            };
            let page = page(&state, &user, errors, None, typed).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    decision: String,
    comment: String,
}

/// `POST /endorsements/{id}`: endorse or return.
pub async fn post_decision(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    CheckedForm(form): CheckedForm<DecisionForm>,
) -> Result<Response, PageError> {
    let endorse = form.decision == "endorse";
    match decide(&state, &user, id, endorse, &form.comment).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/endorsements?done={}",
            if endorse { "endorsed" } else { "returned" }
        ))
        .into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let errors = FormErrors::one(&format!("comment-{id}"), error.detail());
            let typed = Typed {
                decision: Some((id, form.comment)),
                ..Default::default()
            };
            let page = page(&state, &user, errors, None, typed).await?;
            Ok((error.status(), render(&page)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// This feature's pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/endorsements", get(show).post(post_ask))
        .route("/endorsements/{id}", post(post_decision))
}
