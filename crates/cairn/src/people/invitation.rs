//! Invitations to join an organisation's staff: what an HR feed row becomes for someone who
//! already keeps a cairn record and does not work there. The person accepts (the employment,
//! roles and supervisor in the offer are applied, and the organisation sees their record from
//! then on) or declines (nothing changes, and the same feed does not ask again).

use super::{Invitation, store};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::AppError;

/// What the person answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Accept,
    Decline,
}

/// The person's own invitation, or not found (someone else's is never shown).
pub async fn own_invitation(
    state: &AppState,
    user: &CurrentUser,
    id: uuid::Uuid,
) -> Result<Invitation, AppError> {
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
    id: uuid::Uuid,
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
