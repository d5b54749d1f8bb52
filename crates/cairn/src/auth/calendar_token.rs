//! The secret address of a person's calendar feed: a credential like a session token (it
//! opens their calendar without signing in), made on first use and reset on request.

use crate::db::Db;
use time::OffsetDateTime;
use uuid::Uuid;

const SELECT_TOKEN: &str = "SELECT token FROM calendar_feed WHERE person_id = $1";
const UPSERT_TOKEN: &str = "INSERT INTO calendar_feed (person_id, token, created_at) VALUES ($1, $2, $3) \
     ON CONFLICT (person_id) DO UPDATE SET token = excluded.token, created_at = excluded.created_at";

/// The person's feed token, made on first use.
pub async fn token_of(
    db: &Db,
    person_id: Uuid,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let existing: Option<String> = crate::db::scalar(db, SELECT_TOKEN, (person_id,)).await?;
    match existing {
        Some(token) => Ok(token),
        None => reset_token(db, person_id, now).await,
    }
}

/// A new address; the old one stops working.
pub async fn reset_token(
    db: &Db,
    person_id: Uuid,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let token = crate::auth::new_token();
    crate::db::execute(db, UPSERT_TOKEN, (person_id, &token, now))
        .await
        .map(|_| ())?;
    Ok(token)
}
