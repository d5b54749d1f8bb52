//! People and organisations in the API: who am I, a person, an organisation and its people,
//! the HR feed upload, and my invitations.

use super::Invitation;
use super::import::ImportReport;
use super::import::{FeedError, Started, start};
use super::invitation::{Answer, answer};
use super::store;
use super::{Employment, Organisation, Person, Registration, Team};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::jobs::JobStatus;
use crate::web::AppError;
use crate::web::IdPath;
use crate::web::openapi::{Hidden, Invalid, Malformed, NotPermitted, SignedOut};
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Json, Response};
use cairn_core::RoleGrant;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// A person's profile: who they are, where they work, their registrations and roles.
#[derive(Serialize, ToSchema)]
pub struct Profile {
    person: Person,
    employments: Vec<Employment>,
    registrations: Vec<Registration>,
    roles: Vec<RoleGrant>,
}

/// An organisation and its teams.
#[derive(Serialize, ToSchema)]
pub struct OrganisationAndTeams {
    organisation: Organisation,
    teams: Vec<Team>,
}

/// One page of the people an organisation employs today.
#[derive(Serialize, ToSchema)]
pub struct OrgPeople {
    people: Vec<store::OrgMember>,
    /// How many people match, in all.
    total: i64,
    limit: i64,
    offset: i64,
}

/// A person's invitations to join an organisation.
#[derive(Serialize, ToSchema)]
pub struct Invitations {
    invitations: Vec<Invitation>,
}

async fn profile(state: &AppState, person_id: Uuid) -> Result<Profile, AppError> {
    let person = store::get_person(&state.db, person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let employments = store::employments_of(&state.db, person_id).await?;
    let registrations = store::registrations_of(&state.db, person_id).await?;
    let roles = store::roles_of(&state.db, person_id).await?;
    Ok(Profile {
        person,
        employments,
        registrations,
        roles,
    })
}

#[utoipa::path(
    get, path = "/me", tag = "people", operation_id = "get_me",
    summary = "Who am I: person, employment, registrations and roles",
    responses((status = 200, description = "The profile", body = Profile), SignedOut),
)]
pub async fn get_me(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    authorize(&user, Action::OwnRecord)?;
    Ok(Json(profile(&state, user.person_id).await?).into_response())
}

#[utoipa::path(
    get, path = "/people/{id}", tag = "people", operation_id = "get_person", params(IdPath),
    summary = "Another person's profile (supervisors of the person; L&D leads, administrators and auditors of their employer)",
    responses((status = 200, description = "The profile", body = Profile), SignedOut, Hidden),
)]
pub async fn get_person(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response, AppError> {
    let facts = crate::authz::facts(&state.db, id, state.clock.today()).await?;
    authorize(&user, Action::ReadRecordOf(&facts))?;
    Ok(Json(profile(&state, facts.person_id).await?).into_response())
}

/// `GET /api/v1/orgs/{id}`: the organisation and its teams.
#[utoipa::path(
    get, path = "/orgs/{id}", tag = "people", operation_id = "get_org", params(IdPath),
    summary = "An organisation and its teams",
    responses((status = 200, description = "The organisation", body = OrganisationAndTeams), SignedOut,
        Hidden, NotPermitted),
)]
pub async fn get_org(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(org_id): IdPath,
) -> Result<Response, AppError> {
    authorize(&user, Action::ViewOrganisation(org_id))?;
    let org = store::get_org(&state.db, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let teams = store::list_teams(&state.db, org_id).await?;
    Ok(Json(OrganisationAndTeams {
        organisation: org,
        teams,
    })
    .into_response())
}

/// `GET /api/v1/orgs/{id}/people?q&limit&offset`: the people it employs today, by name;
/// `q` keeps those whose name or email contains it.
#[utoipa::path(
    get, path = "/orgs/{id}/people", tag = "people", operation_id = "list_org_people", params(IdPath, ("q" = Option<String>, Query, description = "Keep people whose name or email contains this (case ignored)"), ("limit" = Option<i64>, Query, description = "At most this many (0-1000, default 100)"), ("offset" = Option<i64>, Query, description = "Skip this many")),
    summary = "The people an organisation employs today",
    responses((status = 200, description = "A page of people", body = OrgPeople), SignedOut, Hidden, Invalid,
        NotPermitted),
)]
pub async fn list_org_people(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(org_id): IdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
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
    Ok(Json(OrgPeople {
        people,
        total,
        limit,
        offset,
    })
    .into_response())
}

/// `POST /api/v1/orgs/{id}/people/import` with a CSV body: the HR feed.
#[utoipa::path(
    post, path = "/orgs/{id}/people/import", tag = "people", operation_id = "import_org_people", params(IdPath),
    summary = "Apply an HR feed (CSV, one row per person); bad rows are reported by line",
    request_body(content = String, content_type = "text/csv", description = "The HR feed: a header row, then one row per person"),
    responses((status = 200, description = "What happened to each line (files of up to 2,000 lines)", body = ImportReport),
        (status = 202, description = "More than 2,000 lines: checked, queued as a background job; follow it at the Location given (GET /api/v1/jobs/{id})", body = JobStatus),
        Malformed, SignedOut, Hidden, Invalid, NotPermitted),
)]
pub async fn import_org_people(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(org_id): IdPath,
    body: Bytes,
) -> Result<Response, AppError> {
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

#[utoipa::path(
    get, path = "/me/invitations", tag = "people", operation_id = "list_my_invitations",
    summary = "Invitations to join an organisation's staff",
    responses((status = 200, description = "Newest first", body = Invitations), SignedOut),
)]
pub async fn list_my_invitations(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Invitations>, AppError> {
    let invitations = store::invitations_of_person(&state.db, user.person_id).await?;
    Ok(Json(Invitations { invitations }))
}

#[utoipa::path(
    post, path = "/me/invitations/{id}/accept", tag = "people", operation_id = "accept_invitation", params(IdPath),
    summary = "Accept: the organisation employs me from the offer's start date and sees my record while it does",
    responses((status = 200, description = "The invitation, answered", body = Invitation), SignedOut, Hidden,
        (status = 409, description = "Already answered")),
)]
pub async fn accept_invitation(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Json<Invitation>, AppError> {
    answer(&state, &user, id, Answer::Accept).await.map(Json)
}

#[utoipa::path(
    post, path = "/me/invitations/{id}/decline", tag = "people", operation_id = "decline_invitation", params(IdPath),
    summary = "Decline: nothing changes, and the same feed does not ask again",
    responses((status = 200, description = "The invitation, answered", body = Invitation), SignedOut, Hidden,
        (status = 409, description = "Already answered")),
)]
pub async fn decline_invitation(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Json<Invitation>, AppError> {
    answer(&state, &user, id, Answer::Decline).await.map(Json)
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_me))
        .routes(routes!(list_my_invitations))
        .routes(routes!(accept_invitation))
        .routes(routes!(decline_invitation))
        .routes(routes!(get_person))
        .routes(routes!(get_org))
        .routes(routes!(list_org_people))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import_org_people))
                .layer(DefaultBodyLimit::max(crate::web::MAX_IMPORT_BODY)),
        )
}
