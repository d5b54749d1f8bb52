//! Writes of standing's own that change what the rules read (a declaration, a decision on
//! one, a new version of an organisation's policy), each committed with the standing it
//! changes: the kept lines of the person, or of everyone the organisation employs.

use super::declarations::{self, Declaration, NewDeclaration};
use super::org_policies::{self, AddError, Assignment, OrgPolicyVersion};
use crate::db::Db;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Stores (or, after a return, replaces) a declaration; returns it.
pub async fn declare(
    db: &Db,
    new: &NewDeclaration<'_>,
    now: OffsetDateTime,
) -> Result<Declaration, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    declarations::declare_in(&mut tx, new, now).await?;
    super::kept::refresh_in(&mut tx, new.person_id, now).await?;
    tx.commit().await?;
    declarations::for_person(db, new.person_id)
        .await?
        .into_iter()
        .find(|d| d.policy_id == new.policy_id && d.period_start == new.period_start)
        .ok_or(sqlx::Error::RowNotFound)
}

/// Verifies or returns a declaration awaiting `verifier_id`. `false` when there was none.
pub async fn decide(
    db: &Db,
    id: Uuid,
    verifier_id: Uuid,
    verify: bool,
    comment: Option<&str>,
    today: Date,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let Some(person) =
        declarations::decide_in(&mut tx, id, verifier_id, verify, comment, today, now).await?
    else {
        tx.rollback().await?;
        return Ok(false);
    };
    // A verified declaration may be what the period was waiting for.
    super::kept::refresh_in(&mut tx, person, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Stores a new version of an organisation's policy, and judges everyone it employs again
/// under it, in one transaction.
pub async fn add_org_policy_version(
    db: &Db,
    org_id: Uuid,
    text: &str,
    assigned_to: &Assignment,
    in_force_from: Date,
    created_by: Option<Uuid>,
    now: OffsetDateTime,
) -> Result<OrgPolicyVersion, AddError> {
    let mut tx = db.begin_write().await?;
    let version = org_policies::add_version_in(
        &mut tx,
        org_id,
        text,
        assigned_to,
        in_force_from,
        created_by,
        now,
    )
    .await?;
    super::kept::refresh_org_in(&mut tx, org_id, now).await?;
    tx.commit().await?;
    Ok(version)
}
