//! In-app notifications: what happened that a person should know (a place came free, a
//! request was decided, someone asked for their endorsement), each with where to act on it.
//! Features write them, in the same transaction as the change they announce where they can
//! ([`notify!`]); people read them on their home page, their bookings and the API.

pub mod api;
pub mod pages;

use crate::db::Db;
use time::OffsetDateTime;
use uuid::Uuid;

pub const INSERT_NOTIFICATION: &str = "INSERT INTO notification (id, person_id, kind, message, link, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
const MARK_KIND_READ: &str =
    "UPDATE notification SET read_at = $3 WHERE person_id = $1 AND kind = $2 AND read_at IS NULL";
const MARK_NOTIFICATIONS_READ: &str =
    "UPDATE notification SET read_at = $2 WHERE person_id = $1 AND read_at IS NULL";
const SELECT_NOTIFICATIONS: &str = "SELECT id, kind, message, link, created_at, read_at FROM notification \
     WHERE person_id = $1 ORDER BY created_at DESC, id DESC LIMIT 50";

/// An in-app notification to write with a change, in its transaction.
#[derive(Debug, Clone)]
pub struct Notice {
    pub person_id: Uuid,
    pub kind: &'static str,
    pub message: String,
    pub link: String,
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Notification {
    pub id: Uuid,
    pub kind: String,
    pub message: String,
    pub link: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub read_at: Option<OffsetDateTime>,
}

/// Writes a [`Notice`] inside the transaction `$tx` (a macro: the transaction's type differs
/// between the two databases).
macro_rules! notify {
    ($tx:expr, $notice:expr, $now:expr) => {
        sqlx::query($crate::notifications::INSERT_NOTIFICATION)
            .bind(uuid::Uuid::now_v7())
            .bind($notice.person_id)
            .bind($notice.kind)
            .bind($notice.message.as_str())
            .bind($notice.link.as_str())
            .bind($now)
            .execute(&mut *$tx)
            .await
    };
}
pub(crate) use notify;

/// The person's latest 50 notifications, newest first.
pub async fn notifications_of(db: &Db, person_id: Uuid) -> Result<Vec<Notification>, sqlx::Error> {
    crate::db::rows(db, SELECT_NOTIFICATIONS, (person_id,)).await
}

/// Marks the person's notifications of one kind as seen (on the page where they act on them).
pub async fn mark_kind_read(
    db: &Db,
    person_id: Uuid,
    kind: &str,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    crate::db::execute(db, MARK_KIND_READ, (person_id, kind, now))
        .await
        .map(|_| ())
}

/// Marks all the person's notifications as seen.
pub async fn mark_notifications_read(
    db: &Db,
    person_id: Uuid,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    crate::db::execute(db, MARK_NOTIFICATIONS_READ, (person_id, now))
        .await
        .map(|_| ())
}
