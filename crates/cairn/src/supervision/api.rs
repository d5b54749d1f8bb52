//! Supervision in the API: sessions (individual, group, peer and team), their actions, my
//! supervision, and an organisation's list of who is due and how often.

use super::shared::{
    Attendance, answer_attendance, check_frequency, complete, due_for_org, record, visible_session,
};
use super::store;
use super::team::record as record_team_session;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::parse_id;
use crate::web::{ApiJson, AppError};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post, put};
use cairn_core::supervision::SessionDraft;
use cairn_core::supervision::TeamSessionDraft;
use serde_json::json;

/// `POST /api/v1/supervision/{id}/confirm`
pub async fn post_confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    answer_attendance(&state, &user, parse_id(&id)?, Attendance::Confirm).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/supervision/{id}/disown`
pub async fn post_disown(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    answer_attendance(&state, &user, parse_id(&id)?, Attendance::Disown).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/supervision`
pub async fn post_session(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(draft): ApiJson<SessionDraft>,
) -> Result<Response, AppError> {
    let id = record(&state, &user, &draft).await?;
    let (row, attendees, actions) = visible_session(&state, &user, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"session": row, "attendees": attendees, "actions": actions})),
    )
        .into_response())
}

/// `GET /api/v1/supervision/{id}`
pub async fn get_session(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (row, attendees, actions) = visible_session(&state, &user, parse_id(&id)?).await?;
    Ok(Json(json!({"session": row, "attendees": attendees, "actions": actions})).into_response())
}

/// `GET /api/v1/me/supervision`: my sessions (latest 50), open actions and when I am next due.
pub async fn my_supervision(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let sessions = store::sessions_of(&state.db, user.person_id).await?;
    let actions = store::open_actions(&state.db, user.person_id).await?;
    Ok(Json(json!({"sessions": sessions, "open_actions": actions})).into_response())
}

/// `POST /api/v1/supervision/actions/{id}/done`
pub async fn post_action_done(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    complete(&state, &user, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /api/v1/orgs/{id}/supervision?overdue`: everyone and when they are due, most
/// overdue first (only the overdue with `overdue`).
pub async fn get_org_supervision(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    axum::extract::Query(params): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Response, AppError> {
    let mut due = due_for_org(&state, &user, parse_id(&id)?).await?;
    if params.contains_key("overdue") {
        due.retain(|d| d.days_overdue > 0);
    }
    Ok(Json(json!({"people": due})).into_response())
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrequencyBody {
    nqsw_every_days: Option<i64>,
    every_days: Option<i64>,
}

/// `PUT /api/v1/orgs/{id}/supervision-frequency` `{"nqsw_every_days", "every_days"}`
pub async fn put_frequency(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<FrequencyBody>,
) -> Result<Response, AppError> {
    let org_id = parse_id(&id)?;
    authorize(&user, Action::OverseeSupervision(org_id))?;
    let (nqsw, every) = check_frequency(body.nqsw_every_days, body.every_days)?;
    store::set_frequency(&state.db, org_id, nqsw, every).await?;
    Ok(Json(json!({"nqsw_every_days": nqsw, "every_days": every})).into_response())
}

/// `POST /api/v1/team-sessions`
pub async fn post_team_session(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(draft): ApiJson<TeamSessionDraft>,
) -> Result<Response, AppError> {
    let (id, entries) = record_team_session(&state, &user, &draft).await?;
    let entries: Vec<_> = entries
        .into_iter()
        .map(|(person_id, entry_id)| json!({"person_id": person_id, "entry_id": entry_id}))
        .collect();
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": id, "entries": entries})),
    )
        .into_response())
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/team-sessions", post(post_team_session))
        .route("/supervision", post(post_session))
        .route("/supervision/{id}", get(get_session))
        .route("/supervision/{id}/confirm", post(post_confirm))
        .route("/supervision/{id}/disown", post(post_disown))
        .route("/me/supervision", get(my_supervision))
        .route("/supervision/actions/{id}/done", post(post_action_done))
        .route("/orgs/{id}/supervision", get(get_org_supervision))
        .route("/orgs/{id}/supervision-frequency", put(put_frequency))
}
