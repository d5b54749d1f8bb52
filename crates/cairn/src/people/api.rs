//! People and organisations in the API: who am I, a person, an organisation and its people,
//! the HR feed upload, and my invitations.

use super::Invitation;
use super::import::{FeedError, Started, start};
use super::invitation::{Answer, answer};
use super::store;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::AppError;
use crate::web::parse_id;
use axum::Router;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

/// A person's profile: who they are, where they work, their registrations and roles.
async fn profile(state: &AppState, person_id: Uuid) -> Result<serde_json::Value, AppError> {
    let person = store::get_person(&state.db, person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let employments = store::employments_of(&state.db, person_id).await?;
    let registrations = store::registrations_of(&state.db, person_id).await?;
    let roles = store::roles_of(&state.db, person_id).await?;
    Ok(
        json!({"person": person, "employments": employments, "registrations": registrations, "roles": roles}),
    )
}

/// `GET /api/v1/me`
pub async fn get_me(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    authorize(&user, Action::OwnRecord)?;
    Ok(Json(profile(&state, user.person_id).await?).into_response())
}

/// `GET /api/v1/people/{id}`
pub async fn get_person(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let facts = crate::authz::facts(&state.db, parse_id(&id)?, state.clock.today()).await?;
    authorize(&user, Action::ReadRecordOf(&facts))?;
    Ok(Json(profile(&state, facts.person_id).await?).into_response())
}

/// `GET /api/v1/orgs/{id}`: the organisation and its teams.
pub async fn get_org(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let org_id = parse_id(&id)?;
    authorize(&user, Action::ViewOrganisation(org_id))?;
    let org = store::get_org(&state.db, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let teams = store::list_teams(&state.db, org_id).await?;
    Ok(Json(json!({"organisation": org, "teams": teams})).into_response())
}

/// `GET /api/v1/orgs/{id}/people?q&limit&offset`: the people it employs today, by name;
/// `q` keeps those whose name or email contains it.
pub async fn list_org_people(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let org_id = parse_id(&id)?;
    authorize(&user, Action::ViewOrganisation(org_id))?;
    let number = |key: &str, default: i64, max: i64| -> Result<i64, AppError> {
        match params.get(key).map(|v| v.parse::<i64>()) {
            None => Ok(default),
            Some(Ok(n)) if (0..=max).contains(&n) => Ok(n),
            Some(_) => Err(AppError::field(
                key,
                format!("must be a whole number from 0 to {max}"),
            )),
        }
    };
    let limit = number("limit", 100, 1000)?;
    let offset = number("offset", 0, i64::MAX / 2)?;
    let search = params.get("q").map_or("", |q| q.trim());
    let today = state.clock.today();
    let people = store::org_members(&state.db, org_id, today, search, limit, offset).await?;
    let total = store::count_org_members(&state.db, org_id, today, search).await?;
    Ok(
        Json(json!({"people": people, "total": total, "limit": limit, "offset": offset}))
            .into_response(),
    )
}

/// `POST /api/v1/orgs/{id}/people/import` with a CSV body: the HR feed.
pub async fn import_org_people(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let org_id = parse_id(&id)?;
    authorize(&user, Action::AdministerOrganisation(org_id))?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| AppError::BadRequest("The CSV file must be UTF-8 text".into()))?;
    match start(
        &state.db,
        org_id,
        user.person_id,
        "HR feed (API)",
        text,
        state.clock.now(),
    )
    .await
    {
        Ok(Started::Applied(report)) => {
            // The feed may have changed anyone's roles.
            state.sessions.clear();
            Ok(Json(report).into_response())
        }
        Ok(Started::Queued(id)) => crate::jobs::accepted(&state, id).await,
        Err(FeedError::Unreadable(message)) => Err(AppError::field("file", message)),
        Err(FeedError::Database(error)) => Err(error.into()),
    }
}

/// `GET /api/v1/me/invitations`
pub async fn list_my_invitations(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<serde_json::Value>, AppError> {
    let invitations = store::invitations_of_person(&state.db, user.person_id).await?;
    Ok(Json(serde_json::json!({ "invitations": invitations })))
}

/// `POST /api/v1/me/invitations/{id}/accept`
pub async fn accept_invitation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Invitation>, AppError> {
    answer(&state, &user, &id, Answer::Accept).await.map(Json)
}

/// `POST /api/v1/me/invitations/{id}/decline`
pub async fn decline_invitation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Invitation>, AppError> {
    answer(&state, &user, &id, Answer::Decline).await.map(Json)
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(get_me))
        .route("/me/invitations", get(list_my_invitations))
        .route("/me/invitations/{id}/accept", post(accept_invitation))
        .route("/me/invitations/{id}/decline", post(decline_invitation))
        .route("/people/{id}", get(get_person))
        .route("/orgs/{id}", get(get_org))
        .route("/orgs/{id}/people", get(list_org_people))
        .route(
            "/orgs/{id}/people/import",
            post(import_org_people).layer(DefaultBodyLimit::max(crate::web::MAX_IMPORT_BODY)),
        )
}
