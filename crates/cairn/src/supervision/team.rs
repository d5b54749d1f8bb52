//! Team learning sessions: a supervisor records learning the team did together (an online
//! module and a case study discussed as a team, say); each participant gets a learning entry,
//! marked as peer-reflected, and is asked to add their own reflection.

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::db::{BeginWrite, Db, join_tags};
use crate::on_db;
use crate::web::csrf::require;
use crate::web::page::{Chrome, FormErrors, render};
use crate::web::{ApiJson, AppError, PageError};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Redirect, Response};
use cairn_core::Role;
use cairn_core::ValidEntry;
use cairn_core::supervision::{TeamSessionDraft, ValidTeamSession};
use cairn_core::vocabulary::TOPICS;
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

const INSERT_SESSION: &str = "INSERT INTO team_session (id, org_id, led_by, held_on, title, description, hours, topics, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const INSERT_ATTENDEE: &str =
    "INSERT INTO team_session_attendee (session_id, person_id) VALUES ($1, $2)";
const SET_ENTRY: &str =
    "UPDATE team_session_attendee SET entry_id = $3 WHERE session_id = $1 AND person_id = $2";

async fn insert_session(
    db: &Db,
    org_id: Uuid,
    leader: Uuid,
    session: &ValidTeamSession,
    now: OffsetDateTime,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query(INSERT_SESSION)
            .bind(id)
            .bind(org_id)
            .bind(leader)
            .bind(session.held_on)
            .bind(&session.title)
            .bind(&session.description)
            .bind(session.hours.units())
            .bind(join_tags(&session.topics))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        for person in &session.attendees {
            sqlx::query(INSERT_ATTENDEE)
                .bind(id)
                .bind(person)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    })?;
    Ok(id)
}

async fn set_entry(db: &Db, session: Uuid, person: Uuid, entry: Uuid) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| sqlx::query(SET_ENTRY)
        .bind(session)
        .bind(person)
        .bind(entry)
        .execute(pool)
        .await
        .map(|_| ()))
}

/// Records a team session the signed-in supervisor led, with people they supervise; writes
/// each participant's entry and tells them. Returns the session and each (person, entry).
pub async fn record(
    state: &AppState,
    user: &CurrentUser,
    draft: &TeamSessionDraft,
) -> Result<(Uuid, Vec<(Uuid, Uuid)>), AppError> {
    let session = draft
        .validate(user.person_id, state.clock.today())
        .map_err(AppError::Invalid)?;
    let mut org_id = None;
    for person in &session.attendees {
        let facts = crate::people::routes::facts(state, *person).await?;
        if authorize(user, Action::Supervise(&facts)).is_err() {
            return Err(AppError::field(
                "attendees",
                "You can record team sessions only with people you supervise",
            ));
        }
        org_id = org_id.or_else(|| {
            facts
                .employing_orgs
                .iter()
                .find(|o| user.has_role(**o, Role::Supervisor))
                .copied()
        });
    }
    let org_id = org_id.ok_or_else(|| AppError::field("attendees", "Choose who took part"))?;
    let now = state.clock.now();
    let id = insert_session(&state.db, org_id, user.person_id, &session, now).await?;
    let mut written = Vec::new();
    for person in &session.attendees {
        let entry = ValidEntry {
            date: session.held_on,
            title: session.title.clone(),
            kind: "team-learning-session".into(),
            hours: session.hours,
            topics: session.topics.clone(),
            elements: Vec::new(),
            reflection: None,
            reflection_so_what: None,
            reflection_now_what: None,
            peer_reflection: true,
            peer_name: Some(format!("Team session led by {}", user.name)),
        };
        let saved = crate::learning::store::insert_entry(&state.db, *person, &entry, now).await?;
        set_entry(&state.db, id, *person, saved.id).await?;
        let notice = crate::catalogue::store::Notice {
            person_id: *person,
            kind: "team-session",
            message: format!(
                "{} is in your record from the team session: add your own reflection",
                session.title
            ),
            link: format!("/entries/{}", saved.id),
        };
        crate::catalogue::store::send_notice(&state.db, &notice, now).await?;
        written.push((*person, saved.id));
    }
    tracing::info!(team_session.id = %id, attendees = written.len(), "team session recorded");
    Ok((id, written))
}

/// `POST /api/v1/team-sessions`
pub async fn post_session(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(draft): ApiJson<TeamSessionDraft>,
) -> Result<Response, AppError> {
    let (id, entries) = record(&state, &user, &draft).await?;
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

#[derive(Default)]
struct Typed {
    title: String,
    held_on: String,
    hours: String,
    topics: String,
    description: String,
    attendees: Vec<String>,
}

#[derive(Template)]
#[template(path = "supervision/team_session.html")]
struct TeamSessionPage {
    chrome: Chrome,
    errors: FormErrors,
    supervisees: Vec<(String, String)>,
    typed: Typed,
}

impl TeamSessionPage {
    fn taking_part(&self, id: &str) -> bool {
        self.typed.attendees.iter().any(|a| a == id)
    }
}

/// `GET /team-sessions/new`
pub async fn show_new(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PageError> {
    let typed = Typed {
        held_on: state.clock.today().to_string(),
        hours: "1.5".into(),
        ..Default::default()
    };
    Ok(render(&TeamSessionPage {
        chrome: user.chrome(),
        errors: FormErrors::default(),
        supervisees: super::pages::supervisees(&state, &user).await?,
        typed,
    }))
}

/// `POST /team-sessions/new`
pub async fn post_new(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let field = |key: &str| crate::web::form::field(&form, key);
    require(&user.csrf, field("csrf"))?;
    let typed = Typed {
        title: field("title").to_owned(),
        held_on: field("held_on").trim().to_owned(),
        hours: field("hours").trim().to_owned(),
        topics: field("topics").to_owned(),
        description: field("description").to_owned(),
        attendees: crate::web::form::all(&form, "attendees"),
    };
    let draft = TeamSessionDraft {
        title: Some(typed.title.clone()),
        held_on: Some(typed.held_on.clone()),
        hours: Some(serde_json::Value::String(typed.hours.clone())),
        topics: cairn_core::vocabulary::ids_from_typed(&typed.topics, &[TOPICS]),
        description: typed.description.clone(),
        attendees: typed
            .attendees
            .iter()
            .filter_map(|a| Uuid::parse_str(a).ok())
            .collect(),
    };
    match record(&state, &user, &draft).await {
        Ok(_) => Ok(Redirect::to("/team?team-session").into_response()),
        Err(AppError::Invalid(problems)) => {
            let errors = FormErrors {
                items: problems
                    .0
                    .into_iter()
                    .map(|mut e| {
                        if e.field.starts_with("topics[") {
                            e.field = "topics".into();
                        }
                        e
                    })
                    .collect(),
            };
            let page = TeamSessionPage {
                chrome: user.chrome(),
                errors,
                supervisees: super::pages::supervisees(&state, &user).await?,
                typed,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
