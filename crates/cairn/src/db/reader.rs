//! A second, read-only way into an SQLite database, for the reads on every person's path.
//!
//! sqlx's SQLite driver runs each connection on a thread of its own and hands every row back
//! across a channel, copying each value on the way: under fifty concurrent clients a page of
//! fifty entries cost about eight context switches and a thousand small allocations, and that,
//! not SQLite, was most of the request. The reader runs a whole query on a reader thread with
//! rusqlite (the same libsqlite3 build) and hands back the finished result once.
//!
//! Only reads go this way, on connections opened read-only: every write stays with sqlx and its
//! transactions. WAL mode lets these readers run beside the writer.

use rusqlite::{Connection, OpenFlags};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::Duration;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};
use tokio::sync::oneshot;

/// Work for one of the threads: it gets the thread's connection, or why it could not be opened.
type Job = Box<dyn FnOnce(Result<&Connection, String>) + Send>;

/// How a thread opens its connection.
type Open = fn(&Path) -> rusqlite::Result<Connection>;

/// A fixed set of threads, each with its own read-only connection to one SQLite file, taking
/// reads from one queue. Fixed, not tokio's blocking pool: that pool grew to a thread per
/// overlapping request under load (each with its own allocator heap, 20+ threads, +40 MB
/// resident), and a thread that keeps its connection keeps that connection's page cache warm.
/// The threads end when the last clone of the [`Db`](super::Db) holding the reader is dropped.
pub struct Reader {
    path: PathBuf,
    jobs: flume::Sender<Job>,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader").field("path", &self.path).finish()
    }
}

impl Reader {
    /// Starts `threads` reader threads; each opens its connection on its first read.
    pub fn new(path: &Path, threads: u32) -> std::io::Result<Self> {
        Self::with(path, threads, "cairn-reader", open)
    }

    /// Starts `threads` threads named `name-N` whose connections `open` makes.
    pub(super) fn with(path: &Path, threads: u32, name: &str, open: Open) -> std::io::Result<Self> {
        // One queue that every idle thread waits on: a job wakes exactly one of them.
        let (jobs, queue) = flume::unbounded::<Job>();
        for n in 0..threads.max(1) {
            let (path, queue) = (path.to_owned(), queue.clone());
            std::thread::Builder::new()
                .name(format!("{name}-{n}"))
                .spawn(move || serve(&path, &queue, open))?;
        }
        Ok(Self {
            path: path.to_owned(),
            jobs,
        })
    }

    /// The database file it reads.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `read` on a reader thread's connection and waits for its result without blocking
    /// the async workers.
    pub async fn read<T, F>(&self, read: F) -> Result<T, sqlx::Error>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        self.run(move |connection| read(connection).map_err(into_sqlx))
            .await
    }

    /// Runs `work` on one of the threads' connections and waits for its result without
    /// blocking the async workers.
    pub(super) async fn run<T, F>(&self, work: F) -> Result<T, sqlx::Error>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, sqlx::Error> + Send + 'static,
    {
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move |connection| {
            let result = match connection {
                Ok(connection) => work(connection),
                Err(why) => Err(sqlx::Error::Io(std::io::Error::other(why))),
            };
            // The caller may have gone (a closed connection); nobody is left to tell.
            let _ = done.send(result);
        });
        self.jobs.send(job).map_err(|_| sqlx::Error::PoolClosed)?;
        // Work that panicked drops its sender: the thread itself carries on.
        result.await.map_err(|_| sqlx::Error::WorkerCrashed)?
    }
}

/// A thread: takes jobs from the queue until every sender is gone.
fn serve(path: &Path, queue: &flume::Receiver<Job>, open: Open) {
    let mut connection: Option<Connection> = None;
    while let Ok(job) = queue.recv() {
        if connection.is_none() {
            match open(path) {
                Ok(opened) => connection = Some(opened),
                Err(e) => {
                    job(Err(format!("cannot open {}: {e}", path.display())));
                    continue;
                }
            }
        }
        if let Some(connection) = &connection {
            let _ = std::panic::catch_unwind(AssertUnwindSafe(|| job(Ok(connection))));
        }
    }
}

/// Opens a read-only connection with the settings of the main pool that matter to a reader.
pub(crate) fn open(path: &Path) -> rusqlite::Result<Connection> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.busy_timeout(Duration::from_secs(30))?;
    // 4 MB each (the main pool's are 8): a reader's statements touch few pages, the OS caches
    // the file, and every connection's cache counts in the server's resident memory.
    connection.pragma_update(None, "cache_size", -4000)?;
    connection.set_prepared_statement_cache_capacity(32);
    Ok(connection)
}

/// Store functions speak `sqlx::Error`; a failed read is an I/O failure to them.
pub(crate) fn into_sqlx(error: rusqlite::Error) -> sqlx::Error {
    sqlx::Error::Io(std::io::Error::other(error))
}

/// A timestamp as sqlx writes it to SQLite (RFC 3339), so that text comparisons in SQL hold.
/// RFC 3339 fails only outside years 0-9999, which the clock never gives.
pub fn timestamp_text(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// A date as sqlx writes it to SQLite (`YYYY-MM-DD`).
pub fn date_text(day: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

/// Reads a timestamp sqlx wrote.
pub fn timestamp(row: &rusqlite::Row, index: usize) -> rusqlite::Result<OffsetDateTime> {
    optional_timestamp(row, index)?.ok_or(rusqlite::Error::InvalidColumnType(
        index,
        "a timestamp, not NULL".to_owned(),
        rusqlite::types::Type::Null,
    ))
}

/// Reads a timestamp sqlx wrote, or NULL.
pub fn optional_timestamp(
    row: &rusqlite::Row,
    index: usize,
) -> rusqlite::Result<Option<OffsetDateTime>> {
    row.get::<_, Option<String>>(index)?
        .map(|text| OffsetDateTime::parse(&text, &Rfc3339).map_err(|e| conversion(index, e)))
        .transpose()
}

/// Reads a date (`YYYY-MM-DD`).
pub fn date(row: &rusqlite::Row, index: usize) -> rusqlite::Result<Date> {
    let text = row.get_ref(index)?.as_str()?;
    cairn_core::entry::parse_iso_date(text).ok_or_else(|| {
        conversion(
            index,
            std::io::Error::other(format!("`{text}` is not a date")),
        )
    })
}

fn conversion(
    index: usize,
    error: impl std::error::Error + Send + Sync + 'static,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(error))
}

#[cfg(test)]
mod tests {
    use crate::db::{Db, DbUrl, PoolSize};

    #[tokio::test]
    async fn reads_see_committed_writes_and_survive_a_failed_read() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("reader.db");
        let url = DbUrl::Sqlite(path.clone());
        let db = Db::open(&url, PoolSize::default()).await.expect("opens");
        let Db::Sqlite(sqlite) = &db else {
            panic!("an SQLite URL opens SQLite");
        };
        sqlx::query("CREATE TABLE note (body TEXT NOT NULL)")
            .execute(&sqlite.pool)
            .await
            .expect("table");
        sqlx::query("INSERT INTO note (body) VALUES ($1)")
            .bind("written through sqlx")
            .execute(&sqlite.pool)
            .await
            .expect("insert");

        let read = |sql: &'static str| {
            sqlite
                .reader
                .read(move |c| c.query_row(sql, [], |row| row.get::<_, String>(0)))
        };
        assert_eq!(
            read("SELECT body FROM note").await.expect("reads"),
            "written through sqlx"
        );
        assert!(
            read("INSERT INTO note (body) VALUES ('x') RETURNING body")
                .await
                .is_err(),
            "reader connections are read-only"
        );
        let panicked = sqlite
            .reader
            .read(|_| -> rusqlite::Result<()> { panic!("a bug in a read") })
            .await;
        assert!(
            panicked.is_err(),
            "a panicking read is an error to its caller"
        );
        for _ in 0..8 {
            assert!(
                read("SELECT body FROM note").await.is_ok(),
                "and every reader thread carries on"
            );
        }
        db.close().await;
    }
}
