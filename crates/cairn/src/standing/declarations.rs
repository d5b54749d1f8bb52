//! Declarations: a person declares a policy's period complete; where the policy asks for
//! verification, a person they choose in their organisation verifies it or returns it with a
//! comment. Verified declarations satisfy `declaration` rules and travel in the portable record.

use crate::db::Db;
use cairn_core::record::RecordDeclaration;
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

pub use cairn_core::status::DeclarationStatus;

/// A stored declaration.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Declaration {
    pub id: Uuid,
    pub person_id: Uuid,
    pub policy_id: String,
    pub period_start: Date,
    pub period_end: Date,
    pub declared_on: Date,
    pub statement: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: DeclarationStatus,
    pub verifier_id: Option<Uuid>,
    pub verifier_role: Option<String>,
    pub verified_on: Option<Date>,
    pub comment: Option<String>,
}

impl Declaration {
    /// The declaration as the policy engine and the portable record see it: only a
    /// verified one names who verified it.
    pub fn to_record(&self) -> RecordDeclaration {
        let verified = self.status == DeclarationStatus::Verified;
        RecordDeclaration {
            policy: self.policy_id.clone(),
            period_start: self.period_start,
            declared_on: Some(self.declared_on),
            verified_by: if verified {
                self.verifier_role.clone()
            } else {
                None
            },
            verified_on: if verified { self.verified_on } else { None },
        }
    }
}

const SELECT_FOR_PERSON: &str = "SELECT id, person_id, policy_id, period_start, period_end, declared_on, statement, status, verifier_id, \
     verifier_role, verified_on, comment FROM declaration WHERE person_id = $1 ORDER BY period_start, policy_id";
const SELECT_FOR_VERIFIER: &str = "SELECT id, person_id, policy_id, period_start, period_end, declared_on, statement, status, verifier_id, \
     verifier_role, verified_on, comment FROM declaration WHERE verifier_id = $1 AND status = 'awaiting-verification' ORDER BY declared_on";
const SELECT_ONE: &str = "SELECT id, person_id, policy_id, period_start, period_end, declared_on, statement, status, verifier_id, \
     verifier_role, verified_on, comment FROM declaration WHERE id = $1";
/// Declaring again (after a return) replaces the earlier declaration for the same period.
const UPSERT: &str = "INSERT INTO declaration (id, person_id, policy_id, period_start, period_end, declared_on, statement, status, verifier_id, \
     verifier_role, verified_on, comment, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL, $11, $11) \
     ON CONFLICT (person_id, policy_id, period_start) DO UPDATE SET period_end = excluded.period_end, declared_on = excluded.declared_on, \
     statement = excluded.statement, status = excluded.status, verifier_id = excluded.verifier_id, verifier_role = excluded.verifier_role, \
     verified_on = NULL, comment = NULL, updated_at = excluded.updated_at";
const SELECT_PERSON: &str = "SELECT person_id FROM declaration WHERE id = $1";
const DECIDE: &str = "UPDATE declaration SET status = $3, verified_on = $4, comment = $5, updated_at = $6 \
     WHERE id = $1 AND verifier_id = $2 AND status = 'awaiting-verification'";

/// A new declaration, as checked by the service.
pub struct NewDeclaration<'a> {
    pub person_id: Uuid,
    pub policy_id: &'a str,
    pub period_start: Date,
    pub period_end: Date,
    pub declared_on: Date,
    pub statement: Option<&'a str>,
    pub verifier: Option<(Uuid, &'a str)>,
}

/// Stores (or, after a return, replaces) a declaration inside a transaction the caller
/// commits (see `changes::declare`).
pub async fn declare_in(
    tx: &mut crate::db::WriteTx,
    new: &NewDeclaration<'_>,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let status = if new.verifier.is_some() {
        DeclarationStatus::AwaitingVerification
    } else {
        DeclarationStatus::Declared
    };
    crate::db::execute_in(
        tx,
        UPSERT,
        (
            Uuid::now_v7(),
            new.person_id,
            new.policy_id,
            new.period_start,
            new.period_end,
            new.declared_on,
            new.statement,
            status.as_str(),
            new.verifier.map(|(id, _)| id),
            new.verifier.map(|(_, role)| role),
            now,
        ),
    )
    .await
    .map(|_| ())
}

pub async fn for_person(db: &Db, person_id: Uuid) -> Result<Vec<Declaration>, sqlx::Error> {
    crate::db::rows(db, SELECT_FOR_PERSON, (person_id,)).await
}

pub async fn awaiting(db: &Db, verifier_id: Uuid) -> Result<Vec<Declaration>, sqlx::Error> {
    crate::db::rows(db, SELECT_FOR_VERIFIER, (verifier_id,)).await
}

pub async fn get(db: &Db, id: Uuid) -> Result<Option<Declaration>, sqlx::Error> {
    crate::db::row(db, SELECT_ONE, (id,)).await
}

/// Verifies or returns a declaration awaiting `verifier_id`, inside a transaction the caller
/// commits: whose it is, or `None` when there was none waiting.
pub async fn decide_in(
    tx: &mut crate::db::WriteTx,
    id: Uuid,
    verifier_id: Uuid,
    verify: bool,
    comment: Option<&str>,
    today: Date,
    now: OffsetDateTime,
) -> Result<Option<Uuid>, sqlx::Error> {
    let status = if verify {
        DeclarationStatus::Verified
    } else {
        DeclarationStatus::Returned
    };
    let verified_on = verify.then_some(today);
    let affected = crate::db::execute_in(
        tx,
        DECIDE,
        (id, verifier_id, status.as_str(), verified_on, comment, now),
    )
    .await?;
    if affected != 1 {
        return Ok(None);
    }
    crate::on_tx!(tx, |conn| sqlx::query_scalar(SELECT_PERSON)
        .bind(id)
        .fetch_one(&mut *conn)
        .await)
    .map(Some)
}
