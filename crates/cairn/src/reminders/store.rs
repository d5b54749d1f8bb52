//! SQL for reminders: each person's choices, and when their last digest went.

use crate::db::Db;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

const SELECT_PREFERENCES: &str = "SELECT email_digest, requirements, supervision, development_plan, endorsements, follow_ups, bookings \
     FROM reminder_preference WHERE person_id = $1";
const UPSERT_PREFERENCES: &str = "INSERT INTO reminder_preference (person_id, email_digest, supervision, development_plan, endorsements, follow_ups, bookings, updated_at, requirements) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (person_id) DO UPDATE SET email_digest = excluded.email_digest, requirements = excluded.requirements, \
     supervision = excluded.supervision, development_plan = excluded.development_plan, endorsements = excluded.endorsements, \
     follow_ups = excluded.follow_ups, bookings = excluded.bookings, updated_at = excluded.updated_at";
// People who can sign in, want a digest, and have not had today's.
const SELECT_DIGEST_PEOPLE: &str = "SELECT p.id, p.email, p.name FROM person p \
     LEFT JOIN reminder_preference r ON r.person_id = p.id LEFT JOIN digest_sent d ON d.person_id = p.id \
     WHERE p.password_hash IS NOT NULL AND (r.email_digest IS NULL OR r.email_digest = TRUE) \
     AND (d.sent_on IS NULL OR d.sent_on < $1) ORDER BY p.id";
const COUNT_ALREADY_SENT: &str = "SELECT COUNT(*) FROM digest_sent WHERE sent_on >= $1";
const MARK_SENT: &str = "INSERT INTO digest_sent (person_id, sent_on) VALUES ($1, $2) \
     ON CONFLICT (person_id) DO UPDATE SET sent_on = excluded.sent_on";

/// What a person wants to be reminded of. Everything is on until they say otherwise.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    sqlx::FromRow,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct Preferences {
    pub email_digest: bool,
    pub requirements: bool,
    pub supervision: bool,
    pub development_plan: bool,
    pub endorsements: bool,
    pub follow_ups: bool,
    pub bookings: bool,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            email_digest: true,
            requirements: true,
            supervision: true,
            development_plan: true,
            endorsements: true,
            follow_ups: true,
            bookings: true,
        }
    }
}

pub async fn preferences(db: &Db, person_id: Uuid) -> Result<Preferences, sqlx::Error> {
    let found: Option<Preferences> = crate::db::row(db, SELECT_PREFERENCES, (person_id,)).await?;
    Ok(found.unwrap_or_default())
}

pub async fn set_preferences(
    db: &Db,
    person_id: Uuid,
    p: &Preferences,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    // In the statement's column order.
    let row = (
        person_id,
        p.email_digest,
        p.supervision,
        p.development_plan,
        p.endorsements,
        p.follow_ups,
        p.bookings,
        now,
        p.requirements,
    );
    crate::db::execute(db, UPSERT_PREFERENCES, row)
        .await
        .map(|_| ())
}

/// (id, email, name) of everyone due a digest on `today`.
pub async fn digest_people(
    db: &Db,
    today: Date,
) -> Result<Vec<(Uuid, String, String)>, sqlx::Error> {
    crate::db::rows(db, SELECT_DIGEST_PEOPLE, (today,)).await
}

pub async fn already_sent(db: &Db, today: Date) -> Result<i64, sqlx::Error> {
    crate::db::scalar_one(db, COUNT_ALREADY_SENT, (today,)).await
}

pub async fn mark_sent(db: &Db, person_id: Uuid, today: Date) -> Result<(), sqlx::Error> {
    crate::db::execute(db, MARK_SENT, (person_id, today))
        .await
        .map(|_| ())
}
