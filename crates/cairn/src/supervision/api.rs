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
use crate::web::IdPath;
use crate::web::openapi::{Hidden, Invalid, NotPermitted, SignedOut, problems};
use crate::web::{ApiJson, AppError};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use cairn_core::supervision::SessionDraft;
use cairn_core::supervision::TeamSessionDraft;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

problems!(NotYoursToAnswer:
    "404" => "Not found, or not a session you were named in",
    "409" => "Not waiting for you to confirm it");

#[utoipa::path(
    post, path = "/supervision/{id}/confirm", tag = "supervision", operation_id = "confirm_peer_session", params(IdPath),
    summary = "Confirm I was at a peer session a colleague recorded: it then counts, and goes into my record if they asked",
    responses((status = 204, description = "Done"), SignedOut, NotYoursToAnswer),
)]
pub async fn post_confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<StatusCode, AppError> {
    answer_attendance(&state, &user, id, Attendance::Confirm).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post, path = "/supervision/{id}/disown", tag = "supervision", operation_id = "disown_peer_session", params(IdPath),
    summary = "Say I was not at a peer session a colleague recorded: I leave it, with its actions for me",
    responses((status = 204, description = "Done"), SignedOut, NotYoursToAnswer),
)]
pub async fn post_disown(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<StatusCode, AppError> {
    answer_attendance(&state, &user, id, Attendance::Disown).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post, path = "/supervision", tag = "supervision", operation_id = "record_supervision", request_body = SessionDraft,
    summary = "Record a supervision session",
    responses((status = 201, description = "The session", body = SessionAnswer), SignedOut,
        (status = 422, description = "Invalid: each problem names its field (a future day, an action without an owner, someone you do not supervise)")),
)]
pub async fn post_session(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(draft): ApiJson<SessionDraft>,
) -> Result<Response, AppError> {
    let id = record(&state, &user, &draft).await?;
    let (row, attendees, actions) = visible_session(&state, &user, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(SessionAnswer {
            session: row,
            attendees,
            actions,
        }),
    )
        .into_response())
}

#[utoipa::path(
    get, path = "/supervision/{id}", tag = "supervision", operation_id = "get_supervision", params(IdPath),
    summary = "A session, to its supervisor and attendees only",
    responses((status = 200, description = "The session", body = SessionAnswer), SignedOut, Hidden),
)]
pub async fn get_session(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response, AppError> {
    let (row, attendees, actions) = visible_session(&state, &user, id).await?;
    Ok(Json(SessionAnswer {
        session: row,
        attendees,
        actions,
    })
    .into_response())
}

/// `GET /api/v1/me/supervision`: my sessions (latest 50), open actions and when I am next due.
#[utoipa::path(
    get, path = "/me/supervision", tag = "supervision", operation_id = "my_supervision",
    summary = "My sessions (latest 50) and the actions still open from them",
    responses((status = 200, description = "Sessions and open actions", body = MySupervision), SignedOut),
)]
pub async fn my_supervision(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let sessions = store::sessions_of(&state.db, user.person_id).await?;
    let actions = store::open_actions(&state.db, user.person_id).await?;
    Ok(Json(MySupervision {
        sessions,
        open_actions: actions,
    })
    .into_response())
}

#[utoipa::path(
    post, path = "/supervision/actions/{id}/done", tag = "supervision", operation_id = "complete_action", params(IdPath),
    summary = "Mark an agreed action done",
    responses((status = 204, description = "Done"), SignedOut, Hidden,
        (status = 409, description = "Already done")),
)]
pub async fn post_action_done(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<StatusCode, AppError> {
    complete(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/orgs/{id}/supervision?overdue`: everyone and when they are due, most
/// overdue first (only the overdue with `overdue`).
#[utoipa::path(
    get, path = "/orgs/{id}/supervision", tag = "supervision", operation_id = "org_supervision", params(IdPath, ("overdue" = Option<String>, Query, description = "Only the overdue")),
    summary = "Everyone the organisation employs and when supervision is due, most overdue first (L&D leads and administrators)",
    responses((status = 200, description = "People", body = DueList), SignedOut, Hidden, NotPermitted),
)]
pub async fn get_org_supervision(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    axum::extract::Query(params): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Response, AppError> {
    let mut due = due_for_org(&state, &user, id).await?;
    if params.contains_key("overdue") {
        due.retain(|d| d.days_overdue > 0);
    }
    Ok(Json(DueList { people: due }).into_response())
}

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FrequencyBody {
    /// Days between sessions in a newly qualified worker's first year.
    #[schema(minimum = 1, maximum = 365)]
    nqsw_every_days: Option<i64>,
    /// Days between sessions for everyone else.
    #[schema(minimum = 1, maximum = 365)]
    every_days: Option<i64>,
}

/// How often an organisation's staff are supervised, as saved.
#[derive(Serialize, ToSchema)]
pub struct Frequency {
    nqsw_every_days: i64,
    every_days: i64,
}

/// A supervision session, who took part, and the actions agreed.
#[derive(Serialize, ToSchema)]
pub struct SessionAnswer {
    session: store::SessionRow,
    attendees: Vec<store::Attendee>,
    actions: Vec<store::Action>,
}

/// A person's sessions (the latest 50) and their open actions.
#[derive(Serialize, ToSchema)]
pub struct MySupervision {
    sessions: Vec<store::SessionSummary>,
    open_actions: Vec<store::Action>,
}

/// Everyone in an organisation and when their supervision is due, most overdue first.
#[derive(Serialize, ToSchema)]
pub struct DueList {
    people: Vec<super::Due>,
}

/// The entry a team learning session wrote into one participant's record.
#[derive(Serialize, ToSchema)]
pub struct ParticipantEntry {
    person_id: uuid::Uuid,
    entry_id: uuid::Uuid,
}

/// A team learning session recorded: its id and each participant's entry.
#[derive(Serialize, ToSchema)]
pub struct TeamSessionAnswer {
    id: uuid::Uuid,
    entries: Vec<ParticipantEntry>,
}

#[utoipa::path(
    put, path = "/orgs/{id}/supervision-frequency", tag = "supervision", operation_id = "put_supervision_frequency", params(IdPath), request_body = FrequencyBody,
    summary = "How often supervision is due, in days",
    responses((status = 200, description = "Saved", body = Frequency), SignedOut, Hidden, Invalid,
        NotPermitted),
)]
pub async fn put_frequency(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(org_id): IdPath,
    ApiJson(body): ApiJson<FrequencyBody>,
) -> Result<Response, AppError> {
    authorize(&user, Action::OverseeSupervision(org_id))?;
    let (nqsw, every) = check_frequency(body.nqsw_every_days, body.every_days)?;
    store::set_frequency(&state.db, org_id, nqsw, every).await?;
    Ok(Json(Frequency {
        nqsw_every_days: nqsw,
        every_days: every,
    })
    .into_response())
}

#[utoipa::path(
    post, path = "/team-sessions", tag = "supervision", operation_id = "record_team_session", request_body = TeamSessionDraft,
    summary = "Record a team learning session: each participant (people you supervise) gets a peer-reflected entry",
    responses((status = 201, description = "The session and each participant's entry", body = TeamSessionAnswer),
        SignedOut, Invalid),
)]
pub async fn post_team_session(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(draft): ApiJson<TeamSessionDraft>,
) -> Result<Response, AppError> {
    let (id, entries) = record_team_session(&state, &user, &draft).await?;
    let entries: Vec<_> = entries
        .into_iter()
        .map(|(person_id, entry_id)| ParticipantEntry {
            person_id,
            entry_id,
        })
        .collect();
    Ok((StatusCode::CREATED, Json(TeamSessionAnswer { id, entries })).into_response())
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(post_team_session))
        .routes(routes!(post_session))
        .routes(routes!(get_session))
        .routes(routes!(post_confirm))
        .routes(routes!(post_disown))
        .routes(routes!(my_supervision))
        .routes(routes!(post_action_done))
        .routes(routes!(get_org_supervision))
        .routes(routes!(put_frequency))
}
