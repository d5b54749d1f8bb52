//! Reminders of what is due: requirements at risk or overdue (mandatory items expiring among
//! them), supervision and the actions agreed in it, development goals and
//! plan reviews, endorsements waiting for the person, follow-up questions they are to answer,
//! and sessions they are booked on in the next two days. Shown at `/reminders`, sent as a
//! daily email digest to those who want one, and chosen by each person.

pub mod api;
pub mod digest;
pub mod pages;
pub mod service;
pub mod store;

use crate::app::AppState;
use crate::web::AppError;
use crate::web::page::long_date;
use time::Duration;
use uuid::Uuid;

/// A plan is due for review this long after the last review (twice a year).
const REVIEW_EVERY_DAYS: i64 = 182;

/// One thing due: what, and where to act on it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Reminder {
    pub text: String,
    pub link: String,
}

/// What is due for the person, in the areas they chose.
pub async fn due_for(
    state: &AppState,
    person: Uuid,
    choices: &store::Preferences,
) -> Result<Vec<Reminder>, AppError> {
    let today = state.clock.today();
    let now = state.clock.now();
    let soon = today + Duration::days(7);
    let mut due = Vec::new();
    let mut add = |text: String, link: &str| {
        due.push(Reminder {
            text,
            link: link.to_owned(),
        })
    };
    if choices.requirements
        && let Some(report) = crate::standing::standing_of(&state.db, person, today, now)
            .await
            .map_err(AppError::Internal)?
    {
        use cairn_core::policy::eval::Status;
        for result in report.results {
            if matches!(result.status, Status::AtRisk | Status::Overdue) {
                let why = result.explanation.first().cloned().unwrap_or_default();
                add(format!("{}: {why}", result.title), "/");
            }
        }
    }
    if choices.supervision {
        if let Some(next) =
            crate::supervision::service::next_due_of(&state.db, person, state.clock.today()).await?
            && next <= soon
        {
            add(
                if next < today {
                    format!(
                        "Your supervision is overdue: it was due on {}",
                        long_date(next)
                    )
                } else {
                    format!("Your supervision is due on {}", long_date(next))
                },
                "/supervision",
            );
        }
        // A supervisor is reminded of the people they supervise whose supervision is due
        // or overdue (a newly qualified worker 107 days without it, say).
        let roles = crate::people::service::roles_of(&state.db, person).await?;
        for grant in roles
            .iter()
            .filter(|g| g.role == cairn_core::Role::Supervisor)
        {
            let supervisees =
                crate::people::service::supervisees_of(&state.db, person, grant.org_id).await?;
            for supervisee in supervisees {
                let Some(next) =
                    crate::supervision::service::next_due_of(&state.db, supervisee, today).await?
                else {
                    continue;
                };
                if next > soon {
                    continue;
                }
                let name = crate::people::service::get_person(&state.db, supervisee)
                    .await?
                    .map(|p| p.name)
                    .unwrap_or_default();
                let days = (today - next).whole_days();
                add(
                    match days {
                        d if d > 1 => format!(
                            "{name}\u{2019}s supervision is overdue: it was due on {} ({d} days ago)",
                            long_date(next)
                        ),
                        1 => format!(
                            "{name}\u{2019}s supervision is overdue: it was due yesterday, {}",
                            long_date(next)
                        ),
                        _ => format!("{name}\u{2019}s supervision is due on {}", long_date(next)),
                    },
                    "/supervision/new",
                );
            }
        }
        for action in crate::supervision::service::open_actions(&state.db, person).await? {
            if action.owner_id == person && action.due_on <= soon {
                add(
                    format!(
                        "Action {} {}: {}",
                        if action.due_on < today {
                            "overdue since"
                        } else {
                            "due on"
                        },
                        long_date(action.due_on),
                        action.description
                    ),
                    &format!("/supervision/{}", action.session_id),
                );
            }
        }
    }
    if choices.development_plan {
        let plan = crate::plan::plan_of(&state.db, person).await?;
        let open: Vec<_> = plan
            .goals
            .iter()
            .filter(|g| g.goal.status.is_open())
            .collect();
        for goal in &open {
            if goal.goal.by_when <= today + Duration::days(14) {
                add(
                    format!(
                        "Development goal due {}: {}",
                        long_date(goal.goal.by_when),
                        goal.goal.what
                    ),
                    "/plan",
                );
            }
        }
        let review_due = plan
            .last_reviewed
            .is_none_or(|last| today - last > Duration::days(REVIEW_EVERY_DAYS));
        if !open.is_empty() && review_due {
            add(
                "Your development plan is due for a review with your supervisor".into(),
                "/plan",
            );
        }
    }
    if choices.endorsements {
        let waiting = crate::endorsement::service::waiting_for(&state.db, person).await?;
        if !waiting.is_empty() {
            add(
                format!(
                    "{} waiting for your endorsement",
                    match waiting.len() {
                        1 => "One request is".to_owned(),
                        n => format!("{n} requests are"),
                    }
                ),
                "/endorsements",
            );
        }
    }
    if choices.follow_ups {
        let questions =
            crate::evaluation::service::follow_ups_due(&state.db, person, today).await?;
        if !questions.is_empty() {
            add(
                format!(
                    "{} what has changed in practice after learning",
                    match questions.len() {
                        1 => "One supervisee: say".to_owned(),
                        n => format!("{n} supervisees: say"),
                    }
                ),
                "/follow-ups",
            );
        }
    }
    if choices.bookings {
        for booking in crate::catalogue::service::bookings_of(&state.db, person).await? {
            if booking.status == crate::catalogue::BookingStatus::Booked
                && booking.starts_at >= now
                && booking.starts_at <= now + Duration::days(2)
            {
                add(
                    format!(
                        "{} on {}",
                        booking.title,
                        crate::web::page::When::new(booking.starts_at, booking.starts_at).day
                    ),
                    &format!("/bookings/{}", booking.id),
                );
            }
        }
    }
    Ok(due)
}
