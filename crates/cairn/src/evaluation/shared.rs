//! What the evaluation API and pages both do: finding a person's own booking, saving confidence
//! before and the reaction after, answering a follow-up, and an organiser's indicators.

use super::store;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::catalogue::{Booking, Opportunity, Session};
use crate::web::AppError;
use cairn_core::evaluation::{self, ReactionDraft};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The signed-in person's own booking, with its opportunity and session.
pub async fn own_booking(
    state: &AppState,
    user: &CurrentUser,
    booking_id: Uuid,
) -> Result<(Booking, Opportunity, Session), AppError> {
    let (_, person_id, _) = crate::catalogue::service::get_booking(&state.db, booking_id)
        .await?
        .filter(|(_, person, _)| *person == user.person_id)
        .ok_or(AppError::NotFound)?;
    debug_assert_eq!(person_id, user.person_id);
    let booking = crate::catalogue::service::booking(&state.db, booking_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let opportunity = crate::catalogue::service::get_opportunity(&state.db, booking.opportunity_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let session = opportunity
        .sessions
        .iter()
        .find(|s| s.id == booking.session_id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok((booking, opportunity, session))
}

/// Level 2, before: the person's confidence on each element, until the session starts.
pub async fn save_before(
    state: &AppState,
    user: &CurrentUser,
    booking_id: Uuid,
    ratings: &BTreeMap<String, i64>,
) -> Result<(), AppError> {
    let (booking, opportunity, session) = own_booking(state, user, booking_id).await?;
    if !booking.cancellable() || session.starts_at <= state.clock.now() {
        return Err(AppError::field(
            "confidence",
            "Confidence before the session is asked until it starts",
        ));
    }
    if opportunity.elements.is_empty() {
        return Err(AppError::field(
            "confidence",
            "This learning names no framework elements to rate",
        ));
    }
    let valid =
        evaluation::confidence(&opportunity.elements, ratings).map_err(AppError::Invalid)?;
    store::save_confidence_before(&state.db, booking_id, &valid).await?;
    Ok(())
}

/// Level 1 and level 2 after: once the person has attended.
pub async fn save_after(
    state: &AppState,
    user: &CurrentUser,
    booking_id: Uuid,
    reaction: &ReactionDraft,
    ratings: &BTreeMap<String, i64>,
) -> Result<(), AppError> {
    let (booking, opportunity, _) = own_booking(state, user, booking_id).await?;
    if booking.status != crate::catalogue::BookingStatus::Attended {
        return Err(AppError::field(
            "overall",
            "The evaluation opens once the organiser has recorded that you attended",
        ));
    }
    let mut errors = cairn_core::FieldErrors::default();
    let reaction = reaction.validate().map_err(|e| errors.0.extend(e.0)).ok();
    let after = evaluation::confidence(&opportunity.elements, ratings)
        .map_err(|e| errors.0.extend(e.0))
        .ok();
    match (reaction, after) {
        (Some(reaction), Some(after)) if errors.is_empty() => {
            store::save_reaction(&state.db, booking_id, &reaction, &after, state.clock.now())
                .await?;
            Ok(())
        }
        _ => Err(AppError::Invalid(errors)),
    }
}

/// Level 3: the supervisor answers a question that is theirs and due.
pub async fn answer(
    state: &AppState,
    user: &CurrentUser,
    booking_id: Uuid,
    answer: Option<&str>,
) -> Result<(), AppError> {
    let (supervisor, due_on, answered) = store::follow_up_of(&state.db, booking_id)
        .await?
        .filter(|(supervisor, _, _)| *supervisor == Some(user.person_id))
        .ok_or(AppError::NotFound)?;
    debug_assert!(supervisor.is_some());
    if answered.is_some() {
        return Err(AppError::Conflict {
            message: "This question has already been answered".into(),
            current_version: None,
        });
    }
    if due_on > state.clock.today() {
        return Err(AppError::field(
            "answer",
            format!(
                "This question opens on {}",
                crate::web::page::long_date(due_on)
            ),
        ));
    }
    let answer = evaluation::follow_up_answer(answer).map_err(AppError::Invalid)?;
    store::answer_follow_up(
        &state.db,
        booking_id,
        user.person_id,
        &answer,
        state.clock.now(),
    )
    .await?;
    Ok(())
}

/// The opportunity, when the user runs it (its organisation's L&D lead or administrator).
pub async fn organised(
    state: &AppState,
    user: &CurrentUser,
    opportunity_id: Uuid,
) -> Result<Opportunity, AppError> {
    let opportunity = crate::catalogue::service::get_opportunity(&state.db, opportunity_id)
        .await?
        .ok_or(AppError::NotFound)?;
    authorize(user, Action::ManageCatalogue(opportunity.org_id))?;
    Ok(opportunity)
}

pub async fn results_for(
    state: &AppState,
    user: &CurrentUser,
    opportunity_id: Uuid,
) -> Result<super::EvaluationResults, AppError> {
    let opportunity = organised(state, user, opportunity_id).await?;
    let results = store::results(&state.db, opportunity_id).await?;
    Ok(super::results(&opportunity, results))
}

/// Level 4: a measurement of an indicator, on a day not in the future.
pub async fn measure(
    state: &AppState,
    user: &CurrentUser,
    indicator_id: Uuid,
    measured_on: Option<&str>,
    value: Option<f64>,
    note: &str,
) -> Result<Uuid, AppError> {
    let indicator = store::indicator(&state.db, indicator_id)
        .await?
        .ok_or(AppError::NotFound)?;
    organised(state, user, indicator.opportunity_id).await?;
    let mut errors = cairn_core::FieldErrors::default();
    let day = measured_on.and_then(cairn_core::entry::parse_iso_date);
    match day {
        None => errors.push(
            "measured_on",
            "Enter the day it was measured, such as 2027-03-01",
        ),
        Some(day) if day > state.clock.today() => {
            errors.push("measured_on", "must not be in the future")
        }
        Some(_) => {}
    }
    if !value.is_some_and(f64::is_finite) {
        errors.push("value", "Enter the value measured, as a number");
    }
    if note.chars().count() > 2_000 {
        errors.push("note", "must be at most 2,000 characters");
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let (Some(day), Some(value)) = (day, value) else {
        unreachable!("checked above")
    };
    store::add_measure(&state.db, indicator_id, day, value, note.trim()).await?;
    Ok(indicator.opportunity_id)
}
