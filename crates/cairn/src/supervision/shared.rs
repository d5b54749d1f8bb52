//! What the supervision API and pages both do: recording a session (who may, with whom, from
//! when), answering a peer session, reading a session, completing an action, and who is due.

use super::store;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::AppError;
use cairn_core::Role;
use cairn_core::supervision::{SessionDraft, SessionKind};
use cairn_core::{Hours, ValidEntry};
use uuid::Uuid;

/// Records a session for the signed-in supervisor: every attendee must be someone they
/// supervise (for a peer session, a colleague in an organisation employing them both). With
/// `add_to_records`, the session becomes a learning entry (kind supervision) in each attendee's
/// record. Each attendee is told. Returns the session's id.
pub async fn record(
    state: &AppState,
    user: &CurrentUser,
    draft: &SessionDraft,
) -> Result<Uuid, AppError> {
    let today = state.clock.today();
    let session = draft
        .validate(user.person_id, today)
        .map_err(AppError::Invalid)?;
    let own_orgs =
        crate::people::service::employing_orgs(&state.db, user.person_id, state.clock.today())
            .await?;
    let mut org_id = None;
    for attendee in &session.attendees {
        let facts = crate::authz::facts(&state.db, *attendee, state.clock.today()).await?;
        let allowed = if session.kind == SessionKind::Peer {
            facts.employing_orgs.iter().any(|o| own_orgs.contains(o))
        } else {
            authorize(user, Action::Supervise(&facts)).is_ok()
        };
        if !allowed {
            return Err(AppError::field(
                "attendees",
                if session.kind == SessionKind::Peer {
                    "A peer session is between colleagues of the same organisation"
                } else {
                    "You can record supervision only with people you supervise"
                },
            ));
        }
        org_id = org_id.or_else(|| {
            facts
                .employing_orgs
                .iter()
                .find(|o| session.kind == SessionKind::Peer || user.has_role(**o, Role::Supervisor))
                .copied()
        });
    }
    let org_id = org_id.ok_or_else(|| AppError::field("attendees", "Choose who was supervised"))?;
    // Nobody was supervised here before they worked here.
    for person in std::iter::once(&user.person_id).chain(&session.attendees) {
        let started = crate::people::service::employments_of(&state.db, *person)
            .await?
            .into_iter()
            .filter(|e| e.org_id == org_id)
            .map(|e| e.start_date)
            .min();
        if started.is_none_or(|start| session.held_on < start) {
            return Err(AppError::field(
                "held_on",
                match started {
                    Some(start) if *person == user.person_id => format!(
                        "You started here on {}: a session cannot be held before that",
                        crate::web::page::long_date(start)
                    ),
                    _ => {
                        "Someone in it did not work here yet on that day: check the date".to_owned()
                    }
                },
            ));
        }
    }
    let now = state.clock.now();
    let id = Uuid::now_v7();
    let when = crate::web::page::long_date(session.held_on);
    let peer = session.kind == SessionKind::Peer;
    // A peer session goes into a colleague's record only once they confirm it.
    let entries: Vec<(Uuid, ValidEntry)> = if session.add_to_records && !peer {
        let entry = session_entry(
            session.kind,
            &user.name,
            session.held_on,
            session.duration_minutes,
        );
        session
            .attendees
            .iter()
            .map(|attendee| (*attendee, entry.clone()))
            .collect()
    } else {
        Vec::new()
    };
    let actions = match session.actions.len() {
        0 => String::new(),
        1 => " and one agreed action".to_owned(),
        n => format!(" and {n} agreed actions"),
    };
    let message = if peer {
        format!(
            "{} recorded peer supervision with you on {when}{actions}. Confirm you were there, or say it was not you: until you confirm, it is not in your record.",
            user.name
        )
    } else {
        format!("{} recorded your supervision of {when}{actions}", user.name)
    };
    let notices: Vec<crate::notifications::Notice> = session
        .attendees
        .iter()
        .map(|attendee| crate::notifications::Notice {
            person_id: *attendee,
            kind: "supervision",
            message: message.clone(),
            link: format!("/supervision/{id}"),
        })
        .collect();
    store::insert_session(
        &state.db,
        &store::NewSession {
            id,
            org_id,
            supervisor_id: user.person_id,
            session: &session,
            entries: &entries,
            notices: &notices,
        },
        now,
    )
    .await?;
    tracing::info!(supervision.id = %id, attendees = session.attendees.len(), "supervision recorded");
    Ok(id)
}

/// The learning entry a session becomes in an attendee's record.
fn session_entry(
    kind: SessionKind,
    supervisor: &str,
    held_on: time::Date,
    minutes: i64,
) -> ValidEntry {
    ValidEntry {
        date: held_on,
        title: if kind == SessionKind::Individual {
            format!("Supervision with {supervisor}")
        } else {
            format!("{} supervision with {supervisor}", kind.label())
        },
        kind: "supervision".into(),
        hours: Hours::from_units(minutes * cairn_core::hours::SCALE / 60),
        topics: Vec::new(),
        elements: Vec::new(),
        reflection: None,
        reflection_so_what: None,
        reflection_now_what: None,
        peer_reflection: kind != SessionKind::Individual,
        peer_name: None,
    }
}

/// An attendee's answer to a peer session a colleague recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attendance {
    /// They were there: it counts, and goes into their record if the colleague asked.
    Confirm,
    /// It was not them: they leave the session, with the actions it gave them.
    Disown,
}

/// Answers a peer session waiting for the user's confirmation.
pub async fn answer_attendance(
    state: &AppState,
    user: &CurrentUser,
    session_id: Uuid,
    answer: Attendance,
) -> Result<(), AppError> {
    let (row, attendees, _) = visible_session(state, user, session_id).await?;
    let waiting = attendees
        .iter()
        .find(|a| a.person_id == user.person_id && !a.confirmed)
        .ok_or_else(|| AppError::Conflict {
            message: "This session is not waiting for you to confirm it".into(),
            current_version: None,
        })?;
    let answered = match answer {
        Attendance::Confirm => {
            let supervisor = row.supervisor_name.as_deref().unwrap_or("a colleague");
            let entry = waiting
                .entry_on_confirm
                .then(|| session_entry(row.kind, supervisor, row.held_on, row.duration_minutes));
            store::confirm_attendance(
                &state.db,
                session_id,
                user.person_id,
                entry.as_ref(),
                state.clock.now(),
            )
            .await?
        }
        Attendance::Disown => {
            store::disown_attendance(&state.db, session_id, user.person_id).await?
        }
    };
    if !answered {
        return Err(AppError::Conflict {
            message: "This session is not waiting for you to confirm it".into(),
            current_version: None,
        });
    }
    tracing::info!(supervision.id = %session_id, confirmed = answer == Attendance::Confirm, "peer session answered");
    Ok(())
}

/// A session, when the user was in it (its supervisor or an attendee); to anyone else it
/// does not exist. Private notes are only ever kept for an individual session, whose two
/// people are exactly those who can see it.
pub async fn visible_session(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
) -> Result<(store::SessionRow, Vec<store::Attendee>, Vec<store::Action>), AppError> {
    let (row, attendees, actions) = store::session(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let present = row.supervisor_id == Some(user.person_id)
        || attendees.iter().any(|a| a.person_id == user.person_id);
    if !present {
        return Err(AppError::NotFound);
    }
    Ok((row, attendees, actions))
}

/// Marks an action done; anyone who was at its session may.
pub async fn complete(
    state: &AppState,
    user: &CurrentUser,
    action_id: Uuid,
) -> Result<(), AppError> {
    let session_id = store::session_of_action(&state.db, action_id)
        .await?
        .ok_or(AppError::NotFound)?;
    visible_session(state, user, session_id).await?;
    if !store::complete_action(&state.db, action_id, state.clock.now()).await? {
        return Err(AppError::Conflict {
            message: "This action is already done".into(),
            current_version: None,
        });
    }
    Ok(())
}

/// The organisation's staff and when each is due, when the user oversees supervision there.
pub async fn due_for_org(
    state: &AppState,
    user: &CurrentUser,
    org_id: Uuid,
) -> Result<Vec<super::Due>, AppError> {
    authorize(user, Action::OverseeSupervision(org_id))?;
    let today = state.clock.today();
    let every = store::frequency(&state.db, org_id).await?;
    let staff = store::staff_supervision(&state.db, org_id, today).await?;
    Ok(super::due_list(staff, every, today))
}

/// Checks days between sessions, naming each bad one.
pub fn check_frequency(nqsw: Option<i64>, every: Option<i64>) -> Result<(i64, i64), AppError> {
    let mut errors = cairn_core::FieldErrors::default();
    let mut days = |field: &str, value: Option<i64>| match value {
        Some(n) if (1..=365).contains(&n) => n,
        _ => {
            errors.push(field, "must be a whole number of days, 1 to 365");
            0
        }
    };
    let nqsw = days("nqsw_every_days", nqsw);
    let every = days("every_days", every);
    errors
        .into_result(|| (nqsw, every))
        .map_err(AppError::Invalid)
}
