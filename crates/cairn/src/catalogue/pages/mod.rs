//! The catalogue in the browser: find learning, book a place or join the waiting list, see
//! and cancel bookings with what has happened to them; an L&D lead offers learning.

pub mod approval;

use crate::app::AppState;
use crate::auth::CheckedForm;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::catalogue::BookingStatus;
use crate::catalogue::approval::request_place;
use crate::catalogue::shared::{
    give_up_place, late_to_cancel, organised_session, record_attendance, search_from,
    search_visible, suggestions, visible_opportunity,
};
use crate::catalogue::store;
use crate::web::PageIdPath;
use crate::web::csrf::CsrfForm;
use crate::web::page::{Chrome, FormErrors, When, long_date, render};
use crate::web::parse_id;
use crate::web::{AppError, PageError};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use cairn_core::catalogue::{MODES, OPPORTUNITY_KINDS, OpportunityDraft, SessionDraft};
use cairn_core::vocabulary::{self, LOCALITIES, TOPICS, Term};
use std::collections::HashMap;
use time::OffsetDateTime;
use uuid::Uuid;

fn label(terms: &[Term], id: &str) -> String {
    vocabulary::label(terms, id).map_or_else(|| id.to_owned(), str::to_owned)
}

struct Found {
    id: Uuid,
    title: String,
    facts: String,
}

#[derive(Template)]
#[template(path = "catalogue/find.html")]
struct FindPage {
    chrome: Chrome,
    errors: FormErrors,
    q: String,
    topic: String,
    element: String,
    mode: String,
    max_cost: String,
    online: bool,
    from: String,
    to: String,
    within: String,
    topics: &'static [Term],
    element_groups: [(&'static str, &'static [Term]); 2],
    modes: &'static [Term],
    found: Vec<Found>,
    /// Learning on topics the person's requirements still need: (topic, opportunity).
    suggested: Vec<(String, Found)>,
    /// An organisation the person can offer learning for.
    offer_org: Option<Uuid>,
    /// Whether the person approves requests or answers follow-ups (supervisors, L&D, admins).
    manages_people: bool,
}

fn facts(o: &crate::catalogue::Opportunity) -> String {
    let cost = if o.cost_per_place == "0.00" {
        "free".to_owned()
    } else {
        format!("£{} a place", o.cost_per_place)
    };
    format!(
        "{} · {} · {} · {} hours · {cost}",
        o.provider,
        label(OPPORTUNITY_KINDS, &o.kind),
        label(MODES, &o.mode),
        o.hours
    )
}

/// `GET /learning?q&topic&mode`: learning the person may book.
pub async fn show_find(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let value = |key: &str| params.get(key).map_or("", |v| v.trim()).to_owned();
    let (found, errors) = match search_from(&state, user.person_id, &params).await {
        Ok(search) => (
            search_visible(&state, user.person_id, &search, 100).await?,
            FormErrors::default(),
        ),
        Err(AppError::Invalid(errors)) => (Vec::new(), errors.into()),
        Err(other) => return Err(other.into()),
    };
    let offer_org = user
        .roles
        .iter()
        .map(|g| g.org_id)
        .find(|org| authorize(&user, Action::ManageCatalogue(*org)).is_ok());
    let suggested = suggestions(&state, &user)
        .await?
        .into_iter()
        .map(|(topic, o)| {
            (
                label(TOPICS, &topic),
                Found {
                    id: o.id,
                    title: o.title.clone(),
                    facts: facts(&o),
                },
            )
        })
        .collect();
    Ok(render(&FindPage {
        chrome: user.chrome(),
        suggested,
        errors,
        q: value("q"),
        topic: value("topic"),
        element: value("element"),
        mode: value("mode"),
        max_cost: value("max_cost"),
        online: !value("online").is_empty(),
        from: value("from"),
        to: value("to"),
        within: value("within"),
        topics: TOPICS,
        element_groups: [
            ("Social work", cairn_core::vocabulary::ELEMENTS_SOCIAL_WORK),
            ("Care", cairn_core::vocabulary::ELEMENTS_CARE),
        ],
        modes: MODES,
        found: found
            .iter()
            .map(|o| Found {
                id: o.id,
                title: o.title.clone(),
                facts: facts(o),
            })
            .collect(),
        offer_org,
        manages_people: user.roles.iter().any(|g| g.role.arranges_learning()),
    }))
}

struct SessionLine {
    id: Uuid,
    when: String,
    place: String,
    availability: String,
    full: bool,
    started: bool,
    /// The person's booking of this session: (id, status in words, cancellable), if any.
    mine: Option<(Uuid, String, bool)>,
    /// The fee still charged if a place is cancelled now (inside the notice).
    late_to_cancel: Option<String>,
}

#[derive(Template)]
#[template(path = "catalogue/opportunity.html")]
pub struct OpportunityPage {
    chrome: Chrome,
    errors: FormErrors,
    notice: Option<&'static str>,
    opportunity_id: Uuid,
    title: String,
    facts: String,
    description: String,
    topics: String,
    elements: String,
    sessions: Vec<SessionLine>,
    /// Whether the person runs this opportunity's sessions.
    organiser: bool,
    /// "Your line manager approves…", when approval is needed.
    approval: Option<&'static str>,
    cancel_notice_days: i64,
    /// Whether the person may put others forward (supervisors, L&D leads, administrators).
    can_nominate: bool,
    /// The email typed into a nomination form that failed, to keep it.
    pub nominee: String,
}

pub async fn opportunity_page(
    state: &AppState,
    user: &CurrentUser,
    opportunity_id: Uuid,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> Result<OpportunityPage, AppError> {
    let opportunity = visible_opportunity(state, user, opportunity_id).await?;
    let mine = store::bookings_of(&state.db, user.person_id).await?;
    let now = state.clock.now();
    let sessions = opportunity
        .sessions
        .iter()
        .map(|s| {
            let left = s.capacity - s.booked;
            let availability = if left > 0 {
                format!("{left} of {} places left", s.capacity)
            } else {
                format!("Full: {} waiting", s.waiting)
            };
            let place = [
                s.venue.clone(),
                s.locality.as_deref().map(|l| label(LOCALITIES, l)),
                s.online_link.as_ref().map(|_| "online".to_owned()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            SessionLine {
                id: s.id,
                when: When::new(s.starts_at, s.ends_at).to_string(),
                place,
                availability,
                full: left <= 0,
                started: s.starts_at <= now,
                late_to_cancel: (!s.starts_at.lt(&now) && late_to_cancel(&opportunity, s, now))
                    .then(|| format!("£{}", opportunity.cost_per_place)),
                mine: mine
                    .iter()
                    .find(|b| {
                        b.session_id == s.id
                            && b.status != crate::catalogue::BookingStatus::Cancelled
                    })
                    .map(|b| (b.id, b.status_words(), b.cancellable())),
            }
        })
        .collect();
    Ok(OpportunityPage {
        chrome: user.chrome(),
        errors,
        notice,
        facts: facts(&opportunity),
        topics: opportunity
            .topics
            .iter()
            .map(|t| label(TOPICS, t))
            .collect::<Vec<_>>()
            .join(", "),
        elements: opportunity
            .elements
            .iter()
            .map(|e| cairn_core::vocabulary::element_label(e))
            .collect::<Vec<_>>()
            .join(", "),
        opportunity_id: opportunity.id,
        organiser: authorize(user, Action::ManageCatalogue(opportunity.org_id)).is_ok(),
        approval: match opportunity.approval_stages {
            0 => None,
            1 => Some("A place needs your line manager's approval."),
            _ => {
                Some("A place needs your line manager's approval, then learning and development's.")
            }
        },
        cancel_notice_days: opportunity.cancel_notice_days,
        can_nominate: user.roles.iter().any(|g| g.role.arranges_learning()),
        nominee: String::new(),
        title: opportunity.title,
        description: opportunity.description,
        sessions,
    })
}

/// `GET /learning/{id}`: what it is, its sessions, and the person's bookings of them.
pub async fn show_opportunity(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let notice = if params.contains_key("booked") {
        Some("You have a place. It is in your bookings.")
    } else if params.contains_key("waiting") {
        Some(
            "The session is full: you are on the waiting list, and will be told if a place comes free.",
        )
    } else if params.contains_key("requested") {
        Some("Your request was sent for approval. You will be told the decision.")
    } else if params.contains_key("nominated") {
        Some("They were put forward and have been told.")
    } else if params.contains_key("cancelled") {
        Some("Your booking was cancelled.")
    } else {
        None
    };
    let page = opportunity_page(&state, &user, id, FormErrors::default(), notice).await?;
    Ok(render(&page))
}

/// `POST /learning/sessions/{id}/book`
pub async fn book_page(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(session_id): PageIdPath,
    CheckedForm(_form): CheckedForm<CsrfForm>,
) -> Result<Response, PageError> {
    let opportunity_id = store::opportunity_of_session(&state.db, session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    match request_place(&state, &user, session_id).await {
        Ok(booking) => {
            let outcome = match booking.status {
                BookingStatus::Booked => "booked",
                BookingStatus::Pending => "requested",
                _ => "waiting",
            };
            Ok(Redirect::to(&format!("/learning/{opportunity_id}?{outcome}")).into_response())
        }
        Err(error @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let errors = FormErrors::one(&format!("session-{session_id}"), error.detail());
            let page = opportunity_page(&state, &user, opportunity_id, errors, None).await?;
            Ok((error.status(), render(&page)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /bookings/{id}/cancel`
pub async fn cancel_page(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    CheckedForm(_form): CheckedForm<CsrfForm>,
) -> Result<Response, PageError> {
    let opportunity_id = give_up_place(&state, &user, id).await?;
    Ok(Redirect::to(&format!("/learning/{opportunity_id}?cancelled")).into_response())
}

struct BookingLine {
    id: Uuid,
    title: String,
    when: String,
    status: String,
}

#[derive(Template)]
#[template(path = "catalogue/bookings.html")]
struct BookingsPage {
    chrome: Chrome,
    /// The private calendar address of the person's booked sessions.
    calendar_url: String,
    calendar_reset: bool,
    notifications: Vec<(String, String)>,
    bookings: Vec<BookingLine>,
}

/// `GET /bookings`: my bookings and what has happened to them.
pub async fn show_bookings(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: axum::http::HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let token =
        crate::auth::service::calendar_token_of(&state.db, user.person_id, state.clock.now())
            .await?;
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    let calendar_url = format!("{scheme}://{host}/calendar/{token}.ics");
    let notifications = crate::notifications::notifications_of(&state.db, user.person_id)
        .await?
        .into_iter()
        .take(10)
        .map(|n| {
            (
                n.message,
                long_date(crate::zone::local(n.created_at).date()),
            )
        })
        .collect();
    // Seen here, so the home page stops showing them.
    crate::notifications::mark_notifications_read(&state.db, user.person_id, state.clock.now())
        .await?;
    let bookings = store::bookings_of(&state.db, user.person_id)
        .await?
        .into_iter()
        .map(|b| BookingLine {
            status: b.status_words(),
            title: b.title,
            when: format!(
                "{} {}",
                crate::zone::local(b.starts_at).weekday(),
                long_date(crate::zone::local(b.starts_at).date())
            ),
            id: b.id,
        })
        .collect();
    Ok(render(&BookingsPage {
        chrome: user.chrome(),
        calendar_url,
        calendar_reset: params.contains_key("calendar-reset"),
        notifications,
        bookings,
    }))
}

#[derive(Template)]
#[template(path = "catalogue/offer.html")]
struct OfferPage {
    chrome: Chrome,
    errors: FormErrors,
    org_id: Uuid,
    form: OfferForm,
    kinds: &'static [Term],
    modes: &'static [Term],
    localities: &'static [Term],
    places: &'static [cairn_core::places::Place],
}

/// The offer form: the opportunity and up to two sessions (date, times, place, capacity).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct OfferForm {
    csrf: String,
    title: String,
    provider: String,
    description: String,
    kind: String,
    mode: String,
    topics: String,
    elements: String,
    hours: String,
    cost_per_place: String,
    everyone: Option<String>,
    approval_stages: String,
    cancel_notice_days: String,
    follow_up_days: String,
    date1: String,
    start1: String,
    end1: String,
    venue1: String,
    locality1: String,
    town1: String,
    online1: String,
    capacity1: String,
    date2: String,
    start2: String,
    end2: String,
    venue2: String,
    locality2: String,
    town2: String,
    online2: String,
    capacity2: String,
}

impl OfferForm {
    /// The draft the API would take, and the problems only the form can have.
    fn to_draft(&self) -> (OpportunityDraft, FormErrors) {
        let mut errors = FormErrors::default();
        let mut sessions = Vec::new();
        let rows = [
            (
                1,
                &self.date1,
                &self.start1,
                &self.end1,
                &self.venue1,
                &self.locality1,
                &self.town1,
                &self.online1,
                &self.capacity1,
            ),
            (
                2,
                &self.date2,
                &self.start2,
                &self.end2,
                &self.venue2,
                &self.locality2,
                &self.town2,
                &self.online2,
                &self.capacity2,
            ),
        ];
        for (n, date, start, end, venue, locality, town, online, capacity) in rows {
            // A second session counts once anything of it is typed, so nothing typed is lost.
            let blank = [date, start, end, venue, locality, town, online, capacity]
                .iter()
                .all(|v| v.trim().is_empty());
            if n == 2 && blank {
                continue;
            }
            let at = |time: &str| -> Option<OffsetDateTime> {
                let date = cairn_core::entry::parse_iso_date(date)?;
                let (h, m) = time.split_once(':')?;
                let time = time::Time::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()?;
                // Typed as the clocks show it where the session is.
                crate::zone::current().instant(date, time)
            };
            let starts_at = at(start);
            if starts_at.is_none() {
                errors.items.push(cairn_core::FieldError::new(
                    format!("date{n}"),
                    format!("Session {n}: enter its date and start time"),
                ));
            }
            let ends_at = at(end);
            if ends_at.is_none() {
                errors.items.push(cairn_core::FieldError::new(
                    format!("end{n}"),
                    format!("Session {n}: enter its end time, such as 16:30"),
                ));
            }
            sessions.push(SessionDraft {
                starts_at,
                ends_at,
                venue: Some(venue.clone()),
                locality: Some(locality.clone()),
                online_link: Some(online.clone()),
                town: Some(town.clone()),
                capacity: capacity.trim().parse().ok().or(Some(0)),
            });
        }
        let text = |s: &String| Some(s.clone()).filter(|s| !s.trim().is_empty());
        let draft = OpportunityDraft {
            title: text(&self.title),
            provider: text(&self.provider),
            description: self.description.clone(),
            kind: text(&self.kind),
            mode: text(&self.mode),
            topics: cairn_core::vocabulary::ids_from_typed(&self.topics, &[TOPICS]),
            elements: cairn_core::vocabulary::ids_from_typed(
                &self.elements,
                &[
                    cairn_core::vocabulary::ELEMENTS_SOCIAL_WORK,
                    cairn_core::vocabulary::ELEMENTS_CARE,
                ],
            ),
            hours: text(&self.hours).map(serde_json::Value::String),
            cost_per_place: text(&self.cost_per_place).map(serde_json::Value::String),
            visibility: Some(
                if self.everyone.is_some() {
                    "everyone"
                } else {
                    "own"
                }
                .to_owned(),
            ),
            partners: Vec::new(),
            approval_stages: self.approval_stages.trim().parse().ok().or(Some(0)),
            cancel_notice_days: whole_days(
                &mut errors,
                "cancel_notice_days",
                &self.cancel_notice_days,
            ),
            follow_up_days: whole_days(&mut errors, "follow_up_days", &self.follow_up_days),
            sessions,
        };
        (draft, errors)
    }
}

/// A whole number of days typed in a form: blank is the default; anything else that is not a
/// whole number is named (a negative one is left to the draft's own check).
fn whole_days(errors: &mut FormErrors, field: &str, typed: &str) -> Option<i64> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    let days = typed.parse().ok();
    if days.is_none() {
        errors.items.push(cairn_core::FieldError::new(
            field,
            "must be a whole number of days, such as 7",
        ));
    }
    days
}

/// Which form field a problem from the draft belongs to.
fn form_field(field: &str) -> String {
    let session = |n: usize, rest: &str| match rest {
        "starts_at" => format!("date{n}"),
        "ends_at" => format!("end{n}"),
        other => format!("{other}{n}"),
    };
    if let Some(rest) = field.strip_prefix("sessions[0].") {
        session(1, rest)
    } else if let Some(rest) = field.strip_prefix("sessions[1].") {
        session(2, rest)
    } else if field.starts_with("topics[") {
        "topics".to_owned()
    } else if field.starts_with("elements[") {
        "elements".to_owned()
    } else {
        field.to_owned()
    }
}

async fn offer_org(state: &AppState, user: &CurrentUser, org_id: Uuid) -> Result<Uuid, AppError> {
    authorize(user, Action::ManageCatalogue(org_id))?;
    crate::people::service::get_org(&state.db, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(org_id)
}

/// `GET /orgs/{id}/offer`: the form to offer learning.
pub async fn show_offer(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
) -> Result<Response, PageError> {
    let org_id = offer_org(&state, &user, id).await?;
    Ok(render(&OfferPage {
        chrome: user.chrome(),
        errors: FormErrors::default(),
        org_id,
        form: OfferForm {
            kind: "course".into(),
            mode: "in-person".into(),
            cost_per_place: "0".into(),
            approval_stages: "0".into(),
            cancel_notice_days: "0".into(),
            follow_up_days: "90".into(),
            ..Default::default()
        },
        kinds: OPPORTUNITY_KINDS,
        modes: MODES,
        localities: LOCALITIES,
        places: cairn_core::places::PLACES,
    }))
}

/// `POST /orgs/{id}/offer`: checked as the API checks it; problems come back on the form with
/// what was typed.
pub async fn save_offer(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    CheckedForm(form): CheckedForm<OfferForm>,
) -> Result<Response, PageError> {
    let org_id = offer_org(&state, &user, id).await?;
    let (draft, mut errors) = form.to_draft();
    match draft.validate() {
        Ok(valid) if errors.is_empty() => {
            let id = store::insert_opportunity(
                &state.db,
                org_id,
                &valid,
                Some(user.person_id),
                state.clock.now(),
            )
            .await?;
            return Ok(Redirect::to(&format!("/learning/{id}")).into_response());
        }
        Ok(_) => {}
        Err(problems) => {
            for problem in problems.0 {
                let field = form_field(&problem.field);
                if !errors.has(&field) {
                    let message = match field.chars().last().filter(char::is_ascii_digit) {
                        Some(n) if field.len() > 1 => format!("Session {n}: {}", problem.message),
                        _ => problem.message,
                    };
                    errors
                        .items
                        .push(cairn_core::FieldError::new(field, message));
                }
            }
        }
    }
    let page = OfferPage {
        chrome: user.chrome(),
        errors,
        org_id,
        form,
        kinds: OPPORTUNITY_KINDS,
        modes: MODES,
        localities: LOCALITIES,
        places: cairn_core::places::PLACES,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

struct AttendeeLine {
    booking_id: Uuid,
    name: String,
    status: &'static str,
    can_mark: bool,
}

#[derive(Template)]
#[template(path = "catalogue/session.html")]
struct SessionPage {
    chrome: Chrome,
    errors: FormErrors,
    notice: Option<&'static str>,
    opportunity_id: Uuid,
    session_id: Uuid,
    title: String,
    when: String,
    started: bool,
    attendees: Vec<AttendeeLine>,
}

async fn session_page(
    state: &AppState,
    user: &CurrentUser,
    session_id: Uuid,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> Result<SessionPage, AppError> {
    let opportunity = organised_session(state, user, session_id).await?;
    let session = opportunity
        .sessions
        .iter()
        .find(|s| s.id == session_id)
        .ok_or(AppError::NotFound)?;
    let started = session.starts_at <= state.clock.now();
    let attendees = store::session_bookings(&state.db, session_id)
        .await?
        .into_iter()
        .map(|a| AttendeeLine {
            can_mark: started && a.status.had_a_place(),
            booking_id: a.id,
            name: a.name,
            status: match a.status {
                BookingStatus::Booked => "Place booked",
                BookingStatus::Waiting => "Waiting",
                BookingStatus::Attended => "Attended: entry in their record",
                other => other.label(),
            },
        })
        .collect();
    Ok(SessionPage {
        chrome: user.chrome(),
        errors,
        notice,
        opportunity_id: opportunity.id,
        session_id,
        when: When::new(session.starts_at, session.ends_at).to_string(),
        title: opportunity.title,
        started,
        attendees,
    })
}

/// `GET /learning/sessions/{id}`: who is booked and waiting, and attendance (organisers).
pub async fn show_session(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let notice = params
        .contains_key("marked")
        .then_some("Attendance saved. Those who attended have the learning in their record.");
    let page = session_page(&state, &user, id, FormErrors::default(), notice).await?;
    Ok(render(&page))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AttendancePageForm {
    booking_id: String,
    attended: String,
}

/// `POST /learning/sessions/{id}/attendance`
pub async fn attendance_page(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(session_id): PageIdPath,
    CheckedForm(form): CheckedForm<AttendancePageForm>,
) -> Result<Response, PageError> {
    let booking_id = parse_id(&form.booking_id)?;
    match record_attendance(
        &state,
        &user,
        session_id,
        booking_id,
        form.attended == "yes",
    )
    .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/learning/sessions/{session_id}?marked")).into_response())
        }
        Err(error @ AppError::Invalid(_)) => {
            let errors = FormErrors::one("attendees", error.detail());
            let page = session_page(&state, &user, session_id, errors, None).await?;
            Ok((error.status(), render(&page)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// This feature's pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/learning", get(show_find))
        .route("/learning/{id}", get(show_opportunity))
        .route("/learning/sessions/{id}/book", post(book_page))
        .route("/learning/sessions/{id}", get(show_session))
        .route("/learning/sessions/{id}/attendance", post(attendance_page))
        .route("/bookings", get(show_bookings))
        .route("/approvals", get(approval::show_approvals))
        .route("/approvals/{id}", post(approval::post_decision))
        .route(
            "/learning/sessions/{id}/nominate",
            post(approval::post_nomination),
        )
        .route("/bookings/{id}/cancel", post(cancel_page))
        .route("/orgs/{id}/offer", get(show_offer).post(save_offer))
}
