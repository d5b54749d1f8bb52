//! Team learning sessions: a supervisor records learning the team did together (an online
//! module and a case study discussed as a team, say); each participant gets a learning entry,
//! marked as peer-reflected, and is asked to add their own reflection.

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};

use crate::web::AppError;
use cairn_core::Role;
use cairn_core::ValidEntry;
use cairn_core::supervision::TeamSessionDraft;
use uuid::Uuid;

/// Records a team session the signed-in supervisor led, with people they supervise; writes
/// each participant's entry and tells them. Returns the session and each (person, entry).
pub async fn record(
    state: &AppState,
    user: &CurrentUser,
    draft: &TeamSessionDraft,
) -> Result<(Uuid, Vec<(Uuid, Uuid)>), AppError> {
    let session = draft
        .validate(user.person_id, state.clock.today())
        .map_err(AppError::Invalid)?;
    let mut org_id = None;
    for person in &session.attendees {
        let facts = crate::authz::facts(&state.db, *person, state.clock.today()).await?;
        if authorize(user, Action::Supervise(&facts)).is_err() {
            return Err(AppError::field(
                "attendees",
                "You can record team sessions only with people you supervise",
            ));
        }
        org_id = org_id.or_else(|| {
            facts
                .employing_orgs
                .iter()
                .find(|o| user.has_role(**o, Role::Supervisor))
                .copied()
        });
    }
    let org_id = org_id.ok_or_else(|| AppError::field("attendees", "Choose who took part"))?;
    let now = state.clock.now();
    let entry = ValidEntry {
        date: session.held_on,
        title: session.title.clone(),
        kind: "team-learning-session".into(),
        hours: session.hours,
        topics: session.topics.clone(),
        elements: Vec::new(),
        reflection: None,
        reflection_so_what: None,
        reflection_now_what: None,
        peer_reflection: true,
        peer_name: Some(format!("Team session led by {}", user.name)),
    };
    let (id, written) = crate::supervision::store::insert_team_session(
        &state.db,
        org_id,
        user.person_id,
        &session,
        &entry,
        now,
    )
    .await?;
    tracing::info!(team_session.id = %id, attendees = written.len(), "team session recorded");
    Ok((id, written))
}
