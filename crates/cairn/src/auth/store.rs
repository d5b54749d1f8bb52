//! Sessions and the sign-in throttle, in the database so that every instance shares them.

use crate::db::{BeginWrite, Db};
use crate::on_db;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// A browser session lasts this long after its last use.
pub const BROWSER_IDLE: Duration = Duration::days(14);
/// An API token lasts this long after it was issued.
pub const API_LIFETIME: Duration = Duration::days(90);
/// Failed sign-ins allowed within [`THROTTLE_WINDOW`] before the account is locked.
pub const MAX_FAILURES: i64 = 5;
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);
pub const LOCKOUT: Duration = Duration::minutes(15);

/// What a session is for: a browser's cookie or an API client's bearer token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Browser,
    Api,
}

impl SessionKind {
    fn as_str(self) -> &'static str {
        match self {
            SessionKind::Browser => "browser",
            SessionKind::Api => "api",
        }
    }
}

/// A live session with who it belongs to and their roles.
#[derive(Debug, Clone)]
pub struct Session {
    pub person_id: Uuid,
    pub name: String,
    pub email: String,
    pub csrf_token: String,
    pub last_seen_at: OffsetDateTime,
    pub roles: Vec<crate::people::RoleGrant>,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    person_id: Uuid,
    name: String,
    email: String,
    csrf_token: String,
    last_seen_at: OffsetDateTime,
    role_org_id: Option<Uuid>,
    role: Option<String>,
}

const INSERT_SESSION: &str = "INSERT INTO session (token_hash, person_id, kind, csrf_token, created_at, last_seen_at, expires_at) \
     VALUES ($1, $2, $3, $4, $5, $5, $6)";
/// The session, its person and their roles (one row per role), in one query.
const SELECT_SESSION: &str = "SELECT s.person_id, p.name, p.email, s.csrf_token, s.last_seen_at, r.org_id AS role_org_id, r.role \
     FROM session s JOIN person p ON p.id = s.person_id LEFT JOIN role_grant r ON r.person_id = s.person_id \
     WHERE s.token_hash = $1 AND s.kind = $2 AND s.expires_at > $3";
const TOUCH_SESSION: &str =
    "UPDATE session SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1";
const DELETE_SESSION: &str = "DELETE FROM session WHERE token_hash = $1";
const DELETE_OTHER_SESSIONS: &str = "DELETE FROM session WHERE person_id = $1 AND token_hash <> $2";
const DELETE_EXPIRED_SESSIONS: &str = "DELETE FROM session WHERE expires_at <= $1";
const SELECT_THROTTLE: &str =
    "SELECT failures, window_start, locked_until FROM login_throttle WHERE email = $1";
const UPSERT_THROTTLE: &str = "INSERT INTO login_throttle (email, failures, window_start, locked_until) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (email) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, locked_until = excluded.locked_until";
const DELETE_THROTTLE: &str = "DELETE FROM login_throttle WHERE email = $1";

/// A session just made: its token (given to the client once, stored only hashed) and the
/// token its forms must carry.
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
}

/// Creates a session.
pub async fn create_session(
    db: &Db,
    person_id: Uuid,
    kind: SessionKind,
    now: OffsetDateTime,
) -> Result<NewSession, sqlx::Error> {
    let token = super::new_token();
    let expires = now
        + if kind == SessionKind::Api {
            API_LIFETIME
        } else {
            BROWSER_IDLE
        };
    let csrf = super::new_token();
    on_db!(db, |pool| sqlx::query(INSERT_SESSION)
        .bind(super::hash_token(&token))
        .bind(person_id)
        .bind(kind.as_str())
        .bind(&csrf)
        .bind(now)
        .bind(expires)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(NewSession {
        token,
        csrf_token: csrf,
    })
}

/// The live session with this token hash, if any.
pub async fn find_session(
    db: &Db,
    token_hash: &str,
    kind: SessionKind,
    now: OffsetDateTime,
) -> Result<Option<Session>, sqlx::Error> {
    let rows: Vec<SessionRow> = on_db!(db, |pool| sqlx::query_as(SELECT_SESSION)
        .bind(token_hash)
        .bind(kind.as_str())
        .bind(now)
        .fetch_all(pool)
        .await)?;
    let roles = rows
        .iter()
        .filter_map(|r| {
            Some(crate::people::RoleGrant {
                org_id: r.role_org_id?,
                role: r.role.clone()?,
            })
        })
        .collect();
    Ok(rows.into_iter().next().map(|r| Session {
        person_id: r.person_id,
        name: r.name,
        email: r.email,
        csrf_token: r.csrf_token,
        last_seen_at: r.last_seen_at,
        roles,
    }))
}

/// Slides a browser session's expiry forward, at most once an hour (not a write per request);
/// says whether it did.
pub async fn touch_session(
    db: &Db,
    token_hash: &str,
    session: &Session,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    if now - session.last_seen_at < Duration::hours(1) {
        return Ok(false);
    }
    let expires = now + BROWSER_IDLE;
    on_db!(db, |pool| sqlx::query(TOUCH_SESSION)
        .bind(token_hash)
        .bind(now)
        .bind(expires)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(true)
}

pub async fn delete_session(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| sqlx::query(DELETE_SESSION)
        .bind(token_hash)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Ends every session of the person but the one given (after a password change).
pub async fn delete_other_sessions(
    db: &Db,
    person_id: Uuid,
    keep_token_hash: &str,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| sqlx::query(DELETE_OTHER_SESSIONS)
        .bind(person_id)
        .bind(keep_token_hash)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Removes expired sessions; returns how many.
pub async fn delete_expired_sessions(db: &Db, now: OffsetDateTime) -> Result<u64, sqlx::Error> {
    let result = on_db!(db, |pool| sqlx::query(DELETE_EXPIRED_SESSIONS)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(result)
}

#[derive(sqlx::FromRow)]
struct ThrottleRow {
    failures: i64,
    window_start: OffsetDateTime,
    locked_until: Option<OffsetDateTime>,
}

/// When sign-in for this email is locked, until when.
pub async fn locked_until(
    db: &Db,
    email: &str,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, sqlx::Error> {
    let row: Option<ThrottleRow> = on_db!(db, |pool| sqlx::query_as(SELECT_THROTTLE)
        .bind(email)
        .fetch_optional(pool)
        .await)?;
    Ok(row
        .and_then(|row| row.locked_until)
        .filter(|until| *until > now))
}

/// Counts a failed sign-in; locks the email after [`MAX_FAILURES`] within the window.
/// Returns the lock's end when this failure locked it.
pub async fn record_failure(
    db: &Db,
    email: &str,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, sqlx::Error> {
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let row: Option<ThrottleRow> = sqlx::query_as(SELECT_THROTTLE)
            .bind(email)
            .fetch_optional(&mut *tx)
            .await?;
        let (failures, window_start) = match row {
            Some(row) if now - row.window_start < THROTTLE_WINDOW => {
                (row.failures + 1, row.window_start)
            }
            _ => (1, now),
        };
        let locked = (failures >= MAX_FAILURES).then_some(now + LOCKOUT);
        let (failures, window_start) = if locked.is_some() {
            (0, now)
        } else {
            (failures, window_start)
        };
        sqlx::query(UPSERT_THROTTLE)
            .bind(email)
            .bind(failures)
            .bind(window_start)
            .bind(locked)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(locked)
    })
}

/// Forgets failures after a successful sign-in.
pub async fn clear_failures(db: &Db, email: &str) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| sqlx::query(DELETE_THROTTLE)
        .bind(email)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}
