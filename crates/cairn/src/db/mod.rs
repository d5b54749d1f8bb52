//! The database: one pool over SQLite or PostgreSQL, chosen by URL at start.
//!
//! Store code is written once and compiled for both backends by [`on_db!`]: the same SQL text
//! (`$1` placeholders, `ON CONFLICT`, `RETURNING`) runs on either, and the few places where the
//! dialects differ keep both variants side by side. Every store function is tested on both.

pub mod jobs;
pub mod reader;
pub mod writer;

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// A pool on one of the two backends. Cheap to clone.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqliteDb),
    Postgres(PgPool),
}

/// An SQLite database: sqlx's pool for everything, and beside it a [`reader::Reader`] and a
/// [`writer::Writer`] for the few reads and the write on every person's path that sqlx's
/// driver makes slow.
#[derive(Clone, Debug)]
pub struct SqliteDb {
    pub pool: SqlitePool,
    pub reader: Arc<reader::Reader>,
    pub writer: Arc<writer::Writer>,
}

/// Runs the same block against whichever pool `db` holds, with `$pool` bound to it.
/// The block is compiled once per backend, so generic sqlx code checks against both.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite(sqlite) => {
                let $pool = &sqlite.pool;
                $body
            }
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// A value bound to a statement on either backend.
pub trait Param<'q>:
    'q
    + Send
    + sqlx::Encode<'q, Sqlite>
    + sqlx::Type<Sqlite>
    + sqlx::Encode<'q, Postgres>
    + sqlx::Type<Postgres>
{
}

impl<'q, P> Param<'q> for P where
    P: 'q
        + Send
        + sqlx::Encode<'q, Sqlite>
        + sqlx::Type<Sqlite>
        + sqlx::Encode<'q, Postgres>
        + sqlx::Type<Postgres>
{
}

/// A row type read on either backend.
pub trait Row:
    Send
    + Unpin
    + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
    + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
{
}

impl<T> Row for T where
    T: Send
        + Unpin
        + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
{
}

type SqliteQuery<'q> = sqlx::query::Query<'q, Sqlite, <Sqlite as sqlx::Database>::Arguments>;
type PgQuery<'q> = sqlx::query::Query<'q, Postgres, <Postgres as sqlx::Database>::Arguments>;
type SqliteQueryAs<'q, T> =
    sqlx::query::QueryAs<'q, Sqlite, T, <Sqlite as sqlx::Database>::Arguments>;
type PgQueryAs<'q, T> =
    sqlx::query::QueryAs<'q, Postgres, T, <Postgres as sqlx::Database>::Arguments>;

/// The parameters of a statement, in order, as a tuple: bound on either backend.
pub trait Binds<'q> {
    fn bind_sqlite(self, query: SqliteQuery<'q>) -> SqliteQuery<'q>;
    fn bind_pg(self, query: PgQuery<'q>) -> PgQuery<'q>;
    fn bind_sqlite_as<T>(self, query: SqliteQueryAs<'q, T>) -> SqliteQueryAs<'q, T>;
    fn bind_pg_as<T>(self, query: PgQueryAs<'q, T>) -> PgQueryAs<'q, T>;
}

macro_rules! binds {
    ($($param:ident),+) => {
        impl<'q, $($param: Param<'q>),+> Binds<'q> for ($($param,)+) {
            #[allow(non_snake_case)]
            fn bind_sqlite(self, query: SqliteQuery<'q>) -> SqliteQuery<'q> {
                let ($($param,)+) = self;
                query$(.bind($param))+
            }
            #[allow(non_snake_case)]
            fn bind_pg(self, query: PgQuery<'q>) -> PgQuery<'q> {
                let ($($param,)+) = self;
                query$(.bind($param))+
            }
            #[allow(non_snake_case)]
            fn bind_sqlite_as<T>(self, query: SqliteQueryAs<'q, T>) -> SqliteQueryAs<'q, T> {
                let ($($param,)+) = self;
                query$(.bind($param))+
            }
            #[allow(non_snake_case)]
            fn bind_pg_as<T>(self, query: PgQueryAs<'q, T>) -> PgQueryAs<'q, T> {
                let ($($param,)+) = self;
                query$(.bind($param))+
            }
        }
    };
}

/// A statement without parameters.
impl<'q> Binds<'q> for () {
    fn bind_sqlite(self, query: SqliteQuery<'q>) -> SqliteQuery<'q> {
        query
    }
    fn bind_pg(self, query: PgQuery<'q>) -> PgQuery<'q> {
        query
    }
    fn bind_sqlite_as<T>(self, query: SqliteQueryAs<'q, T>) -> SqliteQueryAs<'q, T> {
        query
    }
    fn bind_pg_as<T>(self, query: PgQueryAs<'q, T>) -> PgQueryAs<'q, T> {
        query
    }
}

binds!(A);
binds!(A, B);
binds!(A, B, C);
binds!(A, B, C, D);
binds!(A, B, C, D, E);
binds!(A, B, C, D, E, F);
binds!(A, B, C, D, E, F, G);
binds!(A, B, C, D, E, F, G, H);
binds!(A, B, C, D, E, F, G, H, I);
binds!(A, B, C, D, E, F, G, H, I, J);
binds!(A, B, C, D, E, F, G, H, I, J, K);
binds!(A, B, C, D, E, F, G, H, I, J, K, L);

/// Every row of a query, with its parameters (a tuple, in order).
pub async fn rows<'q, T: Row>(
    db: &Db,
    sql: &'static str,
    params: impl Binds<'q>,
) -> Result<Vec<T>, sqlx::Error> {
    match db {
        Db::Sqlite(sqlite) => {
            params
                .bind_sqlite_as(sqlx::query_as(sql))
                .fetch_all(&sqlite.pool)
                .await
        }
        Db::Postgres(pool) => params.bind_pg_as(sqlx::query_as(sql)).fetch_all(pool).await,
    }
}

/// The row, if any, of a query with its parameters (a tuple, in order).
pub async fn row<'q, T: Row>(
    db: &Db,
    sql: &'static str,
    params: impl Binds<'q>,
) -> Result<Option<T>, sqlx::Error> {
    match db {
        Db::Sqlite(sqlite) => {
            params
                .bind_sqlite_as(sqlx::query_as(sql))
                .fetch_optional(&sqlite.pool)
                .await
        }
        Db::Postgres(pool) => {
            params
                .bind_pg_as(sqlx::query_as(sql))
                .fetch_optional(pool)
                .await
        }
    }
}

/// The first column of every row of a query.
pub async fn scalars<'q, T>(
    db: &Db,
    sql: &'static str,
    params: impl Binds<'q>,
) -> Result<Vec<T>, sqlx::Error>
where
    (T,): Row,
{
    let rows: Vec<(T,)> = rows(db, sql, params).await?;
    Ok(rows.into_iter().map(|(value,)| value).collect())
}

/// The first column of the row, if any, of a query.
pub async fn scalar<'q, T>(
    db: &Db,
    sql: &'static str,
    params: impl Binds<'q>,
) -> Result<Option<T>, sqlx::Error>
where
    (T,): Row,
{
    let found: Option<(T,)> = row(db, sql, params).await?;
    Ok(found.map(|(value,)| value))
}

/// The first column of a query that always returns a row (a count, a sum).
pub async fn scalar_one<'q, T>(
    db: &Db,
    sql: &'static str,
    params: impl Binds<'q>,
) -> Result<T, sqlx::Error>
where
    (T,): Row,
{
    scalar(db, sql, params)
        .await?
        .ok_or(sqlx::Error::RowNotFound)
}

/// Inserts a row under a new time-ordered id, bound as `$1` before `params`, and returns it.
pub async fn insert<'q>(
    db: &Db,
    sql: &'static str,
    params: impl Binds<'q>,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    match db {
        Db::Sqlite(sqlite) => {
            let query = params.bind_sqlite(sqlx::query(sql).bind(id));
            query.execute(&sqlite.pool).await?;
        }
        Db::Postgres(pool) => {
            params
                .bind_pg(sqlx::query(sql).bind(id))
                .execute(pool)
                .await?;
        }
    }
    Ok(id)
}

/// Runs a statement with its parameters (a tuple, in order); how many rows it changed.
pub async fn execute<'q>(
    db: &Db,
    sql: &'static str,
    params: impl Binds<'q>,
) -> Result<u64, sqlx::Error> {
    match db {
        Db::Sqlite(sqlite) => params
            .bind_sqlite(sqlx::query(sql))
            .execute(&sqlite.pool)
            .await
            .map(|done| done.rows_affected()),
        Db::Postgres(pool) => params
            .bind_pg(sqlx::query(sql))
            .execute(pool)
            .await
            .map(|done| done.rows_affected()),
    }
}

/// [`execute`] inside a write transaction the caller commits.
pub async fn execute_in<'q>(
    tx: &mut WriteTx,
    sql: &'static str,
    params: impl Binds<'q>,
) -> Result<u64, sqlx::Error> {
    match tx {
        WriteTx::Sqlite(tx) => params
            .bind_sqlite(sqlx::query(sql))
            .execute(&mut **tx)
            .await
            .map(|done| done.rows_affected()),
        WriteTx::Postgres(tx) => params
            .bind_pg(sqlx::query(sql))
            .execute(&mut **tx)
            .await
            .map(|done| done.rows_affected()),
    }
}

/// A stored id parsed into its enum; one that is not in the set is a decoding error (the
/// tables hold only ids written through those enums).
pub fn parsed<T: TryFrom<String>>(stored: String) -> Result<T, sqlx::Error>
where
    T::Error: std::error::Error + Send + Sync + 'static,
{
    T::try_from(stored).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// `INSERT INTO table (columns) VALUES ($1, …), (…)` for `rows` rows; `tail` is appended
/// inside each row's parentheses (constant columns). SQLite gets anonymous `?` placeholders:
/// for numbered ones sqlx asks SQLite each parameter's name, a linear search per parameter,
/// which made large statements quadratic (80 % of the time in a profile).
pub fn values_sql(head: &str, columns: usize, rows: usize, tail: &str, numbered: bool) -> String {
    let mut sql = String::with_capacity(head.len() + rows * columns * 6);
    sql.push_str(head);
    sql.push_str(" VALUES ");
    let mut n = 0;
    for row in 0..rows {
        if row > 0 {
            sql.push(',');
        }
        sql.push('(');
        for column in 0..columns {
            if column > 0 {
                sql.push(',');
            }
            n += 1;
            if numbered {
                sql.push('$');
                sql.push_str(&n.to_string());
            } else {
                sql.push('?');
            }
        }
        sql.push_str(tail);
        sql.push(')');
    }
    sql
}

/// Which backend a URL names, and how to reach it.
#[derive(Clone, PartialEq, Eq)]
pub enum DbUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DbUrl {
    /// `sqlite://PATH`, `sqlite:PATH`, `postgres://…` or `postgresql://…`.
    pub fn parse(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbUrl::Postgres(url.to_owned()))
        } else if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            anyhow::ensure!(
                !path.is_empty(),
                "the database URL `{url}` names no file: write sqlite://PATH"
            );
            Ok(DbUrl::Sqlite(PathBuf::from(path)))
        } else {
            anyhow::bail!(
                "the database URL `{url}` is neither sqlite://PATH nor postgres://USER@HOST/DATABASE"
            )
        }
    }
}

impl std::fmt::Debug for DbUrl {
    /// Never prints a PostgreSQL password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbUrl::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            DbUrl::Postgres(url) => write!(f, "{}", redact_password(url)),
        }
    }
}

impl std::fmt::Display for DbUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// The most connections an SQLite pool opens, whatever is asked for.
pub const SQLITE_MAX_CONNECTIONS: u32 = 4;

/// How a pool is to be opened.
#[derive(Clone, Copy, Debug)]
pub struct PoolSize {
    pub max_connections: u32,
}

impl Default for PoolSize {
    fn default() -> Self {
        Self {
            max_connections: 16,
        }
    }
}

impl Db {
    /// Opens (creating an SQLite file and its folder when needed) and migrates.
    pub async fn open(url: &DbUrl, size: PoolSize) -> anyhow::Result<Db> {
        let db = Self::connect(url, size).await?;
        db.migrate().await?;
        Ok(db)
    }

    /// Opens without migrating.
    pub async fn connect(url: &DbUrl, size: PoolSize) -> anyhow::Result<Db> {
        match url {
            DbUrl::Sqlite(path) => {
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).with_context(|| {
                        format!("cannot create the data folder {}", parent.display())
                    })?;
                    // Records of social care: readable by cairn's own user only.
                    private_to_owner(parent, 0o700)?;
                }
                // SQLite serialises writers and each connection is a thread of its own:
                // more than a few connections only add switching and page caches.
                let pool = SqlitePoolOptions::new()
                    .max_connections(size.max_connections.min(SQLITE_MAX_CONNECTIONS))
                    .connect_with(sqlite_options(path))
                    .await
                    .with_context(|| {
                        format!("cannot open the SQLite database {}", path.display())
                    })?;
                for file in [
                    path.to_path_buf(),
                    wal_file(path, "-wal"),
                    wal_file(path, "-shm"),
                ] {
                    if file.exists() {
                        private_to_owner(&file, 0o600)?;
                    }
                }
                let reader = reader::Reader::new(path, SQLITE_MAX_CONNECTIONS)
                    .context("cannot start the SQLite reader threads")?;
                let writer =
                    writer::Writer::new(path).context("cannot start the SQLite writer thread")?;
                Ok(Db::Sqlite(SqliteDb {
                    pool,
                    reader: Arc::new(reader),
                    writer: Arc::new(writer),
                }))
            }
            DbUrl::Postgres(url) => {
                let options =
                    PgConnectOptions::from_str(url).context("the PostgreSQL URL is not valid")?;
                let pool = PgPoolOptions::new()
                    .max_connections(size.max_connections)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await
                    .with_context(|| {
                        format!("cannot connect to PostgreSQL at {}", redact_password(url))
                    })?;
                Ok(Db::Postgres(pool))
            }
        }
    }

    /// Brings the schema up to date. Safe to run from several instances at once: sqlx takes
    /// an advisory lock on PostgreSQL, and SQLite serialises writers.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self {
            Db::Sqlite(sqlite) => sqlx::migrate!("migrations/sqlite").run(&sqlite.pool).await,
            Db::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await,
        }
        .context("cannot bring the database schema up to date")
    }

    /// `true` when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        on_db!(self, |pool| sqlx::query("SELECT 1")
            .execute(pool)
            .await
            .is_ok())
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        on_db!(self, |pool| pool.close().await)
    }
}

/// `cairn.db-wal` beside `cairn.db`.
fn wal_file(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// Makes a file or folder readable by its owner only (Unix; elsewhere the folder's ACLs).
fn private_to_owner(path: &Path, mode: u32) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot make {} private", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// WAL for concurrent readers, foreign keys on, and a generous busy timeout so that
/// concurrent writers queue rather than fail.
pub fn sqlite_options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(30))
        // 8 MB of page cache per connection; the OS caches the rest of the file.
        .pragma("cache_size", "-8000")
}

/// Starts a write transaction. On SQLite it is `BEGIN IMMEDIATE`: taking the write lock up
/// front avoids the deadlock of two readers both upgrading to writers.
pub trait BeginWrite {
    type Database: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<Transaction<'static, Self::Database>, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Database = Sqlite;
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<Transaction<'static, Sqlite>, sqlx::Error>> + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for PgPool {
    type Database = Postgres;
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<Transaction<'static, Postgres>, sqlx::Error>> + Send {
        self.begin()
    }
}

/// A write transaction on either backend, for store functions that must commit together
/// (one chunk of an import and the job's progress, say). Begun with [`Db::begin_write`].
pub enum WriteTx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs the same block against whichever connection `tx` holds, with `$conn` bound to it
/// (`&mut *$conn` is an executor).
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::db::WriteTx::Sqlite(tx) => {
                let $conn: &mut sqlx::SqliteConnection = &mut *tx;
                $body
            }
            $crate::db::WriteTx::Postgres(tx) => {
                let $conn: &mut sqlx::PgConnection = &mut *tx;
                $body
            }
        }
    };
}

impl Db {
    /// Starts a write transaction (on SQLite, `BEGIN IMMEDIATE`).
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(sqlite) => WriteTx::Sqlite(sqlite.pool.begin_write().await?),
            Db::Postgres(pool) => WriteTx::Postgres(pool.begin_write().await?),
        })
    }
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            WriteTx::Sqlite(tx) => tx.commit().await,
            WriteTx::Postgres(tx) => tx.commit().await,
        }
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            WriteTx::Sqlite(tx) => tx.rollback().await,
            WriteTx::Postgres(tx) => tx.rollback().await,
        }
    }

    /// Runs a statement that takes no parameters (`SAVEPOINT row`, say).
    pub async fn run(&mut self, sql: &'static str) -> Result<(), sqlx::Error> {
        on_tx!(self, |conn| sqlx::query(sql)
            .execute(&mut *conn)
            .await
            .map(|_| ()))
    }
}

/// A `LIKE … ESCAPE '\\'` pattern that finds `text` anywhere, in lower case, with the `%`,
/// `_` and `\\` a person typed taken literally. Empty text gives an empty pattern, which the
/// queries read as "no search".
pub fn contains_pattern(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let escaped = text
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Tags (topics, elements) are stored as `|a|b|` so that one `LIKE '%|a|%'` finds them on
/// both backends; tags are slugs and never hold `|`, `%` or `_`.
pub fn join_tags(tags: &[String]) -> String {
    if tags.is_empty() {
        String::new()
    } else {
        format!("|{}|", tags.join("|"))
    }
}

/// The inverse of [`join_tags`].
pub fn split_tags(stored: &str) -> Vec<String> {
    stored
        .split('|')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `true` when a database error is a unique or primary-key violation (on both backends).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_select_the_backend_and_hide_passwords() {
        assert_eq!(
            DbUrl::parse("sqlite://data/cairn.db").ok(),
            Some(DbUrl::Sqlite(PathBuf::from("data/cairn.db")))
        );
        assert!(matches!(
            DbUrl::parse("postgres://u:p@h/db"),
            Ok(DbUrl::Postgres(_))
        ));
        assert!(DbUrl::parse("mysql://h/db").is_err());
        let shown = format!(
            "{:?}",
            DbUrl::parse("postgres://u:secret@h/db").expect("parses")
        );
        assert_eq!(shown, "postgres://u:***@h/db");
    }

    #[test]
    fn tags_round_trip() {
        let tags = vec!["child-protection".to_owned(), "court-skills".to_owned()];
        assert_eq!(join_tags(&tags), "|child-protection|court-skills|");
        assert_eq!(split_tags(&join_tags(&tags)), tags);
        assert!(split_tags(&join_tags(&[])).is_empty());
    }
}
