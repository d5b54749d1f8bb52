//! Configuration: one typed struct built from flags and environment variables, with
//! defaults that make a bare `cairn serve` work on a laptop.

use crate::db::{DbUrl, PoolSize};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything `serve` needs to know. Holds no secrets today; the database URL's password is
/// redacted wherever it is printed.
#[derive(Clone, Debug)]
pub struct Config {
    pub database: DbUrl,
    pub listen: SocketAddr,
    /// Where the SQLite file (by default) and evidence files live; never served directly.
    pub data_dir: PathBuf,
    /// Send cookies with `Secure` (on whenever cairn is reached over HTTPS).
    pub secure_cookies: bool,
    pub pool: PoolSize,
}

impl Config {
    /// A configuration for a data folder, with the SQLite file inside it.
    pub fn for_data_dir(data_dir: PathBuf) -> Self {
        Self {
            database: DbUrl::Sqlite(data_dir.join("cairn.db")),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir,
            secure_cookies: false,
            pool: PoolSize::default(),
        }
    }

    /// Where uploaded evidence is kept: inside the data folder, outside any web root.
    pub fn evidence_dir(&self) -> PathBuf {
        self.data_dir.join("evidence")
    }
}
