//! The HR feed: a CSV file with one row per person, from the command line or the browser.
//! Each row is checked on its own; good rows are applied (each all or nothing) and bad ones
//! reported with their line numbers, so a feed with one typo still loads the rest.
//!
//! An organisation changes only the people it employs. A row for someone who already has a
//! cairn record and does not work here becomes an invitation they accept or decline (their
//! record stays theirs, and this organisation sees it only once accepted). The report never
//! tells the two apart: a new person and an invited one are both "added", so a feed cannot
//! be used to find out whether an email is known to cairn.
//!
//! Columns (header row required, any order; only the first four must have values):
//! `email, name, job_role, start_date, end_date, team, hours_per_week, register, part,
//! registration_start, first_registration, roles, supervisor_email, birth_year`.

use super::store;
use super::{NewEmployment, NewPerson, NewRegistration, Offer};
use crate::db::{Db, WriteTx, jobs};
use cairn_core::{Email, FieldErrors, Hours, vocabulary};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::OffsetDateTime;
use uuid::Uuid;

/// Every column the feed understands.
pub const COLUMNS: &[&str] = &[
    "email",
    "name",
    "job_role",
    "start_date",
    "end_date",
    "team",
    "hours_per_week",
    "register",
    "part",
    "registration_start",
    "first_registration",
    "roles",
    "supervisor_email",
    "birth_year",
];
const REQUIRED: &[&str] = &["email", "name", "job_role", "start_date"];

/// A file to start from: the header row and two example rows, as a spreadsheet opens it
/// (CRLF, with a byte-order mark so that Excel reads it as UTF-8).
pub fn template_csv() -> String {
    let rows = [
        COLUMNS.join(","),
        "ailsa.macleod@example.org,Ailsa MacLeod,Social worker,15/03/2017,,Skye adults,37,SSSC,social-worker,15/03/2017,yes,practitioner,morag.campbell@example.org,1988".to_owned(),
        "chidi.okafor@example.org,Chidi Okafor,Support worker,10/05/2021,,,30,SSSC,social-care,10/05/2021,yes,practitioner,,1995".to_owned(),
    ];
    format!("\u{feff}{}\r\n", rows.join("\r\n"))
}

/// What happened to each line.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// New to this organisation: created, or invited when they already have a record.
    pub added: Vec<LineOutcome>,
    pub updated: Vec<LineOutcome>,
    pub rejected: Vec<LineRejection>,
}

/// A line that was applied.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LineOutcome {
    pub line: u64,
    pub email: String,
}

/// A line that was not applied, and why.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LineRejection {
    pub line: u64,
    pub errors: Vec<String>,
}

/// Lines of each list a page shows; the CSV download has them all.
const SHOWN: usize = 1_000;

fn first_shown<T>(lines: &[T]) -> &[T] {
    &lines[..lines.len().min(SHOWN)]
}

impl ImportReport {
    /// How many lines of each list a page shows, as a page writes it.
    pub fn shown(&self) -> String {
        crate::web::page::grouped(SHOWN)
    }

    /// The counts as the report's heading gives them: "2,101 added, 0 updated, 1 rejected".
    pub fn counts(&self) -> String {
        use crate::web::page::grouped;
        format!(
            "{} added, {} updated, {} rejected",
            grouped(self.added.len()),
            grouped(self.updated.len()),
            grouped(self.rejected.len())
        )
    }

    /// Whether any list is longer than a page shows.
    pub fn is_long(&self) -> bool {
        [self.added.len(), self.updated.len(), self.rejected.len()]
            .iter()
            .any(|n| *n > SHOWN)
    }

    pub fn added_shown(&self) -> &[LineOutcome] {
        first_shown(&self.added)
    }

    pub fn updated_shown(&self) -> &[LineOutcome] {
        first_shown(&self.updated)
    }

    pub fn rejected_shown(&self) -> &[LineRejection] {
        first_shown(&self.rejected)
    }

    /// The whole report as a spreadsheet: line, outcome, email, problems; in line order.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut rows: Vec<(u64, &str, &str, String)> = Vec::new();
        rows.extend(
            self.added
                .iter()
                .map(|l| (l.line, "added", l.email.as_str(), String::new())),
        );
        rows.extend(
            self.updated
                .iter()
                .map(|l| (l.line, "updated", l.email.as_str(), String::new())),
        );
        rows.extend(
            self.rejected
                .iter()
                .map(|l| (l.line, "rejected", "", l.errors.join("; "))),
        );
        rows.sort_by_key(|row| row.0);
        let mut writer = crate::web::spreadsheet::writer(Vec::new());
        let header = writer.write_record(["line", "outcome", "email", "problems"]);
        let body = rows
            .iter()
            .try_for_each(|(line, outcome, email, problems)| {
                writer.write_record([line.to_string().as_str(), outcome, email, problems.as_str()])
            });
        // Writing to memory fails only on a bug; the lines written so far are still worth having.
        if let Err(error) = header.and(body) {
            tracing::error!(error = %error, "an import report could not be written as CSV");
        }
        writer.into_inner().unwrap_or_default()
    }

    /// Adds a later chunk's outcomes.
    pub fn merge(&mut self, part: ImportReport) {
        self.added.extend(part.added);
        self.updated.extend(part.updated);
        self.rejected.extend(part.rejected);
    }

    /// The report as lines for a terminal.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n", self.counts());
        if !self.added.is_empty() {
            out.push_str(ADDED_NOTE);
            out.push('\n');
        }
        for line in &self.added {
            out.push_str(&format!("line {}: added {}\n", line.line, line.email));
        }
        for line in &self.updated {
            out.push_str(&format!("line {}: updated {}\n", line.line, line.email));
        }
        for line in &self.rejected {
            out.push_str(&format!(
                "line {}: rejected: {}\n",
                line.line,
                line.errors.join("; ")
            ));
        }
        out
    }
}

/// What "added" means, for every report that lists them.
pub const ADDED_NOTE: &str = "People added are new to this organisation. Anyone who already \
     keeps a cairn record is invited: they appear in your people list once they accept.";

/// Why the file as a whole could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("{0}")]
    Unreadable(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// A feed of more lines than this runs as a background job with a progress page.
pub const JOB_LINES: usize = 2_000;
/// Lines applied per transaction: big enough that a 100,000-line feed is a couple of hundred
/// commits, small enough that a chunk holds the write lock for well under a second.
const CHUNK: usize = 500;

/// A feed read and checked line by line, before anything is stored.
pub struct Feed {
    lines: Vec<FeedLine>,
    /// The lines (indexes into `lines`) that name a supervisor: linked once every line is in,
    /// so that rows may come in any order.
    links: Vec<usize>,
}

struct FeedLine {
    line: u64,
    row: Result<Row, Vec<String>>,
}

struct Row {
    person: NewPerson,
    employment: NewEmployment,
    supervisor: Option<Email>,
}

/// The organisation a feed is applied for.
pub struct FeedContext {
    pub org_id: Uuid,
    org_name: String,
}

impl FeedContext {
    pub async fn load(db: &Db, org_id: Uuid) -> Result<Self, sqlx::Error> {
        let org_name = store::get_org(db, org_id)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        Ok(Self { org_id, org_name })
    }
}

impl Feed {
    /// Reads the CSV text against the organisation's teams. Only a file that cannot be read
    /// as a whole (no header, unknown columns) is an error; a bad line is a rejected line.
    pub async fn read(
        db: &Db,
        org_id: Uuid,
        csv_text: &str,
        now: OffsetDateTime,
    ) -> Result<Feed, FeedError> {
        let teams: HashMap<String, Uuid> = store::list_teams(db, org_id)
            .await?
            .into_iter()
            .map(|t| (t.name.to_lowercase(), t.id))
            .collect();
        Self::parse(csv_text, org_id, &teams, now)
    }

    fn parse(
        csv_text: &str,
        org_id: Uuid,
        teams: &HashMap<String, Uuid>,
        now: OffsetDateTime,
    ) -> Result<Feed, FeedError> {
        let file = crate::web::spreadsheet::SpreadsheetCsv::new(csv_text);
        let mut reader = file.reader();
        let headers = reader
            .headers()
            .map_err(|e| {
                FeedError::Unreadable(format!("line 1: the header row cannot be read: {e}"))
            })?
            .clone();
        let columns: HashMap<String, usize> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.to_lowercase(), i))
            .collect();
        let unknown: Vec<&str> = headers
            .iter()
            .filter(|h| !COLUMNS.contains(&h.to_lowercase().as_str()))
            .collect();
        if !unknown.is_empty() {
            return Err(FeedError::Unreadable(format!(
                "line 1: unknown column(s) {}; the columns are: {}",
                unknown.join(", "),
                COLUMNS.join(", ")
            )));
        }
        let missing: Vec<&str> = REQUIRED
            .iter()
            .copied()
            .filter(|c| !columns.contains_key(*c))
            .collect();
        if !missing.is_empty() {
            return Err(FeedError::Unreadable(format!(
                "line 1: the header row lacks required column(s): {}",
                missing.join(", ")
            )));
        }
        let mut lines = Vec::new();
        for record in reader.records() {
            let record = match record {
                Ok(record) => record,
                Err(error) => {
                    let line = error.position().map_or(0, |p| p.line());
                    lines.push(FeedLine {
                        line,
                        row: Err(vec![format!("cannot be read as CSV: {error}")]),
                    });
                    continue;
                }
            };
            let line = record.position().map_or(0, |p| p.line());
            lines.push(FeedLine {
                line,
                row: read_line(&headers, &columns, &record, org_id, teams, now),
            });
        }
        let links = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| matches!(&l.row, Ok(row) if row.supervisor.is_some()))
            .map(|(i, _)| i)
            .collect();
        Ok(Feed { lines, links })
    }

    /// How many lines the file has, after its header.
    pub fn lines(&self) -> usize {
        self.lines.len()
    }

    /// The steps of applying it: each line, then each supervisor link.
    pub fn steps(&self) -> usize {
        self.lines.len() + self.links.len()
    }

    /// The chunks of steps from `done` on, none straddling lines and links.
    pub fn chunks_from(&self, done: usize) -> Vec<std::ops::Range<usize>> {
        let lines = self.lines.len();
        let mut chunks = Vec::new();
        let mut from = done;
        while from < self.steps() {
            let phase_end = if from < lines { lines } else { self.steps() };
            let to = (from + CHUNK).min(phase_end);
            chunks.push(from..to);
            from = to;
        }
        chunks
    }
}

/// One line checked: a row to apply, or why not.
fn read_line(
    headers: &csv::StringRecord,
    columns: &HashMap<String, usize>,
    record: &csv::StringRecord,
    org_id: Uuid,
    teams: &HashMap<String, Uuid>,
    now: OffsetDateTime,
) -> Result<Row, Vec<String>> {
    if record.len() != headers.len() {
        return Err(vec![format!(
            "has {} columns but the header has {}",
            record.len(),
            headers.len()
        )]);
    }
    // NUL cannot be stored on PostgreSQL; no control character belongs in a feed.
    let controls: Vec<String> = headers
        .iter()
        .zip(record.iter())
        .filter_map(|(column, value)| {
            crate::web::text_guard::forbidden_char(value)
                .map(|c| format!("{column} {}", crate::web::text_guard::message(c)))
        })
        .collect();
    if !controls.is_empty() {
        return Err(controls);
    }
    let get = |name: &str| {
        columns
            .get(name)
            .and_then(|i| record.get(*i))
            .filter(|v| !v.is_empty())
    };
    parse_row(&get, org_id, teams, now)
        .map(|(person, employment, supervisor)| Row {
            person,
            employment,
            supervisor,
        })
        .map_err(|errors| errors.0.iter().map(|e| e.to_string()).collect())
}

/// Reads and applies a feed for `org_id` here and now (the command line, and feeds of up to
/// [`JOB_LINES`] lines from the browser and the API), a chunk per transaction.
pub async fn import_people(
    db: &Db,
    org_id: Uuid,
    csv_text: &str,
    now: OffsetDateTime,
) -> Result<ImportReport, FeedError> {
    let feed = Feed::read(db, org_id, csv_text, now).await?;
    apply(db, &feed, org_id, now).await
}

/// What became of a feed sent from the browser or the API.
pub enum Started {
    /// Small enough to apply at once: its report.
    Applied(ImportReport),
    /// Queued as a job (wake the worker): its id.
    Queued(Uuid),
}

/// Reads the feed and applies it, or queues it as a job when it has more than [`JOB_LINES`]
/// lines. A file that cannot be read is refused either way before anything is queued.
pub async fn start(
    db: &Db,
    org_id: Uuid,
    requested_by: Uuid,
    label: &str,
    csv_text: &str,
    now: OffsetDateTime,
) -> Result<Started, FeedError> {
    let feed = Feed::read(db, org_id, csv_text, now).await?;
    if feed.lines() <= JOB_LINES {
        return Ok(Started::Applied(apply(db, &feed, org_id, now).await?));
    }
    let job = jobs::NewJob {
        kind: jobs::JobKind::PeopleFeed,
        org_id: Some(org_id),
        person_id: None,
        requested_by: Some(requested_by),
        label,
        input: csv_text,
        total: feed.steps() as i64,
    };
    Ok(Started::Queued(jobs::enqueue(db, &job, now).await?))
}

async fn apply(
    db: &Db,
    feed: &Feed,
    org_id: Uuid,
    now: OffsetDateTime,
) -> Result<ImportReport, FeedError> {
    let context = FeedContext::load(db, org_id).await?;
    let mut report = ImportReport::default();
    for chunk in feed.chunks_from(0) {
        let part = apply_chunk(db, feed, &context, chunk, now, None)
            .await?
            .expect("no claim to lose outside a job");
        report.merge(part);
    }
    report.rejected.sort_by_key(|r| r.line);
    Ok(report)
}

/// Runs an HR feed job from where it stands to the end, committing its progress with each
/// chunk. `Ok(false)` when another worker took the job over (the lease lapsed).
pub async fn run_job(
    db: &Db,
    job: &jobs::Claimed,
    clock: &crate::clock::Clock,
) -> Result<bool, sqlx::Error> {
    let org_id = job
        .org_id
        .ok_or_else(|| sqlx::Error::Protocol("an HR feed job without an organisation".into()))?;
    let feed = match Feed::read(db, org_id, &job.input, clock.now()).await {
        Ok(feed) => feed,
        Err(FeedError::Database(error)) => return Err(error),
        Err(FeedError::Unreadable(message)) => {
            return jobs::finish(db, job, Err(&message), clock.now()).await;
        }
    };
    let context = FeedContext::load(db, org_id).await?;
    let done = usize::try_from(job.done).unwrap_or(0);
    for chunk in feed.chunks_from(done) {
        let applied = apply_chunk(db, &feed, &context, chunk, clock.now(), Some(job)).await;
        match applied {
            Ok(Some(_)) => {}
            Ok(None) => return Ok(false),
            Err(FeedError::Database(error)) => return Err(error),
            Err(FeedError::Unreadable(message)) => {
                return jobs::finish(db, job, Err(&message), clock.now()).await;
            }
        }
    }
    let mut report = ImportReport::default();
    for part in jobs::parts(db, job.id).await? {
        let part: ImportReport =
            serde_json::from_str(&part).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        report.merge(part);
    }
    report.rejected.sort_by_key(|r| r.line);
    let report = serde_json::to_string(&report).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    jobs::finish(db, job, Ok(&report), clock.now()).await
}

/// Applies one chunk of steps in one transaction, with the job's progress when there is a
/// job. Each line is all or nothing: when the chunk fails as a whole, it is done again line
/// by line, each in a savepoint, so one line the database refuses does not sink the others.
/// `None` when the job's claim was lost (nothing of the chunk is kept).
async fn apply_chunk(
    db: &Db,
    feed: &Feed,
    context: &FeedContext,
    chunk: std::ops::Range<usize>,
    now: OffsetDateTime,
    job: Option<&jobs::Claimed>,
) -> Result<Option<ImportReport>, FeedError> {
    let mut tx = db.begin_write().await?;
    let part = match apply_steps(&mut tx, feed, context, chunk.clone(), now, false).await {
        Ok(part) => part,
        Err(error) => {
            tracing::warn!(error = %error, "a feed chunk failed; applying it line by line");
            tx.rollback().await?;
            tx = db.begin_write().await?;
            apply_steps(&mut tx, feed, context, chunk.clone(), now, true).await?
        }
    };
    if let Some(job) = job {
        let json = serde_json::to_string(&part).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        if !jobs::advance_in(&mut tx, job, chunk.end as i64, &json, now).await? {
            tx.rollback().await?;
            return Ok(None);
        }
    }
    tx.commit().await?;
    Ok(Some(part))
}

/// The steps of one chunk, in `tx`; with `savepoints`, each line in its own, and a line the
/// database refuses is reported rather than failing the chunk.
async fn apply_steps(
    tx: &mut WriteTx,
    feed: &Feed,
    context: &FeedContext,
    chunk: std::ops::Range<usize>,
    now: OffsetDateTime,
    savepoints: bool,
) -> Result<ImportReport, sqlx::Error> {
    let lines = feed.lines.len();
    let indexes: Vec<usize> = if chunk.start >= lines {
        feed.links[chunk.start - lines..chunk.end - lines].to_vec()
    } else {
        chunk.clone().collect()
    };
    let linking = chunk.start >= lines;
    let mut emails: Vec<&str> = Vec::new();
    for &i in &indexes {
        if let Ok(row) = &feed.lines[i].row {
            emails.push(row.person.email.as_str());
            if linking && let Some(supervisor) = &row.supervisor {
                emails.push(supervisor.as_str());
            }
        }
    }
    let mut known: HashMap<String, store::FeedMatch> = store::feed_matches_in(
        tx,
        context.org_id,
        &emails,
        crate::zone::current().date(now),
    )
    .await?
    .into_iter()
    .map(|m| (m.email.clone(), m))
    .collect();
    let mut report = ImportReport::default();
    for i in indexes {
        let line = &feed.lines[i];
        let row = match &line.row {
            Ok(row) => row,
            Err(errors) => {
                report.rejected.push(LineRejection {
                    line: line.line,
                    errors: errors.clone(),
                });
                continue;
            }
        };
        if savepoints {
            tx.run("SAVEPOINT feed_line").await?;
        }
        let applied = if linking {
            link_supervisor(tx, line.line, row, context, &known, &mut report).await
        } else {
            apply_row(tx, line.line, row, context, &mut known, &mut report, now).await
        };
        match applied {
            Ok(()) if savepoints => tx.run("RELEASE SAVEPOINT feed_line").await?,
            Ok(()) => {}
            Err(error) if savepoints => {
                tracing::warn!(error = %error, line = line.line, "a feed line was refused by the database");
                tx.run("ROLLBACK TO SAVEPOINT feed_line").await?;
                tx.run("RELEASE SAVEPOINT feed_line").await?;
                report.rejected.push(LineRejection {
                    line: line.line,
                    errors: vec!["could not be stored, so nothing on it was changed; check it and send it again".into()],
                });
            }
            Err(error) => return Err(error),
        }
    }
    Ok(report)
}

/// One line: a new person, an update to someone the organisation holds, a leaver's
/// correction, or an invitation to someone with a record of their own.
async fn apply_row(
    tx: &mut WriteTx,
    line: u64,
    row: &Row,
    context: &FeedContext,
    known: &mut HashMap<String, store::FeedMatch>,
    report: &mut ImportReport,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let today = crate::zone::current().date(now);
    let email = row.person.email.as_str();
    let outcome = LineOutcome {
        line,
        email: email.to_owned(),
    };
    match known.get_mut(email) {
        None => {
            let id = store::insert_person_in(tx, &row.person, now).await?;
            let held = !ended_before(&row.employment, today);
            // The same email again later in the file is then an update, as it was before.
            known.insert(
                email.to_owned(),
                store::FeedMatch {
                    id,
                    email: email.to_owned(),
                    held,
                    employed: held && row.employment.start_date <= today,
                    ever_employed: true,
                    invitation: None,
                },
            );
            report.added.push(outcome);
        }
        Some(existing) if existing.held => {
            store::update_person_from_feed_in(tx, existing.id, &row.person, context.org_id, now)
                .await?;
            report.updated.push(outcome);
        }
        Some(existing) if ended_before(&row.employment, today) && existing.ever_employed => {
            // A leaver's row may still correct the employment it ended; nothing else.
            store::update_latest_employment_in(tx, existing.id, &row.employment, now).await?;
            report.updated.push(outcome);
        }
        Some(existing) => {
            let offer = offer_of(
                row.person.clone(),
                row.employment.clone(),
                row.supervisor.clone(),
                &roles_in(context.org_id),
            );
            let message = format!(
                "{} would like to add you to their staff as {}, from {}. Open this to accept or decline.",
                context.org_name,
                offer.employment.job_role,
                cairn_core::long_date(offer.employment.start_date)
            );
            store::invite_in(tx, context.org_id, existing.id, &offer, &message, now).await?;
            // Asked before: the same row again is an update, as for anyone added before.
            if existing.invitation.is_none() {
                report.added.push(outcome);
            } else {
                report.updated.push(outcome);
            }
            existing.invitation = Some("waiting".into());
        }
    }
    Ok(())
}

/// Links a line's person to the supervisor it names, who must work here (the message is the
/// same whether or not the email exists elsewhere). People invited rather than held are
/// linked when they accept, from their offer.
async fn link_supervisor(
    tx: &mut WriteTx,
    line: u64,
    row: &Row,
    context: &FeedContext,
    known: &HashMap<String, store::FeedMatch>,
    report: &mut ImportReport,
) -> Result<(), sqlx::Error> {
    let Some(supervisor_email) = &row.supervisor else {
        return Ok(());
    };
    let Some(supervisee) = known.get(row.person.email.as_str()).filter(|m| m.held) else {
        return Ok(());
    };
    match known
        .get(supervisor_email.as_str())
        .filter(|m| m.employed)
    {
        Some(supervisor) if supervisor.id != supervisee.id => {
            store::add_supervision_in(tx, supervisor.id, supervisee.id, context.org_id).await?;
        }
        Some(_) => report.rejected.push(LineRejection {
            line,
            errors: vec!["supervisor_email: a person cannot supervise themselves".into()],
        }),
        None => report.rejected.push(LineRejection {
            line,
            errors: vec![format!("supervisor_email: nobody working for this organisation has the email {supervisor_email}; the rest of the line was applied")],
        }),
    }
    Ok(())
}

/// Whether the row describes an employment that ended before `today` (a leaver).
fn ended_before(employment: &NewEmployment, today: time::Date) -> bool {
    employment.end_date.is_some_and(|end| end < today)
}

fn roles_in(org_id: Uuid) -> impl Fn(&(Uuid, String)) -> Option<String> {
    move |(role_org, role)| (*role_org == org_id).then(|| role.clone())
}

/// The row as an offer to someone this organisation does not employ yet.
fn offer_of(
    person: NewPerson,
    employment: NewEmployment,
    supervisor: Option<Email>,
    in_org: &dyn Fn(&(Uuid, String)) -> Option<String>,
) -> Offer {
    Offer {
        roles: person.roles.iter().filter_map(in_org).collect(),
        name: person.name,
        employment,
        registrations: person.registrations,
        supervisor_email: supervisor.map(|e| e.to_string()),
    }
}

type Getter<'a> = dyn Fn(&str) -> Option<&'a str> + 'a;

fn parse_row<'a>(
    get: &Getter<'a>,
    org_id: Uuid,
    teams: &HashMap<String, Uuid>,
    now: OffsetDateTime,
) -> Result<(NewPerson, NewEmployment, Option<Email>), FieldErrors> {
    let mut errors = FieldErrors::default();
    let email = match get("email").map(Email::parse) {
        Some(Ok(email)) => Some(email),
        Some(Err(message)) => {
            errors.push("email", message);
            None
        }
        None => {
            errors.push("email", "is required");
            None
        }
    };
    let name = get("name").map(str::to_owned);
    if name.is_none() {
        errors.push("name", "is required");
    }
    let job_role = get("job_role").map(str::to_owned);
    if job_role.is_none() {
        errors.push(
            "job_role",
            "is required (for example: social worker, support worker)",
        );
    }
    let mut date = |column: &str, required: bool| match get(column) {
        Some(text) => {
            let parsed = crate::web::spreadsheet::parse_date(text);
            if parsed.is_none() {
                errors.push(
                    column,
                    format!(
                        "\u{201c}{text}\u{201d} is not a date: write {}",
                        crate::web::spreadsheet::DATE_FORMATS
                    ),
                );
            }
            parsed
        }
        None => {
            if required {
                errors.push(
                    column,
                    format!("is required ({})", crate::web::spreadsheet::DATE_FORMATS),
                );
            }
            None
        }
    };
    let start_date = date("start_date", true);
    let end_date = date("end_date", false);
    let registration_start = date("registration_start", false);
    let team_id = match get("team") {
        Some(team) => match teams.get(&team.to_lowercase()) {
            Some(id) => Some(*id),
            None => {
                let mut known: Vec<&String> = teams.keys().collect();
                known.sort();
                let known: Vec<&str> = known.iter().map(|k| k.as_str()).collect();
                errors.push(
                    "team",
                    format!(
                        "`{team}` is not a team of this organisation; its teams are: {}",
                        known.join(", ")
                    ),
                );
                None
            }
        },
        None => None,
    };
    let hours_per_week = match get("hours_per_week") {
        Some(text) => match text.parse::<Hours>() {
            Ok(hours) if hours.is_positive() && hours <= Hours::from_whole(100) => hours,
            _ => {
                errors.push(
                    "hours_per_week",
                    format!(
                        "`{text}` must be a number of hours from 0.5 to 100, such as 37 or 17.5"
                    ),
                );
                Hours::from_whole(35)
            }
        },
        None => Hours::from_whole(35),
    };
    if let (Some(start), Some(end)) = (start_date, end_date)
        && end < start
    {
        errors.push("end_date", "must be on or after start_date");
    }
    let mut registrations = Vec::new();
    match (get("register"), get("part"), registration_start) {
        (None, None, None) => {}
        (Some(register), Some(part), Some(start)) => {
            if let Err(message) = vocabulary::check(vocabulary::REGISTERS, register) {
                errors.push("register", message);
            }
            if let Err(message) = vocabulary::check(vocabulary::REGISTER_PARTS, part) {
                errors.push("part", message);
            }
            let first = match get("first_registration").map(str::to_lowercase).as_deref() {
                None | Some("false" | "no" | "0") => false,
                Some("true" | "yes" | "1") => true,
                Some(other) => {
                    errors.push("first_registration", format!("`{other}` must be yes or no"));
                    false
                }
            };
            registrations.push(NewRegistration {
                register: register.to_owned(),
                part: part.to_owned(),
                start_date: start,
                first,
            });
        }
        _ => errors.push(
            "register",
            "a registration needs register, part and registration_start together",
        ),
    }
    let mut roles = Vec::new();
    for role in get("roles")
        .unwrap_or("practitioner")
        .split(';')
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        match vocabulary::check(vocabulary::ROLES, role) {
            Ok(()) => roles.push((org_id, role.to_owned())),
            Err(message) => errors.push("roles", message),
        }
    }
    let supervisor = match get("supervisor_email").map(Email::parse) {
        Some(Ok(email)) => Some(email),
        Some(Err(message)) => {
            errors.push("supervisor_email", message);
            None
        }
        None => None,
    };
    let birth_year = match get("birth_year") {
        Some(text) => match text.parse::<i64>() {
            Ok(year) if (1900..=i64::from(now.year())).contains(&year) => Some(year),
            _ => {
                errors.push(
                    "birth_year",
                    format!("`{text}` must be a year such as 1975"),
                );
                None
            }
        },
        None => None,
    };
    match (email, name, job_role, start_date) {
        (Some(email), Some(name), Some(job_role), Some(start_date)) if errors.is_empty() => {
            let employment = NewEmployment {
                org_id,
                team_id,
                job_role,
                start_date,
                end_date,
                hours_per_week,
            };
            let person = NewPerson {
                email,
                name,
                password_hash: None,
                birth_year,
                employment: Some(employment.clone()),
                registrations,
                roles,
            };
            Ok((person, employment, supervisor))
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_a_file_the_import_reads_without_a_problem() {
        let teams: HashMap<String, Uuid> = [("skye adults".to_owned(), Uuid::now_v7())]
            .into_iter()
            .collect();
        let feed = Feed::parse(
            &template_csv(),
            Uuid::now_v7(),
            &teams,
            OffsetDateTime::now_utc(),
        )
        .expect("a readable file");
        assert_eq!(feed.lines(), 2);
        for line in &feed.lines {
            assert!(
                line.row.is_ok(),
                "line {}: {:?}",
                line.line,
                line.row.as_ref().err()
            );
        }
        assert_eq!(
            feed.lines[1].line, 3,
            "lines counted as a spreadsheet shows them"
        );
    }
}
