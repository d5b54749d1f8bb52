//! What other features ask of supervision.

use super::store;
pub use super::store::{open_actions, sessions_of};
use crate::Db;
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
    let registrations = crate::people::service::registrations_of(db, person).await?;
    let newly_qualified = cairn_core::supervision::newly_qualified(
        registrations.iter().map(|r| (r.first, r.start_date)),
        today,
    );
    let last = store::last_held(db, person).await?;
    Ok(Some(every.next_due(last, job.start_date, newly_qualified)))
}
