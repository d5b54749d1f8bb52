//! Sessions and the sign-in throttle, in the database so that every instance shares them.

use crate::db::{BeginWrite, Db};
use crate::on_db;
use cairn_core::{Role, RoleGrant};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

const SELECT_PASSWORD_HASH: &str = "SELECT password_hash FROM person WHERE id = $1";
const UPDATE_PASSWORD: &str = "UPDATE person SET password_hash = $2, updated_at = $3 WHERE id = $1";
const SELECT_CREDENTIALS: &str = "SELECT id, password_hash FROM person WHERE email = $1";

/// A browser session lasts this long after its last use.
pub const BROWSER_IDLE: Duration = Duration::days(14);
/// An API token lasts this long after it was issued.
pub const API_LIFETIME: Duration = Duration::days(90);
/// Failed sign-ins allowed within [`THROTTLE_WINDOW`] before the account is locked.
pub const MAX_FAILURES: i64 = 5;
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);
pub const LOCKOUT: Duration = Duration::minutes(15);

pub use crate::app::sessions::{Session, SessionKind};

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
// The throttle's `email` column holds any key: an email, `device:HASH` or `client:ADDRESS`.
const SELECT_THROTTLE: &str =
    "SELECT failures, window_start, locked_until FROM login_throttle WHERE email = $1";
const SELECT_THROTTLE_FOR_UPDATE: &str =
    "SELECT failures, window_start, locked_until FROM login_throttle WHERE email = $1 FOR UPDATE";
const INSERT_THROTTLE_IF_NEW: &str = "INSERT INTO login_throttle (email, failures, window_start, locked_until) VALUES ($1, 0, $2, NULL) \
     ON CONFLICT (email) DO NOTHING";
const UPDATE_THROTTLE: &str = "UPDATE login_throttle SET failures = $2, window_start = $3, locked_until = $4 WHERE email = $1";
const INSERT_DEVICE: &str = "INSERT INTO known_device (token_hash, email, created_at, last_used_at) VALUES ($1, $2, $3, $3)";
/// Devices are forgotten after a year unused ([`forget_stale`]); touching one keeps it.
const TOUCH_DEVICE: &str =
    "UPDATE known_device SET last_used_at = $3 WHERE token_hash = $1 AND email = $2";
const DELETE_THROTTLE: &str = "DELETE FROM login_throttle WHERE email = $1";
const DELETE_STALE_DEVICES: &str = "DELETE FROM known_device WHERE last_used_at < $1";
// A row whose window and lock have both passed counts nothing any more.
const DELETE_STALE_THROTTLES: &str = "DELETE FROM login_throttle \
     WHERE window_start < $1 AND (locked_until IS NULL OR locked_until < $2)";

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
    crate::db::execute(
        db,
        INSERT_SESSION,
        (
            super::hash_token(&token),
            person_id,
            kind.as_str(),
            &csrf,
            now,
            expires,
        ),
    )
    .await
    .map(|_| ())?;
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
    let rows: Vec<SessionRow> =
        crate::db::rows(db, SELECT_SESSION, (token_hash, kind.as_str(), now)).await?;
    let roles = rows
        .iter()
        .filter_map(|r| Some((r.role_org_id?, r.role.as_deref()?)))
        .map(|(org_id, role)| role_grant(org_id, role))
        .collect::<Result<_, _>>()?;
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
    crate::db::execute(db, TOUCH_SESSION, (token_hash, now, expires))
        .await
        .map(|_| ())?;
    Ok(true)
}

pub async fn delete_session(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    crate::db::execute(db, DELETE_SESSION, (token_hash,))
        .await
        .map(|_| ())
}

/// Ends every session of the person but the one given (after a password change).
pub async fn delete_other_sessions(
    db: &Db,
    person_id: Uuid,
    keep_token_hash: &str,
) -> Result<(), sqlx::Error> {
    crate::db::execute(db, DELETE_OTHER_SESSIONS, (person_id, keep_token_hash))
        .await
        .map(|_| ())
}

/// Forgets browsers unused for a year and throttle counts that no longer count (hourly
/// housekeeping); returns how many rows went.
pub async fn forget_stale(db: &Db, now: OffsetDateTime) -> Result<u64, sqlx::Error> {
    let devices = on_db!(db, |pool| sqlx::query(DELETE_STALE_DEVICES)
        .bind(now - Duration::seconds(super::DEVICE_LIFETIME_SECS))
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    let throttles = on_db!(db, |pool| sqlx::query(DELETE_STALE_THROTTLES)
        .bind(now - THROTTLE_WINDOW)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(devices + throttles)
}

/// The throttle row's select; on PostgreSQL it locks the row for the transaction, so that
/// parallel attempts wait for each other (SQLite's `BEGIN IMMEDIATE` already serialises).
fn select_throttle_for(db: &Db) -> &'static str {
    match db {
        Db::Postgres(_) => SELECT_THROTTLE_FOR_UPDATE,
        Db::Sqlite(_) => SELECT_THROTTLE,
    }
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

/// Whether a sign-in attempt may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Checked, and counted as a failure until it succeeds.
    Allowed,
    /// Refused without checking the password, until then.
    Locked(OffsetDateTime),
}

/// Takes one attempt from a throttle key's allowance (an email, a known browser, a client
/// address), before the password is checked: the attempt is counted as a failure at once and
/// forgotten only when it succeeds. The read, the check and the count are one transaction,
/// with the row locked on PostgreSQL, so parallel attempts (across instances too) each see
/// the count the one before left, and at most `allowed` are ever checked in a window.
pub async fn take_attempt(
    db: &Db,
    key: &str,
    allowed: i64,
    now: OffsetDateTime,
) -> Result<Attempt, sqlx::Error> {
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query(INSERT_THROTTLE_IF_NEW)
            .bind(key)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let row: ThrottleRow = sqlx::query_as(select_throttle_for(db))
            .bind(key)
            .fetch_one(&mut *tx)
            .await?;
        if let Some(until) = row.locked_until.filter(|until| *until > now) {
            return Ok(Attempt::Locked(until));
        }
        let (failures, window_start) = if now - row.window_start < THROTTLE_WINDOW {
            (row.failures, row.window_start)
        } else {
            (0, now)
        };
        let attempt = if failures >= allowed {
            // The allowance is spent: lock from now (a lock is only ever set or extended here).
            let until = now + LOCKOUT;
            sqlx::query(UPDATE_THROTTLE)
                .bind(key)
                .bind(0_i64)
                .bind(now)
                .bind(until)
                .execute(&mut *tx)
                .await?;
            Attempt::Locked(until)
        } else {
            sqlx::query(UPDATE_THROTTLE)
                .bind(key)
                .bind(failures + 1)
                .bind(window_start)
                .bind(row.locked_until)
                .execute(&mut *tx)
                .await?;
            Attempt::Allowed
        };
        tx.commit().await?;
        Ok(attempt)
    })
}

/// After a failed attempt: when it spent the key's allowance, the lock starts now; a lock
/// already running is never shortened or cleared. Returns the lock's end, if locked.
pub async fn lock_if_spent(
    db: &Db,
    key: &str,
    allowed: i64,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, sqlx::Error> {
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let row: Option<ThrottleRow> = sqlx::query_as(select_throttle_for(db))
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        if let Some(until) = row.locked_until.filter(|until| *until > now) {
            return Ok(Some(until));
        }
        if row.failures < allowed {
            return Ok(None);
        }
        let until = now + LOCKOUT;
        sqlx::query(UPDATE_THROTTLE)
            .bind(key)
            .bind(0_i64)
            .bind(now)
            .bind(until)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(until))
    })
}

/// When sign-in for this key is locked, until when (without taking an attempt).
pub async fn locked_until(
    db: &Db,
    key: &str,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, sqlx::Error> {
    let row: Option<ThrottleRow> = crate::db::row(db, SELECT_THROTTLE, (key,)).await?;
    Ok(row
        .and_then(|row| row.locked_until)
        .filter(|until| *until > now))
}

/// Remembers a browser that signed in as `email`; returns the token for its cookie.
pub async fn remember_device(
    db: &Db,
    email: &str,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let token = super::new_token();
    crate::db::execute(db, INSERT_DEVICE, (super::hash_token(&token), email, now))
        .await
        .map(|_| ())?;
    Ok(token)
}

/// Whether the browser's device cookie says it signed in as `email` before.
pub async fn is_known_device(
    db: &Db,
    token: &str,
    email: &str,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| sqlx::query(TOUCH_DEVICE)
        .bind(super::hash_token(token))
        .bind(email)
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected() == 1))
}

const REFUND_ATTEMPT: &str =
    "UPDATE login_throttle SET failures = failures - 1 WHERE email = $1 AND failures > 0";

/// Gives back the attempt [`take_attempt`] counted, when it succeeded, leaving earlier
/// failures counted (a client's success must not wipe the guesses it made before).
pub async fn refund_attempt(db: &Db, key: &str) -> Result<(), sqlx::Error> {
    crate::db::execute(db, REFUND_ATTEMPT, (key,))
        .await
        .map(|_| ())
}

/// Forgets failures after a successful sign-in.
pub async fn clear_failures(db: &Db, email: &str) -> Result<(), sqlx::Error> {
    crate::db::execute(db, DELETE_THROTTLE, (email,))
        .await
        .map(|_| ())
}

const CLAIM_KEY: &str = "INSERT INTO idempotent_request (person_id, key, request, created_at) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (person_id, key) DO NOTHING";
const SELECT_KEY: &str = "SELECT request, status, content_type, body FROM idempotent_request WHERE person_id = $1 AND key = $2";
const KEEP_ANSWER: &str = "UPDATE idempotent_request SET status = $3, content_type = $4, body = $5 WHERE person_id = $1 AND key = $2";
const FORGET_KEY: &str = "DELETE FROM idempotent_request WHERE person_id = $1 AND key = $2";
const FORGET_STALE_KEYS: &str = "DELETE FROM idempotent_request WHERE created_at < $1";

/// How an Idempotency-Key stands for a person.
#[derive(Debug)]
pub enum KeyClaim {
    /// First seen now: the request is to be handled.
    New,
    /// Seen before, for `request`; `answer` is its status, content type and body once handled.
    Seen {
        request: String,
        answer: Option<(i64, Option<String>, Vec<u8>)>,
    },
}

/// Claims `key` for `request` (method, path and a hash of the body), or says how it stands.
pub async fn claim_key(
    db: &Db,
    person_id: Uuid,
    key: &str,
    request: &str,
    now: OffsetDateTime,
) -> Result<KeyClaim, sqlx::Error> {
    let claimed = on_db!(db, |pool| sqlx::query(CLAIM_KEY)
        .bind(person_id)
        .bind(key)
        .bind(request)
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected() == 1))?;
    if claimed {
        return Ok(KeyClaim::New);
    }
    type Row = (String, Option<i64>, Option<String>, Option<Vec<u8>>);
    let row: Option<Row> = crate::db::row(db, SELECT_KEY, (person_id, key)).await?;
    Ok(match row {
        // Forgotten between the two statements (a failed first attempt): a new request.
        None => KeyClaim::New,
        Some((request, status, content_type, body)) => KeyClaim::Seen {
            request,
            answer: status.map(|status| (status, content_type, body.unwrap_or_default())),
        },
    })
}

/// Keeps the first answer to a claimed key, for its retries.
pub async fn keep_answer(
    db: &Db,
    person_id: Uuid,
    key: &str,
    status: i64,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<(), sqlx::Error> {
    crate::db::execute(
        db,
        KEEP_ANSWER,
        (person_id, key, status, content_type, body),
    )
    .await
    .map(|_| ())
}

/// Lets a key go (its request failed on our side, so a retry is to be handled afresh).
pub async fn forget_key(db: &Db, person_id: Uuid, key: &str) -> Result<(), sqlx::Error> {
    crate::db::execute(db, FORGET_KEY, (person_id, key))
        .await
        .map(|_| ())
}

/// Forgets keys older than `before` (housekeeping keeps them a day).
pub async fn forget_stale_keys(db: &Db, before: OffsetDateTime) -> Result<u64, sqlx::Error> {
    on_db!(db, |pool| sqlx::query(FORGET_STALE_KEYS)
        .bind(before)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
}

/// Who has this email, and their password hash (`None` for people who cannot sign in
/// with a password).
pub async fn credentials_by_email(
    db: &Db,
    email: &str,
) -> Result<Option<(Uuid, Option<String>)>, sqlx::Error> {
    crate::db::row(db, SELECT_CREDENTIALS, (email,)).await
}

/// The stored password hash; `None` for people who cannot sign in with a password.
pub async fn password_hash(db: &Db, person_id: Uuid) -> Result<Option<String>, sqlx::Error> {
    let hash: Option<Option<String>> =
        crate::db::scalar(db, SELECT_PASSWORD_HASH, (person_id,)).await?;
    Ok(hash.flatten())
}

pub async fn set_password_hash(
    db: &Db,
    person_id: Uuid,
    hash: &str,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    crate::db::execute(db, UPDATE_PASSWORD, (person_id, hash, now))
        .await
        .map(|_| ())
}

/// A stored grant, its role parsed (the table holds only ids written through [`Role`]).
pub fn role_grant(org_id: Uuid, role: &str) -> Result<RoleGrant, sqlx::Error> {
    let role = role
        .parse::<Role>()
        .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(RoleGrant { org_id, role })
}
