//! A private calendar feed per person (`/calendar/{token}.ics`): the sessions they have a
//! place on, their supervision sessions, and what falls due (their next supervision, agreed
//! actions they own, development goals, follow-up questions they are to answer), for any
//! calendar application to subscribe to. The address is a secret the person can reset; it
//! carries titles and dates only, never notes.

use crate::app::AppState;
use crate::auth::CheckedForm;
use crate::auth::CurrentUser;
use crate::on_db;
use crate::web::{AppError, PageError};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use cairn_core::ical::{Event, calendar};
use time::OffsetDateTime;
use uuid::Uuid;

const SELECT_PERSON: &str = "SELECT person_id FROM calendar_feed WHERE token = $1";
const SELECT_EVENTS: &str = "SELECT b.id, o.title, o.provider, s.starts_at, s.ends_at, s.venue, s.online_link, o.id AS opportunity_id \
     FROM booking b JOIN opportunity_session s ON s.id = b.session_id JOIN opportunity o ON o.id = s.opportunity_id \
     WHERE b.person_id = $1 AND b.status IN ('booked', 'attended') ORDER BY s.starts_at";

#[derive(sqlx::FromRow)]
struct EventRow {
    id: Uuid,
    title: String,
    provider: String,
    starts_at: OffsetDateTime,
    ends_at: OffsetDateTime,
    venue: Option<String>,
    online_link: Option<String>,
    opportunity_id: Uuid,
}

/// `GET /calendar/{token}.ics`: no sign-in (calendar applications cannot); the token is the key.
pub async fn feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let token = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    let person: Option<Uuid> = on_db!(&state.db, |pool| sqlx::query_scalar(SELECT_PERSON)
        .bind(token)
        .fetch_optional(pool)
        .await)?;
    let person = person.ok_or(AppError::NotFound)?;
    let rows: Vec<EventRow> = on_db!(&state.db, |pool| sqlx::query_as(SELECT_EVENTS)
        .bind(person)
        .fetch_all(pool)
        .await)?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    let now = state.clock.now();
    let mut events: Vec<Event> = rows
        .into_iter()
        .map(|r| Event {
            uid: format!("booking-{}@cairn", r.id),
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            summary: r.title,
            description: Some(format!("Provided by {}. Booked with cairn.", r.provider)),
            location: r.venue.or(r.online_link),
            url: Some(format!("{scheme}://{host}/learning/{}", r.opportunity_id)),
            stamp: now,
            all_day: false,
        })
        .collect();
    events.extend(due_dates(&state, person, &format!("{scheme}://{host}")).await?);
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        calendar("cairn: my learning", &events),
    )
        .into_response())
}

/// A whole-day event.
fn on_day(
    uid: String,
    day: time::Date,
    summary: String,
    url: String,
    stamp: OffsetDateTime,
) -> Event {
    let at = day.midnight().assume_utc();
    Event {
        uid,
        starts_at: at,
        ends_at: at,
        summary,
        description: None,
        location: None,
        url: Some(url),
        stamp,
        all_day: true,
    }
}

/// Supervision held, and what falls due for the person.
async fn due_dates(state: &AppState, person: Uuid, base: &str) -> Result<Vec<Event>, AppError> {
    let now = state.clock.now();
    let today = state.clock.today();
    let mut events = Vec::new();
    for s in crate::supervision::service::sessions_of(&state.db, person).await? {
        let with = s
            .supervisor_name
            .map(|n| format!(" with {n}"))
            .unwrap_or_default();
        events.push(on_day(
            format!("supervision-{}@cairn", s.id),
            s.held_on,
            format!("Supervision{with} ({} minutes)", s.duration_minutes),
            format!("{base}/supervision/{}", s.id),
            now,
        ));
    }
    for a in crate::supervision::service::open_actions(&state.db, person).await? {
        if a.owner_id == person {
            events.push(on_day(
                format!("action-{}@cairn", a.id),
                a.due_on,
                format!("Action due: {}", a.description),
                format!("{base}/supervision/{}", a.session_id),
                now,
            ));
        }
    }
    if let Some(due) =
        crate::supervision::service::next_due_of(&state.db, person, state.clock.today()).await?
    {
        events.push(on_day(
            format!("supervision-due-{person}@cairn"),
            due,
            "Supervision due".into(),
            format!("{base}/supervision"),
            now,
        ));
    }
    for g in crate::plan::service::goals(&state.db, person).await? {
        if g.status.is_open() {
            events.push(on_day(
                format!("goal-{}@cairn", g.id),
                g.by_when,
                format!("Development goal: {}", g.what),
                format!("{base}/plan"),
                now,
            ));
        }
    }
    let far = today + time::Duration::days(3650);
    for f in crate::evaluation::service::follow_ups_due(&state.db, person, far).await? {
        events.push(on_day(
            format!("follow-up-{}@cairn", f.booking_id),
            f.due_on,
            format!(
                "Ask: what has changed in {}'s practice since {}?",
                f.name, f.title
            ),
            format!("{base}/follow-ups"),
            now,
        ));
    }
    Ok(events)
}

/// `POST /calendar/reset`: a new private address (for when the old one was shared by mistake).
pub async fn reset(
    State(state): State<AppState>,
    user: CurrentUser,
    CheckedForm(_form): CheckedForm<crate::web::csrf::CsrfForm>,
) -> Result<Response, PageError> {
    crate::auth::calendar_token::reset_token(&state.db, user.person_id, state.clock.now()).await?;
    Ok(Redirect::to("/bookings?calendar-reset").into_response())
}

// Routes: what this feature answers; server.rs mounts them.
use axum::Router;
use axum::routing::post;

/// This feature's pages.
pub fn page_routes() -> Router<AppState> {
    Router::new().route("/calendar/reset", post(reset))
}
