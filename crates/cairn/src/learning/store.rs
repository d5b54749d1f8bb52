//! SQL for entries and evidence. Portable by default; tested on SQLite and PostgreSQL.

use super::{Entry, EntryFilter, EntryPage, EvidenceFile, UNDO_DAYS};
use crate::db::{Db, WriteTx, join_tags, reader, split_tags};
use crate::on_db;
use crate::on_tx;
use cairn_core::{Hours, ValidEntry};
use std::collections::HashMap;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

pub(crate) const INSERT_ENTRY: &str = "INSERT INTO entry (id, person_id, date, title, kind, hours, topics, elements, reflection, reflection_so_what, \
     reflection_now_what, peer_reflection, peer_name, reflected, endorsed, version, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16, $16)";
/// Imports keep the entry's id, so that importing the same file twice adds nothing.
const INSERT_ENTRY_IF_NEW: &str = "INSERT INTO entry (id, person_id, date, title, kind, hours, topics, elements, reflection, reflection_so_what, \
     reflection_now_what, peer_reflection, peer_name, reflected, endorsed, version, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16, $16) ON CONFLICT (id) DO NOTHING";
const SELECT_ENTRY: &str = "SELECT id, person_id, date, title, kind, hours, topics, elements, reflection, reflection_so_what, reflection_now_what, \
     peer_reflection, peer_name, endorsed, version, created_at, updated_at, deleted_at FROM entry WHERE id = $1 AND person_id = $2";
const UPDATE_ENTRY: &str = "UPDATE entry SET date = $4, title = $5, kind = $6, hours = $7, topics = $8, elements = $9, reflection = $10, \
     reflection_so_what = $11, reflection_now_what = $12, peer_reflection = $13, peer_name = $14, reflected = $15, version = version + 1, updated_at = $16 \
     WHERE id = $1 AND person_id = $2 AND version = $3 AND deleted_at IS NULL";
const DELETE_ENTRY: &str = "UPDATE entry SET deleted_at = $3, version = version + 1, updated_at = $3 WHERE id = $1 AND person_id = $2 AND deleted_at IS NULL";
const RESTORE_ENTRY: &str = "UPDATE entry SET deleted_at = NULL, version = version + 1, updated_at = $3 \
     WHERE id = $1 AND person_id = $2 AND deleted_at IS NOT NULL AND deleted_at > $4";
const SELECT_PURGEABLE: &str =
    "SELECT id FROM entry WHERE deleted_at IS NOT NULL AND deleted_at <= $1 LIMIT 1000";
const DELETE_PURGED: &str = "DELETE FROM entry WHERE id = $1";

/// The filter shared by the list and its totals: every condition is skipped when its
/// parameter is NULL, so one static statement serves every combination.
macro_rules! filtered {
    ($select:expr, $tail:literal) => {
        concat!(
            $select,
            " FROM entry WHERE person_id = $1",
            " AND (CASE WHEN $2 THEN deleted_at IS NOT NULL AND deleted_at > $3 ELSE deleted_at IS NULL END)",
            " AND ($4 IS NULL OR date >= $4) AND ($5 IS NULL OR date <= $5)",
            " AND ($6 IS NULL OR kind = $6) AND ($7 IS NULL OR topics LIKE $7) AND ($8 IS NULL OR elements LIKE $8)",
            " AND ($9 IS NULL OR (CASE WHEN reflection IS NULL AND reflection_so_what IS NULL AND reflection_now_what IS NULL THEN 0 ELSE 1 END) = $9)",
            " AND ($10 IS NULL OR peer_reflection = $10)",
            " AND ($11 IS NULL OR lower(title) LIKE $11 ESCAPE '\\' OR lower(COALESCE(reflection, '')) LIKE $11 ESCAPE '\\'",
            " OR lower(COALESCE(reflection_so_what, '')) LIKE $11 ESCAPE '\\' OR lower(COALESCE(reflection_now_what, '')) LIKE $11 ESCAPE '\\')",
            $tail
        )
    };
}

/// One page, with the totals of everything the filter matches (window functions run before
/// LIMIT) and whether each entry has evidence, so that the common page costs one query. The
/// window and the sort see only narrow rows; the wide columns (reflections) are read for the
/// page's entries alone: sorting whole entries to keep fifty was most of the query's time.
/// The join does not keep the page's order, and sorting its wide rows again in SQL costs more
/// than putting fifty rows in order in [`list_entries`].
const LIST_ENTRIES: &str = concat!(
    "WITH page AS (",
    filtered!(
        "SELECT id, date, created_at, COUNT(*) OVER () AS total_count, CAST(SUM(hours) OVER () AS BIGINT) AS total_hours",
        " ORDER BY date DESC, created_at DESC, id DESC LIMIT $12 OFFSET $13"
    ),
    ") SELECT e.id, e.person_id, e.date, e.title, e.kind, e.hours, e.topics, e.elements, e.reflection, \
     e.reflection_so_what, e.reflection_now_what, e.peer_reflection, e.peer_name, e.endorsed, e.version, \
     e.created_at, e.updated_at, e.deleted_at, \
     EXISTS (SELECT 1 FROM evidence x WHERE x.entry_id = e.id) AS has_evidence, \
     page.total_count, page.total_hours \
     FROM page JOIN entry e ON e.id = page.id"
);

// On SQLite the page is read by the [`reader`] in one pass over whole rows (SQLite keeps only
// the page's rows while sorting), and the totals by a second statement. The record as a person
// opens it (no filter) has statements of its own that the `entry_person_list` index answers in
// the list's order: a page reads its fifty rows and stops, and the totals read the index alone.
// The columns are those [`PageQuery::read`] reads, in its order.
macro_rules! sqlite_page_columns {
    () => {
        "SELECT id, person_id, date, title, kind, hours, topics, elements, reflection, \
         reflection_so_what, reflection_now_what, peer_reflection, peer_name, endorsed, version, \
         created_at, updated_at, deleted_at, \
         EXISTS (SELECT 1 FROM evidence x WHERE x.entry_id = entry.id) AS has_evidence"
    };
}
const LIST_ENTRIES_SQLITE: &str = filtered!(
    sqlite_page_columns!(),
    " ORDER BY date DESC, created_at DESC, id DESC LIMIT $12 OFFSET $13"
);
const LIST_RECORD_SQLITE: &str = concat!(
    sqlite_page_columns!(),
    " FROM entry WHERE person_id = $1 AND deleted_at IS NULL",
    " ORDER BY date DESC, created_at DESC, id DESC LIMIT $2 OFFSET $3"
);
const COUNT_RECORD_SQLITE: &str = "SELECT COUNT(*), CAST(COALESCE(SUM(hours), 0) AS BIGINT) \
     FROM entry WHERE person_id = $1 AND deleted_at IS NULL";
const COUNT_ENTRIES: &str = filtered!(
    "SELECT COUNT(*) AS total, CAST(COALESCE(SUM(hours), 0) AS BIGINT) AS hours",
    ""
);

const SELECT_ALL_ENTRIES: &str = "SELECT id, person_id, date, title, kind, hours, topics, elements, reflection, reflection_so_what, reflection_now_what, \
     peer_reflection, peer_name, endorsed, version, created_at, updated_at, deleted_at FROM entry WHERE person_id = $1 AND deleted_at IS NULL \
     ORDER BY date, created_at, id";

const INSERT_EVIDENCE: &str = "INSERT INTO evidence (id, entry_id, filename, content_type, size, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
const SELECT_EVIDENCE_FOR_PERSON: &str = "SELECT v.id, v.entry_id, v.filename, v.content_type, v.size, v.sha256 FROM evidence v \
     JOIN entry e ON e.id = v.entry_id WHERE e.person_id = $1 ORDER BY v.created_at, v.id";
const SELECT_EVIDENCE_FOR_ENTRY: &str = "SELECT id, entry_id, filename, content_type, size, sha256 FROM evidence WHERE entry_id = $1 ORDER BY created_at, id";
const SELECT_ONE_EVIDENCE: &str = "SELECT v.id, v.entry_id, v.filename, v.content_type, v.size, v.sha256 FROM evidence v \
     JOIN entry e ON e.id = v.entry_id WHERE v.id = $1 AND v.entry_id = $2 AND e.person_id = $3";
const DELETE_EVIDENCE: &str = "DELETE FROM evidence WHERE id = $1 AND entry_id = $2";
const COUNT_EVIDENCE: &str = "SELECT COUNT(*) FROM evidence WHERE entry_id = $1";
const EVIDENCE_BYTES_OF: &str = "SELECT CAST(COALESCE(SUM(v.size), 0) AS BIGINT) FROM evidence v JOIN entry e ON e.id = v.entry_id WHERE e.person_id = $1";

/// A row of [`LIST_ENTRIES`].
#[derive(sqlx::FromRow)]
struct ListRow {
    #[sqlx(flatten)]
    entry: EntryRow,
    has_evidence: bool,
    total_count: i64,
    total_hours: i64,
}

/// A page's entries, each with whether it has evidence, and the totals of all that match.
struct PageRows {
    rows: Vec<(EntryRow, bool)>,
    total: i64,
    hours: i64,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: Uuid,
    #[expect(
        dead_code,
        reason = "selected with the entry; the caller already knows whose it is"
    )]
    person_id: Uuid,
    date: Date,
    title: String,
    kind: String,
    hours: i64,
    topics: String,
    elements: String,
    reflection: Option<String>,
    reflection_so_what: Option<String>,
    reflection_now_what: Option<String>,
    peer_reflection: bool,
    peer_name: Option<String>,
    endorsed: bool,
    version: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    deleted_at: Option<OffsetDateTime>,
}

impl EntryRow {
    fn into_entry(self, evidence: Vec<EvidenceFile>) -> Entry {
        Entry {
            id: self.id,
            date: self.date,
            title: self.title,
            kind: self.kind,
            hours: Hours::from_units(self.hours),
            topics: split_tags(&self.topics),
            elements: split_tags(&self.elements),
            reflection: self.reflection,
            reflection_so_what: self.reflection_so_what,
            reflection_now_what: self.reflection_now_what,
            peer_reflection: self.peer_reflection,
            peer_name: self.peer_name,
            endorsed: self.endorsed,
            evidence,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
            deleted_at: self.deleted_at,
        }
    }
}

/// Saves a new entry for the person and returns it. On SQLite the whole transaction runs on
/// the [writer thread](crate::db::writer) (the write on every person's path).
pub async fn insert_entry(
    db: &Db,
    person_id: Uuid,
    entry: &ValidEntry,
    now: OffsetDateTime,
) -> Result<Entry, sqlx::Error> {
    if let Db::Sqlite(sqlite) = db {
        let entry = entry.clone();
        return sqlite
            .writer
            .write(move |tx| {
                let id = Uuid::now_v7();
                tx.prepare_cached(INSERT_ENTRY)
                    .and_then(|mut insert| {
                        insert.execute(rusqlite::params_from_iter(entry_values(
                            id, person_id, &entry, false, now,
                        )))
                    })
                    .map_err(reader::into_sqlx)?;
                crate::standing::service::refresh_standing_on(tx, person_id, now)?;
                Ok(new_entry(id, &entry, now))
            })
            .await;
    }
    let mut tx = db.begin_write().await?;
    let saved = insert_entry_in(&mut tx, person_id, entry, now).await?;
    tx.commit().await?;
    Ok(saved)
}

/// Adds an entry inside a change that spans features (attendance writes one with the
/// booking's status, a supervision session one per attendee), so both commit or neither.
pub async fn insert_entry_in(
    tx: &mut WriteTx,
    person_id: Uuid,
    entry: &ValidEntry,
    now: OffsetDateTime,
) -> Result<Entry, sqlx::Error> {
    let id = Uuid::now_v7();
    on_tx!(tx, |conn| bind_entry(
        sqlx::query(INSERT_ENTRY),
        id,
        person_id,
        entry,
        false,
        now
    )
    .execute(conn)
    .await
    .map(|_| ()))?;
    crate::standing::service::refresh_standing_in(tx, person_id, now).await?;
    Ok(new_entry(id, entry, now))
}

/// An entry just written, as it now stands.
fn new_entry(id: Uuid, entry: &ValidEntry, now: OffsetDateTime) -> Entry {
    Entry {
        id,
        date: entry.date,
        title: entry.title.clone(),
        kind: entry.kind.clone(),
        hours: entry.hours,
        topics: entry.topics.clone(),
        elements: entry.elements.clone(),
        reflection: entry.reflection.clone(),
        reflection_so_what: entry.reflection_so_what.clone(),
        reflection_now_what: entry.reflection_now_what.clone(),
        peer_reflection: entry.peer_reflection,
        peer_name: entry.peer_name.clone(),
        endorsed: false,
        evidence: Vec::new(),
        version: 1,
        created_at: now,
        updated_at: now,
        deleted_at: None,
    }
}

/// An entry's values in `INSERT_ENTRY` order, as sqlx would bind them on SQLite (ids as
/// blobs, dates and times as text, flags as 0 and 1), for the writer thread.
fn entry_values(
    id: Uuid,
    person_id: Uuid,
    entry: &ValidEntry,
    endorsed: bool,
    now: OffsetDateTime,
) -> [rusqlite::types::Value; 16] {
    use rusqlite::types::Value;
    let text = |t: Option<&str>| t.map_or(Value::Null, |t| Value::Text(t.to_owned()));
    let flag = |f: bool| Value::Integer(i64::from(f));
    [
        Value::Blob(id.as_bytes().to_vec()),
        Value::Blob(person_id.as_bytes().to_vec()),
        Value::Text(reader::date_text(entry.date)),
        Value::Text(entry.title.clone()),
        Value::Text(entry.kind.clone()),
        Value::Integer(entry.hours.units()),
        Value::Text(join_tags(&entry.topics)),
        Value::Text(join_tags(&entry.elements)),
        text(entry.reflection.as_deref()),
        text(entry.reflection_so_what.as_deref()),
        text(entry.reflection_now_what.as_deref()),
        flag(entry.peer_reflection),
        text(entry.peer_name.as_deref()),
        flag(entry.has_reflection()),
        flag(endorsed),
        Value::Text(reader::timestamp_text(now)),
    ]
}

/// Binds an entry's values in `INSERT_ENTRY` order.
pub(crate) fn bind_entry<'q, DB>(
    query: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>,
    id: Uuid,
    person_id: Uuid,
    entry: &'q ValidEntry,
    endorsed: bool,
    now: OffsetDateTime,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>
where
    DB: sqlx::Database,
    Uuid: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Date: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<&'q str>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    bool: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    OffsetDateTime: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    bind_entry_values(query.bind(id).bind(person_id), entry)
        .bind(endorsed)
        .bind(now)
}

/// Binds the values a person gives an entry, from its date to the peer's name, and whether it
/// holds a reflection, in the order both `INSERT_ENTRY` and `UPDATE_ENTRY` list them.
fn bind_entry_values<'q, DB>(
    query: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>,
    entry: &'q ValidEntry,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>
where
    DB: sqlx::Database,
    Date: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<&'q str>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    bool: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    query
        .bind(entry.date)
        .bind(entry.title.as_str())
        .bind(entry.kind.as_str())
        .bind(entry.hours.units())
        .bind(join_tags(&entry.topics))
        .bind(join_tags(&entry.elements))
        .bind(entry.reflection.as_deref())
        .bind(entry.reflection_so_what.as_deref())
        .bind(entry.reflection_now_what.as_deref())
        .bind(entry.peer_reflection)
        .bind(entry.peer_name.as_deref())
        .bind(entry.has_reflection())
}

/// An imported entry: its id, the values, and whether it had been endorsed.
pub struct ImportedEntry {
    pub id: Uuid,
    pub entry: ValidEntry,
    pub endorsed: bool,
}

/// Inserts entries that are not there yet, in one transaction. Returns how many were added.
pub async fn insert_entries_if_new(
    db: &Db,
    person_id: Uuid,
    entries: &[ImportedEntry],
    now: OffsetDateTime,
) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let added = insert_entries_if_new_in(&mut tx, person_id, entries, now).await?;
    tx.commit().await?;
    Ok(added)
}

/// [`insert_entries_if_new`] inside a transaction the caller commits.
pub async fn insert_entries_if_new_in(
    tx: &mut WriteTx,
    person_id: Uuid,
    entries: &[ImportedEntry],
    now: OffsetDateTime,
) -> Result<u64, sqlx::Error> {
    let mut added = 0;
    for imported in entries {
        added += on_tx!(tx, |conn| bind_entry(
            sqlx::query(INSERT_ENTRY_IF_NEW),
            imported.id,
            person_id,
            &imported.entry,
            imported.endorsed,
            now,
        )
        .execute(&mut *conn)
        .await?
        .rows_affected());
    }
    if added > 0 {
        crate::standing::service::refresh_standing_in(tx, person_id, now).await?;
    }
    Ok(added)
}

/// Who owns each of the entries with these ids that exist, looked up 500 at a time.
pub async fn entry_owners(db: &Db, ids: &[Uuid]) -> Result<HashMap<Uuid, Uuid>, sqlx::Error> {
    fn query<DB: sqlx::Database>(ids: &[Uuid]) -> sqlx::QueryBuilder<DB>
    where
        <DB as sqlx::Database>::Arguments: Default,
        Uuid: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    {
        let mut sql = sqlx::QueryBuilder::new("SELECT id, person_id FROM entry WHERE id IN (");
        let mut list = sql.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        sql.push(")");
        sql
    }
    let mut owners = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(Uuid, Uuid)> = on_db!(db, |pool| {
            let mut sql = query(chunk);
            sql.build_query_as().fetch_all(pool).await
        })?;
        owners.extend(rows);
    }
    Ok(owners)
}

/// One of the person's entries (in the record or the bin), with its evidence.
pub async fn get_entry(db: &Db, person_id: Uuid, id: Uuid) -> Result<Option<Entry>, sqlx::Error> {
    let row: Option<EntryRow> = crate::db::row(db, SELECT_ENTRY, (id, person_id)).await?;
    let Some(row) = row else { return Ok(None) };
    let evidence = crate::db::rows(db, SELECT_EVIDENCE_FOR_ENTRY, (id,)).await?;
    Ok(Some(row.into_entry(evidence)))
}

/// The outcome of an update guarded by a version.
#[derive(Debug)]
pub enum Update {
    Saved(Entry),
    /// Someone saved first; this is what is stored now.
    Conflict(Entry),
    NotFound,
}

/// Replaces an entry's values if it is still at `version`.
pub async fn update_entry(
    db: &Db,
    person_id: Uuid,
    id: Uuid,
    version: i64,
    entry: &ValidEntry,
    now: OffsetDateTime,
) -> Result<Update, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let updated = on_tx!(&mut tx, |conn| bind_entry_values(
        sqlx::query(UPDATE_ENTRY)
            .bind(id)
            .bind(person_id)
            .bind(version),
        entry
    )
    .bind(now)
    .execute(&mut *conn)
    .await
    .map(|r| r.rows_affected()))?;
    if updated == 1 {
        crate::standing::service::refresh_standing_in(&mut tx, person_id, now).await?;
    }
    tx.commit().await?;
    let current = get_entry(db, person_id, id).await?;
    Ok(match current {
        Some(entry) if updated == 1 => Update::Saved(entry),
        Some(entry) if entry.deleted_at.is_none() => Update::Conflict(entry),
        _ => Update::NotFound,
    })
}

/// Moves an entry to the bin. `false` when there was no such entry in the record.
pub async fn delete_entry(
    db: &Db,
    person_id: Uuid,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    in_or_out_of_bin(db, person_id, now, DELETE_ENTRY, (id, person_id, now)).await
}

/// Takes an entry out of the bin, if it went in less than [`UNDO_DAYS`] ago.
pub async fn restore_entry(
    db: &Db,
    person_id: Uuid,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let cutoff = now - Duration::days(UNDO_DAYS);
    in_or_out_of_bin(
        db,
        person_id,
        now,
        RESTORE_ENTRY,
        (id, person_id, now, cutoff),
    )
    .await
}

/// Runs the statement that moves one entry into or out of the bin and, when it did, keeps
/// the person's standing, in one transaction.
async fn in_or_out_of_bin<'q>(
    db: &Db,
    person_id: Uuid,
    now: OffsetDateTime,
    sql: &'static str,
    params: impl crate::db::Binds<'q>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let moved = crate::db::execute_in(&mut tx, sql, params).await? == 1;
    if moved {
        crate::standing::service::refresh_standing_in(&mut tx, person_id, now).await?;
    }
    tx.commit().await?;
    Ok(moved)
}

/// Entries whose undo time has passed, with their evidence, ready to be removed for good.
pub async fn purgeable_entries(
    db: &Db,
    now: OffsetDateTime,
) -> Result<Vec<(Uuid, Vec<EvidenceFile>)>, sqlx::Error> {
    let cutoff = now - Duration::days(UNDO_DAYS);
    let ids: Vec<Uuid> = crate::db::scalars(db, SELECT_PURGEABLE, (cutoff,)).await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let evidence = crate::db::rows(db, SELECT_EVIDENCE_FOR_ENTRY, (id,)).await?;
        out.push((id, evidence));
    }
    Ok(out)
}

/// Removes an entry (and, by cascade, its evidence rows) for good.
pub async fn purge_entry(db: &Db, id: Uuid) -> Result<(), sqlx::Error> {
    crate::db::execute(db, DELETE_PURGED, (id,))
        .await
        .map(|_| ())
}

/// A page of the person's entries, newest first, and the totals of all that match.
pub async fn list_entries(
    db: &Db,
    person_id: Uuid,
    filter: &EntryFilter,
    limit: i64,
    offset: i64,
    now: OffsetDateTime,
) -> Result<EntryPage, sqlx::Error> {
    let cutoff = now - Duration::days(UNDO_DAYS);
    let topic = filter.topic.as_ref().map(|t| format!("%|{t}|%"));
    let element = filter.element.as_ref().map(|e| format!("%|{e}|%"));
    let text = filter.text.as_ref().map(|t| crate::db::contains_pattern(t));
    let has_reflection = filter.has_reflection.map(i64::from);
    macro_rules! bind_filter {
        ($query:expr) => {
            $query
                .bind(person_id)
                .bind(filter.deleted)
                .bind(cutoff)
                .bind(filter.from)
                .bind(filter.to)
                .bind(filter.kind.as_deref())
                .bind(topic.as_deref())
                .bind(element.as_deref())
                .bind(has_reflection)
                .bind(filter.peer_reflection)
                .bind(text.as_deref())
        };
    }
    let PageRows { rows, total, hours } = match db {
        Db::Sqlite(sqlite) => {
            let query = PageQuery {
                person_id,
                whole_record: filter.is_whole_record(),
                deleted: filter.deleted,
                cutoff: reader::timestamp_text(cutoff),
                from: filter.from.map(|d| d.to_string()),
                to: filter.to.map(|d| d.to_string()),
                kind: filter.kind.clone(),
                topic,
                element,
                has_reflection,
                peer_reflection: filter.peer_reflection,
                text,
                limit,
                offset,
            };
            sqlite.reader.read(move |c| query.read(c)).await?
        }
        Db::Postgres(pool) => {
            let mut rows: Vec<ListRow> = bind_filter!(sqlx::query_as(LIST_ENTRIES))
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await?;
            // An empty page carries no totals: count separately (also how `limit = 0` asks
            // for totals only).
            let (total, hours) = match rows.first() {
                Some(row) => (row.total_count, row.total_hours),
                None => {
                    bind_filter!(sqlx::query_as(COUNT_ENTRIES))
                        .fetch_one(pool)
                        .await?
                }
            };
            // Newest first: the order of the query's page, which its join does not keep (see
            // LIST_ENTRIES). SQLite's statements return their rows in order.
            rows.sort_unstable_by(|a, b| {
                let key = |r: &ListRow| (r.entry.date, r.entry.created_at, r.entry.id);
                key(b).cmp(&key(a))
            });
            let rows = rows.into_iter().map(|r| (r.entry, r.has_evidence));
            PageRows {
                rows: rows.collect(),
                total,
                hours,
            }
        }
    };
    let with_files: Vec<Uuid> = rows
        .iter()
        .filter(|(_, has_evidence)| *has_evidence)
        .map(|(entry, _)| entry.id)
        .collect();
    let mut evidence = if with_files.is_empty() {
        HashMap::new()
    } else {
        evidence_for(db, person_id, &with_files).await?
    };
    let entries = rows.into_iter().map(|(entry, _)| {
        let files = evidence.remove(&entry.id).unwrap_or_default();
        entry.into_entry(files)
    });
    Ok(EntryPage {
        entries: entries.collect(),
        total,
        total_hours: Hours::from_units(hours),
        limit,
        offset,
    })
}

/// A page's parameters, owned, for the SQLite [`reader`].
struct PageQuery {
    person_id: Uuid,
    /// No filter and not the bin: the statements the list index answers.
    whole_record: bool,
    deleted: bool,
    cutoff: String,
    from: Option<String>,
    to: Option<String>,
    kind: Option<String>,
    topic: Option<String>,
    element: Option<String>,
    has_reflection: Option<i64>,
    peer_reflection: Option<bool>,
    text: Option<String>,
    limit: i64,
    offset: i64,
}

impl PageQuery {
    fn read(&self, connection: &rusqlite::Connection) -> rusqlite::Result<PageRows> {
        let filter = rusqlite::params![
            self.person_id,
            self.deleted,
            self.cutoff,
            self.from,
            self.to,
            self.kind,
            self.topic,
            self.element,
            self.has_reflection,
            self.peer_reflection,
            self.text,
        ];
        let (totals, list, filter) = if self.whole_record {
            (COUNT_RECORD_SQLITE, LIST_RECORD_SQLITE, &filter[..1])
        } else {
            (COUNT_ENTRIES, LIST_ENTRIES_SQLITE, filter)
        };
        let (total, hours) = connection
            .prepare_cached(totals)?
            .query_row(filter, |row| Ok((row.get(0)?, row.get(1)?)))?;
        let mut page = filter.to_vec();
        page.extend([&self.limit as &dyn rusqlite::ToSql, &self.offset]);
        let mut statement = connection.prepare_cached(list)?;
        let rows = statement.query_map(page.as_slice(), |row| {
            let entry = EntryRow {
                id: row.get(0)?,
                person_id: row.get(1)?,
                date: reader::date(row, 2)?,
                title: row.get(3)?,
                kind: row.get(4)?,
                hours: row.get(5)?,
                topics: row.get(6)?,
                elements: row.get(7)?,
                reflection: row.get(8)?,
                reflection_so_what: row.get(9)?,
                reflection_now_what: row.get(10)?,
                peer_reflection: row.get(11)?,
                peer_name: row.get(12)?,
                endorsed: row.get(13)?,
                version: row.get(14)?,
                created_at: reader::timestamp(row, 15)?,
                updated_at: reader::timestamp(row, 16)?,
                deleted_at: reader::optional_timestamp(row, 17)?,
            };
            Ok((entry, row.get(18)?))
        })?;
        Ok(PageRows {
            rows: rows.collect::<rusqlite::Result<_>>()?,
            total,
            hours,
        })
    }
}

/// Every entry in the person's record (not the bin), oldest first, with evidence: for export.
pub async fn all_entries(db: &Db, person_id: Uuid) -> Result<Vec<Entry>, sqlx::Error> {
    let rows: Vec<EntryRow> = crate::db::rows(db, SELECT_ALL_ENTRIES, (person_id,)).await?;
    let mut evidence = evidence_for(db, person_id, &[]).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let files = evidence.remove(&row.id).unwrap_or_default();
            row.into_entry(files)
        })
        .collect())
}

/// The person's evidence grouped by entry; only for `ids` unless it is empty. One query,
/// never one per entry.
async fn evidence_for(
    db: &Db,
    person_id: Uuid,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<EvidenceFile>>, sqlx::Error> {
    let files: Vec<EvidenceFile> =
        crate::db::rows(db, SELECT_EVIDENCE_FOR_PERSON, (person_id,)).await?;
    let mut map: HashMap<Uuid, Vec<EvidenceFile>> = HashMap::new();
    for file in files
        .into_iter()
        .filter(|f| ids.is_empty() || ids.contains(&f.entry_id))
    {
        map.entry(file.entry_id).or_default().push(file);
    }
    Ok(map)
}

pub async fn insert_evidence(
    db: &Db,
    file: &EvidenceFile,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    crate::db::execute(
        db,
        INSERT_EVIDENCE,
        (
            file.id,
            file.entry_id,
            &file.filename,
            &file.content_type,
            file.size,
            &file.sha256,
            now,
        ),
    )
    .await
    .map(|_| ())
}

/// How many bytes of evidence the person keeps, on every entry (the bin's included).
pub async fn evidence_bytes_of(db: &Db, person_id: Uuid) -> Result<i64, sqlx::Error> {
    crate::db::scalar_one(db, EVIDENCE_BYTES_OF, (person_id,)).await
}

pub async fn count_evidence(db: &Db, entry_id: Uuid) -> Result<i64, sqlx::Error> {
    crate::db::scalar_one(db, COUNT_EVIDENCE, (entry_id,)).await
}

pub async fn get_evidence(
    db: &Db,
    person_id: Uuid,
    entry_id: Uuid,
    id: Uuid,
) -> Result<Option<EvidenceFile>, sqlx::Error> {
    crate::db::row(db, SELECT_ONE_EVIDENCE, (id, entry_id, person_id)).await
}

pub async fn delete_evidence(db: &Db, entry_id: Uuid, id: Uuid) -> Result<bool, sqlx::Error> {
    let affected = on_db!(db, |pool| sqlx::query(DELETE_EVIDENCE)
        .bind(id)
        .bind(entry_id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(affected == 1)
}

/// Entries and hours in a date range (for the home page's "this year").
pub async fn totals_between(
    db: &Db,
    person_id: Uuid,
    from: Date,
    to: Date,
    now: OffsetDateTime,
) -> Result<(i64, Hours), sqlx::Error> {
    let filter = EntryFilter {
        from: Some(from),
        to: Some(to),
        ..EntryFilter::default()
    };
    let page = list_entries(db, person_id, &filter, 0, 0, now).await?;
    Ok((page.total, page.total_hours))
}

/// The person's latest `count` entries as (id, title, date in words), to choose from in a form.
pub async fn latest_choices(
    db: &Db,
    person_id: Uuid,
    count: i64,
    now: OffsetDateTime,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    Ok(
        list_entries(db, person_id, &Default::default(), count, 0, now)
            .await?
            .entries
            .into_iter()
            .map(|e| (e.id.to_string(), e.title, cairn_core::long_date(e.date)))
            .collect(),
    )
}
