//! What other features ask of supervision.

use super::store;
pub use super::store::{frequency, last_held, open_actions, sessions_of};
use crate::Db;
use cairn_core::supervision::Frequency;
use time::Date;
use uuid::Uuid;

/// When the person's next supervision is due, if they have a supervisor and a job: by their
/// employer's frequency (the newly qualified at theirs, in their first registered year).
pub async fn next_due_of(db: &Db, person: Uuid, today: Date) -> Result<Option<Date>, sqlx::Error> {
    if crate::people::service::supervisors_of(db, person)
        .await?
        .is_empty()
    {
        return Ok(None);
    }
    let Some(job) = crate::people::service::employments_of(db, person)
        .await?
        .into_iter()
        .find(|e| e.is_current(today))
    else {
        return Ok(None);
    };
    let every = store::frequency(db, job.org_id).await?;
    let last = store::last_held(db, person).await?;
    next_due_at(db, person, every, job.start_date, last, today)
        .await
        .map(Some)
}

/// When the person's next supervision is due at `every`, for a caller that already knows
/// when their job began and when they last had supervision: the interval is the newly
/// qualified one while the person is in their first registered year.
pub async fn next_due_at(
    db: &Db,
    person: Uuid,
    every: Frequency,
    started: Date,
    last_held: Option<Date>,
    today: Date,
) -> Result<Date, sqlx::Error> {
    let registrations = crate::people::service::registrations_of(db, person).await?;
    let newly_qualified = cairn_core::supervision::newly_qualified(
        registrations.iter().map(|r| (r.first, r.start_date)),
        today,
    );
    Ok(every.next_due(last_held, started, newly_qualified))
}
