//! The application's state, at the bottom of the tree: what every handler may need (the
//! database, the configuration, the clock, the session memory, the evidence folder, the job
//! worker's bell). It imports only `db`, `config` and `clock`, so any feature may use it and
//! it never needs a feature.

pub mod evidence;
pub mod sessions;

pub use evidence::EvidenceStore;
pub use sessions::SessionCache;

use crate::{Clock, Config, Db};
use std::sync::Arc;

/// Everything a handler may need; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub evidence: EvidenceStore,
    /// Sessions already looked up (on only when this instance is the only one: SQLite).
    pub sessions: SessionCache,
    /// Wakes this instance's job worker when a job is queued here (others poll).
    pub jobs: Arc<tokio::sync::Notify>,
}

impl AppState {
    pub fn new(db: Db, config: Config, clock: Clock) -> Self {
        let evidence = EvidenceStore::new(config.evidence_dir());
        // Only a SQLite installation is sure to be the only instance (see sessions).
        let sessions = SessionCache::new(match db {
            Db::Sqlite(_) => sessions::SINGLE_INSTANCE_TTL,
            Db::Postgres(_) => std::time::Duration::ZERO,
        });
        Self {
            db,
            config: Arc::new(config),
            clock,
            evidence,
            sessions,
            jobs: Arc::new(tokio::sync::Notify::new()),
        }
    }
}
