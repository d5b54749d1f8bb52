//! The job queue: work too long for one request, kept in the database so that any instance's
//! worker can run it and a crash loses nothing. A worker claims the oldest queued job (on
//! PostgreSQL with `FOR UPDATE SKIP LOCKED`, so two instances never take the same one) under a
//! lease; it commits its progress with each chunk of work, in the chunk's own transaction, so a
//! job taken over after a lapsed lease resumes exactly where the last commit left it. What a
//! job does is its feature's business: this module knows only kinds, steps and reports.

use super::{Db, WriteTx};
use crate::on_tx;
pub use cairn_core::status::JobStatus;
use serde::Serialize;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// How long a claim holds without news from its worker; each chunk renews it.
pub const LEASE: Duration = Duration::minutes(10);
/// A job interrupted this many times (each a crash or a lapsed lease) is given up.
pub const MAX_ATTEMPTS: i64 = 3;

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// An HR feed for `org_id`.
    PeopleFeed,
    /// A portable record into `person_id`'s record.
    RecordImport,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::PeopleFeed => "people_feed",
            JobKind::RecordImport => "record_import",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "people_feed" => Some(JobKind::PeopleFeed),
            "record_import" => Some(JobKind::RecordImport),
            _ => None,
        }
    }
}

/// A job to queue.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub kind: JobKind,
    pub org_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub requested_by: Option<Uuid>,
    pub label: &'a str,
    pub input: &'a str,
    pub total: i64,
}

/// A job as its progress page and the API show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Job {
    pub id: Uuid,
    pub kind: String,
    pub org_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    #[serde(skip)]
    pub requested_by: Option<Uuid>,
    pub label: String,
    #[sqlx(try_from = "String")]
    pub status: JobStatus,
    pub done: i64,
    pub total: i64,
    /// The report (JSON text) once done.
    #[serde(skip)]
    pub report: Option<String>,
    pub error: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub started_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub finished_at: Option<OffsetDateTime>,
}

impl Job {
    /// Whether it is still to run or running.
    pub fn is_pending(&self) -> bool {
        self.status.is_open()
    }

    /// Whole per cent done, for a progress bar.
    pub fn percent(&self) -> i64 {
        if self.total <= 0 {
            0
        } else {
            (self.done * 100 / self.total).clamp(0, 100)
        }
    }
}

/// A job a worker holds: its input, where it stands, and the claim that proves it holds it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: Uuid,
    pub kind: String,
    pub org_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub requested_by: Option<Uuid>,
    pub input: String,
    pub done: i64,
    pub total: i64,
    pub attempts: i64,
    pub claim: Uuid,
}

const INSERT_JOB: &str = "INSERT INTO job (id, kind, org_id, person_id, requested_by, label, input, status, total, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8, $9)";
macro_rules! select_jobs {
    ($rest:literal) => {
        concat!(
            "SELECT id, kind, org_id, person_id, requested_by, label, status, done, total, report, error, created_at, started_at, finished_at FROM job ",
            $rest
        )
    };
}
const SELECT_JOB: &str = select_jobs!("WHERE id = $1");
const SELECT_ORG_JOBS: &str =
    select_jobs!("WHERE org_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2");
const CLAIM_SQLITE: &str = "UPDATE job SET status = 'running', claim = $1, lease_until = $2, attempts = attempts + 1, \
     started_at = COALESCE(started_at, $3) \
     WHERE id = (SELECT id FROM job WHERE status = 'queued' OR (status = 'running' AND lease_until < $3) \
     ORDER BY created_at, id LIMIT 1) \
     RETURNING id, kind, org_id, person_id, requested_by, input, done, total, attempts, claim";
const CLAIM_POSTGRES: &str = "UPDATE job SET status = 'running', claim = $1, lease_until = $2, attempts = attempts + 1, \
     started_at = COALESCE(started_at, $3) \
     WHERE id = (SELECT id FROM job WHERE status = 'queued' OR (status = 'running' AND lease_until < $3) \
     ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
     RETURNING id, kind, org_id, person_id, requested_by, input, done, total, attempts, claim";
const ADVANCE: &str = "UPDATE job SET done = $3, lease_until = $4 WHERE id = $1 AND claim = $2 AND status = 'running'";
const INSERT_PART: &str = "INSERT INTO job_part (job_id, seq, report) VALUES ($1, $2, $3)";
const SELECT_PARTS: &str = "SELECT report FROM job_part WHERE job_id = $1 ORDER BY seq";
const FINISH: &str = "UPDATE job SET status = $3, report = $4, error = $5, input = '', done = CASE WHEN $3 = 'done' THEN total ELSE done END, \
     claim = NULL, lease_until = NULL, finished_at = $6 WHERE id = $1 AND claim = $2 AND status = 'running'";
const DELETE_PARTS: &str = "DELETE FROM job_part WHERE job_id = $1";

/// Queues a job; a worker takes it up within moments.
pub async fn enqueue(db: &Db, job: &NewJob<'_>, now: OffsetDateTime) -> Result<Uuid, sqlx::Error> {
    crate::db::insert(
        db,
        INSERT_JOB,
        (
            job.kind.as_str(),
            job.org_id,
            job.person_id,
            job.requested_by,
            job.label,
            job.input,
            job.total,
            now,
        ),
    )
    .await
}

/// Takes the oldest job that is queued, or whose worker's lease has lapsed.
pub async fn claim_next(db: &Db, now: OffsetDateTime) -> Result<Option<Claimed>, sqlx::Error> {
    let claim = Uuid::now_v7();
    let sql = match db {
        Db::Sqlite(_) => CLAIM_SQLITE,
        Db::Postgres(_) => CLAIM_POSTGRES,
    };
    crate::db::row(db, sql, (claim, now + LEASE, now)).await
}

/// Records, in the chunk's own transaction, that the job has done `done` steps and what the
/// chunk did (`part`, JSON), and renews the lease. `false` when the claim has been lost (the
/// lease lapsed and another worker took over): the caller must roll the chunk back.
pub async fn advance_in(
    tx: &mut WriteTx,
    job: &Claimed,
    done: i64,
    part: &str,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    on_tx!(tx, |conn| {
        let held = sqlx::query(ADVANCE)
            .bind(job.id)
            .bind(job.claim)
            .bind(done)
            .bind(now + LEASE)
            .execute(&mut *conn)
            .await?
            .rows_affected()
            == 1;
        if held {
            sqlx::query(INSERT_PART)
                .bind(job.id)
                .bind(done)
                .bind(part)
                .execute(&mut *conn)
                .await?;
        }
        Ok(held)
    })
}

/// The reports of the chunks committed so far, in order.
pub async fn parts(db: &Db, job_id: Uuid) -> Result<Vec<String>, sqlx::Error> {
    crate::db::scalars(db, SELECT_PARTS, (job_id,)).await
}

/// Ends the job, done with its report or failed with why; the input (people's details) is
/// dropped either way. `false` when the claim had been lost.
pub async fn finish(
    db: &Db,
    job: &Claimed,
    outcome: Result<&str, &str>,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let (status, report, error) = match outcome {
        Ok(report) => (JobStatus::Done, Some(report), None),
        Err(error) => (JobStatus::Failed, None, Some(error)),
    };
    let mut tx = db.begin_write().await?;
    let held = on_tx!(&mut tx, |conn| {
        let held = sqlx::query(FINISH)
            .bind(job.id)
            .bind(job.claim)
            .bind(status.as_str())
            .bind(report)
            .bind(error)
            .bind(now)
            .execute(&mut *conn)
            .await?
            .rows_affected()
            == 1;
        if held {
            sqlx::query(DELETE_PARTS)
                .bind(job.id)
                .execute(&mut *conn)
                .await?;
        }
        Ok::<_, sqlx::Error>(held)
    })?;
    tx.commit().await?;
    Ok(held)
}

pub async fn get(db: &Db, id: Uuid) -> Result<Option<Job>, sqlx::Error> {
    crate::db::row(db, SELECT_JOB, (id,)).await
}

/// The organisation's latest jobs, newest first.
pub async fn recent_for_org(db: &Db, org_id: Uuid, limit: i64) -> Result<Vec<Job>, sqlx::Error> {
    crate::db::rows(db, SELECT_ORG_JOBS, (org_id, limit)).await
}

const RELEASE: &str = "UPDATE job SET status = 'queued', claim = NULL, lease_until = NULL WHERE id = $1 AND claim = $2 AND status = 'running'";

/// Puts a job its worker could not finish back in the queue, to be tried again.
pub async fn release(db: &Db, job: &Claimed) -> Result<(), sqlx::Error> {
    crate::db::execute(db, RELEASE, (job.id, job.claim))
        .await
        .map(|_| ())
}
