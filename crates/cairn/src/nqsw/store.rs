//! SQL for the supported year: requirements, enrolment and milestone reviews.

use crate::db::Db;
use cairn_core::Hours;
use cairn_core::nqsw::ValidRequirement;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

const INSERT_REQUIREMENT: &str = "INSERT INTO nqsw_requirement (id, org_id, title, kind, topic, due_after_months, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
const SELECT_REQUIREMENTS: &str = "SELECT id, title, kind, topic, due_after_months FROM nqsw_requirement \
     WHERE org_id = $1 ORDER BY due_after_months, title, id";
const UPSERT_YEAR: &str = "INSERT INTO nqsw_year (person_id, org_id, started_on, mentor_id, protected_hours_per_week, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (person_id) DO UPDATE SET org_id = excluded.org_id, \
     started_on = excluded.started_on, mentor_id = excluded.mentor_id, protected_hours_per_week = excluded.protected_hours_per_week";
const SELECT_YEAR: &str = "SELECT y.org_id, y.started_on, m.name AS mentor, y.protected_hours_per_week FROM nqsw_year y \
     LEFT JOIN person m ON m.id = y.mentor_id WHERE y.person_id = $1";
const SELECT_ENROLLED: &str = "SELECT y.person_id, p.name, y.started_on FROM nqsw_year y JOIN person p ON p.id = y.person_id \
     WHERE y.org_id = $1 ORDER BY y.started_on DESC, p.name";
// The earliest entry since the year began that meets a requirement.
const SELECT_MEETING: &str = "SELECT title, date FROM entry WHERE person_id = $1 AND deleted_at IS NULL AND kind = $2 \
     AND ($3 = '' OR topics LIKE $3) AND date >= $4 ORDER BY date, id LIMIT 1";
const UPSERT_MILESTONE: &str = "INSERT INTO nqsw_milestone (person_id, month, reviewed_on, reviewer_id, comments) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (person_id, month) DO UPDATE SET reviewed_on = excluded.reviewed_on, reviewer_id = excluded.reviewer_id, comments = excluded.comments";
const SELECT_MILESTONES: &str = "SELECT m.month, m.reviewed_on, p.name AS reviewer, m.comments FROM nqsw_milestone m \
     LEFT JOIN person p ON p.id = m.reviewer_id WHERE m.person_id = $1 ORDER BY m.month";

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct Requirement {
    pub id: Uuid,
    pub title: String,
    pub kind: String,
    pub topic: Option<String>,
    pub due_after_months: i64,
}

pub async fn add_requirement(
    db: &Db,
    org_id: Uuid,
    r: &ValidRequirement,
    now: OffsetDateTime,
) -> Result<Uuid, sqlx::Error> {
    crate::db::insert(
        db,
        INSERT_REQUIREMENT,
        (org_id, &r.title, &r.kind, &r.topic, r.due_after_months, now),
    )
    .await
}

pub async fn requirements(db: &Db, org_id: Uuid) -> Result<Vec<Requirement>, sqlx::Error> {
    crate::db::rows(db, SELECT_REQUIREMENTS, (org_id,)).await
}

pub async fn enrol(
    db: &Db,
    person_id: Uuid,
    org_id: Uuid,
    started_on: Date,
    mentor: Option<Uuid>,
    protected: Hours,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    crate::db::execute(
        db,
        UPSERT_YEAR,
        (
            person_id,
            org_id,
            started_on,
            mentor,
            protected.units(),
            now,
        ),
    )
    .await
    .map(|_| ())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Year {
    pub org_id: Uuid,
    pub started_on: Date,
    pub mentor: Option<String>,
    pub protected_hours_per_week: i64,
}

pub async fn year(db: &Db, person_id: Uuid) -> Result<Option<Year>, sqlx::Error> {
    crate::db::row(db, SELECT_YEAR, (person_id,)).await
}

/// (person, name, started on) of everyone on the organisation's supported year.
pub async fn enrolled(db: &Db, org_id: Uuid) -> Result<Vec<(Uuid, String, Date)>, sqlx::Error> {
    crate::db::rows(db, SELECT_ENROLLED, (org_id,)).await
}

/// The first entry since `since` that meets the requirement: (title, date).
pub async fn meeting(
    db: &Db,
    person_id: Uuid,
    r: &Requirement,
    since: Date,
) -> Result<Option<(String, Date)>, sqlx::Error> {
    let topic = r
        .topic
        .as_ref()
        .map_or_else(String::new, |t| format!("%|{t}|%"));
    crate::db::row(db, SELECT_MEETING, (person_id, &r.kind, &topic, since)).await
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Milestone {
    pub month: i64,
    pub reviewed_on: Date,
    pub reviewer: Option<String>,
    pub comments: String,
}

pub async fn review_milestone(
    db: &Db,
    person_id: Uuid,
    month: i64,
    reviewed_on: Date,
    reviewer: Uuid,
    comments: &str,
) -> Result<(), sqlx::Error> {
    crate::db::execute(
        db,
        UPSERT_MILESTONE,
        (person_id, month, reviewed_on, reviewer, comments),
    )
    .await
    .map(|_| ())
}

pub async fn milestones(db: &Db, person_id: Uuid) -> Result<Vec<Milestone>, sqlx::Error> {
    crate::db::rows(db, SELECT_MILESTONES, (person_id,)).await
}
