//! People and organisations in the API: who am I, an organisation's people, another
//! person's record (read-only, when allowed), and the HR feed upload.

use super::import::{FeedError, Started, start};
use super::store;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, PersonFacts, authorize};
use crate::learning::routes::parse_list_params;
use crate::web::AppError;
use crate::web::parse_id;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Json, Response};
use cairn_core::Role;
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

/// What authorisation needs to know about a person.
pub async fn facts(state: &AppState, person_id: Uuid) -> Result<PersonFacts, AppError> {
    Ok(PersonFacts {
        person_id,
        employing_orgs: store::employing_orgs(&state.db, person_id, state.clock.today()).await?,
        supervisors: store::supervisors_of(&state.db, person_id).await?,
    })
}

/// `GET /api/v1/people/{id}`
pub async fn get_person(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let facts = facts(&state, parse_id(&id)?).await?;
    authorize(&user, Action::ReadRecordOf(&facts))?;
    Ok(Json(profile(&state, facts.person_id).await?).into_response())
}

/// `GET /api/v1/people/{id}/entries`: the same filters as `/api/v1/me/entries`, read-only.
pub async fn list_person_entries(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let facts = facts(&state, parse_id(&id)?).await?;
    authorize(&user, Action::ReadRecordOf(&facts))?;
    let (filter, limit, offset) = parse_list_params(&params)?;
    if filter.deleted && facts.person_id != user.person_id {
        return Err(AppError::field(
            "deleted",
            "Only the record's owner can see their bin",
        ));
    }
    let page = crate::learning::store::list_entries(
        &state.db,
        facts.person_id,
        &filter,
        limit,
        offset,
        state.clock.now(),
    )
    .await?;
    Ok(Json(page).into_response())
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

#[derive(askama::Template)]
#[template(path = "people/profile.html")]
struct ProfilePage {
    chrome: crate::web::page::Chrome,
    name: String,
    email: String,
    registrations: Vec<String>,
    employments: Vec<String>,
}

/// `GET /profile`: my registrations, employment and contracted hours, and my password.
pub async fn show_profile(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, crate::web::PageError> {
    use cairn_core::long_date;
    let person = store::get_person(&state.db, user.person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let registrations = store::registrations_of(&state.db, user.person_id)
        .await?
        .iter()
        .map(super::Registration::describe)
        .collect();
    let employments = store::employments_of(&state.db, user.person_id)
        .await?
        .iter()
        .map(|e| {
            let team = e
                .team_name
                .as_deref()
                .map(|t| format!(", {t}"))
                .unwrap_or_default();
            let until = e.end_date.map_or_else(|| "now".to_owned(), long_date);
            let hours = cairn_core::Hours::from_units(e.hours_per_week);
            format!(
                "{} at {}{team}, {} to {until}, {hours} hours a week",
                e.job_role,
                e.org_name,
                long_date(e.start_date)
            )
        })
        .collect();
    let page = ProfilePage {
        chrome: user.chrome(),
        name: person.name,
        email: person.email,
        registrations,
        employments,
    };
    Ok(crate::web::page::render(&page))
}

struct TeamMember {
    id: Uuid,
    name: String,
    job_role: String,
    count_this_year: i64,
    hours_this_year: String,
    latest: Vec<(String, String)>,
    /// When they last had supervision and when it is next due.
    supervision: String,
    supervision_overdue: bool,
    on_supported_year: bool,
}

#[derive(askama::Template)]
#[template(path = "people/team.html")]
struct TeamPage {
    chrome: crate::web::page::Chrome,
    year: i32,
    members: Vec<TeamMember>,
    /// A team session was just recorded.
    notice: bool,
}

/// `GET /team`: the people I supervise, with their latest learning and totals this year.
pub async fn show_team(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::Query(params): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Response, crate::web::PageError> {
    let today = state.clock.today();
    let now = state.clock.now();
    let year_start = today.replace_ordinal(1).map_err(anyhow::Error::from)?;
    let mut members = Vec::new();
    let supervising_orgs: Vec<Uuid> = user
        .roles
        .iter()
        .filter(|g| g.role == Role::Supervisor)
        .map(|g| g.org_id)
        .collect();
    for org in supervising_orgs {
        let (nqsw_every, every) = crate::supervision::store::frequency(&state.db, org).await?;
        for person_id in store::supervisees_of(&state.db, user.person_id, org).await? {
            let Some(person) = store::get_person(&state.db, person_id).await? else {
                continue;
            };
            let job = store::employments_of(&state.db, person_id)
                .await?
                .into_iter()
                .find(|e| e.is_current(today));
            let newly_qualified = store::registrations_of(&state.db, person_id)
                .await?
                .iter()
                .any(|r| r.first && r.start_date > today - time::Duration::days(365));
            let last_held = crate::supervision::store::last_held(&state.db, person_id).await?;
            let next_due = cairn_core::supervision::next_due(
                last_held,
                job.as_ref().map_or(today, |j| j.start_date),
                if newly_qualified { nqsw_every } else { every },
            );
            let job_role = job.map(|e| e.job_role).unwrap_or_default();
            let (count_this_year, hours) = crate::learning::store::totals_between(
                &state.db, person_id, year_start, today, now,
            )
            .await?;
            let latest = crate::learning::store::list_entries(
                &state.db,
                person_id,
                &Default::default(),
                3,
                0,
                now,
            )
            .await?;
            members.push(TeamMember {
                id: person_id,
                name: person.name,
                job_role,
                count_this_year,
                hours_this_year: hours.to_string(),
                latest: latest
                    .entries
                    .into_iter()
                    .map(|e| (e.title, cairn_core::long_date(e.date)))
                    .collect(),
                supervision: format!(
                    "{}; next due {}",
                    last_held.map_or_else(
                        || "No supervision recorded".to_owned(),
                        |d| format!("Last supervision {}", cairn_core::long_date(d))
                    ),
                    cairn_core::long_date(next_due)
                ),
                supervision_overdue: next_due < today,
                on_supported_year: crate::nqsw::store::year(&state.db, person_id)
                    .await?
                    .is_some(),
            });
        }
    }
    members.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(crate::web::page::render(&TeamPage {
        chrome: user.chrome(),
        year: today.year(),
        members,
        notice: params.contains_key("team-session"),
    }))
}

struct ReadOnlyEntry {
    title: String,
    when: String,
    kind: String,
    hours: String,
    reflection: Vec<(&'static str, String)>,
}

#[derive(askama::Template)]
#[template(path = "people/record.html")]
struct PersonRecordPage {
    chrome: crate::web::page::Chrome,
    name: String,
    total: i64,
    total_hours: String,
    entries: Vec<ReadOnlyEntry>,
}

/// `GET /people/{id}`: another person's record, read-only, for those allowed to see it.
pub async fn show_person_record(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, crate::web::PageError> {
    let facts = facts(&state, parse_id(&id)?).await?;
    authorize(&user, Action::ReadRecordOf(&facts))?;
    let person = store::get_person(&state.db, facts.person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = crate::learning::store::list_entries(
        &state.db,
        facts.person_id,
        &Default::default(),
        200,
        0,
        state.clock.now(),
    )
    .await?;
    let entries = page
        .entries
        .iter()
        .map(|e| {
            let reflection = [
                ("What happened:", &e.reflection),
                ("So what:", &e.reflection_so_what),
                ("Now what:", &e.reflection_now_what),
            ]
            .into_iter()
            .filter_map(|(prompt, text)| text.clone().map(|t| (prompt, t)))
            .collect();
            ReadOnlyEntry {
                title: e.title.clone(),
                when: cairn_core::long_date(e.date),
                kind: cairn_core::vocabulary::label(cairn_core::vocabulary::KINDS, &e.kind)
                    .unwrap_or("Other")
                    .to_owned(),
                hours: e.hours.to_string(),
                reflection,
            }
        })
        .collect();
    let view = PersonRecordPage {
        chrome: user.chrome(),
        name: person.name,
        total: page.total,
        total_hours: page.total_hours.to_string(),
        entries,
    };
    Ok(crate::web::page::render(&view))
}
