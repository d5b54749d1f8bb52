//! What the endorsement API and pages both do: asking for endorsement of entries, reading a
//! request, and deciding on it.

use super::store;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::AppError;
use uuid::Uuid;

/// The most entries one request may hold.
pub const MAX_ENTRIES: usize = 50;

/// Whether `endorser` may endorse `person`'s learning today: they supervise them, or work for
/// an organisation that employs them both.
pub async fn may_endorse(state: &AppState, endorser: Uuid, person: Uuid) -> Result<bool, AppError> {
    if endorser == person {
        return Ok(false);
    }
    if crate::people::service::supervisors_of(&state.db, person)
        .await?
        .contains(&endorser)
    {
        return Ok(true);
    }
    let theirs =
        crate::people::service::employing_orgs(&state.db, person, state.clock.today()).await?;
    let mine =
        crate::people::service::employing_orgs(&state.db, endorser, state.clock.today()).await?;
    Ok(theirs.iter().any(|org| mine.contains(org)))
}

/// Asks for endorsement of the person's own entries. Returns the request's id.
pub async fn ask(
    state: &AppState,
    user: &CurrentUser,
    entry_ids: &[Uuid],
    endorser_email: &str,
    message: &str,
) -> Result<Uuid, AppError> {
    let mut errors = cairn_core::FieldErrors::default();
    if entry_ids.is_empty() || entry_ids.len() > MAX_ENTRIES {
        errors.push(
            "entry_ids",
            format!("Choose 1 to {MAX_ENTRIES} of your entries to be endorsed"),
        );
    }
    for (i, id) in entry_ids.iter().enumerate() {
        let own = crate::learning::service::get_entry(&state.db, user.person_id, *id)
            .await?
            .filter(|e| e.deleted_at.is_none());
        if own.is_none() {
            errors.push(format!("entry_ids[{i}]"), "is not one of your entries");
        }
    }
    if message.chars().count() > 2_000 {
        errors.push("message", "must be at most 2,000 characters");
    }
    let endorser = match cairn_core::Email::parse(endorser_email.trim()) {
        Ok(email) => crate::people::service::person_by_email(&state.db, email.as_str()).await?,
        Err(_) => None,
    };
    let endorser = match endorser {
        Some(p) if p.id == user.person_id => {
            errors.push(
                "endorser_email",
                "You cannot endorse your own learning: ask your supervisor or a colleague",
            );
            None
        }
        Some(p) if may_endorse(state, p.id, user.person_id).await? => Some(p),
        _ => {
            errors.push(
                "endorser_email",
                "Enter the work email of your supervisor or of a colleague in your organisation",
            );
            None
        }
    };
    let Some(endorser) = endorser.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let notice = format!(
        "{} asks you to endorse {}",
        user.name,
        match entry_ids.len() {
            1 => "a learning entry".to_owned(),
            n => format!("{n} learning entries"),
        }
    );
    let id = store::insert_request(
        &state.db,
        user.person_id,
        endorser.id,
        entry_ids,
        message.trim(),
        &notice,
        state.clock.now(),
    )
    .await?;
    tracing::info!(endorsement.id = %id, entries = entry_ids.len(), "endorsement requested");
    Ok(id)
}

/// A request, to its person or its endorser; to anyone else it does not exist.
pub async fn visible(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
) -> Result<(store::Request, Vec<store::Item>), AppError> {
    let request = store::request(&state.db, id)
        .await?
        .filter(|r| r.person_id == user.person_id || r.endorser_id == user.person_id)
        .ok_or(AppError::NotFound)?;
    let items = store::items(&state.db, id).await?;
    Ok((request, items))
}

/// The named endorser endorses (the entries are marked) or returns the request (with a reason).
pub async fn decide(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    endorse: bool,
    comment: &str,
) -> Result<(), AppError> {
    let (request, _) = visible(state, user, id).await?;
    if request.endorser_id != user.person_id {
        return Err(AppError::Forbidden);
    }
    let comment = comment.trim();
    if !endorse && comment.is_empty() {
        return Err(AppError::field(
            "comment",
            "Say what is missing, so that they can add it and ask again",
        ));
    }
    if comment.chars().count() > 2_000 {
        return Err(AppError::field(
            "comment",
            "must be at most 2,000 characters",
        ));
    }
    if !may_endorse(state, user.person_id, request.person_id).await? {
        return Err(AppError::field(
            "comment",
            format!(
                "You no longer supervise or work with {}, so you cannot endorse their learning",
                request.person_name
            ),
        ));
    }
    let notice = if endorse {
        format!("{} endorsed your learning", user.name)
    } else {
        format!("{} returned your learning: {comment}", user.name)
    };
    let decided = store::decide(
        &state.db,
        id,
        endorse,
        comment,
        (request.person_id, &notice),
        state.clock.now(),
    )
    .await?;
    if !decided {
        return Err(AppError::Conflict {
            message: "This request has already been decided".into(),
            current_version: None,
        });
    }
    Ok(())
}
