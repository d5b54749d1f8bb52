//! What other features ask of evaluation.

use super::store;
pub use super::store::{confidence_of, follow_ups_due, reaction_of};
use crate::Db;
use crate::catalogue::{Opportunity, Session};
use time::Duration;
use uuid::Uuid;

/// Plans the supervisor's follow-up for an attended booking, `follow_up_days` after the
/// session; nothing when the person has no supervisor to ask.
pub async fn plan_follow_up(
    db: &Db,
    booking_id: Uuid,
    person_id: Uuid,
    opportunity: &Opportunity,
    session: &Session,
) -> Result<(), sqlx::Error> {
    let supervisors = crate::people::service::supervisors_of(db, person_id).await?;
    if let Some(supervisor) = supervisors.first() {
        let due = crate::zone::local(session.starts_at).date()
            + Duration::days(opportunity.follow_up_days);
        store::plan_follow_up(db, booking_id, *supervisor, due).await?;
    }
    Ok(())
}
