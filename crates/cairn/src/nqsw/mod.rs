//! The supported year of newly qualified social workers: the organisation sets the learning
//! activities required by set months into the year; its L&D lead enrols each NQSW with a
//! start date, a mentor and protected learning time; the supervisor holds milestone reviews at
//! 3, 6 and 12 months. The NQSW, their supervisor and the L&D lead see progress, and the year's
//! record exports for the regulator. Supervision frequency for the first year is the
//! organisation's newly-qualified frequency (see `supervision`).

pub mod api;
pub mod pages;
pub mod service;
pub mod store;

use crate::app::AppState;

use crate::auth::CurrentUser;

use crate::authz::{Action, authorize};

use crate::web::AppError;

use cairn_core::Hours;

use cairn_core::nqsw::{MILESTONES, add_months};

use serde::Serialize;

use time::Date;

use uuid::Uuid;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RequirementProgress {
    pub title: String,
    pub due: Date,
    /// met, due or overdue
    pub status: &'static str,
    /// The entry that met it: (title, date).
    pub met_by: Option<(String, Date)>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MilestoneProgress {
    pub month: i64,
    pub due: Date,
    pub review: Option<store::Milestone>,
    /// Due and not yet held.
    pub overdue: bool,
}

/// Where someone's supervised year stands.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Progress {
    pub person_id: Uuid,
    pub name: String,
    pub started_on: Date,
    pub ends_on: Date,
    pub mentor: Option<String>,
    pub protected_hours_per_week: Hours,
    /// Protected time so far: weeks into the year × hours a week.
    pub protected_hours_so_far: Hours,
    /// Hours of learning recorded since the year began.
    pub hours_recorded: Hours,
    pub requirements: Vec<RequirementProgress>,
    pub milestones: Vec<MilestoneProgress>,
    pub next_supervision: Option<Date>,
}

impl Progress {
    pub fn met(&self) -> usize {
        self.requirements
            .iter()
            .filter(|r| r.status == "met")
            .count()
    }
    pub fn overdue(&self) -> usize {
        self.requirements
            .iter()
            .filter(|r| r.status == "overdue")
            .count()
            + self.milestones.iter().filter(|m| m.overdue).count()
    }
}

/// The person's year, if they are on one.
pub async fn progress_of(state: &AppState, person_id: Uuid) -> Result<Option<Progress>, AppError> {
    let Some(year) = store::year(&state.db, person_id).await? else {
        return Ok(None);
    };
    let person = crate::people::service::get_person(&state.db, person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = state.clock.today();
    let mut requirements = Vec::new();
    for r in store::requirements(&state.db, year.org_id).await? {
        let due = add_months(year.started_on, r.due_after_months);
        let met_by = store::meeting(&state.db, person_id, &r, year.started_on).await?;
        requirements.push(RequirementProgress {
            status: match (&met_by, due < today) {
                (Some(_), _) => "met",
                (None, true) => "overdue",
                (None, false) => "due",
            },
            title: r.title,
            due,
            met_by,
        });
    }
    let reviews = store::milestones(&state.db, person_id).await?;
    let milestones = MILESTONES
        .iter()
        .map(|month| {
            let due = add_months(year.started_on, *month);
            let review = reviews.iter().find(|r| r.month == *month).cloned();
            MilestoneProgress {
                month: *month,
                due,
                overdue: review.is_none() && due < today,
                review,
            }
        })
        .collect();
    let ends_on = add_months(year.started_on, 12);
    let (_, hours_recorded) = crate::learning::service::totals_between(
        &state.db,
        person_id,
        year.started_on,
        today.min(ends_on),
        state.clock.now(),
    )
    .await?;
    let weeks = (today.min(ends_on) - year.started_on).whole_weeks().max(0);
    let per_week = Hours::from_units(year.protected_hours_per_week);
    Ok(Some(Progress {
        person_id,
        name: person.name,
        started_on: year.started_on,
        ends_on,
        mentor: year.mentor,
        protected_hours_per_week: per_week,
        protected_hours_so_far: Hours::from_units(per_week.units() * weeks),
        hours_recorded,
        requirements,
        milestones,
        next_supervision: crate::supervision::service::next_due_of(
            &state.db,
            person_id,
            state.clock.today(),
        )
        .await?,
    }))
}

/// Someone else's year, when the user may read their record (supervisor, L&D, admin, auditor).
pub async fn readable(
    state: &AppState,
    user: &CurrentUser,
    person_id: Uuid,
) -> Result<Progress, AppError> {
    if person_id != user.person_id {
        let facts = crate::authz::facts(&state.db, person_id, state.clock.today()).await?;
        authorize(user, Action::ReadRecordOf(&facts))?;
    }
    progress_of(state, person_id)
        .await?
        .ok_or(AppError::NotFound)
}
