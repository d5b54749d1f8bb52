//! Each person's standing, kept in `standing`, so that the compliance, team and home pages
//! read it instead of evaluating everyone on every request.
//!
//! It stays right two ways. Every write that changes what the rules read (an entry, a
//! registration, an employment, an endorsement, a declaration, an organisation's policy)
//! calls [`refresh_in`] in its own transaction, so the kept lines commit with the change or
//! not at all. And statuses change with the date alone (a period ends, a deadline passes),
//! so a daily pass ([`move_on`]) judges the whole register again in one walk; `cairn standing
//! rebuild` runs the same pass by hand and reports how far the kept lines had drifted.

use super::register::{self, Judge};
use super::report::{ComplianceReport, Judged, Who, rows_for_post};
use crate::db::{Db, WriteTx};
use crate::on_tx;
use cairn_core::policy::builtin;
use cairn_core::policy::eval::Status;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

const DELETE_PERSON: &str = "DELETE FROM standing WHERE person_id = $1";
const INSERT_HEAD: &str = "INSERT INTO standing (person_id, org_id, policy_id, status, deadline, next, reason, as_of, computed_at)";
const COLUMNS: usize = 9;
const SELECT_KEPT: &str = "SELECT person_id, org_id, policy_id, status, deadline, next, reason, as_of, computed_at FROM standing";
/// What a full pass replaces: every line but those a change wrote after the pass began.
const DELETE_BEFORE: &str = "DELETE FROM standing WHERE computed_at <= $1";
const SELECT_FRESHER: &str = "SELECT DISTINCT person_id FROM standing";
const INSERT_PASS: &str = "INSERT INTO standing_pass (id, as_of, finished_at, people, lines, drifted) VALUES ($1, $2, $3, $4, $5, $6)";
const SELECT_LAST_PASS: &str = "SELECT MAX(as_of) FROM standing_pass";
const SELECT_LAST_PASS_TIME: &str =
    "SELECT as_of, finished_at FROM standing_pass ORDER BY as_of DESC, finished_at DESC LIMIT 1";
const SELECT_EMPLOYED: &str = "SELECT DISTINCT person_id FROM employment WHERE org_id = $1";
/// The kept lines of everyone in post in an organisation that count in its report.
const SELECT_ORG_LINES: &str = "SELECT person_id, org_id, policy_id, status, deadline, next, reason, as_of, computed_at FROM standing \
     WHERE (org_id IS NULL OR org_id = $1) AND person_id IN (\
     SELECT person_id FROM employment WHERE org_id = $1 AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2))";
const SELECT_PERSON_LINES: &str = "SELECT person_id, org_id, policy_id, status, deadline, next, reason, as_of, computed_at FROM standing \
     WHERE person_id = $1";
/// Lines per statement when a pass writes them all (9 parameters each).
const LINES_PER_STATEMENT: usize = 100;

/// A kept line as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeptLine {
    pub person_id: Uuid,
    pub org_id: Option<Uuid>,
    pub policy_id: String,
    pub status: String,
    pub deadline: Option<Date>,
    pub next: Option<String>,
    pub reason: Option<String>,
    pub as_of: Date,
    pub computed_at: OffsetDateTime,
}

impl KeptLine {
    fn judged(&self) -> Judged {
        Judged {
            org_id: self.org_id,
            policy: self.policy_id.clone(),
            status: status_of(&self.status),
            deadline: self.deadline,
            next: self.next.clone(),
            reason: self.reason.clone(),
        }
    }

    /// What a pass compares: everything but when it was written.
    fn key(&self) -> (Uuid, Option<Uuid>, &str) {
        (self.person_id, self.org_id, &self.policy_id)
    }
}

/// The stored form of a status (`none` where nothing applies, as reports write it).
fn stored(status: Status) -> &'static str {
    super::report::headline_of(status)
}

fn status_of(stored: &str) -> Status {
    match stored {
        "met" => Status::Met,
        "on-track" => Status::OnTrack,
        "at-risk" => Status::AtRisk,
        "overdue" => Status::Overdue,
        "superseded" => Status::Superseded,
        "not-recorded" => Status::NotRecorded,
        _ => Status::NotApplicable,
    }
}

/// Judges the person again, inside `tx`, from what the transaction sees (its own changes
/// included), and replaces their kept lines. A person who is not there has none.
pub async fn refresh_in(
    tx: &mut WriteTx,
    person_id: Uuid,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let as_of = crate::zone::current().date(now);
    let lines = match super::gather::gather_in(tx, person_id, as_of).await? {
        Some((gathered, versions)) => {
            let judge = Judge::from_versions(as_of, builtin::all(), &versions);
            judge.judged(gathered).1
        }
        None => Vec::new(),
    };
    replace_in(tx, person_id, &lines, as_of, now).await
}

/// [`refresh_in`] on the SQLite writer thread's transaction
/// ([`Writer`](crate::db::writer::Writer)).
pub fn refresh_on(
    tx: &rusqlite::Connection,
    person_id: Uuid,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    use crate::db::reader::{date_text, into_sqlx, timestamp_text};
    let as_of = crate::zone::current().date(now);
    let versions = super::org_policies::versions_on(tx, person_id)?;
    let judge = Judge::from_versions(as_of, builtin::all(), &versions);
    let (lines, _) =
        register::sqlite_range_on(tx, (person_id, person_id), &judge, register::standing_lines)
            .map_err(|e| sqlx::Error::Io(std::io::Error::other(e)))?;
    let lines: Vec<Judged> = lines.into_iter().map(|(_, line)| line).collect();
    tx.prepare_cached(DELETE_PERSON)
        .and_then(|mut delete| delete.execute([person_id]))
        .map_err(into_sqlx)?;
    if lines.is_empty() {
        return Ok(());
    }
    use rusqlite::types::Value;
    let text = |t: Option<&str>| t.map_or(Value::Null, |t| Value::Text(t.to_owned()));
    let (day, at) = (date_text(as_of), timestamp_text(now));
    let mut values = Vec::with_capacity(lines.len() * COLUMNS);
    for line in &lines {
        values.extend([
            Value::Blob(person_id.as_bytes().to_vec()),
            line.org_id
                .map_or(Value::Null, |org| Value::Blob(org.as_bytes().to_vec())),
            Value::Text(line.policy.clone()),
            Value::Text(stored(line.status).to_owned()),
            line.deadline
                .map_or(Value::Null, |deadline| Value::Text(date_text(deadline))),
            text(line.next.as_deref()),
            text(line.reason.as_deref()),
            Value::Text(day.clone()),
            Value::Text(at.clone()),
        ]);
    }
    let sql = crate::db::values_sql(INSERT_HEAD, COLUMNS, lines.len(), "", false);
    tx.prepare_cached(&sql)
        .and_then(|mut insert| insert.execute(rusqlite::params_from_iter(values)))
        .map(|_| ())
        .map_err(into_sqlx)
}

/// Replaces the person's kept lines in one statement (a write's transaction is a round trip
/// per statement: on SQLite two statements in one string, on PostgreSQL a DELETE in a WITH).
async fn replace_in(
    tx: &mut WriteTx,
    person_id: Uuid,
    lines: &[Judged],
    as_of: Date,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    if lines.is_empty() {
        return crate::db::execute_in(tx, DELETE_PERSON, (person_id,))
            .await
            .map(|_| ());
    }
    let postgres = matches!(tx, WriteTx::Postgres(_));
    let mut sql = String::with_capacity(200 + lines.len() * 40);
    sql.push_str(if postgres {
        "WITH gone AS (DELETE FROM standing WHERE person_id = $1) "
    } else {
        "DELETE FROM standing WHERE person_id = $1; "
    });
    sql.push_str(INSERT_HEAD);
    sql.push_str(" VALUES ");
    // $1 the person, $2 the day, $3 the time; then six for each line.
    for (i, _) in lines.iter().enumerate() {
        let n = 4 + i * 6;
        if i > 0 {
            sql.push(',');
        }
        sql.push_str(&format!(
            "($1, ${}, ${}, ${}, ${}, ${}, ${}, $2, $3)",
            n,
            n + 1,
            n + 2,
            n + 3,
            n + 4,
            n + 5
        ));
    }
    on_tx!(tx, |conn| {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(person_id)
            .bind(as_of)
            .bind(now);
        for line in lines {
            query = query
                .bind(line.org_id)
                .bind(line.policy.as_str())
                .bind(stored(line.status))
                .bind(line.deadline)
                .bind(line.next.as_deref())
                .bind(line.reason.as_deref());
        }
        query.execute(&mut *conn).await.map(|_| ())
    })
}

/// [`refresh_in`] for everyone an organisation has employed (after its policies change).
pub async fn refresh_org_in(
    tx: &mut WriteTx,
    org_id: Uuid,
    now: OffsetDateTime,
) -> Result<u64, sqlx::Error> {
    let people: Vec<Uuid> = on_tx!(tx, |conn| sqlx::query_scalar(SELECT_EMPLOYED)
        .bind(org_id)
        .fetch_all(&mut *conn)
        .await)?;
    for person in &people {
        refresh_in(tx, *person, now).await?;
    }
    Ok(people.len() as u64)
}

/// Writes lines, many to a statement.
async fn insert_in(
    tx: &mut WriteTx,
    lines: &[(Uuid, Judged)],
    as_of: Date,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let numbered = matches!(tx, WriteTx::Postgres(_));
    for chunk in lines.chunks(LINES_PER_STATEMENT) {
        let sql = crate::db::values_sql(INSERT_HEAD, COLUMNS, chunk.len(), "", numbered);
        on_tx!(tx, |conn| {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (person, line) in chunk {
                query = query
                    .bind(*person)
                    .bind(line.org_id)
                    .bind(line.policy.as_str())
                    .bind(stored(line.status))
                    .bind(line.deadline)
                    .bind(line.next.as_deref())
                    .bind(line.reason.as_deref())
                    .bind(as_of)
                    .bind(now);
            }
            query.execute(&mut *conn).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// What a pass over the whole register did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Pass {
    pub as_of: Date,
    pub people: u64,
    pub lines: u64,
    /// Kept lines for the same day that the pass judged differently, or that it found
    /// missing or no longer there: writes that did not keep them (zero when all is well).
    pub drifted: u64,
    /// Of those, lines the pass added, changed and removed.
    pub added: u64,
    pub changed: u64,
    pub removed: u64,
    /// Kept lines that were for an earlier day, moved on to this one.
    pub moved_on: u64,
    /// People whose lines a change wrote while the pass ran, which the pass kept.
    pub kept_newer: u64,
    pub seconds: f64,
}

impl Pass {
    /// The pass in a sentence or two, for the command line and the log.
    pub fn describe(&self) -> String {
        let drift = if self.drifted == 0 {
            "no drift: every kept line for this day was as judged".to_owned()
        } else {
            format!(
                "DRIFT: {} kept lines for this day were not as judged ({} missing, {} different, {} no longer applying)",
                self.drifted, self.added, self.changed, self.removed
            )
        };
        format!(
            "Standing of {} people judged for {} in {:.1} s: {} lines; {drift}; {} lines moved on from an earlier day; {} people's lines kept as a change wrote them during the pass.",
            self.people, self.as_of, self.seconds, self.lines, self.moved_on, self.kept_newer
        )
    }
}

/// Judges the whole register for today in one walk and replaces every kept line (except
/// those a change has written since the walk began), comparing what was kept first.
pub async fn rebuild(db: &Db, now: OffsetDateTime) -> anyhow::Result<Pass> {
    let started = std::time::Instant::now();
    let as_of = crate::zone::current().date(now);
    let (lines, stats) = register::standing_of_all(db, as_of, &builtin::all()).await?;
    let kept: Vec<KeptLine> = crate::db::rows(db, SELECT_KEPT, ()).await?;

    let mut pass = Pass {
        as_of,
        people: stats.people,
        lines: lines.len() as u64,
        drifted: 0,
        added: 0,
        changed: 0,
        removed: 0,
        moved_on: 0,
        kept_newer: 0,
        seconds: 0.0,
    };
    let fresh: HashMap<(Uuid, Option<Uuid>, &str), &Judged> = lines
        .iter()
        .map(|(person, line)| ((*person, line.org_id, line.policy.as_str()), line))
        .collect();
    let mut seen = std::collections::HashSet::new();
    for line in kept.iter().filter(|l| l.computed_at <= now) {
        if line.as_of < as_of {
            pass.moved_on += 1;
            continue;
        }
        seen.insert(line.key());
        match fresh.get(&line.key()) {
            None => pass.removed += 1,
            Some(judged) if **judged != line.judged() => pass.changed += 1,
            Some(_) => {}
        }
    }
    let judged_today: std::collections::HashSet<Uuid> = kept
        .iter()
        .filter(|l| l.as_of == as_of && l.computed_at <= now)
        .map(|l| l.person_id)
        .collect();
    pass.added = fresh
        .keys()
        .filter(|key| judged_today.contains(&key.0) && !seen.contains(*key))
        .count() as u64;
    pass.drifted = pass.added + pass.changed + pass.removed;

    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, |conn| sqlx::query(DELETE_BEFORE)
        .bind(now)
        .execute(&mut *conn)
        .await
        .map(|_| ()))?;
    // A change committed while the walk ran wrote newer lines: they stand.
    let newer: std::collections::HashSet<Uuid> =
        on_tx!(&mut tx, |conn| sqlx::query_scalar(SELECT_FRESHER)
            .fetch_all(&mut *conn)
            .await)?
        .into_iter()
        .collect();
    pass.kept_newer = newer.len() as u64;
    let to_write: Vec<(Uuid, Judged)> = lines
        .into_iter()
        .filter(|(person, _)| !newer.contains(person))
        .collect();
    insert_in(&mut tx, &to_write, as_of, now).await?;
    pass.seconds = started.elapsed().as_secs_f64();
    on_tx!(&mut tx, |conn| sqlx::query(INSERT_PASS)
        .bind(Uuid::now_v7())
        .bind(as_of)
        .bind(OffsetDateTime::now_utc())
        .bind(pass.people as i64)
        .bind(pass.lines as i64)
        .bind(pass.drifted as i64)
        .execute(&mut *conn)
        .await
        .map(|_| ()))?;
    tx.commit().await?;
    Ok(pass)
}

/// The daily pass: judges the register again when the kept lines are for an earlier day
/// (or none were ever made). `None` when today's pass has run.
pub async fn move_on(db: &Db, now: OffsetDateTime) -> anyhow::Result<Option<Pass>> {
    let last: Option<Date> = crate::db::scalar_one(db, SELECT_LAST_PASS, ()).await?;
    if last.is_some_and(|day| day >= crate::zone::current().date(now)) {
        return Ok(None);
    }
    rebuild(db, now).await.map(Some)
}

/// When the last pass finished, if it was for `as_of`.
async fn passed_on(db: &Db, as_of: Date) -> Result<Option<OffsetDateTime>, sqlx::Error> {
    let last: Option<(Date, OffsetDateTime)> =
        crate::db::row(db, SELECT_LAST_PASS_TIME, ()).await?;
    Ok(last.filter(|(day, _)| *day == as_of).map(|(_, at)| at))
}

/// An organisation's report from the kept lines, and when its oldest line was computed,
/// when they are for `as_of` and cover everyone in post; `None` otherwise (the caller
/// evaluates instead).
pub async fn org_report(
    db: &Db,
    org_id: Uuid,
    as_of: Date,
) -> Result<Option<(ComplianceReport, OffsetDateTime)>, sqlx::Error> {
    let Some(passed) = passed_on(db, as_of).await? else {
        return Ok(None);
    };
    let members = super::report::members(db, org_id, as_of).await?;
    let lines: Vec<KeptLine> = crate::db::rows(db, SELECT_ORG_LINES, (org_id, as_of)).await?;
    let computed_at = lines.iter().map(|l| l.computed_at).min().unwrap_or(passed);
    let mut of: HashMap<Uuid, Vec<Judged>> = HashMap::new();
    for line in &lines {
        if line.as_of != as_of {
            return Ok(None);
        }
        of.entry(line.person_id).or_default().push(line.judged());
    }
    let mut rows = Vec::new();
    for (member, post) in &members {
        let Some(judged) = of.get(&member.id) else {
            // Someone without kept lines: the report is judged afresh instead.
            return Ok(None);
        };
        let who = Who {
            id: member.id,
            name: &member.name,
            email: &member.email,
        };
        rows.extend(rows_for_post(&who, post, judged, as_of));
    }
    Ok(Some((
        ComplianceReport::new(org_id, as_of, rows),
        computed_at,
    )))
}

/// A person's headline from their kept lines, as an organisation sees it (its own policies
/// and the regulators'): the worst status, the policies at it, and when it was computed.
#[derive(Debug, Clone)]
pub struct KeptHeadline {
    /// overdue, at-risk, on-track, met or none.
    pub status: &'static str,
    pub label: &'static str,
    /// The policies at that status, by title.
    pub policies: Vec<String>,
    pub computed_at: OffsetDateTime,
}

/// The person's headline in `org_id`'s eyes on `as_of`; `None` when their kept lines are
/// not for that day.
pub async fn headline(
    db: &Db,
    person_id: Uuid,
    org_id: Uuid,
    as_of: Date,
) -> Result<Option<KeptHeadline>, sqlx::Error> {
    let lines: Vec<KeptLine> = of_person(db, person_id)
        .await?
        .into_iter()
        .filter(|l| l.org_id.is_none_or(|org| org == org_id))
        .collect();
    if lines.is_empty() || lines.iter().any(|l| l.as_of != as_of) {
        return Ok(None);
    }
    let judged: Vec<Judged> = lines.iter().map(KeptLine::judged).collect();
    let counted: Vec<&Judged> = judged.iter().filter(|j| !j.policy.is_empty()).collect();
    let worst = counted.iter().map(|j| j.status).max();
    let status = worst.map_or("none", stored);
    Ok(Some(KeptHeadline {
        status,
        label: label_of(status),
        // In words: a regulator's policy by its title (an employer's keeps its id).
        policies: counted
            .iter()
            .filter(|j| Some(j.status) == worst)
            .map(|j| builtin::find(&j.policy).map_or_else(|| j.policy.clone(), |p| p.title))
            .collect(),
        computed_at: lines
            .iter()
            .map(|l| l.computed_at)
            .min()
            .unwrap_or_else(OffsetDateTime::now_utc),
    }))
}

/// A kept status as the id pages use (`overdue`, `none` …).
pub fn stored_status(text: &str) -> &'static str {
    stored(status_of(text))
}

/// A headline in words.
pub fn label_of(status: &str) -> &'static str {
    super::report::Headlines::label_of(status)
}

/// A person's kept lines (the headline of each policy) and when they were computed.
pub async fn of_person(db: &Db, person_id: Uuid) -> Result<Vec<KeptLine>, sqlx::Error> {
    crate::db::rows(db, SELECT_PERSON_LINES, (person_id,)).await
}
