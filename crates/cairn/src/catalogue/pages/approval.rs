//! Approving booking requests and putting people forward, in the browser.

use crate::app::AppState;
use crate::auth::CheckedForm;
use crate::auth::CurrentUser;
use crate::catalogue::approval::{Decided, ask_for_place, decide, nominee, waiting_for};
use crate::web::PageIdPath;
use crate::web::page::{Chrome, FormErrors, long_date, render};
use crate::web::{AppError, PageError};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use uuid::Uuid;

struct Request {
    booking_id: Uuid,
    name: String,
    title: String,
    opportunity_id: Uuid,
    when: String,
    stage: &'static str,
    cost: String,
}

#[derive(Template)]
#[template(path = "catalogue/approvals.html")]
struct ApprovalsPage {
    chrome: Chrome,
    errors: FormErrors,
    notice: Option<String>,
    requests: Vec<Request>,
    /// The booking whose comment was typed before a mistake, and the comment.
    typed: Option<(Uuid, String)>,
}

async fn approvals_page(
    state: &AppState,
    user: &CurrentUser,
    errors: FormErrors,
    notice: Option<String>,
    typed: Option<(Uuid, String)>,
) -> Result<ApprovalsPage, AppError> {
    let requests = waiting_for(state, user)
        .await?
        .into_iter()
        .map(|p| Request {
            booking_id: p.booking_id,
            name: p.name,
            title: p.title,
            opportunity_id: p.opportunity_id,
            when: long_date(crate::zone::local(p.starts_at).date()),
            stage: if p.approvals == 0 {
                "as their line manager"
            } else {
                "as learning and development (their line manager approved)"
            },
            cost: if p.cost_pence == 0 {
                "free".into()
            } else {
                format!("£{} a place", crate::catalogue::pounds(p.cost_pence))
            },
        })
        .collect();
    Ok(ApprovalsPage {
        chrome: user.chrome(),
        errors,
        notice,
        requests,
        typed,
    })
}

/// `GET /approvals`: requests waiting for my decision.
pub async fn show_approvals(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let notice = params.get("decided").map(|what| match what.as_str() {
        "refused" => "The request was refused and the person told why.".to_owned(),
        "next" => "Approved: learning and development now decide.".to_owned(),
        "waiting" => "Approved: the session is full, so they are on the waiting list.".to_owned(),
        _ => "Approved: they have a place and have been told.".to_owned(),
    });
    let page = approvals_page(&state, &user, FormErrors::default(), notice, None).await?;
    // Seen here, so the home page stops showing them.
    crate::notifications::mark_kind_read(
        &state.db,
        user.person_id,
        "approval-needed",
        state.clock.now(),
    )
    .await?;
    Ok(render(&page))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    decision: String,
    comment: String,
}

/// `POST /approvals/{booking}`: approve or refuse.
pub async fn post_decision(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(booking_id): PageIdPath,
    CheckedForm(form): CheckedForm<DecisionForm>,
) -> Result<Response, PageError> {
    let approved = match form.decision.as_str() {
        "approve" => true,
        "refuse" => false,
        _ => {
            let errors =
                FormErrors::one(&format!("comment-{booking_id}"), "Choose approve or refuse");
            let page = approvals_page(
                &state,
                &user,
                errors,
                None,
                Some((booking_id, form.comment)),
            )
            .await?;
            return Ok(
                (axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response(),
            );
        }
    };
    match decide(&state, &user, booking_id, approved, &form.comment).await {
        Ok(decided) => {
            let what = match decided {
                Decided::Refused => "refused",
                Decided::NextStage(_) => "next",
                Decided::Waiting => "waiting",
                Decided::Booked => "booked",
            };
            Ok(Redirect::to(&format!("/approvals?decided={what}")).into_response())
        }
        Err(error @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let errors = FormErrors::one(&format!("comment-{booking_id}"), error.detail());
            let page = approvals_page(
                &state,
                &user,
                errors,
                None,
                Some((booking_id, form.comment)),
            )
            .await?;
            Ok((error.status(), render(&page)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NominateForm {
    email: String,
}

/// `POST /learning/sessions/{id}/nominate`: put someone forward for a session.
pub async fn post_nomination(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(session_id): PageIdPath,
    CheckedForm(form): CheckedForm<NominateForm>,
) -> Result<Response, PageError> {
    let opportunity_id = crate::catalogue::store::opportunity_of_session(&state.db, session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let result = match nominee(&state, &form.email).await {
        Ok(person) if person == user.person_id => Err(AppError::field(
            "email",
            "To book for yourself, use the button above",
        )),
        Ok(person) => ask_for_place(&state, &user, person, session_id)
            .await
            .map(|_| ()),
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => {
            Ok(Redirect::to(&format!("/learning/{opportunity_id}?nominated")).into_response())
        }
        Err(error @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let errors = FormErrors::one(&format!("nominee-{session_id}"), error.detail());
            let mut page = crate::catalogue::pages::opportunity_page(
                &state,
                &user,
                opportunity_id,
                errors,
                None,
            )
            .await?;
            page.nominee = form.email;
            Ok((error.status(), render(&page)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
