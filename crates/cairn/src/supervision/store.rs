//! SQL for supervision: sessions with attendees and actions, open actions, how often
//! supervision is due, and who is overdue.

use crate::db::{BeginWrite, Db, join_tags};
use crate::notifications::{Notice, notify};
use crate::on_db;
use crate::on_tx;
use cairn_core::ValidEntry;
use cairn_core::supervision::{DEFAULT_EVERY_DAYS, DEFAULT_NQSW_EVERY_DAYS, ValidSession};
use cairn_core::supervision::{Frequency, SessionKind, ValidTeamSession};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

const INSERT_SESSION: &str = "INSERT INTO supervision_session (id, org_id, supervisor_id, held_on, duration_minutes, kind, \
     case_management, reflection, professional_development, wellbeing, notes, private_notes, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
const INSERT_ATTENDEE: &str = "INSERT INTO supervision_attendee (session_id, person_id, confirmed, entry_on_confirm) VALUES ($1, $2, $3, $4)";
const CONFIRM_ATTENDEE: &str = "UPDATE supervision_attendee SET confirmed = TRUE, entry_on_confirm = FALSE \
     WHERE session_id = $1 AND person_id = $2 AND confirmed = FALSE";
const DELETE_ATTENDEE_UNCONFIRMED: &str = "DELETE FROM supervision_attendee WHERE session_id = $1 AND person_id = $2 AND confirmed = FALSE";
const DELETE_ACTIONS_OF_OWNER: &str =
    "DELETE FROM supervision_action WHERE session_id = $1 AND owner_id = $2";
const INSERT_ACTION: &str = "INSERT INTO supervision_action (id, session_id, description, owner_id, due_on) VALUES ($1, $2, $3, $4, $5)";
const SET_ATTENDEE_ENTRY: &str =
    "UPDATE supervision_attendee SET entry_id = $3 WHERE session_id = $1 AND person_id = $2";
const SELECT_SESSION: &str = "SELECT s.id, s.org_id, s.supervisor_id, p.name AS supervisor_name, s.held_on, s.duration_minutes, s.kind, \
     s.case_management, s.reflection, s.professional_development, s.wellbeing, s.notes, s.private_notes \
     FROM supervision_session s LEFT JOIN person p ON p.id = s.supervisor_id WHERE s.id = $1";
const SELECT_ATTENDEES: &str = "SELECT a.person_id, p.name, a.entry_id, a.confirmed, a.entry_on_confirm FROM supervision_attendee a JOIN person p ON p.id = a.person_id \
     WHERE a.session_id = $1 ORDER BY p.name, a.person_id";
const SELECT_ACTIONS: &str = "SELECT a.id, a.session_id, a.description, a.owner_id, p.name AS owner_name, a.due_on, a.done_at, s.held_on \
     FROM supervision_action a JOIN person p ON p.id = a.owner_id JOIN supervision_session s ON s.id = a.session_id \
     WHERE a.session_id = $1 ORDER BY a.due_on, a.id";
// Actions still open from every session the person was in, as supervisor or attendee: they
// carry from one session to the next until done.
const SELECT_OPEN_ACTIONS: &str = "SELECT a.id, a.session_id, a.description, a.owner_id, p.name AS owner_name, a.due_on, a.done_at, s.held_on \
     FROM supervision_action a JOIN person p ON p.id = a.owner_id JOIN supervision_session s ON s.id = a.session_id \
     WHERE a.done_at IS NULL AND (s.supervisor_id = $1 OR EXISTS (SELECT 1 FROM supervision_attendee x WHERE x.session_id = s.id AND x.person_id = $1 AND x.confirmed = TRUE)) \
     ORDER BY a.due_on, a.id LIMIT 200";
const SELECT_SESSIONS_OF: &str = "SELECT s.id, s.held_on, s.kind, s.duration_minutes, sp.name AS supervisor_name, \
     (SELECT COUNT(*) FROM supervision_attendee x WHERE x.session_id = s.id) AS attendees \
     FROM supervision_session s LEFT JOIN person sp ON sp.id = s.supervisor_id \
     WHERE s.supervisor_id = $1 OR EXISTS (SELECT 1 FROM supervision_attendee a WHERE a.session_id = s.id AND a.person_id = $1) \
     ORDER BY s.held_on DESC, s.id DESC LIMIT 50";
const SELECT_ACTION_SESSION: &str = "SELECT session_id FROM supervision_action WHERE id = $1";
const COMPLETE_ACTION: &str =
    "UPDATE supervision_action SET done_at = $2 WHERE id = $1 AND done_at IS NULL";
const SELECT_FREQUENCY: &str =
    "SELECT nqsw_every_days, every_days FROM supervision_frequency WHERE org_id = $1";
const UPSERT_FREQUENCY: &str = "INSERT INTO supervision_frequency (org_id, nqsw_every_days, every_days) VALUES ($1, $2, $3) \
     ON CONFLICT (org_id) DO UPDATE SET nqsw_every_days = excluded.nqsw_every_days, every_days = excluded.every_days";
const SELECT_LAST_HELD: &str = "SELECT MAX(s.held_on) FROM supervision_attendee a JOIN supervision_session s ON s.id = a.session_id \
     WHERE a.person_id = $1 AND a.confirmed = TRUE";
// Everyone the organisation employs today, with their last supervision, whether they are in
// their first registered year (newly qualified), their supervisor and team.
const SELECT_STAFF_SUPERVISION: &str = "SELECT p.id, p.name, t.name AS team, e.start_date, \
     (SELECT MAX(s.held_on) FROM supervision_attendee a JOIN supervision_session s ON s.id = a.session_id WHERE a.person_id = p.id AND a.confirmed = TRUE) AS last_held, \
     EXISTS (SELECT 1 FROM registration r WHERE r.person_id = p.id AND r.first = TRUE AND r.start_date > $3) AS newly_qualified, \
     (SELECT sp.name FROM supervision_link l JOIN person sp ON sp.id = l.supervisor_id WHERE l.supervisee_id = p.id AND l.org_id = $1 \
        ORDER BY sp.name LIMIT 1) AS supervisor \
     FROM employment e JOIN person p ON p.id = e.person_id LEFT JOIN team t ON t.id = e.team_id \
     WHERE e.org_id = $1 AND e.start_date <= $2 AND (e.end_date IS NULL OR e.end_date >= $2) \
     AND (EXISTS (SELECT 1 FROM supervision_link l WHERE l.supervisee_id = p.id AND l.org_id = $1) \
          OR EXISTS (SELECT 1 FROM role_grant g WHERE g.person_id = p.id AND g.org_id = $1 AND g.role = 'practitioner'))";

/// A supervision session as it is written, with what goes with it.
pub struct NewSession<'a> {
    pub id: Uuid,
    pub org_id: Uuid,
    pub supervisor_id: Uuid,
    pub session: &'a ValidSession,
    /// Entries to add to attendees' records: (attendee, entry).
    pub entries: &'a [(Uuid, ValidEntry)],
    /// What each attendee is told.
    pub notices: &'a [Notice],
}

/// Records a session with its attendees, actions, the attendees' entries and their
/// notifications: one transaction, all or nothing.
pub async fn insert_session(
    db: &Db,
    new: &NewSession<'_>,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let (id, session) = (new.id, new.session);
    let mut tx = db.begin_write().await?;
    let [case_management, reflection, development, wellbeing] = session.agenda;
    on_tx!(&mut tx, |conn| sqlx::query(INSERT_SESSION)
        .bind(id)
        .bind(new.org_id)
        .bind(new.supervisor_id)
        .bind(session.held_on)
        .bind(session.duration_minutes)
        .bind(session.kind.as_str())
        .bind(case_management)
        .bind(reflection)
        .bind(development)
        .bind(wellbeing)
        .bind(&session.notes)
        .bind(&session.private_notes)
        .bind(now)
        .execute(conn)
        .await
        .map(|_| ()))?;
    // A peer session is a colleague's say-so: each attendee confirms it first.
    let peer = session.kind == SessionKind::Peer;
    for person in &session.attendees {
        on_tx!(&mut tx, |conn| sqlx::query(INSERT_ATTENDEE)
            .bind(id)
            .bind(person)
            .bind(!peer)
            .bind(peer && session.add_to_records)
            .execute(conn)
            .await
            .map(|_| ()))?;
    }
    for action in &session.actions {
        on_tx!(&mut tx, |conn| sqlx::query(INSERT_ACTION)
            .bind(Uuid::now_v7())
            .bind(id)
            .bind(&action.description)
            .bind(action.owner)
            .bind(action.due_on)
            .execute(conn)
            .await
            .map(|_| ()))?;
    }
    for (person, entry) in new.entries {
        let saved = crate::learning::service::insert_entry_in(&mut tx, *person, entry, now).await?;
        on_tx!(&mut tx, |conn| sqlx::query(SET_ATTENDEE_ENTRY)
            .bind(id)
            .bind(person)
            .bind(saved.id)
            .execute(conn)
            .await
            .map(|_| ()))?;
    }
    for notice in new.notices {
        on_tx!(&mut tx, |conn| notify!(conn, notice, now).map(|_| ()))?;
    }
    tx.commit().await
}

pub async fn set_attendee_entry(
    db: &Db,
    session_id: Uuid,
    person_id: Uuid,
    entry_id: Uuid,
) -> Result<(), sqlx::Error> {
    crate::db::execute(db, SET_ATTENDEE_ENTRY, (session_id, person_id, entry_id))
        .await
        .map(|_| ())
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SessionRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub supervisor_id: Option<Uuid>,
    pub supervisor_name: Option<String>,
    pub held_on: Date,
    pub duration_minutes: i64,
    #[sqlx(try_from = "String")]
    pub kind: SessionKind,
    pub case_management: i64,
    pub reflection: i64,
    pub professional_development: i64,
    pub wellbeing: i64,
    pub notes: String,
    pub private_notes: String,
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Attendee {
    pub person_id: Uuid,
    pub name: String,
    pub entry_id: Option<Uuid>,
    /// False for a peer session the attendee has not yet confirmed.
    pub confirmed: bool,
    /// Whether confirming adds the session to their record.
    pub entry_on_confirm: bool,
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Action {
    pub id: Uuid,
    pub session_id: Uuid,
    pub description: String,
    pub owner_id: Uuid,
    pub owner_name: String,
    pub due_on: Date,
    #[serde(with = "time::serde::rfc3339::option")]
    pub done_at: Option<OffsetDateTime>,
    /// The day of the session it was agreed at.
    pub held_on: Date,
}

pub async fn session(
    db: &Db,
    id: Uuid,
) -> Result<Option<(SessionRow, Vec<Attendee>, Vec<Action>)>, sqlx::Error> {
    let row: Option<SessionRow> = crate::db::row(db, SELECT_SESSION, (id,)).await?;
    let Some(row) = row else { return Ok(None) };
    let attendees: Vec<Attendee> = crate::db::rows(db, SELECT_ATTENDEES, (id,)).await?;
    let actions: Vec<Action> = crate::db::rows(db, SELECT_ACTIONS, (id,)).await?;
    Ok(Some((row, attendees, actions)))
}

/// Open actions from every session the person was in.
pub async fn open_actions(db: &Db, person_id: Uuid) -> Result<Vec<Action>, sqlx::Error> {
    crate::db::rows(db, SELECT_OPEN_ACTIONS, (person_id,)).await
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SessionSummary {
    pub id: Uuid,
    pub held_on: Date,
    #[sqlx(try_from = "String")]
    pub kind: SessionKind,
    pub duration_minutes: i64,
    pub supervisor_name: Option<String>,
    pub attendees: i64,
}

/// The latest 50 sessions the person was in, as supervisor or attendee.
pub async fn sessions_of(db: &Db, person_id: Uuid) -> Result<Vec<SessionSummary>, sqlx::Error> {
    crate::db::rows(db, SELECT_SESSIONS_OF, (person_id,)).await
}

pub async fn session_of_action(db: &Db, action_id: Uuid) -> Result<Option<Uuid>, sqlx::Error> {
    crate::db::scalar(db, SELECT_ACTION_SESSION, (action_id,)).await
}

pub async fn complete_action(
    db: &Db,
    action_id: Uuid,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| sqlx::query(COMPLETE_ACTION)
        .bind(action_id)
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected() == 1))
}

/// Days between sessions: (newly qualified, others), the defaults when not set.
/// How often the organisation wants supervision held (the defaults until it says).
pub async fn frequency(db: &Db, org_id: Uuid) -> Result<Frequency, sqlx::Error> {
    let set: Option<(i64, i64)> = crate::db::row(db, SELECT_FREQUENCY, (org_id,)).await?;
    let (newly_qualified_every, every) =
        set.unwrap_or((DEFAULT_NQSW_EVERY_DAYS, DEFAULT_EVERY_DAYS));
    Ok(Frequency {
        newly_qualified_every,
        every,
    })
}

pub async fn set_frequency(
    db: &Db,
    org_id: Uuid,
    nqsw_every_days: i64,
    every_days: i64,
) -> Result<(), sqlx::Error> {
    crate::db::execute(db, UPSERT_FREQUENCY, (org_id, nqsw_every_days, every_days))
        .await
        .map(|_| ())
}

/// The day of the person's latest supervision, if any.
pub async fn last_held(db: &Db, person_id: Uuid) -> Result<Option<Date>, sqlx::Error> {
    crate::db::scalar_one(db, SELECT_LAST_HELD, (person_id,)).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffSupervision {
    pub id: Uuid,
    pub name: String,
    pub team: Option<String>,
    pub start_date: Date,
    pub last_held: Option<Date>,
    pub newly_qualified: bool,
    pub supervisor: Option<String>,
}

/// Everyone the organisation employs on `today` who is expected to be supervised, with what
/// decides when supervision is due. Expected: whoever has a supervisor recorded here, and
/// every practitioner; never an administrator, an L&D lead or an auditor for that role alone.
pub async fn staff_supervision(
    db: &Db,
    org_id: Uuid,
    today: Date,
) -> Result<Vec<StaffSupervision>, sqlx::Error> {
    let first_year_from = cairn_core::supervision::first_year_began_after(today);
    crate::db::rows(
        db,
        SELECT_STAFF_SUPERVISION,
        (org_id, today, first_year_from),
    )
    .await
}

/// The attendee confirms a peer session: it counts for them from now, and becomes `entry`
/// in their record when one is given, in one transaction. False when it was not waiting.
pub async fn confirm_attendance(
    db: &Db,
    session_id: Uuid,
    person_id: Uuid,
    entry: Option<&ValidEntry>,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let confirmed = on_tx!(&mut tx, |conn| sqlx::query(CONFIRM_ATTENDEE)
        .bind(session_id)
        .bind(person_id)
        .execute(conn)
        .await
        .map(|done| done.rows_affected()))?;
    if confirmed != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    if let Some(entry) = entry {
        let saved =
            crate::learning::service::insert_entry_in(&mut tx, person_id, entry, now).await?;
        on_tx!(&mut tx, |conn| sqlx::query(SET_ATTENDEE_ENTRY)
            .bind(session_id)
            .bind(person_id)
            .bind(saved.id)
            .execute(conn)
            .await
            .map(|_| ()))?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The attendee says they were not at a peer session: they leave it, with the actions it
/// gave them. False when it was not waiting for them.
pub async fn disown_attendance(
    db: &Db,
    session_id: Uuid,
    person_id: Uuid,
) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let gone = sqlx::query(DELETE_ATTENDEE_UNCONFIRMED)
            .bind(session_id)
            .bind(person_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if gone != 1 {
            return Ok(false);
        }
        sqlx::query(DELETE_ACTIONS_OF_OWNER)
            .bind(session_id)
            .bind(person_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    })
}

const INSERT_TEAM_SESSION: &str = "INSERT INTO team_session (id, org_id, led_by, held_on, title, description, hours, topics, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

const INSERT_TEAM_ATTENDEE: &str =
    "INSERT INTO team_session_attendee (session_id, person_id) VALUES ($1, $2)";

const SET_TEAM_ENTRY: &str =
    "UPDATE team_session_attendee SET entry_id = $3 WHERE session_id = $1 AND person_id = $2";

/// Records a team session the leader led, writes each participant's entry and tells them
/// where it is: one transaction. Returns the session and each (person, entry).
pub async fn insert_team_session(
    db: &Db,
    org_id: Uuid,
    leader: Uuid,
    session: &ValidTeamSession,
    entry: &ValidEntry,
    now: OffsetDateTime,
) -> Result<(Uuid, Vec<(Uuid, Uuid)>), sqlx::Error> {
    let id = Uuid::now_v7();
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, |conn| sqlx::query(INSERT_TEAM_SESSION)
        .bind(id)
        .bind(org_id)
        .bind(leader)
        .bind(session.held_on)
        .bind(&session.title)
        .bind(&session.description)
        .bind(session.hours.units())
        .bind(join_tags(&session.topics))
        .bind(now)
        .execute(conn)
        .await
        .map(|_| ()))?;
    let mut written = Vec::with_capacity(session.attendees.len());
    for person in &session.attendees {
        on_tx!(&mut tx, |conn| sqlx::query(INSERT_TEAM_ATTENDEE)
            .bind(id)
            .bind(person)
            .execute(conn)
            .await
            .map(|_| ()))?;
        let saved = crate::learning::service::insert_entry_in(&mut tx, *person, entry, now).await?;
        on_tx!(&mut tx, |conn| sqlx::query(SET_TEAM_ENTRY)
            .bind(id)
            .bind(person)
            .bind(saved.id)
            .execute(conn)
            .await
            .map(|_| ()))?;
        let notice = Notice {
            person_id: *person,
            kind: "team-session",
            message: format!(
                "{} is in your record from the team session: add your own reflection",
                session.title
            ),
            link: format!("/entries/{}", saved.id),
        };
        on_tx!(&mut tx, |conn| notify!(conn, &notice, now).map(|_| ()))?;
        written.push((*person, saved.id));
    }
    tx.commit().await?;
    Ok((id, written))
}
