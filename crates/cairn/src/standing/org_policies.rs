//! Organisations' own requirement policies (mandatory training matrices and the like):
//! stored as versions, assigned by job role and team, evaluated with the same engine.
//!
//! An organisation's policy has `register = "EMP"`; for its employees the "registration" is
//! their employment, so a new starter's `due_within` counts from their start date.

use crate::db::Db;
use cairn_core::FieldErrors;
use cairn_core::policy::{Policy, PolicyError, parse_policy};
use cairn_core::record::RecordRegistration;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Who in the organisation a policy applies to. Empty lists mean everyone it employs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    #[serde(default)]
    pub job_roles: Vec<String>,
    #[serde(default)]
    pub teams: Vec<Uuid>,
}

impl Assignment {
    /// As a policy form shows it: the job roles comma-separated, and the teams' ids.
    pub fn as_typed(&self) -> (String, Vec<String>) {
        (
            self.job_roles.join(", "),
            self.teams.iter().map(Uuid::to_string).collect(),
        )
    }

    /// Whether someone in `job_role` in `team` is covered (job roles compare without case).
    pub fn covers(&self, job_role: &str, team: Option<Uuid>) -> bool {
        (self.job_roles.is_empty()
            || self
                .job_roles
                .iter()
                .any(|r| r.trim().eq_ignore_ascii_case(job_role.trim())))
            && (self.teams.is_empty() || team.is_some_and(|t| self.teams.contains(&t)))
    }
}

/// One stored version of an organisation's policy.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgPolicyVersion {
    pub id: Uuid,
    pub org_id: Uuid,
    pub policy_id: String,
    pub version: i64,
    pub title: String,
    pub source_text: String,
    pub assigned_to: Assignment,
    pub in_force_from: Date,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
pub(super) struct VersionRow {
    pub(super) id: Uuid,
    pub(super) org_id: Uuid,
    pub(super) policy_id: String,
    pub(super) version: i64,
    pub(super) source_text: String,
    pub(super) assigned_to: String,
    pub(super) in_force_from: Date,
    pub(super) created_at: OffsetDateTime,
}

/// Every version of the policies of the organisations that have employed the person, on the
/// SQLite writer thread's transaction.
pub(super) fn versions_on(
    tx: &rusqlite::Connection,
    person_id: Uuid,
) -> Result<Vec<OrgPolicyVersion>, sqlx::Error> {
    use crate::db::reader::{date, into_sqlx, timestamp};
    let mut statement = tx
        .prepare_cached(SELECT_PERSON_VERSIONS)
        .map_err(into_sqlx)?;
    let rows = statement
        .query_map([person_id], |row| {
            Ok(VersionRow {
                id: row.get(0)?,
                org_id: row.get(1)?,
                policy_id: row.get(2)?,
                version: row.get(3)?,
                source_text: row.get(4)?,
                assigned_to: row.get(5)?,
                in_force_from: date(row, 6)?,
                created_at: timestamp(row, 7)?,
            })
        })
        .map_err(into_sqlx)?;
    rows.map(|row| row.map(VersionRow::into_version).map_err(into_sqlx))
        .collect()
}

impl VersionRow {
    pub(super) fn into_version(self) -> OrgPolicyVersion {
        let title = parse_policy(&self.policy_id, &self.source_text)
            .map(|p| p.title)
            .unwrap_or_default();
        OrgPolicyVersion {
            id: self.id,
            org_id: self.org_id,
            policy_id: self.policy_id,
            version: self.version,
            title,
            source_text: self.source_text,
            assigned_to: serde_json::from_str(&self.assigned_to).unwrap_or_default(),
            in_force_from: self.in_force_from,
            created_at: self.created_at,
        }
    }
}

const SELECT_VERSIONS: &str = "SELECT id, org_id, policy_id, version, source_text, assigned_to, in_force_from, created_at \
     FROM org_policy WHERE org_id = $1 ORDER BY policy_id, version";
const SELECT_PERSON_VERSIONS: &str = "SELECT id, org_id, policy_id, version, source_text, assigned_to, in_force_from, created_at \
     FROM org_policy WHERE org_id IN (SELECT org_id FROM employment WHERE person_id = $1)";
const SELECT_ALL_VERSIONS: &str = "SELECT id, org_id, policy_id, version, source_text, assigned_to, in_force_from, created_at \
     FROM org_policy ORDER BY org_id, policy_id, version";
const SELECT_NEXT_VERSION: &str =
    "SELECT COALESCE(MAX(version), 0) + 1 FROM org_policy WHERE org_id = $1 AND policy_id = $2";
const INSERT_VERSION: &str = "INSERT INTO org_policy (id, org_id, policy_id, version, source_text, assigned_to, in_force_from, created_by, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// Why a new version was refused; nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    #[error(transparent)]
    Policy(#[from] PolicyError),
    #[error("{0}")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Checks a policy file for use as an organisation's policy.
pub fn check_org_policy(file: &str, text: &str) -> Result<Policy, AddError> {
    let policy = parse_policy(file, text)?;
    let mut errors = FieldErrors::default();
    if policy.applies_to.register != "EMP" {
        errors.push("applies_to.register", "An organisation's own policy uses register = \"EMP\"; regulators' policies are built in");
    }
    if !policy.applies_to.parts.is_empty() {
        errors.push("applies_to.parts", "An organisation's policy names no parts: choose who it applies to by job role and team instead");
    }
    if errors.is_empty() {
        Ok(policy)
    } else {
        Err(AddError::Invalid(errors))
    }
}

/// Stores a new version of the policy in `text` (a new policy gets version 1), inside a
/// transaction the caller commits (with everyone's standing judged again under it: see
/// `changes::add_org_policy_version`).
pub async fn add_version_in(
    tx: &mut crate::db::WriteTx,
    org_id: Uuid,
    text: &str,
    assigned_to: &Assignment,
    in_force_from: Date,
    created_by: Option<Uuid>,
    now: OffsetDateTime,
) -> Result<OrgPolicyVersion, AddError> {
    let policy = check_org_policy("policy.toml", text)?;
    let id = Uuid::now_v7();
    let assignment = serde_json::to_string(assigned_to)
        .map_err(|e| AddError::Database(sqlx::Error::Encode(Box::new(e))))?;
    let version: i64 = crate::on_tx!(tx, |conn| {
        let version: i64 = sqlx::query_scalar(SELECT_NEXT_VERSION)
            .bind(org_id)
            .bind(&policy.id)
            .fetch_one(&mut *conn)
            .await?;
        sqlx::query(INSERT_VERSION)
            .bind(id)
            .bind(org_id)
            .bind(&policy.id)
            .bind(version)
            .bind(text)
            .bind(&assignment)
            .bind(in_force_from)
            .bind(created_by)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        Ok::<_, sqlx::Error>(version)
    })?;
    Ok(OrgPolicyVersion {
        id,
        org_id,
        policy_id: policy.id,
        version,
        title: policy.title,
        source_text: text.to_owned(),
        assigned_to: assigned_to.clone(),
        in_force_from,
        created_at: now,
    })
}

/// Every version of every organisation's policies (for the whole register at once).
pub async fn all_versions(db: &Db) -> Result<Vec<OrgPolicyVersion>, sqlx::Error> {
    let rows: Vec<VersionRow> = crate::db::rows(db, SELECT_ALL_VERSIONS, ()).await?;
    Ok(rows.into_iter().map(VersionRow::into_version).collect())
}

/// Every version of every policy of the organisation, oldest first.
pub async fn versions(db: &Db, org_id: Uuid) -> Result<Vec<OrgPolicyVersion>, sqlx::Error> {
    let rows: Vec<VersionRow> = crate::db::rows(db, SELECT_VERSIONS, (org_id,)).await?;
    Ok(rows.into_iter().map(VersionRow::into_version).collect())
}

/// The latest version of one of the organisation's policies, if it has that policy.
pub async fn latest_version(
    db: &Db,
    org_id: Uuid,
    policy_id: &str,
) -> Result<Option<OrgPolicyVersion>, sqlx::Error> {
    Ok(versions(db, org_id)
        .await?
        .into_iter()
        .filter(|v| v.policy_id == policy_id)
        .max_by_key(|v| v.version))
}

/// The version of each policy in force on `as_of`: the latest whose `in_force_from` has come.
/// A policy none of whose versions is in force yet does not apply.
pub fn in_force(versions: &[OrgPolicyVersion], as_of: Date) -> Vec<(Policy, Assignment)> {
    let mut chosen: Vec<&OrgPolicyVersion> = Vec::new();
    for version in versions.iter().filter(|v| v.in_force_from <= as_of) {
        match chosen
            .iter_mut()
            .find(|c| c.policy_id == version.policy_id && c.org_id == version.org_id)
        {
            Some(current) if current.version < version.version => *current = version,
            Some(_) => {}
            None => chosen.push(version),
        }
    }
    chosen
        .into_iter()
        .filter_map(|v| {
            parse_policy(&v.policy_id, &v.source_text)
                .ok()
                .map(|p| (p, v.assigned_to.clone()))
        })
        .collect()
}

/// An employment that started on `start`, as the registration an `EMP` policy anchors on.
pub fn employment_registration(start: Date) -> RecordRegistration {
    RecordRegistration {
        register: "EMP".to_owned(),
        part: "employee".to_owned(),
        start,
        first: Some(true),
    }
}
