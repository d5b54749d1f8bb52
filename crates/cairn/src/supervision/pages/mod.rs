//! Supervision in the browser: my sessions and open actions, recording a session, a session,
//! and an organisation's list of who is due or overdue.

pub mod my_team;
pub mod team_session;

use crate::app::AppState;
use crate::auth::CheckedForm;
use crate::auth::CurrentUser;
use crate::supervision::shared::{check_frequency, complete, due_for_org, record, visible_session};
use crate::supervision::store;
use crate::web::PageIdPath;
use crate::web::form::field;
use crate::web::page::{Chrome, FormErrors, long_date, render};
use crate::web::{AppError, PageError};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use cairn_core::Role;
use cairn_core::supervision::{AGENDA, ActionDraft, SESSION_KINDS, SessionDraft};
use cairn_core::vocabulary::Term;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

struct ActionLine {
    id: Uuid,
    description: String,
    owner: String,
    due: String,
    overdue: bool,
    agreed: String,
    session_id: Uuid,
}

fn action_lines(actions: Vec<store::Action>, today: time::Date) -> Vec<ActionLine> {
    actions
        .into_iter()
        .map(|a| ActionLine {
            id: a.id,
            overdue: a.done_at.is_none() && a.due_on < today,
            description: a.description,
            owner: a.owner_name,
            due: long_date(a.due_on),
            agreed: long_date(a.held_on),
            session_id: a.session_id,
        })
        .collect()
}

struct SessionLine {
    id: Uuid,
    on: String,
    what: String,
}

#[derive(Template)]
#[template(path = "supervision/mine.html")]
struct MinePage {
    chrome: Chrome,
    notice: Option<&'static str>,
    supervisor: bool,
    sessions: Vec<SessionLine>,
    actions: Vec<ActionLine>,
}

/// `GET /supervision`: my sessions and the actions still open from them.
pub async fn show_mine(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let today = state.clock.today();
    let sessions = store::sessions_of(&state.db, user.person_id)
        .await?
        .into_iter()
        .map(|s| SessionLine {
            id: s.id,
            on: long_date(s.held_on),
            what: format!(
                "{} supervision, {} minutes{}{}",
                s.kind.label(),
                s.duration_minutes,
                s.supervisor_name
                    .map(|n| format!(", with {n}"))
                    .unwrap_or_default(),
                if s.attendees > 1 {
                    format!(", {} attending", s.attendees)
                } else {
                    String::new()
                }
            ),
        })
        .collect();
    let actions = action_lines(store::open_actions(&state.db, user.person_id).await?, today);
    crate::notifications::mark_kind_read(
        &state.db,
        user.person_id,
        "supervision",
        state.clock.now(),
    )
    .await?;
    Ok(render(&MinePage {
        chrome: user.chrome(),
        notice: if params.contains_key("left") {
            Some("You have left that session: it is not in your record.")
        } else {
            params
                .contains_key("done")
                .then_some("The action is marked done.")
        },
        supervisor: user.roles.iter().any(|g| g.role == Role::Supervisor),
        sessions,
        actions,
    }))
}

/// What the form holds: typed values are kept after a mistake.
#[derive(Default)]
struct Typed {
    held_on: String,
    duration_minutes: String,
    kind: String,
    attendees: Vec<String>,
    agenda: BTreeMap<String, String>,
    notes: String,
    private_notes: String,
    /// (description, owner, due) for three action rows.
    actions: Vec<(String, String, String)>,
    add_to_records: bool,
}

#[derive(Template)]
#[template(path = "supervision/new.html")]
struct NewPage {
    chrome: Chrome,
    errors: FormErrors,
    /// (id, name) of the people the user supervises.
    supervisees: Vec<(String, String)>,
    kinds: &'static [Term],
    agenda: &'static [Term],
    typed: Typed,
    /// The user's own id, for the owner lists.
    me: String,
}

impl NewPage {
    fn attending(&self, id: &str) -> bool {
        self.typed.attendees.iter().any(|a| a == id)
    }
    fn percent(&self, part: &str) -> &str {
        self.typed.agenda.get(part).map_or("", String::as_str)
    }
}

pub async fn supervisees(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<(String, String)>, AppError> {
    let mut found = Vec::new();
    for grant in user.roles.iter().filter(|g| g.role == Role::Supervisor) {
        for id in
            crate::people::service::supervisees_of(&state.db, user.person_id, grant.org_id).await?
        {
            if let Some(person) = crate::people::service::get_person(&state.db, id).await?
                && !found
                    .iter()
                    .any(|(i, _): &(String, String)| *i == id.to_string())
            {
                found.push((id.to_string(), person.name));
            }
        }
    }
    found.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(found)
}

async fn new_page(
    state: &AppState,
    user: &CurrentUser,
    errors: FormErrors,
    typed: Typed,
) -> Result<NewPage, AppError> {
    Ok(NewPage {
        chrome: user.chrome(),
        errors,
        supervisees: supervisees(state, user).await?,
        kinds: SESSION_KINDS,
        agenda: AGENDA,
        typed,
        me: user.person_id.to_string(),
    })
}

/// `GET /supervision/new`
pub async fn show_new(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PageError> {
    let typed = Typed {
        held_on: state.clock.today().to_string(),
        duration_minutes: "60".into(),
        kind: "individual".into(),
        actions: vec![Default::default(); 3],
        ..Default::default()
    };
    Ok(render(
        &new_page(&state, &user, FormErrors::default(), typed).await?,
    ))
}

/// `POST /supervision/new`
pub async fn post_new(
    State(state): State<AppState>,
    user: CurrentUser,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let mut errors = FormErrors::default();
    let typed = Typed {
        held_on: field(&form, "held_on").trim().to_owned(),
        duration_minutes: field(&form, "duration_minutes").trim().to_owned(),
        kind: field(&form, "kind").to_owned(),
        attendees: crate::web::form::all(&form, "attendees"),
        agenda: AGENDA
            .iter()
            .map(|(id, _)| {
                (
                    (*id).to_owned(),
                    field(&form, &format!("agenda-{id}")).trim().to_owned(),
                )
            })
            .collect(),
        notes: field(&form, "notes").to_owned(),
        private_notes: field(&form, "private_notes").to_owned(),
        actions: (0..3)
            .map(|i| {
                (
                    field(&form, &format!("action-{i}-description")).to_owned(),
                    field(&form, &format!("action-{i}-owner")).to_owned(),
                    field(&form, &format!("action-{i}-due")).trim().to_owned(),
                )
            })
            .collect(),
        add_to_records: !field(&form, "add_to_records").is_empty(),
    };
    let mut whole = |name: &str, text: &str| -> Option<i64> {
        if text.is_empty() {
            return None;
        }
        let value = text.parse().ok();
        if value.is_none() {
            errors
                .items
                .push(cairn_core::FieldError::new(name, "must be a whole number"));
        }
        value
    };
    let duration = whole("duration_minutes", &typed.duration_minutes);
    let mut agenda = BTreeMap::new();
    for (id, text) in &typed.agenda {
        agenda.insert(
            id.clone(),
            whole(&format!("agenda-{id}"), text).unwrap_or(0),
        );
    }
    let draft = SessionDraft {
        held_on: Some(typed.held_on.clone()),
        duration_minutes: duration,
        kind: Some(typed.kind.clone()),
        attendees: typed
            .attendees
            .iter()
            .filter_map(|a| Uuid::parse_str(a).ok())
            .collect(),
        agenda,
        notes: typed.notes.clone(),
        private_notes: typed.private_notes.clone(),
        // Rows left wholly blank are not actions.
        actions: typed
            .actions
            .iter()
            .filter(|(d, _, due)| !d.trim().is_empty() || !due.is_empty())
            .map(|(description, owner, due)| ActionDraft {
                description: Some(description.clone()),
                owner: Uuid::parse_str(owner).ok(),
                due_on: Some(due.clone()),
            })
            .collect(),
        add_to_records: typed.add_to_records,
    };
    if errors.is_empty() {
        match record(&state, &user, &draft).await {
            Ok(id) => {
                return Ok(Redirect::to(&format!("/supervision/{id}?recorded")).into_response());
            }
            Err(AppError::Invalid(problems)) => {
                // Field names as the form has them: agenda.x → agenda-x, actions[i].y → action-i-y.
                let blank_rows: Vec<usize> = (0..3)
                    .filter(|i| {
                        let (d, _, due) = &typed.actions[*i];
                        d.trim().is_empty() && due.is_empty()
                    })
                    .collect();
                for mut problem in problems.0 {
                    if let Some(part) = problem.field.strip_prefix("agenda.") {
                        problem.field = format!("agenda-{part}");
                    } else if let Some(rest) = problem.field.strip_prefix("actions[") {
                        let (index, name) = rest.split_once("].").unwrap_or(("0", "description"));
                        // The n-th action sent is the n-th row that was not blank.
                        let sent: usize = index.parse().unwrap_or(0);
                        let row = (0..3)
                            .filter(|i| !blank_rows.contains(i))
                            .nth(sent)
                            .unwrap_or(0);
                        let name = if name == "due_on" { "due" } else { name };
                        problem.message = format!("Action {}: {}", row + 1, problem.message);
                        problem.field = format!("action-{row}-{name}");
                    }
                    errors.items.push(problem);
                }
            }
            Err(other) => return Err(other.into()),
        }
    }
    let page = new_page(&state, &user, errors, typed).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

#[derive(Template)]
#[template(path = "supervision/session.html")]
struct SessionPage {
    chrome: Chrome,
    notice: Option<&'static str>,
    title: String,
    facts: Vec<(&'static str, String)>,
    agenda: Vec<(&'static str, i64)>,
    notes: String,
    private_notes: String,
    attendees: Vec<(String, Option<Uuid>)>,
    actions: Vec<(ActionLine, bool)>,
    /// A peer session the viewer has yet to confirm: (its id, whether it would be added to
    /// their record).
    to_confirm: Option<(Uuid, bool)>,
}

/// `GET /supervision/{id}`
pub async fn show_session(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let (row, attendees, actions) = visible_session(&state, &user, id).await?;
    let today = state.clock.today();
    let to_confirm = attendees
        .iter()
        .find(|a| a.person_id == user.person_id && !a.confirmed)
        .map(|a| (row.id, a.entry_on_confirm));
    let done: Vec<bool> = actions.iter().map(|a| a.done_at.is_some()).collect();
    let kind = row.kind.label();
    let supervisor = row
        .supervisor_name
        .clone()
        .unwrap_or_else(|| "Someone who has left".into());
    Ok(render(&SessionPage {
        chrome: user.chrome(),
        to_confirm,
        notice: if params.contains_key("recorded") {
            Some("The session was recorded and everyone in it has been told.")
        } else if params.contains_key("confirmed") {
            Some("Thank you: the session counts as supervision you had.")
        } else {
            params
                .contains_key("done")
                .then_some("The action is marked done.")
        },
        title: format!("{kind} supervision, {}", long_date(row.held_on)),
        facts: vec![
            ("Supervisor", supervisor),
            ("Length", format!("{} minutes", row.duration_minutes)),
        ],
        agenda: AGENDA
            .iter()
            .map(|(_, label)| *label)
            .zip([
                row.case_management,
                row.reflection,
                row.professional_development,
                row.wellbeing,
            ])
            .collect(),
        notes: row.notes,
        private_notes: row.private_notes,
        attendees: attendees
            .into_iter()
            .map(|a| {
                let name = if a.confirmed {
                    a.name
                } else {
                    format!("{} (not yet confirmed)", a.name)
                };
                (name, a.entry_id)
            })
            .collect(),
        actions: action_lines(actions, today).into_iter().zip(done).collect(),
    }))
}

/// `POST /supervision/{id}/attendance` (`decision` = confirm or disown)
pub async fn post_attendance(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(session_id): PageIdPath,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let answer = match crate::web::form::field(&form, "decision") {
        "confirm" => crate::supervision::shared::Attendance::Confirm,
        "disown" => crate::supervision::shared::Attendance::Disown,
        _ => return Err(AppError::field("decision", "Choose confirm, or not me").into()),
    };
    crate::supervision::shared::answer_attendance(&state, &user, session_id, answer).await?;
    Ok(match answer {
        crate::supervision::shared::Attendance::Confirm => {
            Redirect::to(&format!("/supervision/{session_id}?confirmed")).into_response()
        }
        crate::supervision::shared::Attendance::Disown => {
            Redirect::to("/supervision?left").into_response()
        }
    })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CsrfOnly {
    back: String,
}

/// `POST /supervision/actions/{id}/done`
pub async fn post_action_done(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    CheckedForm(form): CheckedForm<CsrfOnly>,
) -> Result<Response, PageError> {
    complete(&state, &user, id).await?;
    let back = if form.back.starts_with("/supervision/") && !form.back.contains("//") {
        format!("{}?done", form.back)
    } else {
        "/supervision?done".to_owned()
    };
    Ok(Redirect::to(&back).into_response())
}

struct DueLine {
    name: String,
    team: String,
    supervisor: String,
    last: String,
    next: String,
    overdue: String,
    newly_qualified: bool,
}

#[derive(Template)]
#[template(path = "supervision/org.html")]
struct OrgPage {
    chrome: Chrome,
    errors: FormErrors,
    notice: bool,
    org_id: Uuid,
    org_name: String,
    show_all: bool,
    people: usize,
    overdue: usize,
    lines: Vec<DueLine>,
    nqsw_every_days: String,
    every_days: String,
}

async fn org_page(
    state: &AppState,
    user: &CurrentUser,
    org_id: Uuid,
    show_all: bool,
    errors: FormErrors,
    typed: Option<(String, String)>,
) -> Result<OrgPage, AppError> {
    let due = due_for_org(state, user, org_id).await?;
    let org = crate::people::service::get_org(&state.db, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let every = store::frequency(&state.db, org_id).await?;
    let people = due.len();
    let overdue = due.iter().filter(|d| d.days_overdue > 0).count();
    let lines = due
        .into_iter()
        .filter(|d| show_all || d.days_overdue > 0)
        .take(250)
        .map(|d| DueLine {
            name: d.name,
            team: d.team.unwrap_or_default(),
            supervisor: d.supervisor.unwrap_or_else(|| "None recorded".into()),
            last: d.last_held.map_or_else(|| "Never".into(), long_date),
            next: long_date(d.next_due),
            // Long overdue reads as since when ("since 3 March 2019"), not "12050 days".
            overdue: match d.days_overdue {
                0 => String::new(),
                1 => "1 day".into(),
                n if n <= 90 => format!("{n} days"),
                _ => format!("since {}", long_date(d.next_due)),
            },
            newly_qualified: d.newly_qualified,
        })
        .collect();
    let (nqsw_every_days, every_days) = typed.unwrap_or_else(|| {
        (
            every.newly_qualified_every.to_string(),
            every.every.to_string(),
        )
    });
    Ok(OrgPage {
        chrome: user.chrome(),
        errors,
        notice: false,
        org_id,
        org_name: org.name,
        show_all,
        people,
        overdue,
        lines,
        nqsw_every_days,
        every_days,
    })
}

/// `GET /orgs/{id}/supervision?all`: who is overdue (or everyone, with `all`).
pub async fn show_org(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let mut page = org_page(
        &state,
        &user,
        id,
        params.contains_key("all"),
        FormErrors::default(),
        None,
    )
    .await?;
    page.notice = params.contains_key("saved");
    Ok(render(&page))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct FrequencyForm {
    nqsw_every_days: String,
    every_days: String,
}

/// `POST /orgs/{id}/supervision`: how often supervision is due.
pub async fn post_frequency(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(org_id): PageIdPath,
    CheckedForm(form): CheckedForm<FrequencyForm>,
) -> Result<Response, PageError> {
    let parse = |text: &str| text.trim().parse::<i64>().ok();
    match check_frequency(parse(&form.nqsw_every_days), parse(&form.every_days)) {
        Ok((nqsw, every)) => {
            due_for_org(&state, &user, org_id).await?;
            store::set_frequency(&state.db, org_id, nqsw, every).await?;
            Ok(Redirect::to(&format!("/orgs/{org_id}/supervision?saved")).into_response())
        }
        Err(AppError::Invalid(problems)) => {
            let page = org_page(
                &state,
                &user,
                org_id,
                false,
                problems.into(),
                Some((form.nqsw_every_days, form.every_days)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// This feature's pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/team-sessions/new",
            get(team_session::show_new).post(team_session::post_new),
        )
        .route("/team", get(my_team::show_team))
        .route("/supervision", get(show_mine))
        .route("/supervision/new", get(show_new).post(post_new))
        .route("/supervision/{id}", get(show_session))
        .route("/supervision/{id}/attendance", post(post_attendance))
        .route("/supervision/actions/{id}/done", post(post_action_done))
        .route("/orgs/{id}/supervision", get(show_org).post(post_frequency))
}
