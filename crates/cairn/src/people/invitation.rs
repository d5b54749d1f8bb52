//! Invitations to join an organisation's staff: what an HR feed row becomes for someone who
//! already keeps a cairn record and does not work there. The person accepts (the employment,
//! roles and supervisor in the offer are applied, and the organisation sees their record from
//! then on) or declines (nothing changes, and the same feed does not ask again).

use super::{Invitation, store};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::csrf::require;
use crate::web::form::field;
use crate::web::page::{Chrome, long_date, render};
use crate::web::{AppError, PageError, parse_id};
use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

/// What the person answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Accept,
    Decline,
}

/// The person's own invitation, or not found (someone else's is never shown).
async fn own_invitation(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<Invitation, AppError> {
    let id = parse_id(id)?;
    store::invitation(&state.db, id)
        .await?
        .filter(|i| i.person_id == user.person_id)
        .ok_or(AppError::NotFound)
}

/// Answers a waiting invitation. Accepting applies the offer; the supervisor it names is
/// linked only if they work for the organisation on the day of accepting.
pub async fn answer(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    answer: Answer,
) -> Result<Invitation, AppError> {
    let invitation = own_invitation(state, user, id).await?;
    let now = state.clock.now();
    let answered = match answer {
        Answer::Accept => {
            let supervisor = match &invitation.offer.supervisor_email {
                Some(email) => store::employee_by_email(
                    &state.db,
                    invitation.org_id,
                    email,
                    state.clock.today(),
                )
                .await?
                .map(|p| p.id)
                .filter(|id| *id != invitation.person_id),
                None => None,
            };
            store::accept_invitation(&state.db, &invitation, supervisor, now).await?
        }
        Answer::Decline => store::decline_invitation(&state.db, &invitation, now).await?,
    };
    if !answered {
        return Err(AppError::Conflict {
            message: "This invitation has already been answered; its page shows how".into(),
            current_version: None,
        });
    }
    // Roles in the organisation come with the employment.
    state.sessions.forget_person(user.person_id);
    tracing::info!(invitation.id = %invitation.id, org.id = %invitation.org_id, accepted = answer == Answer::Accept, "invitation answered");
    store::invitation(&state.db, invitation.id)
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /api/v1/me/invitations`
pub async fn list_my_invitations(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<serde_json::Value>, AppError> {
    let invitations = store::invitations_of_person(&state.db, user.person_id).await?;
    Ok(Json(serde_json::json!({ "invitations": invitations })))
}

/// `POST /api/v1/me/invitations/{id}/accept`
pub async fn accept_invitation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Invitation>, AppError> {
    answer(&state, &user, &id, Answer::Accept).await.map(Json)
}

/// `POST /api/v1/me/invitations/{id}/decline`
pub async fn decline_invitation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Invitation>, AppError> {
    answer(&state, &user, &id, Answer::Decline).await.map(Json)
}

/// An invitation as its page shows it.
struct InvitationView {
    id: Uuid,
    org_name: String,
    job_role: String,
    starts: String,
    roles: String,
    invited: String,
    status: String,
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
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let invitation = own_invitation(&state, &user, &id).await?;
    crate::catalogue::store::mark_kind_read(
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
        invited: long_date(invitation.created_at.date()),
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
    Path(id): Path<String>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require(&user.csrf, field(&form, "csrf"))?;
    let decision = match field(&form, "decision") {
        "accept" => Answer::Accept,
        "decline" => Answer::Decline,
        _ => return Err(AppError::field("decision", "Choose accept or decline").into()),
    };
    let invitation = answer(&state, &user, &id, decision).await?;
    Ok(Redirect::to(&format!("/invitations/{}", invitation.id)).into_response())
}
