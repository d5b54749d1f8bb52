//! The whole register's compliance in one pass: every table the rules read is walked once in
//! person order (entries through `entry_standing`, an index that holds all the rules read of
//! them), the rows of one person are put together as they go by, the core evaluates them,
//! and only the report's lines are kept. Memory holds one person's record per worker and the
//! output, never a table. The people are split into as many ranges as there are cores, each
//! walked by a worker of its own; there is never one scan per organisation.

use super::report::{
    ComplianceReport, ComplianceRow, DeclarationRow, EntryRow, JobRow, Judged, OwnPolicies, Person,
    Post, RegistrationRow, judge, person_rows, record_of,
};
use crate::db::Db;
use cairn_core::policy::Policy;
use cairn_core::record::RecordEntry;
use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
use std::collections::HashMap;
use std::sync::Arc;
use time::Date;
use uuid::Uuid;

/// The same SQL runs on both backends (`$n` is a numbered parameter to SQLite too). Each
/// reads the people whose ids lie in [$1, $2], in id order.
const PEOPLE: &str = "SELECT id, name, email, recorded_since FROM person \
     WHERE id >= $1 AND id <= $2 ORDER BY id";
const POSTS: &str = "SELECT e.person_id, e.org_id, e.team_id, t.name AS team, t.locality, e.job_role, \
     e.start_date, e.end_date, e.hours_per_week FROM employment e LEFT JOIN team t ON t.id = e.team_id \
     WHERE e.person_id >= $1 AND e.person_id <= $2 ORDER BY e.person_id";
const REGISTRATIONS: &str = "SELECT person_id, register, part, start_date, first FROM registration \
     WHERE person_id >= $1 AND person_id <= $2 ORDER BY person_id";
const ENTRIES: &str = "SELECT person_id, date, kind, hours, topics, elements, peer_reflection, endorsed, reflected \
     FROM entry WHERE person_id >= $1 AND person_id <= $2 AND deleted_at IS NULL AND date <= $3 \
     ORDER BY person_id";
const DECLARATIONS: &str = "SELECT person_id, policy_id, period_start, declared_on, status, verifier_role, verified_on \
     FROM declaration WHERE person_id >= $1 AND person_id <= $2 ORDER BY person_id";
/// The id at a position in id order: where a worker's range begins.
const NTH_PERSON: &str = "SELECT id FROM person ORDER BY id LIMIT 1 OFFSET $1";
const COUNT_PEOPLE: &str = "SELECT COUNT(*) FROM person";

#[derive(sqlx::FromRow)]
pub(super) struct PersonRow {
    pub(super) id: Uuid,
    pub(super) name: String,
    pub(super) email: String,
    pub(super) recorded_since: Option<Date>,
}

/// A job with where it is: the employment the rules read and the post a report shows.
#[derive(sqlx::FromRow)]
pub(super) struct PostRow {
    pub(super) person_id: Uuid,
    pub(super) org_id: Uuid,
    pub(super) team_id: Option<Uuid>,
    pub(super) team: Option<String>,
    pub(super) locality: Option<String>,
    pub(super) job_role: String,
    pub(super) start_date: Date,
    pub(super) end_date: Option<Date>,
    pub(super) hours_per_week: i64,
}

/// One person's rows from every table, as the walk collects them.
pub(super) struct Gathered {
    pub(super) person: PersonRow,
    pub(super) posts: Vec<PostRow>,
    pub(super) registrations: Vec<RegistrationRow>,
    pub(super) entries: Vec<RecordEntry>,
    pub(super) declarations: Vec<DeclarationRow>,
}

/// What a worker needs to judge the people it walks.
pub(super) struct Judge {
    as_of: Date,
    regulators: Vec<Policy>,
    own: OwnPolicies,
}

/// What a walk did: how many people in post it judged, and the engine's time for them (from
/// a person's rows put together to their lines; reading is not in it).
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkStats {
    pub people: u64,
    pub engine: std::time::Duration,
}

impl WalkStats {
    fn add(&mut self, other: WalkStats) {
        self.people += other.people;
        self.engine += other.engine;
    }

    /// The engine's time for one person, on average.
    pub fn per_person(&self) -> std::time::Duration {
        self.engine / u32::try_from(self.people.max(1)).unwrap_or(u32::MAX)
    }
}

/// One worker's output and what it did.
pub(super) type Walked<T> = (Vec<T>, WalkStats);

/// What a walk does with each person it has gathered.
type Visit<T> = fn(&Judge, Gathered, &mut Walked<T>);

/// The person's lines in each report they belong to (none if they are in no post).
fn report_lines(judge: &Judge, gathered: Gathered, out: &mut Walked<(Uuid, ComplianceRow)>) {
    let started = std::time::Instant::now();
    let before = out.0.len();
    judge.judge_person(gathered, &mut out.0);
    if out.0.len() > before {
        out.1.people += 1;
        out.1.engine += started.elapsed();
    }
}

/// The person's standing lines, to keep.
pub(super) fn standing_lines(judge: &Judge, gathered: Gathered, out: &mut Walked<(Uuid, Judged)>) {
    let started = std::time::Instant::now();
    let (id, judged) = judge.judged(gathered);
    out.0.extend(judged.into_iter().map(|line| (id, line)));
    out.1.people += 1;
    out.1.engine += started.elapsed();
}

impl Judge {
    /// What the walk judges by on `as_of`: the regulators' policies and every employer's.
    pub(super) async fn new(
        db: &Db,
        as_of: Date,
        regulators: &[Policy],
    ) -> Result<Self, sqlx::Error> {
        let versions = super::org_policies::all_versions(db).await?;
        Ok(Self::from_versions(as_of, regulators.to_vec(), &versions))
    }

    /// Judges by `regulators` and the employers' policies among `versions`.
    pub(super) fn from_versions(
        as_of: Date,
        regulators: Vec<Policy>,
        versions: &[super::org_policies::OrgPolicyVersion],
    ) -> Self {
        Self {
            as_of,
            regulators,
            own: OwnPolicies::from_versions(versions, as_of),
        }
    }

    fn judge_person(&self, gathered: Gathered, out: &mut Vec<(Uuid, ComplianceRow)>) {
        let mut person = self.person_of(gathered);
        if person.posts.is_empty() {
            return;
        }
        person_rows(
            &mut person,
            &self.regulators,
            &self.own,
            self.as_of,
            |org, row| out.push((org, row)),
        );
    }

    /// The person's standing lines, whether or not they are in post.
    pub(super) fn judged(&self, gathered: Gathered) -> (Uuid, Vec<Judged>) {
        let mut person = self.person_of(gathered);
        let judged = judge(&mut person, &self.regulators, &self.own, self.as_of);
        (person.id, judged)
    }

    /// The record the rules read, and the jobs held on the day (once per employer: the
    /// latest spell there).
    fn person_of(&self, gathered: Gathered) -> Person {
        let as_of = self.as_of;
        let mut posts: Vec<Post> = Vec::new();
        let mut current: Vec<&PostRow> = gathered
            .posts
            .iter()
            .filter(|p| p.start_date <= as_of && p.end_date.is_none_or(|end| end >= as_of))
            .collect();
        current.sort_by_key(|p| std::cmp::Reverse(p.start_date));
        for row in current {
            if posts.iter().all(|p| p.org_id != row.org_id) {
                posts.push(Post {
                    org_id: row.org_id,
                    team_id: row.team_id,
                    team: row.team.clone(),
                    locality: row.locality.clone(),
                    job_role: row.job_role.clone(),
                    start: row.start_date,
                });
            }
        }
        let jobs = gathered
            .posts
            .iter()
            .map(|p| JobRow {
                person_id: p.person_id,
                start_date: p.start_date,
                end_date: p.end_date,
                hours_per_week: p.hours_per_week,
            })
            .collect();
        let id = gathered.person.id;
        Person {
            id,
            name: gathered.person.name,
            email: gathered.person.email,
            record: record_of(
                id,
                gathered.person.recorded_since,
                gathered.registrations,
                jobs,
                gathered.entries,
                gathered.declarations,
            ),
            posts,
        }
    }
}

/// Every organisation's report on `as_of`, in the order of `orgs`, from one walk of the
/// register: every person in post has their lines (or a `none` line) in each employer's.
pub async fn compliance_of_all(
    db: &Db,
    orgs: &[Uuid],
    as_of: Date,
    regulators: &[Policy],
) -> anyhow::Result<(Vec<ComplianceReport>, WalkStats)> {
    let judge = Judge::new(db, as_of, regulators).await?;
    let (lines, stats) = walk(db, judge, report_lines).await?;
    Ok((reports(orgs, as_of, lines), stats))
}

/// Everyone's standing lines on `as_of` (in post or not), with the person they are of.
pub(super) async fn standing_of_all(
    db: &Db,
    as_of: Date,
    regulators: &[Policy],
) -> anyhow::Result<Walked<(Uuid, Judged)>> {
    let judge = Judge::new(db, as_of, regulators).await?;
    walk(db, judge, standing_lines).await
}

/// Walks the whole register, a range per core, visiting each person.
async fn walk<T: Send + 'static>(
    db: &Db,
    judge: Judge,
    visit: Visit<T>,
) -> anyhow::Result<Walked<T>> {
    let ranges = person_ranges(db).await?;
    let judge = Arc::new(judge);
    match db {
        Db::Sqlite(sqlite) => sqlite_walk(sqlite.reader.path(), &ranges, &judge, visit),
        Db::Postgres(pool) => postgres_walk(pool, &ranges, &judge, visit).await,
    }
}

/// Groups the lines into one report per organisation, each in name order.
fn reports(orgs: &[Uuid], as_of: Date, lines: Vec<(Uuid, ComplianceRow)>) -> Vec<ComplianceReport> {
    let mut rows_of: HashMap<Uuid, Vec<ComplianceRow>> = HashMap::new();
    for (org, row) in lines {
        rows_of.entry(org).or_default().push(row);
    }
    orgs.iter()
        .map(|org| {
            let mut rows = rows_of.remove(org).unwrap_or_default();
            // Stable: a person's lines keep the order the rules gave them.
            rows.sort_by(|a, b| (&a.name, a.person_id).cmp(&(&b.name, b.person_id)));
            ComplianceReport::new(*org, as_of, rows)
        })
        .collect()
}

/// The id ranges the workers walk, inclusive at both ends: one per core, of about as many
/// people each, together covering every id.
async fn person_ranges(db: &Db) -> Result<Vec<(Uuid, Uuid)>, sqlx::Error> {
    let people: i64 = crate::db::scalar_one(db, COUNT_PEOPLE, ()).await?;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()) as i64;
    let mut starts = vec![Uuid::nil()];
    for k in 1..workers.min(people.max(1)) {
        let at: Uuid = crate::db::scalar_one(db, NTH_PERSON, (people * k / workers,)).await?;
        if starts.last().is_some_and(|last| *last < at) {
            starts.push(at);
        }
    }
    let mut ranges = Vec::with_capacity(starts.len());
    for (i, start) in starts.iter().enumerate() {
        let end = starts
            .get(i + 1)
            .map_or(Uuid::max(), |next| Uuid::from_u128(next.as_u128() - 1));
        ranges.push((*start, end));
    }
    Ok(ranges)
}

/// Takes from `rows` (in person order) those of `person`, passing over any of people before
/// it (rows of a person no longer there).
fn take_for<T, I>(
    rows: &mut std::iter::Peekable<I>,
    person: Uuid,
    of: impl Fn(&T) -> Uuid,
) -> anyhow::Result<Vec<T>>
where
    I: Iterator<Item = rusqlite::Result<T>>,
{
    let mut taken = Vec::new();
    loop {
        match rows
            .peek()
            .map(|row| row.as_ref().map(|r| of(r).cmp(&person)))
        {
            None | Some(Ok(std::cmp::Ordering::Greater)) => return Ok(taken),
            Some(Ok(std::cmp::Ordering::Less)) => {
                rows.next();
            }
            Some(Ok(std::cmp::Ordering::Equal)) => taken.extend(rows.next().and_then(Result::ok)),
            Some(Err(_)) => {
                if let Some(Err(e)) = rows.next() {
                    return Err(e.into());
                }
            }
        }
    }
}

/// SQLite: each range on a thread of its own, with its own read-only connection (rusqlite:
/// sqlx's driver would hand every one of millions of rows across a channel).
fn sqlite_walk<T: Send>(
    path: &std::path::Path,
    ranges: &[(Uuid, Uuid)],
    judge: &Arc<Judge>,
    visit: Visit<T>,
) -> anyhow::Result<Walked<T>> {
    std::thread::scope(|scope| {
        let workers: Vec<_> = ranges
            .iter()
            .map(|range| scope.spawn(move || sqlite_range(path, *range, judge, visit)))
            .collect();
        let mut walked: Walked<T> = (Vec::new(), WalkStats::default());
        for worker in workers {
            let (lines, stats) = worker
                .join()
                .map_err(|_| anyhow::anyhow!("a worker of the register walk failed"))??;
            walked.0.extend(lines);
            walked.1.add(stats);
        }
        Ok(walked)
    })
}

fn sqlite_range<T>(
    path: &std::path::Path,
    range: (Uuid, Uuid),
    judge: &Judge,
    visit: Visit<T>,
) -> anyhow::Result<Walked<T>> {
    let connection = crate::db::reader::open(path)?;
    sqlite_range_on(&connection, range, judge, visit)
}

/// Walks the people whose ids lie in [`first`, `last`] on `connection`. With `first ==
/// last` it is one person's refresh on the [writer thread](crate::db::writer): the same
/// readers, and no JSON between SQLite and the rules.
pub(super) fn sqlite_range_on<T>(
    connection: &rusqlite::Connection,
    (first, last): (Uuid, Uuid),
    judge: &Judge,
    visit: Visit<T>,
) -> anyhow::Result<Walked<T>> {
    use crate::db::reader::date;
    let bounds = rusqlite::params![first, last];
    let mut people = connection.prepare_cached(PEOPLE)?;
    let mut posts = connection.prepare_cached(POSTS)?;
    let mut registrations = connection.prepare_cached(REGISTRATIONS)?;
    let mut entries = connection.prepare_cached(ENTRIES)?;
    let mut declarations = connection.prepare_cached(DECLARATIONS)?;
    let as_of = judge.as_of.to_string();
    let text = |row: &rusqlite::Row, i: usize| -> rusqlite::Result<String> { row.get(i) };

    let people = people.query_map(bounds, |row| {
        Ok(PersonRow {
            id: row.get(0)?,
            name: text(row, 1)?,
            email: text(row, 2)?,
            recorded_since: row
                .get_ref(3)?
                .as_str_or_null()?
                .and_then(cairn_core::entry::parse_iso_date),
        })
    })?;
    let mut posts = posts
        .query_map(bounds, |row| {
            Ok(PostRow {
                person_id: row.get(0)?,
                org_id: row.get(1)?,
                team_id: row.get(2)?,
                team: row.get(3)?,
                locality: row.get(4)?,
                job_role: text(row, 5)?,
                start_date: date(row, 6)?,
                end_date: row
                    .get_ref(7)?
                    .as_str_or_null()?
                    .and_then(cairn_core::entry::parse_iso_date),
                hours_per_week: row.get(8)?,
            })
        })?
        .peekable();
    let mut registrations = registrations
        .query_map(bounds, |row| {
            Ok(RegistrationRow {
                person_id: row.get(0)?,
                register: text(row, 1)?,
                part: text(row, 2)?,
                start_date: date(row, 3)?,
                first: row.get(4)?,
            })
        })?
        .peekable();
    let mut entries = entries.query(rusqlite::params![first, last, as_of])?;
    entries.advance()?;
    let mut interner = super::interner::Interner::default();
    let mut declarations = declarations
        .query_map(bounds, |row| {
            let status: String = row.get(4)?;
            Ok(DeclarationRow {
                person_id: row.get(0)?,
                policy_id: text(row, 1)?,
                period_start: date(row, 2)?,
                declared_on: date(row, 3)?,
                status: status.parse().map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        4,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })?,
                verifier_role: row.get(5)?,
                verified_on: row
                    .get_ref(6)?
                    .as_str_or_null()?
                    .and_then(cairn_core::entry::parse_iso_date),
            })
        })?
        .peekable();

    let mut lines: Walked<T> = (Vec::new(), WalkStats::default());
    for person in people {
        let person = person?;
        let id = person.id;
        let gathered = Gathered {
            posts: take_for(&mut posts, id, |r| r.person_id)?,
            registrations: take_for(&mut registrations, id, |r| r.person_id)?,
            entries: entries_of(&mut entries, id, &mut interner)?,
            declarations: take_for(&mut declarations, id, |r| r.person_id)?,
            person,
        };
        visit(judge, gathered, &mut lines);
    }
    Ok(lines)
}

/// Takes from the cursor (in person order) the entries of `person`, passing over any of
/// people before it. Each is made straight from SQLite's row: entries are most of what a walk
/// reads, and a row held between reads (as [`take_for`] holds one) is moved twice more.
fn entries_of(
    rows: &mut rusqlite::Rows<'_>,
    person: Uuid,
    interner: &mut super::interner::Interner,
) -> anyhow::Result<Vec<RecordEntry>> {
    use crate::db::reader::date;
    let utf8 = |i: usize, e: std::str::Utf8Error| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    };
    let mut taken = Vec::new();
    while let Some(row) = rows.get() {
        match row.get_ref(0)?.as_blob()?.cmp(person.as_bytes().as_slice()) {
            std::cmp::Ordering::Greater => break,
            std::cmp::Ordering::Less => {}
            std::cmp::Ordering::Equal => {
                // Kinds and tags are looked up by SQLite's own bytes, with no copy between.
                let raw = |i: usize| row.get_ref(i).and_then(|v| Ok(v.as_bytes()?));
                taken.push(RecordEntry {
                    id: String::new(),
                    date: date(row, 1)?,
                    title: String::new(),
                    kind: interner.kind(raw(2)?).map_err(|e| utf8(2, e))?,
                    hours: cairn_core::Hours::from_units(row.get(3)?),
                    topics: interner.tags(raw(4)?).map_err(|e| utf8(4, e))?,
                    elements: interner.tags(raw(5)?).map_err(|e| utf8(5, e))?,
                    peer_reflection: row.get(6)?,
                    peer_name: None,
                    endorsed: row.get(7)?,
                    reflection: row.get::<_, bool>(8)?.then(|| interner.written()),
                    reflection_so_what: None,
                    reflection_now_what: None,
                });
            }
        }
        rows.advance()?;
    }
    Ok(taken)
}

/// PostgreSQL: each range as a task of its own (so on its own core), with five streams open
/// at once (a connection each), merged by person as the rows arrive.
async fn postgres_walk<T: Send + 'static>(
    pool: &sqlx::PgPool,
    ranges: &[(Uuid, Uuid)],
    judge: &Arc<Judge>,
    visit: Visit<T>,
) -> anyhow::Result<Walked<T>> {
    let walks: Vec<_> = ranges
        .iter()
        .map(|range| tokio::spawn(postgres_range(pool.clone(), *range, judge.clone(), visit)))
        .collect();
    let mut walked: Walked<T> = (Vec::new(), WalkStats::default());
    for walk in walks {
        let (lines, stats) = walk.await??;
        walked.0.extend(lines);
        walked.1.add(stats);
    }
    Ok(walked)
}

async fn postgres_range<T>(
    pool: sqlx::PgPool,
    (first, last): (Uuid, Uuid),
    judge: Arc<Judge>,
    visit: Visit<T>,
) -> anyhow::Result<Walked<T>> {
    use futures_util::StreamExt;
    use sqlx::{ConnectOptions, Connection};
    // Connections of the walk's own, beside the pool: five streams open at once would take
    // a server's pool from its requests.
    // Their statements run for seconds by design: not "slow statements" to log.
    let options = (*pool.connect_options())
        .clone()
        .disable_statement_logging();
    let mut connections = Vec::with_capacity(5);
    for _ in 0..5 {
        connections.push(sqlx::PgConnection::connect_with(&options).await?);
    }
    let [c1, c2, c3, c4, c5] = &mut connections[..] else {
        unreachable!("five connections were opened");
    };
    let mut people = sqlx::query_as::<_, PersonRow>(PEOPLE)
        .bind(first)
        .bind(last)
        .fetch(&mut *c1);
    let mut posts = sqlx::query_as::<_, PostRow>(POSTS)
        .bind(first)
        .bind(last)
        .fetch(&mut *c2)
        .peekable();
    let mut registrations = sqlx::query_as::<_, RegistrationRow>(REGISTRATIONS)
        .bind(first)
        .bind(last)
        .fetch(&mut *c3)
        .peekable();
    let mut entries = sqlx::query_as::<_, EntryRow>(ENTRIES)
        .bind(first)
        .bind(last)
        .bind(judge.as_of)
        .fetch(&mut *c4)
        .peekable();
    let mut declarations = sqlx::query_as::<_, DeclarationRow>(DECLARATIONS)
        .bind(first)
        .bind(last)
        .fetch(&mut *c5)
        .peekable();
    let mut lines: Walked<T> = (Vec::new(), WalkStats::default());
    while let Some(person) = people.next().await {
        let person = person?;
        let id = person.id;
        let gathered = Gathered {
            posts: take_for_async(&mut posts, id, |r| r.person_id).await?,
            registrations: take_for_async(&mut registrations, id, |r| r.person_id).await?,
            entries: take_for_async(&mut entries, id, |r: &EntryRow| r.person_id)
                .await?
                .into_iter()
                .map(EntryRow::into_entry)
                .collect(),
            declarations: take_for_async(&mut declarations, id, |r| r.person_id).await?,
            person,
        };
        visit(&judge, gathered, &mut lines);
    }
    drop((people, posts, registrations, entries, declarations));
    for connection in connections {
        connection.close().await?;
    }
    Ok(lines)
}

/// [`take_for`] over a stream.
async fn take_for_async<T, S>(
    rows: &mut futures_util::stream::Peekable<S>,
    person: Uuid,
    of: impl Fn(&T) -> Uuid,
) -> anyhow::Result<Vec<T>>
where
    S: futures_util::Stream<Item = Result<T, sqlx::Error>> + Unpin,
{
    use futures_util::StreamExt;
    let mut taken = Vec::new();
    loop {
        let next = std::pin::Pin::new(&mut *rows)
            .peek()
            .await
            .map(|row| row.as_ref().map(|r| of(r).cmp(&person)));
        match next {
            None | Some(Ok(std::cmp::Ordering::Greater)) => return Ok(taken),
            Some(Ok(std::cmp::Ordering::Less)) => {
                rows.next().await;
            }
            Some(Ok(std::cmp::Ordering::Equal)) => {
                taken.extend(rows.next().await.and_then(Result::ok));
            }
            Some(Err(_)) => {
                if let Some(Err(e)) = rows.next().await {
                    return Err(e.into());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::take_for;
    use uuid::Uuid;

    #[test]
    fn takes_a_persons_rows_and_passes_over_earlier_ones() {
        let id = |n: u128| Uuid::from_u128(n);
        let rows = vec![(id(1), 'a'), (id(3), 'b'), (id(3), 'c'), (id(4), 'd')];
        let mut rows = rows.into_iter().map(Ok).peekable();
        assert_eq!(
            take_for(&mut rows, id(2), |r| r.0).expect("reads"),
            Vec::new()
        );
        assert_eq!(
            take_for(&mut rows, id(3), |r| r.0).expect("reads"),
            vec![(id(3), 'b'), (id(3), 'c')]
        );
        assert_eq!(
            take_for(&mut rows, id(5), |r| r.0).expect("reads"),
            Vec::new()
        );
        assert!(rows.next().is_none());
    }
}
