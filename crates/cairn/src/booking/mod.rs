//! One booking in the browser: where it stands and the decisions on it, the calendar
//! invitation, cancelling (with the notice rule), what it cost, and its evaluation (confidence
//! before; reaction and confidence after attending).

use crate::app::AppState;
use crate::auth::CheckedForm;
use crate::auth::CurrentUser;
use crate::catalogue::Booking;
use crate::catalogue::service as store;
use crate::catalogue::shared::late_to_cancel;
use crate::evaluation::shared::{own_booking, save_after, save_before};
use crate::spend::shared::{allowance_of, cost_editor, save_costs};
use crate::web::PageIdPath;
use crate::web::form::field;
use crate::web::page::{Chrome, FormErrors, long_date, render};
use crate::web::parse_id;
use crate::web::{AppError, PageError};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use cairn_core::costs::{BookingCostDraft, pounds};
use cairn_core::evaluation::ReactionDraft;
use cairn_core::ical::{Event, Invitation, Method, Party, invitation};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// What is in the forms: typed values after a mistake, else what is saved.
#[derive(Default)]
struct Typed {
    overall: String,
    relevance: String,
    comment: String,
    /// confidence-before-ELEMENT / confidence-after-ELEMENT
    confidence: BTreeMap<String, String>,
    fee: String,
    travel: String,
    accommodation: String,
    backfill_hours: String,
    backfill_rate: String,
}

struct DecisionLine {
    stage: &'static str,
    who: String,
    approved: bool,
    comment: String,
    on: String,
}

#[derive(Template)]
#[template(path = "catalogue/booking.html")]
struct BookingPage {
    chrome: Chrome,
    errors: FormErrors,
    notice: Option<&'static str>,
    booking: Booking,
    status: String,
    when: String,
    place: String,
    decisions: Vec<DecisionLine>,
    cancellable_now: bool,
    late_fee: Option<String>,
    cancel_notice_days: i64,
    /// (id, label) of the opportunity's framework elements.
    elements: Vec<(String, String)>,
    before_open: bool,
    after_open: bool,
    typed: Typed,
    /// Whether the person may change the fee and backfill (they manage spending).
    cost_manager: bool,
    total_cost: String,
    cost_per_place: String,
    /// (allowance, used, left) this year, in pounds.
    allowance: Option<(String, String, String)>,
}

impl BookingPage {
    /// Whether a rating radio button is the typed or saved one.
    fn checked(&self, field: &str, value: &i64) -> bool {
        let typed = match field {
            "overall" => Some(&self.typed.overall),
            "relevance" => Some(&self.typed.relevance),
            other => self.typed.confidence.get(other),
        };
        typed.is_some_and(|t| *t == value.to_string())
    }
}

async fn booking_page(
    state: &AppState,
    user: &CurrentUser,
    booking_id: Uuid,
    errors: FormErrors,
    typed: Option<Typed>,
    notice: Option<&'static str>,
) -> Result<BookingPage, AppError> {
    let (booking, opportunity, session) = own_booking(state, user, booking_id).await?;
    let now = state.clock.now();
    let decisions = crate::catalogue::approval::decisions(&state.db, booking_id)
        .await?
        .into_iter()
        .map(|d| DecisionLine {
            stage: if d.stage == 1 {
                "Line manager"
            } else {
                "Learning and development"
            },
            who: d.name.unwrap_or_else(|| "Someone who has left".into()),
            approved: d.approved,
            comment: d.comment,
            on: long_date(crate::zone::local(d.decided_at).date()),
        })
        .collect();
    let started = session.starts_at <= now;
    let (cost, per_place) = crate::spend::service::costs_of(&state.db, booking_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let typed = match typed {
        Some(typed) => typed,
        None => {
            let mut typed = Typed {
                fee: cost.fee_pence.map(pounds).unwrap_or_default(),
                travel: pounds(cost.travel_pence),
                accommodation: pounds(cost.accommodation_pence),
                backfill_hours: cost.backfill_hours.to_string(),
                backfill_rate: pounds(cost.backfill_rate_pence),
                ..Default::default()
            };
            if let Some(reaction) =
                crate::evaluation::service::reaction_of(&state.db, booking_id).await?
            {
                typed.overall = reaction.overall.to_string();
                typed.relevance = reaction.relevance.to_string();
                typed.comment = reaction.comment;
            }
            for (element, before, after) in
                crate::evaluation::service::confidence_of(&state.db, booking_id).await?
            {
                if let Some(before) = before {
                    typed
                        .confidence
                        .insert(format!("confidence-before-{element}"), before.to_string());
                }
                if let Some(after) = after {
                    typed
                        .confidence
                        .insert(format!("confidence-after-{element}"), after.to_string());
                }
            }
            typed
        }
    };
    let allowance = allowance_of(state, user.person_id)
        .await?
        .map(|(allowance, used)| (pounds(allowance), pounds(used), pounds(allowance - used)));
    let place = [
        session.venue.clone(),
        session
            .town
            .as_deref()
            .and_then(cairn_core::places::place)
            .map(|p| p.name.to_owned()),
        session.online_link.as_ref().map(|_| "online".to_owned()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    Ok(BookingPage {
        chrome: user.chrome(),
        errors,
        notice,
        status: if booking.status == crate::catalogue::BookingStatus::Booked && started {
            "You had a place: the organiser has still to record who attended".to_owned()
        } else {
            booking.status_words()
        },
        when: crate::web::page::When::new(session.starts_at, session.ends_at).to_string(),
        place,
        decisions,
        cancellable_now: booking.cancellable() && !started,
        late_fee: (booking.status == crate::catalogue::BookingStatus::Booked
            && !started
            && late_to_cancel(&opportunity, &session, now))
        .then(|| format!("£{}", opportunity.cost_per_place)),
        cancel_notice_days: opportunity.cancel_notice_days,
        elements: opportunity
            .elements
            .iter()
            .map(|e| (e.clone(), cairn_core::vocabulary::element_label(e)))
            .collect(),
        before_open: booking.cancellable() && !started && !opportunity.elements.is_empty(),
        after_open: booking.status == crate::catalogue::BookingStatus::Attended,
        typed,
        cost_manager: cost_editor(state, user, booking_id).await?,
        total_cost: pounds(cost.total_pence(per_place)),
        cost_per_place: pounds(per_place),
        allowance,
        booking,
    })
}

/// `GET /bookings/{id}`
pub async fn show_booking(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let notice = if params.contains_key("costs") {
        Some("The costs were saved.")
    } else if params.contains_key("evaluated") {
        Some("Thank you: your evaluation was saved.")
    } else if params.contains_key("before") {
        Some("Saved. You will be asked again after the session.")
    } else {
        None
    };
    let page = booking_page(&state, &user, id, FormErrors::default(), None, notice).await?;
    Ok(render(&page))
}

/// The ratings typed for `prefix` (`confidence-before-` or `confidence-after-`), by element;
/// a value that is not a whole number counts as missing (and is named as such).
fn ratings(form: &[(String, String)], prefix: &str) -> BTreeMap<String, i64> {
    form.iter()
        .filter_map(|(k, v)| Some((k.strip_prefix(prefix)?.to_owned(), v.trim().parse().ok()?)))
        .collect()
}

fn typed_from(form: &[(String, String)]) -> Typed {
    let value = |key: &str| field(form, key).trim().to_owned();
    Typed {
        overall: value("overall"),
        relevance: value("relevance"),
        comment: field(form, "comment").to_owned(),
        confidence: form
            .iter()
            .filter(|(k, _)| k.starts_with("confidence-"))
            .cloned()
            .collect(),
        fee: value("fee"),
        travel: value("travel"),
        accommodation: value("accommodation"),
        backfill_hours: value("backfill_hours"),
        backfill_rate: value("backfill_rate"),
    }
}

/// Field names in errors from the shared checks, as the form names them.
fn form_errors(error: AppError, prefix: &str) -> Result<FormErrors, AppError> {
    match error {
        AppError::Invalid(errors) => Ok(FormErrors {
            items: errors
                .0
                .into_iter()
                .map(|mut e| {
                    if let Some(element) = e.field.strip_prefix("confidence.") {
                        e.field = format!("{prefix}{element}");
                    }
                    e
                })
                .collect(),
        }),
        other => Err(other),
    }
}

/// Which of the booking page's forms was sent: the confidence fields it names start with
/// its prefix, and a saved form comes back with its notice.
#[derive(Clone, Copy)]
enum Sent {
    ConfidenceBefore,
    Evaluation,
    Costs,
}

impl Sent {
    fn prefix(self) -> &'static str {
        match self {
            Sent::ConfidenceBefore => "confidence-before-",
            Sent::Evaluation => "confidence-after-",
            Sent::Costs => "",
        }
    }

    fn notice(self) -> &'static str {
        match self {
            Sent::ConfidenceBefore => "before",
            Sent::Evaluation => "evaluated",
            Sent::Costs => "costs",
        }
    }
}

async fn after_post(
    (state, user): (&AppState, &CurrentUser),
    booking_id: Uuid,
    form: &[(String, String)],
    result: Result<(), AppError>,
    sent: Sent,
) -> Result<Response, PageError> {
    let (prefix, done) = (sent.prefix(), sent.notice());
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/bookings/{booking_id}?{done}")).into_response()),
        Err(error) => {
            let status = error.status();
            let errors = form_errors(error, prefix)?;
            let page = booking_page(
                state,
                user,
                booking_id,
                errors,
                Some(typed_from(form)),
                None,
            )
            .await?;
            Ok((status, render(&page)).into_response())
        }
    }
}

/// `POST /bookings/{id}/confidence`: confidence before the session.
pub async fn post_before(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(booking_id): PageIdPath,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let before = ratings(&form, Sent::ConfidenceBefore.prefix());
    let result = save_before(&state, &user, booking_id, &before).await;
    let sent = Sent::ConfidenceBefore;
    after_post((&state, &user), booking_id, &form, result, sent).await
}

/// `POST /bookings/{id}/evaluation`: the reaction and confidence after attending.
pub async fn post_evaluation(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(booking_id): PageIdPath,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let rating = |key: &str| field(&form, key).trim().parse().ok();
    let reaction = ReactionDraft {
        overall: rating("overall"),
        relevance: rating("relevance"),
        comment: Some(field(&form, "comment").to_owned()),
    };
    let after = ratings(&form, Sent::Evaluation.prefix());
    let result = save_after(&state, &user, booking_id, &reaction, &after).await;
    after_post((&state, &user), booking_id, &form, result, Sent::Evaluation).await
}

/// `POST /bookings/{id}/costs`
pub async fn post_costs(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(booking_id): PageIdPath,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let text = |key: &str| {
        let value = field(&form, key).trim();
        (!value.is_empty()).then(|| serde_json::Value::String(value.to_owned()))
    };
    let draft = BookingCostDraft {
        fee: text("fee"),
        travel: text("travel"),
        accommodation: text("accommodation"),
        backfill_hours: text("backfill_hours"),
        backfill_rate: text("backfill_rate"),
    };
    let result = save_costs(&state, &user, booking_id, &draft)
        .await
        .map(|_| ());
    after_post((&state, &user), booking_id, &form, result, Sent::Costs).await
}

/// `GET /bookings/{id}/invitation.ics`: the session as a calendar invitation (a cancelled
/// booking gives the cancellation, so the calendar removes it).
pub async fn invitation_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let booking_id = parse_id(id.trim_end_matches(".ics"))?;
    let (booking, opportunity, session) = own_booking(&state, &user, booking_id).await?;
    use crate::catalogue::BookingStatus as S;
    let method = match booking.status {
        S::Booked | S::Attended => Method::Request,
        S::Cancelled | S::Refused | S::Absent => Method::Cancel,
        S::Pending | S::Waiting => {
            return Err(AppError::Conflict {
                message: "There is no place to put in a calendar yet".into(),
                current_version: None,
            });
        }
    };
    let attendee = Party {
        name: user.name.clone(),
        email: user.email.clone(),
    };
    // Whoever offered it organises it; an invitation without one is the person's own event.
    let organizer = store::offered_by(&state.db, opportunity.id)
        .await?
        .map_or_else(|| attendee.clone(), |(name, email)| Party { name, email });
    let location = [
        session.venue.clone(),
        session
            .town
            .as_deref()
            .and_then(cairn_core::places::place)
            .map(|p| p.name.to_owned()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let invite = Invitation {
        event: Event {
            uid: format!("booking-{booking_id}@cairn"),
            starts_at: session.starts_at,
            ends_at: session.ends_at,
            summary: opportunity.title.clone(),
            description: Some(format!(
                "Provided by {}. Booked with cairn.",
                opportunity.provider
            )),
            location: Some(location)
                .filter(|l| !l.is_empty())
                .or(session.online_link.clone()),
            url: session.online_link.clone(),
            stamp: state.clock.now(),
            all_day: false,
        },
        method,
        // A cancellation must outrank the invitation it withdraws.
        sequence: i64::from(method == Method::Cancel),
        organizer,
        attendee,
    };
    let content_type = match method {
        Method::Request => "text/calendar; charset=utf-8; method=REQUEST",
        Method::Cancel => "text/calendar; charset=utf-8; method=CANCEL",
    };
    Ok(crate::web::download(
        content_type,
        format!("cairn-booking-{booking_id}.ics"),
        invitation(&invite).into_bytes(),
    ))
}

/// One booking's page and its forms.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/bookings/{id}", get(show_booking))
        .route("/bookings/{id}/invitation.ics", get(invitation_file))
        .route("/bookings/{id}/confidence", post(post_before))
        .route("/bookings/{id}/evaluation", post(post_evaluation))
        .route("/bookings/{id}/costs", post(post_costs))
}
