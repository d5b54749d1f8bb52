//! An invitation in the browser: what the organisation offers, accepted or declined.

use crate::app::AppState;
use crate::auth::CheckedForm;
use crate::auth::CurrentUser;
use crate::people::invitation::{Answer, answer, own_invitation};
use crate::web::PageIdPath;
use crate::web::form::field;
use crate::web::page::{Chrome, long_date, render};
use crate::web::{AppError, PageError};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

/// An invitation as its page shows it.
struct InvitationView {
    id: Uuid,
    org_name: String,
    job_role: String,
    starts: String,
    roles: String,
    invited: String,
    status: crate::people::InvitationStatus,
}

#[derive(Template)]
#[template(path = "people/invitation.html")]
struct InvitationPage {
    chrome: Chrome,
    invitation: InvitationView,
}

/// `GET /invitations/{id}`: what is offered, with accept and decline.
pub async fn show_invitation(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
) -> Result<Response, PageError> {
    let invitation = own_invitation(&state, &user, id).await?;
    crate::notifications::mark_kind_read(
        &state.db,
        user.person_id,
        "invitation",
        state.clock.now(),
    )
    .await?;
    let roles: Vec<&str> = invitation
        .offer
        .roles
        .iter()
        .map(|r| cairn_core::vocabulary::label(cairn_core::vocabulary::ROLES, r).unwrap_or(r))
        .collect();
    let view = InvitationView {
        id: invitation.id,
        org_name: invitation.org_name,
        job_role: invitation.offer.employment.job_role,
        starts: long_date(invitation.offer.employment.start_date),
        roles: roles.join(", "),
        invited: long_date(crate::zone::local(invitation.created_at).date()),
        status: invitation.status,
    };
    Ok(render(&InvitationPage {
        chrome: user.chrome(),
        invitation: view,
    }))
}

/// `POST /invitations/{id}` (`decision` = accept or decline)
pub async fn answer_invitation(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let decision = match field(&form, "decision") {
        "accept" => Answer::Accept,
        "decline" => Answer::Decline,
        _ => return Err(AppError::field("decision", "Choose accept or decline").into()),
    };
    let invitation = answer(&state, &user, id, decision).await?;
    Ok(Redirect::to(&format!("/invitations/{}", invitation.id)).into_response())
}
