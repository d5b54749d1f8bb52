//! One thread that runs whole write transactions on an SQLite database, for the write on
//! every person's path: recording a piece of learning.
//!
//! A recorded entry is five statements (begin, insert, gather the person's record, replace
//! their kept standing, commit) and SQLite takes its write lock for all of them. Through sqlx
//! each statement is a hand-off between a tokio worker and the connection's own thread, and
//! under fifty clients the lock was held across every one of those wake-ups while other
//! writers slept in SQLite's busy handler: 1,490 entries a second, against 3,700 before the
//! standing was kept. Here the whole transaction runs at once on one thread with its own
//! connection (rusqlite, the same libsqlite3 build), and comes back once; writers queue on
//! the channel, in order, instead of sleeping and retrying.
//!
//! sqlx's pool still does every other write; the two take SQLite's one write lock in turn.

use super::reader::{Reader, into_sqlx};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::Path;
use std::time::Duration;

/// The writer thread of one SQLite file. The thread ends when the last clone of the
/// [`Db`](super::Db) holding it is dropped.
#[derive(Debug)]
pub struct Writer {
    thread: Reader,
}

impl Writer {
    /// Starts the thread; it opens its connection on its first write.
    pub fn new(path: &Path) -> std::io::Result<Self> {
        Ok(Self {
            thread: Reader::with(path, 1, "cairn-writer", open)?,
        })
    }

    /// Runs `write` in one transaction (`BEGIN IMMEDIATE`) on the writer thread: it commits
    /// when `write` returns `Ok` and rolls back otherwise (or if it panics).
    pub async fn write<T, F>(&self, write: F) -> Result<T, sqlx::Error>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction) -> Result<T, sqlx::Error> + Send + 'static,
    {
        self.thread
            .run(move |connection| {
                let tx = Transaction::new_unchecked(connection, TransactionBehavior::Immediate)
                    .map_err(into_sqlx)?;
                let value = write(&tx)?;
                tx.commit().map_err(into_sqlx)?;
                Ok(value)
            })
            .await
    }
}

/// Opens the writer's connection with the main pool's settings (see
/// [`sqlite_options`](super::sqlite_options)): the file is already in WAL mode and migrated.
fn open(path: &Path) -> rusqlite::Result<Connection> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.busy_timeout(Duration::from_secs(30))?;
    connection.pragma_update(None, "foreign_keys", true)?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.pragma_update(None, "cache_size", -8000)?;
    connection.set_prepared_statement_cache_capacity(32);
    Ok(connection)
}

#[cfg(test)]
mod tests {
    use crate::db::{Db, DbUrl, PoolSize};

    #[tokio::test]
    async fn writes_commit_whole_or_not_at_all_and_sqlx_sees_them() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let url = DbUrl::Sqlite(folder.path().join("writer.db"));
        let db = Db::open(&url, PoolSize::default()).await.expect("opens");
        let Db::Sqlite(sqlite) = &db else {
            panic!("an SQLite URL opens SQLite");
        };
        sqlx::query("CREATE TABLE note (body TEXT NOT NULL UNIQUE)")
            .execute(&sqlite.pool)
            .await
            .expect("table");
        let insert = |body: &'static str, twice: bool| {
            sqlite.writer.write(move |tx| {
                let add = |b: &str| tx.execute("INSERT INTO note (body) VALUES (?1)", [b]);
                add(body).map_err(crate::db::reader::into_sqlx)?;
                if twice {
                    add(body).map_err(crate::db::reader::into_sqlx)?;
                }
                Ok(())
            })
        };
        insert("kept", false).await.expect("writes");
        assert!(
            insert("lost", true).await.is_err(),
            "the second insert breaks the constraint"
        );
        let panicked = sqlite
            .writer
            .write(|tx| -> Result<(), sqlx::Error> {
                tx.execute("INSERT INTO note (body) VALUES ('half')", [])
                    .expect("inserts");
                panic!("a bug in a write")
            })
            .await;
        assert!(panicked.is_err(), "a panicking write is an error");
        insert("after", false).await.expect("the thread carries on");
        let notes: Vec<String> = sqlx::query_scalar("SELECT body FROM note ORDER BY body")
            .fetch_all(&sqlite.pool)
            .await
            .expect("reads");
        assert_eq!(notes, ["after", "kept"], "nothing of the failed writes");
        db.close().await;
    }
}
