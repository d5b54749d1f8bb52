//! The catalogue in the API: opportunities, sessions, bookings, attendance, suggestions and
//! approvals.

use super::approval::{ask_for_place, decide, nominee, request_place, waiting_for};
use super::shared::{
    AttendanceForm, give_up_place, organised_session, record_attendance, search_from,
    search_visible, suggestions, visible_opportunity,
};
use super::store::{self};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::parse_id;
use crate::web::{ApiJson, AppError};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{delete, get, post};
use cairn_core::catalogue::OpportunityDraft;
use serde_json::json;
use std::collections::HashMap;

/// `POST /api/v1/orgs/{id}/opportunities`: an L&D lead or administrator offers learning.
pub async fn create_opportunity(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(draft): ApiJson<OpportunityDraft>,
) -> Result<Response, AppError> {
    let org_id = parse_id(&id)?;
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
pub async fn search_opportunities(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let search = search_from(&state, user.person_id, &params).await?;
    let found = search_visible(&state, user.person_id, &search, 100).await?;
    Ok(Json(json!({ "opportunities": found })).into_response())
}

/// `GET /api/v1/me/suggestions`: learning on the topics the person's requirements still need.
pub async fn my_suggestions(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let suggested: Vec<serde_json::Value> = suggestions(&state, &user)
        .await?
        .into_iter()
        .map(|(topic, opportunity)| json!({"because_of_topic": topic, "opportunity": opportunity}))
        .collect();
    Ok(Json(json!({ "suggestions": suggested })).into_response())
}

/// `GET /api/v1/opportunities/{id}`: with its sessions and how full they are.
pub async fn get_opportunity(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let opportunity = visible_opportunity(&state, &user, parse_id(&id)?).await?;
    Ok(Json(opportunity).into_response())
}

/// `POST /api/v1/sessions/{id}/bookings`: a place for me, or the waiting list when full.
pub async fn book_session(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let booking = request_place(&state, &user, parse_id(&id)?).await?;
    Ok((StatusCode::CREATED, Json(booking)).into_response())
}

/// `GET /api/v1/me/bookings`
pub async fn my_bookings(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let bookings = store::bookings_of(&state.db, user.person_id).await?;
    Ok(Json(json!({ "bookings": bookings })).into_response())
}

/// `DELETE /api/v1/me/bookings/{id}`
pub async fn cancel_booking(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    give_up_place(&state, &user, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /api/v1/sessions/{id}/bookings`: who is booked and waiting (organisers).
pub async fn session_bookings(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let session_id = parse_id(&id)?;
    organised_session(&state, &user, session_id).await?;
    let bookings = store::session_bookings(&state.db, session_id).await?;
    Ok(Json(json!({ "bookings": bookings })).into_response())
}

/// `POST /api/v1/sessions/{id}/attendance` `{"booking_id", "attended"}`
pub async fn mark_attendance(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(form): ApiJson<AttendanceForm>,
) -> Result<Response, AppError> {
    let entry_id = record_attendance(
        &state,
        &user,
        parse_id(&id)?,
        form.booking_id,
        form.attended,
    )
    .await?;
    Ok(Json(json!({
        "booking_id": form.booking_id,
        "status": if form.attended { "attended" } else { "absent" },
        "entry_id": entry_id,
    }))
    .into_response())
}

/// `GET /api/v1/me/approvals`: requests waiting for my decision.
pub async fn my_approvals(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let waiting = waiting_for(&state, &user).await?;
    Ok(Json(json!({ "approvals": waiting })).into_response())
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionForm {
    approved: bool,
    #[serde(default)]
    comment: String,
}

/// `POST /api/v1/bookings/{id}/decision` `{"approved", "comment"}`
pub async fn post_decision(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(form): ApiJson<DecisionForm>,
) -> Result<Response, AppError> {
    let booking_id = crate::web::parse_id(&id)?;
    decide(&state, &user, booking_id, form.approved, &form.comment).await?;
    let booking = store::booking(&state.db, booking_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(booking).into_response())
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NominationForm {
    email: String,
}

/// `POST /api/v1/sessions/{id}/nominations` `{"email"}`: put someone forward for a place.
pub async fn post_nomination(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(form): ApiJson<NominationForm>,
) -> Result<Response, AppError> {
    let session_id = crate::web::parse_id(&id)?;
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
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me/bookings", get(my_bookings))
        .route("/me/bookings/{id}", delete(cancel_booking))
        .route("/me/suggestions", get(my_suggestions))
        .route("/orgs/{id}/opportunities", post(create_opportunity))
        .route("/opportunities", get(search_opportunities))
        .route("/opportunities/{id}", get(get_opportunity))
        .route(
            "/sessions/{id}/bookings",
            get(session_bookings).post(book_session),
        )
        .route("/sessions/{id}/attendance", post(mark_attendance))
        .route("/me/approvals", get(my_approvals))
        .route("/bookings/{id}/decision", post(post_decision))
        .route("/sessions/{id}/nominations", post(post_nomination))
}
