//! A second, read-only way into an SQLite database, for the reads on every person's path.
//!
//! sqlx's SQLite driver runs each connection on a thread of its own and hands every row back
//! across a channel, copying each value on the way: under fifty concurrent clients a page of
//! fifty entries cost about eight context switches and a thousand small allocations, and that,
//! not SQLite, was most of the request. The reader runs a whole query on tokio's blocking pool
//! with rusqlite (the same libsqlite3 build) and hands back the finished result once.
//!
//! Only reads go this way, on connections opened read-only: every write stays with sqlx and its
//! transactions. WAL mode lets these readers run beside the writer.

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};
use tokio::sync::Semaphore;

/// Read-only connections to one SQLite file, opened on first use and kept.
pub struct Reader {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    /// At most this many reads at once: each holds a blocking thread and a connection.
    permits: Semaphore,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader").field("path", &self.path).finish()
    }
}

impl Reader {
    pub fn new(path: &Path, max_connections: u32) -> Self {
        Self {
            path: path.to_owned(),
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(max_connections.max(1) as usize),
        }
    }

    /// Runs `read` on a connection of its own, off the async workers.
    pub async fn read<T, F>(&self, read: F) -> Result<T, sqlx::Error>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let connection = match self.idle.lock().map(|mut idle| idle.pop()) {
            Ok(Some(connection)) => connection,
            _ => open(&self.path).map_err(into_sqlx)?,
        };
        let (connection, result) = tokio::task::spawn_blocking(move || {
            let result = read(&connection);
            (connection, result)
        })
        .await
        .map_err(|e| sqlx::Error::Io(std::io::Error::other(e)))?;
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(connection);
        }
        result.map_err(into_sqlx)
    }
}

/// Opens a read-only connection with the settings of the main pool that matter to a reader.
fn open(path: &Path) -> rusqlite::Result<Connection> {
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
fn into_sqlx(error: rusqlite::Error) -> sqlx::Error {
    sqlx::Error::Io(std::io::Error::other(error))
}

/// A timestamp as sqlx writes it to SQLite (RFC 3339), so that text comparisons in SQL hold.
pub fn timestamp_text(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// Reads a timestamp sqlx wrote.
pub fn timestamp(row: &rusqlite::Row, index: usize) -> rusqlite::Result<OffsetDateTime> {
    let text: String = row.get(index)?;
    OffsetDateTime::parse(&text, &Rfc3339).map_err(|e| conversion(index, e))
}

pub fn optional_timestamp(
    row: &rusqlite::Row,
    index: usize,
) -> rusqlite::Result<Option<OffsetDateTime>> {
    match row.get::<_, Option<String>>(index)? {
        None => Ok(None),
        Some(text) => OffsetDateTime::parse(&text, &Rfc3339)
            .map(Some)
            .map_err(|e| conversion(index, e)),
    }
}

/// Reads a date (`YYYY-MM-DD`).
pub fn date(row: &rusqlite::Row, index: usize) -> rusqlite::Result<Date> {
    let text: String = row.get(index)?;
    cairn_core::entry::parse_iso_date(&text).ok_or_else(|| {
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
