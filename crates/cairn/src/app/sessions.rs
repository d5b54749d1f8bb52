//! A short-lived, per-instance memory of sessions already looked up, so that a person making
//! many requests in a row does not cost a database query for each one.
//!
//! It is on only where this instance is the only one (SQLite: the database is a local file),
//! because there every change that ends a session or alters roles passes through this process
//! and forgets what it changes. With PostgreSQL several instances may share the sessions, and
//! a sign-out on one must end the session on the others at once, so the cache is off. Changes
//! made by the command line against a running server reach it within [`SessionCache::ttl`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use time::OffsetDateTime;
use uuid::Uuid;

/// What a session is for: a browser's cookie or an API client's bearer token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Browser,
    Api,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Browser => "browser",
            SessionKind::Api => "api",
        }
    }
}

/// A live session with who it belongs to and their roles.
#[derive(Debug, Clone)]
pub struct Session {
    pub person_id: Uuid,
    pub name: String,
    pub email: String,
    pub csrf_token: String,
    pub last_seen_at: OffsetDateTime,
    pub roles: Vec<cairn_core::RoleGrant>,
}

/// How long a looked-up session is trusted without asking the database again.
pub const SINGLE_INSTANCE_TTL: Duration = Duration::from_secs(5);
/// At most this many sessions are remembered; past it the memory starts again.
const CAPACITY: usize = 20_000;

/// Token hash -> when it was looked up, what kind it is, and the session.
type Entries = HashMap<String, (OffsetDateTime, SessionKind, Session)>;

#[derive(Clone, Debug, Default)]
pub struct SessionCache {
    ttl: Duration,
    entries: Arc<Mutex<Entries>>,
}

impl SessionCache {
    /// A cache that trusts a session for `ttl`; zero turns it off.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Arc::default(),
        }
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A panic while holding the lock cannot leave a half-written entry behind.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The session of this kind with this token hash, if it was looked up less than `ttl`
    /// before `now` (the application's clock, so that tests which move time see it expire).
    pub fn get(&self, token_hash: &str, kind: SessionKind, now: OffsetDateTime) -> Option<Session> {
        if self.ttl.is_zero() {
            return None;
        }
        let entries = self.lock();
        let (at, cached_kind, session) = entries.get(token_hash)?;
        (*cached_kind == kind && *at <= now && now - *at < self.ttl).then(|| session.clone())
    }

    pub fn put(&self, token_hash: &str, kind: SessionKind, session: &Session, now: OffsetDateTime) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.lock();
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(token_hash.to_owned(), (now, kind, session.clone()));
    }

    /// Forgets one session (signed out, token revoked).
    pub fn forget(&self, token_hash: &str) {
        self.lock().remove(token_hash);
    }

    /// Forgets every session of one person (password changed, roles changed).
    pub fn forget_person(&self, person_id: Uuid) {
        self.lock()
            .retain(|_, (_, _, session)| session.person_id != person_id);
    }

    /// Forgets everything (many people's roles may have changed, e.g. an HR feed).
    pub fn clear(&self) {
        self.lock().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: SessionKind = SessionKind::Api;
    const T0: OffsetDateTime = OffsetDateTime::UNIX_EPOCH;

    fn session(person_id: Uuid) -> Session {
        Session {
            person_id,
            name: "A".into(),
            email: "a@example.org".into(),
            csrf_token: "t".into(),
            last_seen_at: OffsetDateTime::UNIX_EPOCH,
            roles: Vec::new(),
        }
    }

    #[test]
    fn remembers_for_its_lifetime_and_forgets_on_request() {
        let cache = SessionCache::new(Duration::from_secs(60));
        let (ann, bob) = (Uuid::now_v7(), Uuid::now_v7());
        cache.put("a1", API, &session(ann), T0);
        cache.put("a2", API, &session(ann), T0);
        cache.put("b1", API, &session(bob), T0);
        assert_eq!(cache.get("a1", API, T0).map(|s| s.person_id), Some(ann));
        assert!(
            cache.get("a1", SessionKind::Browser, T0).is_none(),
            "a token is only good for its own kind"
        );
        cache.forget("a1");
        assert!(cache.get("a1", API, T0).is_none());
        cache.forget_person(ann);
        assert!(cache.get("a2", API, T0).is_none());
        assert!(cache.get("b1", API, T0).is_some());
        cache.clear();
        assert!(cache.get("b1", API, T0).is_none());
    }

    #[test]
    fn a_zero_lifetime_remembers_nothing() {
        let cache = SessionCache::new(Duration::ZERO);
        cache.put("a1", API, &session(Uuid::now_v7()), T0);
        assert!(cache.get("a1", API, T0).is_none());
    }

    #[test]
    fn an_expired_entry_is_not_trusted() {
        let cache = SessionCache::new(Duration::from_secs(1));
        cache.put("a1", API, &session(Uuid::now_v7()), T0);
        assert!(cache.get("a1", API, T0).is_some());
        assert!(cache.get("a1", API, T0 + Duration::from_secs(2)).is_none());
        assert!(
            cache.get("a1", API, T0 - Duration::from_secs(2)).is_none(),
            "a clock moved back does not stretch the lifetime"
        );
    }
}
