//! What the development plan's API and pages both do: a readable plan, adding and changing
//! goals, linking entries as evidence, and a supervisor's review.

use super::store;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::AppError;
use cairn_core::plan::{GoalDraft, ReviewDraft};
use uuid::Uuid;

/// Someone else's plan, when the user may read their record (their supervisor, or their
/// employer's L&D lead, administrator or auditor); to anyone else it does not exist.
pub async fn readable_plan(
    state: &AppState,
    user: &CurrentUser,
    person_id: Uuid,
) -> Result<super::Plan, AppError> {
    let facts = crate::authz::facts(&state.db, person_id, state.clock.today()).await?;
    authorize(user, Action::ReadRecordOf(&facts))?;
    Ok(super::plan_of(&state.db, person_id).await?)
}

/// Adds a goal to the signed-in person's plan.
pub async fn add_goal(
    state: &AppState,
    user: &CurrentUser,
    draft: &GoalDraft,
) -> Result<Uuid, AppError> {
    let goal = draft.validate().map_err(AppError::Invalid)?;
    Ok(store::insert_goal(&state.db, user.person_id, &goal, state.clock.now()).await?)
}

/// Changes one of the signed-in person's goals.
pub async fn change_goal(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    draft: &GoalDraft,
) -> Result<(), AppError> {
    let goal = draft.validate().map_err(AppError::Invalid)?;
    if !store::update_goal(&state.db, user.person_id, id, &goal, state.clock.now()).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Links the person's own entries to their own goal.
pub async fn link(
    state: &AppState,
    user: &CurrentUser,
    goal_id: Uuid,
    entries: &[Uuid],
) -> Result<(), AppError> {
    let goals = store::goals(&state.db, user.person_id).await?;
    if !goals.iter().any(|g| g.id == goal_id) {
        return Err(AppError::NotFound);
    }
    let mut errors = cairn_core::FieldErrors::default();
    if entries.is_empty() {
        errors.push("entry_ids", "Choose an entry to link");
    }
    for (i, id) in entries.iter().enumerate() {
        let own = crate::learning::service::get_entry(&state.db, user.person_id, *id)
            .await?
            .filter(|e| e.deleted_at.is_none());
        if own.is_none() {
            errors.push(format!("entry_ids[{i}]"), "is not one of your entries");
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    store::link_entries(&state.db, goal_id, entries).await?;
    Ok(())
}

/// The person's supervisor reviews their plan; every goal reviewed must be in it.
pub async fn review(
    state: &AppState,
    user: &CurrentUser,
    person_id: Uuid,
    draft: &ReviewDraft,
) -> Result<Uuid, AppError> {
    let facts = crate::authz::facts(&state.db, person_id, state.clock.today()).await?;
    if authorize(user, Action::Supervise(&facts)).is_err() {
        // Readers who are not the supervisor learn that; others learn nothing.
        authorize(user, Action::ReadRecordOf(&facts))?;
        return Err(AppError::Forbidden);
    }
    let goals: Vec<Uuid> = store::goals(&state.db, person_id)
        .await?
        .iter()
        .map(|g| g.id)
        .collect();
    let valid = draft
        .validate(&goals, state.clock.today())
        .map_err(AppError::Invalid)?;
    // The person hears of it in the same transaction as the review is written.
    let notice = crate::notifications::Notice {
        person_id,
        kind: "plan-reviewed",
        message: format!("{} reviewed your development plan", user.name),
        link: "/plan".into(),
    };
    let id = store::insert_review(
        &state.db,
        person_id,
        user.person_id,
        &valid,
        &notice,
        state.clock.now(),
    )
    .await?;
    Ok(id)
}
