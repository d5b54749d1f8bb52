//! The catalogue in the API: opportunities, sessions, bookings, attendance, suggestions and
//! approvals.

use super::approval::Pending;
use super::approval::{ask_for_place, decide, nominee, request_place, waiting_for};
use super::shared::{
    AttendanceForm, give_up_place, organised_session, record_attendance, search_from,
    search_visible, suggestions, visible_opportunity,
};
use super::store::Attendee;
use super::store::{self};
use super::{Booking, Opportunity};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::IdPath;
use crate::web::openapi::{Hidden, Invalid, NotPermitted, SignedOut, problems};
use crate::web::{ApiJson, AppError};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use cairn_core::catalogue::{BookingStatus, OpportunityDraft};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// `POST /api/v1/orgs/{id}/opportunities`: an L&D lead or administrator offers learning.
#[utoipa::path(
    post, path = "/orgs/{id}/opportunities", tag = "catalogue", operation_id = "create_opportunity", params(IdPath), request_body = OpportunityDraft,
    summary = "Offer learning in the catalogue (L&D lead or administrator)",
    responses((status = 201, description = "The opportunity with its sessions", body = Opportunity),
        SignedOut, Hidden, Invalid, NotPermitted),
)]
pub async fn create_opportunity(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(org_id): IdPath,
    ApiJson(draft): ApiJson<OpportunityDraft>,
) -> Result<Response, AppError> {
    authorize(&user, Action::ManageCatalogue(org_id))?;
    let valid = draft.validate().map_err(AppError::Invalid)?;
    let id = store::insert_opportunity(
        &state.db,
        org_id,
        &valid,
        Some(user.person_id),
        state.clock.now(),
    )
    .await?;
    let opportunity = store::get_opportunity(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(opportunity)).into_response())
}

/// `GET /api/v1/opportunities?q&topic&element&mode&max_cost&online&from&to&within`: what
/// the person may book, by title.
#[utoipa::path(
    get, path = "/opportunities", tag = "catalogue", operation_id = "search_opportunities", params(("q" = Option<String>, Query, description = "Words in the title, description or provider"), ("topic" = Option<String>, Query, description = "A topic id"), ("mode" = Option<String>, Query, description = "in-person, online or blended"), ("element" = Option<String>, Query, description = "A framework element id"), ("max_cost" = Option<String>, Query, description = "Most a place may cost, in pounds"), ("online" = Option<String>, Query, description = "1 for only what can be done online"), ("from" = Option<time::Date>, Query, description = "A session starting on or after this day"), ("to" = Option<time::Date>, Query, description = "A session starting on or before this day"), ("within" = Option<i64>, Query, description = "Miles (1 to 1000) from the town of the person's team; never across the sea; online sessions always match")),
    summary = "Find learning you may book, with filters",
    responses((status = 200, description = "Opportunities by title (without sessions)", body = Opportunities),
        SignedOut, Invalid),
)]
pub async fn search_opportunities(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let search = search_from(&state, user.person_id, &params).await?;
    let found = search_visible(&state, user.person_id, &search, 100).await?;
    Ok(Json(Opportunities {
        opportunities: found,
    })
    .into_response())
}

/// `GET /api/v1/me/suggestions`: learning on the topics the person's requirements still need.
#[utoipa::path(
    get, path = "/me/suggestions", tag = "catalogue", operation_id = "my_suggestions",
    summary = "Learning on the topics my requirements still need",
    responses((status = 200, description = "Suggestions, each with the topic it is for", body = Suggestions),
        SignedOut),
)]
pub async fn my_suggestions(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let suggestions = suggestions(&state, &user)
        .await?
        .into_iter()
        .map(|(because_of_topic, opportunity)| Suggestion {
            because_of_topic,
            opportunity,
        })
        .collect();
    Ok(Json(Suggestions { suggestions }).into_response())
}

/// `GET /api/v1/opportunities/{id}`: with its sessions and how full they are.
#[utoipa::path(
    get, path = "/opportunities/{id}", tag = "catalogue", operation_id = "get_opportunity", params(IdPath),
    summary = "An opportunity with its sessions and how full they are",
    responses((status = 200, description = "The opportunity", body = Opportunity), SignedOut, Hidden),
)]
pub async fn get_opportunity(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response, AppError> {
    let opportunity = visible_opportunity(&state, &user, id).await?;
    Ok(Json(opportunity).into_response())
}

/// `POST /api/v1/sessions/{id}/bookings`: a place for me, or the waiting list when full.
#[utoipa::path(
    post, path = "/sessions/{id}/bookings", tag = "catalogue", operation_id = "book_session", params(IdPath),
    summary = "Book a place, or join the waiting list when the session is full",
    responses((status = 201, description = "The booking (status booked or waiting)", body = Booking),
        SignedOut, Hidden, (status = 409, description = "Already booked or waiting"),
        (status = 422, description = "The session has started, or is not open to you")),
)]
pub async fn book_session(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response, AppError> {
    let booking = request_place(&state, &user, id).await?;
    Ok((StatusCode::CREATED, Json(booking)).into_response())
}

problems!(NotBooked: "409" => "Already cancelled or attended");

#[utoipa::path(
    delete, path = "/me/bookings/{id}", tag = "catalogue", operation_id = "cancel_booking", params(IdPath),
    summary = "Cancel: the place goes to the first person waiting, who is told",
    responses((status = 204, description = "Cancelled"), SignedOut, Hidden, NotBooked),
)]
pub async fn cancel_booking(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<StatusCode, AppError> {
    give_up_place(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get, path = "/me/bookings", tag = "catalogue", operation_id = "my_bookings",
    summary = "My bookings, latest session first",
    responses((status = 200, description = "Bookings", body = MyBookings), SignedOut),
)]
pub async fn my_bookings(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let bookings = store::bookings_of(&state.db, user.person_id).await?;
    Ok(Json(MyBookings { bookings }).into_response())
}

/// `GET /api/v1/sessions/{id}/bookings`: who is booked and waiting (organisers).
#[utoipa::path(
    get, path = "/sessions/{id}/bookings", tag = "catalogue", operation_id = "session_bookings", params(IdPath),
    summary = "Who is booked and waiting (the session's organisers)",
    responses((status = 200, description = "The bookings", body = SessionBookings), SignedOut, Hidden,
        NotPermitted),
)]
pub async fn session_bookings(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(session_id): IdPath,
) -> Result<Response, AppError> {
    organised_session(&state, &user, session_id).await?;
    let bookings = store::session_bookings(&state.db, session_id).await?;
    Ok(Json(SessionBookings { bookings }).into_response())
}

#[utoipa::path(
    post, path = "/sessions/{id}/attendance", tag = "catalogue", operation_id = "mark_attendance", params(IdPath), request_body = AttendanceForm,
    summary = "Mark attendance; attending writes the learning entry",
    responses((status = 200, description = "The booking's status and the entry written", body = Attendance),
        SignedOut, Hidden, Invalid, NotPermitted),
)]
pub async fn mark_attendance(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    ApiJson(form): ApiJson<AttendanceForm>,
) -> Result<Response, AppError> {
    let entry_id = record_attendance(&state, &user, id, form.booking_id, form.attended).await?;
    let status = if form.attended {
        BookingStatus::Attended
    } else {
        BookingStatus::Absent
    };
    Ok(Json(Attendance {
        booking_id: form.booking_id,
        status,
        entry_id,
    })
    .into_response())
}

/// `GET /api/v1/me/approvals`: requests waiting for my decision.
#[utoipa::path(
    get, path = "/me/approvals", tag = "catalogue", operation_id = "my_approvals",
    summary = "Booking requests waiting for my decision",
    responses((status = 200, description = "Requests, soonest session first", body = Approvals), SignedOut),
)]
pub async fn my_approvals(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let waiting = waiting_for(&state, &user).await?;
    Ok(Json(Approvals { approvals: waiting }).into_response())
}

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionForm {
    approved: bool,
    #[serde(default)]
    #[schema(max_length = 2000)]
    comment: String,
}

#[utoipa::path(
    post, path = "/bookings/{id}/decision", tag = "catalogue", operation_id = "decide_booking", params(IdPath), request_body = DecisionForm,
    summary = "Approve or refuse a request at the stage it waits for",
    responses((status = 200, description = "The booking after the decision", body = Booking), SignedOut,
        Hidden, (status = 403, description = "Not your stage to decide"),
        (status = 409, description = "No longer waiting for approval"),
        (status = 422, description = "A refusal needs a comment")),
)]
pub async fn post_decision(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(booking_id): IdPath,
    ApiJson(form): ApiJson<DecisionForm>,
) -> Result<Response, AppError> {
    decide(&state, &user, booking_id, form.approved, &form.comment).await?;
    let booking = store::booking(&state.db, booking_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(booking).into_response())
}

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NominationForm {
    #[schema(format = Email)]
    email: String,
}

/// `POST /api/v1/sessions/{id}/nominations` `{"email"}`: put someone forward for a place.
#[utoipa::path(
    post, path = "/sessions/{id}/nominations", tag = "catalogue", operation_id = "nominate", params(IdPath), request_body = NominationForm,
    summary = "Put someone forward for a place (their supervisor, or their employer's L&D lead or administrator); your approvals count",
    responses((status = 201, description = "Their booking", body = Booking), SignedOut, Hidden,
        (status = 409, description = "They already have a booking"),
        (status = 422, description = "Not someone you may put forward, or the session has started")),
)]
pub async fn post_nomination(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(session_id): IdPath,
    ApiJson(form): ApiJson<NominationForm>,
) -> Result<Response, AppError> {
    let person_id = nominee(&state, &form.email).await?;
    if person_id == user.person_id {
        return Err(AppError::field(
            "email",
            "To book for yourself, ask for a place",
        ));
    }
    let booking = ask_for_place(&state, &user, person_id, session_id).await?;
    Ok((StatusCode::CREATED, Json(booking)).into_response())
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_bookings))
        .routes(routes!(cancel_booking))
        .routes(routes!(my_suggestions))
        .routes(routes!(create_opportunity))
        .routes(routes!(search_opportunities))
        .routes(routes!(get_opportunity))
        .routes(routes!(session_bookings, book_session))
        .routes(routes!(mark_attendance))
        .routes(routes!(my_approvals))
        .routes(routes!(post_decision))
        .routes(routes!(post_nomination))
}

/// Opportunities found, by title (without their sessions).
#[derive(Serialize, ToSchema)]
pub struct Opportunities {
    opportunities: Vec<Opportunity>,
}

/// An opportunity suggested for one of the topics a person has been learning about.
#[derive(Serialize, ToSchema)]
pub struct Suggestion {
    because_of_topic: String,
    opportunity: Opportunity,
}

#[derive(Serialize, ToSchema)]
pub struct Suggestions {
    suggestions: Vec<Suggestion>,
}

/// A person's bookings.
#[derive(Serialize, ToSchema)]
pub struct MyBookings {
    bookings: Vec<Booking>,
}

/// Who is booked on a session, for its organiser.
#[derive(Serialize, ToSchema)]
pub struct SessionBookings {
    bookings: Vec<Attendee>,
}

/// Attendance marked: the booking's status now, and the entry written into the record of
/// whoever attended.
#[derive(Serialize, ToSchema)]
pub struct Attendance {
    booking_id: uuid::Uuid,
    status: BookingStatus,
    entry_id: Option<uuid::Uuid>,
}

/// Requests for a place waiting for this person's decision.
#[derive(Serialize, ToSchema)]
pub struct Approvals {
    approvals: Vec<Pending>,
}
