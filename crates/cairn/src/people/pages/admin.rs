//! Organisation administration pages: the people an organisation employs and their roles and
//! supervisors, its teams, and the HR feed uploaded from the browser (the same line-numbered
//! report as `cairn import`). Only the organisation's administrators open them.

use crate::app::AppState;
use crate::auth::CheckedForm;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::db::jobs;
use crate::people::import::{FeedError, ImportReport, Started, start};
use crate::people::store;
use crate::web::PageIdPath;
use crate::web::csrf::{CsrfForm, require};
use crate::web::page::{Chrome, FormErrors, ago, long_date, render};
use crate::web::parse_id;
use crate::web::{AppError, PageError};
use askama::Template;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use cairn_core::vocabulary::{self, LOCALITIES, ROLES, SERVICES};
use cairn_core::{Email, FieldErrors, Role};
use std::collections::HashMap;
use uuid::Uuid;

/// People listed on one page of the people page.
const PEOPLE_PER_PAGE: i64 = 50;
/// The largest HR feed accepted from the browser (about 100,000 rows).
pub const MAX_FEED_BYTES: usize = 20 * 1024 * 1024;

/// The organisation, after checking that `user` administers it.
async fn administered_org(
    state: &AppState,
    user: &CurrentUser,
    org_id: Uuid,
) -> Result<crate::people::Organisation, AppError> {
    authorize(user, Action::AdministerOrganisation(org_id))?;
    store::get_org(&state.db, org_id)
        .await?
        .ok_or(AppError::NotFound)
}

struct PersonLine {
    id: Uuid,
    name: String,
    email: String,
    job_role: String,
    team: String,
}

#[derive(Template)]
#[template(path = "admin/people.html")]
struct PeoplePage {
    chrome: Chrome,
    org_id: Uuid,
    org_name: String,
    search: String,
    total: i64,
    people: Vec<PersonLine>,
    invitations: Vec<InvitedLine>,
    /// Links to the previous and next pages, when there are such pages.
    previous: Option<String>,
    next: Option<String>,
    first_shown: i64,
    last_shown: i64,
}

/// `GET /orgs/{id}/people?q&page`: everyone the organisation employs today, by name.
pub async fn show_people(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let org = administered_org(&state, &user, id).await?;
    let search: String = params
        .get("q")
        .map_or("", |q| q.trim())
        .chars()
        .take(200)
        .collect();
    let page: i64 = params
        .get("page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let today = state.clock.today();
    let total = store::count_org_members(&state.db, org.id, today, &search).await?;
    let offset = (page - 1) * PEOPLE_PER_PAGE;
    let members =
        store::org_members(&state.db, org.id, today, &search, PEOPLE_PER_PAGE, offset).await?;
    let link = |page: i64| {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("q", &search)
            .append_pair("page", &page.to_string())
            .finish();
        format!("/orgs/{}/people?{query}", org.id)
    };
    let shown = members.len() as i64;
    let invitations = store::invitations_of_org(&state.db, org.id)
        .await?
        .into_iter()
        .map(|i| InvitedLine {
            name: i.offer.name,
            email: i.email,
            job_role: i.offer.employment.job_role,
            invited: long_date(crate::zone::local(i.created_at).date()),
            status: if i.status == crate::people::InvitationStatus::Declined {
                "Declined"
            } else {
                "Not yet"
            },
        })
        .collect();
    let view = PeoplePage {
        invitations,
        chrome: user.chrome(),
        org_id: org.id,
        org_name: org.name,
        previous: (page > 1).then(|| link(page - 1)),
        next: (offset + shown < total).then(|| link(page + 1)),
        first_shown: if shown == 0 { 0 } else { offset + 1 },
        last_shown: offset + shown,
        search,
        total,
        people: members
            .into_iter()
            .map(|m| PersonLine {
                id: m.id,
                name: m.name,
                email: m.email,
                job_role: m.job_role,
                team: m.team_name.unwrap_or_default(),
            })
            .collect(),
    };
    Ok(render(&view))
}

/// An invitation the organisation sent, as its people page lists it.
struct InvitedLine {
    name: String,
    email: String,
    job_role: String,
    invited: String,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "admin/person.html")]
struct PersonPage {
    chrome: Chrome,
    errors: FormErrors,
    saved: Option<&'static str>,
    org_id: Uuid,
    org_name: String,
    person_id: Uuid,
    name: String,
    email: String,
    employment: String,
    /// (id, label, held) for every role.
    roles: Vec<(&'static str, &'static str, bool)>,
    supervisors: Vec<(Uuid, String)>,
    /// What was typed in the "add a supervisor" field.
    supervisor_email: String,
}

/// The person, when the organisation employs them today (otherwise not found).
async fn employed_person(
    state: &AppState,
    org_id: Uuid,
    id: &str,
) -> Result<crate::people::Person, AppError> {
    let person_id = parse_id(id)?;
    let employing = store::employing_orgs(&state.db, person_id, state.clock.today()).await?;
    if !employing.contains(&org_id) {
        return Err(AppError::NotFound);
    }
    store::get_person(&state.db, person_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// What the person page shows besides what is stored: submitted roles (otherwise the stored
/// ones are ticked), the typed supervisor email, errors and a saved notice.
#[derive(Default)]
struct PersonPageState {
    held_roles: Option<Vec<String>>,
    supervisor_email: String,
    errors: FormErrors,
    saved: Option<&'static str>,
}

async fn person_page(
    state: &AppState,
    user: &CurrentUser,
    org: crate::people::Organisation,
    person: crate::people::Person,
    form: PersonPageState,
) -> Result<PersonPage, AppError> {
    let PersonPageState {
        held_roles,
        supervisor_email,
        errors,
        saved,
    } = form;
    let held_roles = match held_roles {
        Some(roles) => roles,
        None => store::roles_in_org(&state.db, person.id, org.id)
            .await?
            .into_iter()
            .map(|role| role.as_str().to_owned())
            .collect(),
    };
    let today = state.clock.today();
    let employment = store::employments_of(&state.db, person.id)
        .await?
        .into_iter()
        .find(|e| e.org_id == org.id && e.is_current(today))
        .map(|e| {
            let team = e.team_name.map(|t| format!(", {t}")).unwrap_or_default();
            let hours = cairn_core::Hours::from_units(e.hours_per_week);
            format!(
                "{}{team}, since {}, {hours} hours a week",
                e.job_role,
                long_date(e.start_date)
            )
        })
        .unwrap_or_default();
    Ok(PersonPage {
        chrome: user.chrome(),
        errors,
        saved,
        org_id: org.id,
        org_name: org.name,
        person_id: person.id,
        name: person.name,
        email: person.email,
        employment,
        roles: ROLES
            .iter()
            .map(|(id, label)| (*id, *label, held_roles.iter().any(|r| r == id)))
            .collect(),
        supervisors: store::supervisors_in_org(&state.db, person.id, org.id).await?,
        supervisor_email,
    })
}

/// `GET /orgs/{id}/people/{person}`: their employment, roles and supervisors.
pub async fn show_person(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, person)): Path<(String, String)>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let org = administered_org(&state, &user, parse_id(&id)?).await?;
    let person = employed_person(&state, org.id, &person).await?;
    let saved = match params.get("saved").map(String::as_str) {
        Some("roles") => Some("Their roles were saved."),
        Some("supervisor") => Some("Their supervisors were changed."),
        _ => None,
    };
    let page = person_page(
        &state,
        &user,
        org,
        person,
        PersonPageState {
            saved,
            ..Default::default()
        },
    )
    .await?;
    Ok(render(&page))
}

/// `POST /orgs/{id}/people/{person}/roles`: the ticked roles replace the person's roles here.
pub async fn save_roles(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, person)): Path<(String, String)>,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let org = administered_org(&state, &user, parse_id(&id)?).await?;
    let person = employed_person(&state, org.id, &person).await?;
    let roles: Vec<String> = form
        .into_iter()
        .filter(|(key, _)| key == "roles")
        .map(|(_, value)| value)
        .collect();
    let mut errors = FieldErrors::default();
    let mut parsed: Vec<Role> = Vec::with_capacity(roles.len());
    for role in &roles {
        match role.parse::<Role>() {
            Ok(role) => parsed.push(role),
            Err(unknown) => errors.push("roles", unknown.to_string()),
        }
    }
    if person.id == user.person_id && !parsed.contains(&Role::OrgAdmin) {
        errors.push(
            "roles",
            "You cannot take away your own administrator role: ask another administrator",
        );
    }
    if !errors.is_empty() {
        let page = person_page(
            &state,
            &user,
            org,
            person,
            PersonPageState {
                held_roles: Some(roles),
                errors: errors.into(),
                ..Default::default()
            },
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response());
    }
    parsed.sort();
    parsed.dedup();
    store::set_roles_in_org(&state.db, person.id, org.id, &parsed).await?;
    state.sessions.forget_person(person.id);
    Ok(Redirect::to(&format!(
        "/orgs/{}/people/{}?saved=roles",
        org.id, person.id
    ))
    .into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SupervisorForm {
    email: String,
}

/// `POST /orgs/{id}/people/{person}/supervisors`: names a colleague as their supervisor (and
/// gives the colleague the supervisor role here if they lack it).
pub async fn add_supervisor(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, person)): Path<(String, String)>,
    CheckedForm(form): CheckedForm<SupervisorForm>,
) -> Result<Response, PageError> {
    let org = administered_org(&state, &user, parse_id(&id)?).await?;
    let person = employed_person(&state, org.id, &person).await?;
    let problem = match Email::parse(&form.email) {
        Err(message) => Some(message.to_owned()),
        Ok(email) => {
            match store::employee_by_email(&state.db, org.id, email.as_str(), state.clock.today())
                .await?
            {
                None => Some(format!(
                    "Nobody working for {} today has the email {}; a supervisor must work here",
                    org.name,
                    email.as_str()
                )),
                Some(supervisor) if supervisor.id == person.id => {
                    Some("A person cannot supervise themselves".to_owned())
                }
                Some(supervisor) => {
                    store::add_supervision(&state.db, supervisor.id, person.id, org.id).await?;
                    let mut roles = store::roles_in_org(&state.db, supervisor.id, org.id).await?;
                    if !roles.contains(&Role::Supervisor) {
                        roles.push(Role::Supervisor);
                        store::set_roles_in_org(&state.db, supervisor.id, org.id, &roles).await?;
                        state.sessions.forget_person(supervisor.id);
                    }
                    None
                }
            }
        }
    };
    match problem {
        None => Ok(Redirect::to(&format!(
            "/orgs/{}/people/{}?saved=supervisor",
            org.id, person.id
        ))
        .into_response()),
        Some(message) => {
            let page = person_page(
                &state,
                &user,
                org,
                person,
                PersonPageState {
                    supervisor_email: form.email,
                    errors: FormErrors::one("email", message),
                    ..Default::default()
                },
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
    }
}

/// `POST /orgs/{id}/people/{person}/supervisors/{supervisor}/remove`
pub async fn remove_supervisor(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, person, supervisor)): Path<(String, String, String)>,
    CheckedForm(_form): CheckedForm<CsrfForm>,
) -> Result<Response, PageError> {
    let org = administered_org(&state, &user, parse_id(&id)?).await?;
    let person = employed_person(&state, org.id, &person).await?;
    let who = (parse_id(&supervisor)?, person.id, org.id);
    store::set_supervision(&state.db, who, false).await?;
    Ok(Redirect::to(&format!(
        "/orgs/{}/people/{}?saved=supervisor",
        org.id, person.id
    ))
    .into_response())
}

struct TeamLine {
    id: Uuid,
    name: String,
    service: &'static str,
    locality: &'static str,
    /// Town id ("" when not recorded), for the per-team select.
    town: String,
}

#[derive(Template)]
#[template(path = "admin/teams.html")]
struct TeamsPage {
    chrome: Chrome,
    errors: FormErrors,
    saved: Option<&'static str>,
    org_id: Uuid,
    org_name: String,
    teams: Vec<TeamLine>,
    form: TeamForm,
    services: &'static [vocabulary::Term],
    localities: &'static [vocabulary::Term],
    places: &'static [cairn_core::places::Place],
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TeamForm {
    town: String,
    name: String,
    service: String,
    locality: String,
}

async fn teams_page(
    state: &AppState,
    user: &CurrentUser,
    org: crate::people::Organisation,
    form: TeamForm,
    errors: FormErrors,
    saved: Option<&'static str>,
) -> Result<TeamsPage, AppError> {
    let label = |terms: &'static [vocabulary::Term], id: &str| {
        vocabulary::label(terms, id).unwrap_or("Not recorded")
    };
    let teams = store::list_teams(&state.db, org.id)
        .await?
        .into_iter()
        .map(|t| TeamLine {
            id: t.id,
            service: label(SERVICES, &t.service),
            locality: label(LOCALITIES, &t.locality),
            town: t.town.unwrap_or_default(),
            name: t.name,
        })
        .collect();
    Ok(TeamsPage {
        chrome: user.chrome(),
        errors,
        saved,
        org_id: org.id,
        org_name: org.name,
        teams,
        form,
        services: SERVICES,
        localities: LOCALITIES,
        places: cairn_core::places::PLACES,
    })
}

/// `GET /orgs/{id}/teams`
pub async fn show_teams(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let org = administered_org(&state, &user, id).await?;
    let saved = match params.get("saved").map(String::as_str) {
        Some("town") => Some("Where the team is based was saved."),
        Some(_) => Some("The team was added."),
        None => None,
    };
    let page = teams_page(
        &state,
        &user,
        org,
        TeamForm::default(),
        FormErrors::default(),
        saved,
    )
    .await?;
    Ok(render(&page))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TownForm {
    town: String,
}

/// `POST /orgs/{id}/teams/{team}/town`: where a team is based (so that its people can find
/// learning within a distance), or not recorded.
pub async fn set_team_town(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, team)): Path<(String, String)>,
    CheckedForm(form): CheckedForm<TownForm>,
) -> Result<Response, PageError> {
    let org = administered_org(&state, &user, parse_id(&id)?).await?;
    let team_id = parse_id(&team)?;
    let town = Some(form.town.as_str()).filter(|t| !t.is_empty());
    if let Some(town) = town
        && let Err(message) = cairn_core::places::check(town)
    {
        let page = teams_page(
            &state,
            &user,
            org,
            TeamForm::default(),
            FormErrors::one(&format!("town-{team_id}"), message),
            None,
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response());
    }
    if !store::set_team_town(&state.db, org.id, team_id, town).await? {
        return Err(AppError::NotFound.into());
    }
    Ok(Redirect::to(&format!("/orgs/{}/teams?saved=town", org.id)).into_response())
}

/// `POST /orgs/{id}/teams`: adds a team.
pub async fn add_team(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    CheckedForm(mut form): CheckedForm<TeamForm>,
) -> Result<Response, PageError> {
    let org = administered_org(&state, &user, id).await?;
    form.name = form.name.trim().to_owned();
    let mut errors = FieldErrors::default();
    let length = form.name.chars().count();
    if length == 0 || length > 100 {
        errors.push("name", "Enter the team's name, up to 100 characters");
    } else if store::list_teams(&state.db, org.id)
        .await?
        .iter()
        .any(|t| t.name.eq_ignore_ascii_case(&form.name))
    {
        errors.push(
            "name",
            format!("{} already has a team called {}", org.name, form.name),
        );
    }
    if vocabulary::check(SERVICES, &form.service).is_err() {
        errors.push("service", "Choose the service the team belongs to");
    }
    if vocabulary::check(LOCALITIES, &form.locality).is_err() {
        errors.push("locality", "Choose where the team works");
    }
    if !form.town.is_empty()
        && let Err(message) = cairn_core::places::check(&form.town)
    {
        errors.push("town", message);
    }
    if errors.is_empty() {
        let town = Some(form.town.as_str()).filter(|t| !t.is_empty());
        store::insert_team(
            &state.db,
            org.id,
            &form.name,
            &form.service,
            &form.locality,
            town,
        )
        .await?;
        return Ok(Redirect::to(&format!("/orgs/{}/teams?saved=team", org.id)).into_response());
    }
    let page = teams_page(&state, &user, org, form, errors.into(), None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

#[derive(Template)]
#[template(path = "admin/import.html")]
struct ImportPage {
    chrome: Chrome,
    errors: FormErrors,
    org_id: Uuid,
    org_name: String,
    columns: &'static [&'static str],
    report: Option<ImportReport>,
    report_csv: Option<String>,
    filename: String,
    added_note: &'static str,
    job_lines: usize,
    jobs: Vec<JobLine>,
}

/// A background import as the import page lists it.
struct JobLine {
    id: Uuid,
    label: String,
    sent: String,
    state: String,
}

/// How a job stands, in a few words.
fn job_state(job: &jobs::Job) -> String {
    match job.status {
        jobs::JobStatus::Queued => "Waiting to start".to_owned(),
        jobs::JobStatus::Running => format!("Importing: {}% done", job.percent()),
        jobs::JobStatus::Done => "Finished".to_owned(),
        jobs::JobStatus::Failed => "Stopped".to_owned(),
    }
}

impl ImportPage {
    async fn new(
        state: &AppState,
        user: &CurrentUser,
        org: crate::people::Organisation,
    ) -> Result<Self, AppError> {
        let now = state.clock.now();
        let jobs = jobs::recent_for_org(&state.db, org.id, 10)
            .await?
            .iter()
            .map(|job| JobLine {
                id: job.id,
                label: job.label.clone(),
                sent: ago(job.created_at, now),
                state: job_state(job),
            })
            .collect();
        Ok(ImportPage {
            chrome: user.chrome(),
            errors: FormErrors::default(),
            org_id: org.id,
            org_name: org.name,
            columns: crate::people::import::COLUMNS,
            report: None,
            report_csv: None,
            filename: String::new(),
            added_note: crate::people::import::ADDED_NOTE,
            job_lines: crate::people::import::JOB_LINES,
            jobs,
        })
    }
}

/// `GET /orgs/{id}/import`: the HR feed upload form.
pub async fn show_import(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
) -> Result<Response, PageError> {
    let org = administered_org(&state, &user, id).await?;
    Ok(render(&ImportPage::new(&state, &user, org).await?))
}

/// `GET /orgs/{id}/import/template.csv`: an HR file to fill in.
pub async fn download_import_template(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
) -> Result<Response, PageError> {
    administered_org(&state, &user, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"staff-template.csv\"",
            ),
        ],
        crate::people::import::template_csv(),
    )
        .into_response())
}

/// `POST /orgs/{id}/import?csrf=…` (multipart, field `file`): applies the feed and shows what
/// happened to every line, or, for a large file, queues it and shows its progress. The token
/// travels in the query so it is checked before the upload is read.
pub async fn run_import(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let org = administered_org(&state, &user, id).await?;
    require(&user.csrf, params.get("csrf").map_or("", String::as_str))?;
    let org_id = org.id;
    let mut page = ImportPage::new(&state, &user, org).await?;
    let outcome = match crate::web::form::read_csv_upload(multipart, MAX_FEED_BYTES).await {
        Ok((filename, text)) => {
            page.filename = filename;
            let label = if page.filename.is_empty() {
                "HR file"
            } else {
                page.filename.as_str()
            };
            match start(
                &state.db,
                org_id,
                user.person_id,
                label,
                &text,
                state.clock.now(),
            )
            .await
            {
                Ok(Started::Applied(report)) => {
                    // The feed may have changed anyone's roles.
                    state.sessions.clear();
                    Ok(report)
                }
                Ok(Started::Queued(job)) => {
                    state.jobs.notify_one();
                    return Ok(
                        Redirect::to(&format!("/orgs/{org_id}/imports/{job}")).into_response()
                    );
                }
                Err(FeedError::Unreadable(message)) => Err(message),
                Err(FeedError::Database(error)) => return Err(AppError::from(error).into()),
            }
        }
        Err(message) => Err(message),
    };
    match outcome {
        Ok(report) => {
            page.report = Some(report);
            Ok(render(&page))
        }
        Err(message) => {
            page.errors = FormErrors::one("file", message);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "admin/import_job.html")]
struct ImportJobPage {
    chrome: Chrome,
    org_id: Uuid,
    org_name: String,
    job_id: Uuid,
    label: String,
    sent: String,
    pending: bool,
    state: String,
    percent: i64,
    error: Option<String>,
    report: Option<ImportReport>,
    report_csv: Option<String>,
    filename: String,
    added_note: &'static str,
}

/// The administered organisation `id`, its background import `job` and the job's report once
/// done. Another organisation's job is not found, whoever asks.
async fn feed_job(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    job: &str,
) -> Result<(crate::people::Organisation, jobs::Job, Option<ImportReport>), AppError> {
    let org = administered_org(state, user, parse_id(id)?).await?;
    let job = jobs::get(&state.db, parse_id(job)?)
        .await?
        .filter(|job| job.org_id == Some(org.id) && job.kind == jobs::JobKind::PeopleFeed.as_str())
        .ok_or(AppError::NotFound)?;
    let report = job
        .report
        .as_deref()
        .map(serde_json::from_str::<ImportReport>)
        .transpose()
        .map_err(|error| {
            AppError::Internal(anyhow::anyhow!(
                "a stored import report is unreadable: {error}"
            ))
        })?;
    Ok((org, job, report))
}

/// `GET /orgs/{id}/imports/{job}`: how a background import stands, and its report once done.
pub async fn show_import_job(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, job)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (org, job, report) = feed_job(&state, &user, &id, &job).await?;
    Ok(render(&ImportJobPage {
        chrome: user.chrome(),
        org_id: org.id,
        org_name: org.name,
        job_id: job.id,
        sent: ago(job.created_at, state.clock.now()),
        pending: job.is_pending(),
        state: format!("{}.", job_state(&job)),
        percent: job.percent(),
        error: job.error.clone(),
        report_csv: report
            .as_ref()
            .map(|_| format!("/orgs/{}/imports/{}/report.csv", org.id, job.id)),
        report,
        filename: job.label.clone(),
        label: job.label,
        added_note: crate::people::import::ADDED_NOTE,
    }))
}

/// `GET /orgs/{id}/imports/{job}/report.csv`: every line's outcome, for a spreadsheet.
pub async fn download_import_report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, job)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (_, job, report) = feed_job(&state, &user, &id, &job).await?;
    let report = report.ok_or(AppError::NotFound)?;
    Ok(crate::web::download(
        "text/csv; charset=utf-8",
        format!(
            "import-report-{}.csv",
            crate::zone::local(job.created_at).date()
        ),
        report.to_csv(),
    ))
}
