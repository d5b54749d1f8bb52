//! What the catalogue API and pages both do: finding what a person may book, asking for and
//! giving up a place, the notice rule, an organiser's session, and recording attendance.

use super::BookingStatus;
use super::store::{self, Search};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::AppError;
use cairn_core::catalogue::entry_kind;
use cairn_core::{ValidEntry, vocabulary};
use std::collections::HashMap;
use uuid::Uuid;

/// Opportunities matching `search` that the person may book (open to one of the
/// organisations employing them, or to everyone), by title, at most `limit`.
pub async fn search_visible(
    state: &AppState,
    person_id: Uuid,
    search: &Search,
    limit: i64,
) -> Result<Vec<super::Opportunity>, AppError> {
    let orgs =
        crate::people::service::employing_orgs(&state.db, person_id, state.clock.today()).await?;
    let mut found: Vec<super::Opportunity> = Vec::new();
    // One query per employer (people have one or two); no employer: only what is open to all.
    for org in orgs
        .iter()
        .map(|o| Some(*o))
        .chain(orgs.is_empty().then_some(None))
    {
        for opportunity in store::search(&state.db, org, search, limit).await? {
            if !found.iter().any(|o| o.id == opportunity.id) {
                found.push(opportunity);
            }
        }
    }
    found.sort_by(|a, b| a.title.cmp(&b.title));
    found.truncate(limit as usize);
    Ok(found)
}

/// The opportunity, if the person may see it (their employer's, a partner's, or everyone's).
pub async fn visible_opportunity(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
) -> Result<super::Opportunity, AppError> {
    let opportunity = store::get_opportunity(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let orgs =
        crate::people::service::employing_orgs(&state.db, user.person_id, state.clock.today())
            .await?;
    let organiser = authorize(user, Action::ManageCatalogue(opportunity.org_id)).is_ok();
    if organiser || opportunity.open_to(&orgs) {
        Ok(opportunity)
    } else {
        Err(AppError::NotFound)
    }
}

/// The most miles `within` accepts.
pub const MAX_MILES: u32 = 1_000;

/// The search a query string asks for (the API and the page share it): `q` words, `topic`,
/// `element`, `mode`, `max_cost` (pounds), `online` (only what can be done online), `from`
/// and `to` (days a session starts between) and `within` (miles, straight line and never
/// over the sea, from the town of the person's team). Every bad value is named.
pub async fn search_from(
    state: &AppState,
    person_id: Uuid,
    params: &HashMap<String, String>,
) -> Result<Search, AppError> {
    let value = |key: &str| params.get(key).map_or("", |v| v.trim()).to_owned();
    let mut errors = cairn_core::FieldErrors::default();
    let mode = value("mode");
    if !mode.is_empty()
        && let Err(message) = vocabulary::check(cairn_core::catalogue::MODES, &mode)
    {
        errors.push("mode", message);
    }
    let max_cost_pence = match value("max_cost") {
        text if text.is_empty() => None,
        text => cairn_core::catalogue::parse_pounds(&serde_json::Value::String(text))
            .map_err(|message| errors.push("max_cost", message))
            .ok(),
    };
    let mut day = |key: &str| match value(key) {
        text if text.is_empty() => None,
        text => {
            let day = cairn_core::entry::parse_iso_date(&text);
            if day.is_none() {
                errors.push(key, "must be a date such as 2027-03-01");
            }
            day
        }
    };
    let (from, to) = (day("from"), day("to"));
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        errors.push("to", "must be on or after the from date");
    }
    let towns = match value("within") {
        text if text.is_empty() => None,
        text => match text.parse::<u32>() {
            Ok(miles) if (1..=MAX_MILES).contains(&miles) => {
                let town =
                    crate::people::service::team_town(&state.db, person_id, state.clock.today())
                        .await?
                        .as_deref()
                        .and_then(cairn_core::places::place);
                match town {
                    Some(town) => Some(cairn_core::places::towns_within(town, f64::from(miles))),
                    None => {
                        errors.push(
                            "within",
                            "Your team's town is not recorded, so distance cannot be measured: ask your administrator to set it, or search without a distance",
                        );
                        None
                    }
                }
            }
            _ => {
                errors.push(
                    "within",
                    format!("must be a whole number of miles from 1 to {MAX_MILES}"),
                );
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(Search {
        text: value("q"),
        topic: value("topic"),
        element: value("element"),
        mode,
        max_cost_pence,
        online_only: matches!(value("online").as_str(), "1" | "true" | "on" | "yes"),
        from,
        to,
        towns,
    })
}

/// Opportunities on the topics the person's requirements still need (a few per topic), with
/// the topic each is suggested for.
pub async fn suggestions(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<(String, super::Opportunity)>, AppError> {
    let topics = crate::standing::topics_needed(
        &state.db,
        user.person_id,
        state.clock.today(),
        state.clock.now(),
    )
    .await?;
    let mut suggested: Vec<(String, super::Opportunity)> = Vec::new();
    for topic in topics.iter().take(5) {
        let search = Search {
            topic: topic.clone(),
            ..Default::default()
        };
        for opportunity in search_visible(state, user.person_id, &search, 3).await? {
            if suggested.len() < 12 && !suggested.iter().any(|(_, o)| o.id == opportunity.id) {
                suggested.push((topic.clone(), opportunity));
            }
        }
    }
    Ok(suggested)
}

/// Whether cancelling now falls inside the opportunity's notice, so the fee is still owed.
pub fn late_to_cancel(
    opportunity: &super::Opportunity,
    session: &super::Session,
    now: time::OffsetDateTime,
) -> bool {
    opportunity.cancel_notice_days > 0
        && session.starts_at - now < time::Duration::days(opportunity.cancel_notice_days)
}

/// Gives up the signed-in person's place (the first person waiting gets it and is told),
/// leaves the waiting list or withdraws a request for approval; returns the opportunity's id.
/// Once the session has started it can no longer be cancelled (the organiser marks absence).
pub async fn give_up_place(
    state: &AppState,
    user: &CurrentUser,
    booking_id: Uuid,
) -> Result<Uuid, AppError> {
    let (session_id, person_id, status) = store::get_booking(&state.db, booking_id)
        .await?
        .filter(|(_, person, _)| *person == user.person_id)
        .ok_or(AppError::NotFound)?;
    if !status.cancellable() {
        return Err(AppError::Conflict {
            message: format!("This booking is {status} and cannot be cancelled"),
            current_version: None,
        });
    }
    let opportunity_id = store::opportunity_of_session(&state.db, session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let opportunity = store::get_opportunity(&state.db, opportunity_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let session = opportunity
        .sessions
        .iter()
        .find(|s| s.id == session_id)
        .ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    if session.starts_at <= now {
        return Err(AppError::Conflict {
            message: "This session has started, so the booking can no longer be cancelled: the organiser records who attended".into(),
            current_version: None,
        });
    }
    let late = status == BookingStatus::Booked && late_to_cancel(&opportunity, session, now);
    let message = format!("A place came free and is now yours: {}", opportunity.title);
    store::cancel_with_notice(&state.db, booking_id, now, &message, late).await?;
    tracing::info!(booking.id = %booking_id, person.id = %person_id, late, "booking cancelled");
    Ok(opportunity_id)
}

/// The session's opportunity, when `user` runs it (its organisation's L&D lead or admin).
pub async fn organised_session(
    state: &AppState,
    user: &CurrentUser,
    session_id: Uuid,
) -> Result<super::Opportunity, AppError> {
    let opportunity_id = store::opportunity_of_session(&state.db, session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let opportunity = store::get_opportunity(&state.db, opportunity_id)
        .await?
        .ok_or(AppError::NotFound)?;
    authorize(user, Action::ManageCatalogue(opportunity.org_id))?;
    Ok(opportunity)
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceForm {
    pub booking_id: Uuid,
    pub attended: bool,
}

/// Marks whether a booked person attended (organisers only; once the session has started).
/// Attending writes the learning entry into their record (hours, topics, elements from the
/// opportunity), ready for their reflection; returns it.
pub async fn record_attendance(
    state: &AppState,
    user: &CurrentUser,
    session_id: Uuid,
    booking_id: Uuid,
    attended: bool,
) -> Result<Option<Uuid>, AppError> {
    let opportunity = organised_session(state, user, session_id).await?;
    let (_, person_id, status) = store::get_booking(&state.db, booking_id)
        .await?
        .filter(|(session, _, _)| *session == session_id)
        .ok_or_else(|| AppError::field("booking_id", "is not a booking for this session"))?;
    if !status.had_a_place() {
        return Err(AppError::field(
            "booking_id",
            format!("This booking is {status}: only people with a place can attend"),
        ));
    }
    let session = opportunity
        .sessions
        .iter()
        .find(|s| s.id == session_id)
        .ok_or(AppError::NotFound)?;
    if session.starts_at > state.clock.now() {
        return Err(AppError::field(
            "attended",
            "Attendance can be marked once the session has started",
        ));
    }
    let entry = ValidEntry {
        date: crate::zone::local(session.starts_at).date(),
        title: opportunity.title.clone(),
        kind: entry_kind(&opportunity.kind).to_owned(),
        hours: opportunity.hours,
        topics: opportunity.topics.clone(),
        elements: opportunity.elements.clone(),
        reflection: None,
        reflection_so_what: None,
        reflection_now_what: None,
        peer_reflection: false,
        peer_name: None,
    };
    // The evaluation arrives with the news that the entry is in their record.
    let notice = (attended && status != BookingStatus::Attended).then(|| store::Notice {
        person_id,
        kind: "evaluation",
        message: format!(
            "{} is in your record: add your reflection, and tell the organiser how it was",
            opportunity.title
        ),
        link: format!("/bookings/{booking_id}#evaluation"),
    });
    let entry_id = store::mark_attendance(
        &state.db,
        booking_id,
        person_id,
        attended,
        &entry,
        notice.as_ref(),
        state.clock.now(),
    )
    .await?;
    if attended {
        crate::evaluation::service::plan_follow_up(
            &state.db,
            booking_id,
            person_id,
            &opportunity,
            session,
        )
        .await?;
    }
    Ok(entry_id)
}
