//! The learning record: entries, their evidence files, the bin (undo for 30 days), the
//! JSON API under `/api/v1/me/entries`, My record and the entry page.

pub mod api;
pub mod evidence;
pub mod export;
pub mod pages;
pub mod params;
pub mod service;
pub mod store;
pub mod views;

use cairn_core::Hours;
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// How long a deleted entry can be restored.
pub const UNDO_DAYS: i64 = 30;

/// An entry as stored and as the API returns it. Field names match `cairn-record/1`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Entry {
    pub id: Uuid,
    pub date: Date,
    pub title: String,
    pub kind: String,
    pub hours: Hours,
    pub topics: Vec<String>,
    pub elements: Vec<String>,
    pub reflection: Option<String>,
    pub reflection_so_what: Option<String>,
    pub reflection_now_what: Option<String>,
    pub peer_reflection: bool,
    pub peer_name: Option<String>,
    pub endorsed: bool,
    pub evidence: Vec<EvidenceFile>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub deleted_at: Option<OffsetDateTime>,
}

impl Entry {
    /// Whether any of the three reflection prompts has been answered.
    pub fn has_reflection(&self) -> bool {
        self.reflection.is_some()
            || self.reflection_so_what.is_some()
            || self.reflection_now_what.is_some()
    }

    /// The entry in the portable record's form.
    pub fn to_record_entry(&self) -> cairn_core::record::RecordEntry {
        cairn_core::record::RecordEntry {
            id: self.id.to_string(),
            date: self.date,
            title: self.title.clone(),
            kind: self.kind.as_str().into(),
            hours: self.hours,
            topics: self.topics.as_slice().into(),
            elements: self.elements.as_slice().into(),
            peer_reflection: self.peer_reflection,
            peer_name: self.peer_name.clone(),
            endorsed: self.endorsed,
            reflection: self.reflection.as_deref().map(Into::into),
            reflection_so_what: self.reflection_so_what.clone(),
            reflection_now_what: self.reflection_now_what.clone(),
        }
    }
}

/// An evidence file attached to an entry (its bytes live in the evidence folder).
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct EvidenceFile {
    pub id: Uuid,
    #[serde(skip)]
    pub entry_id: Uuid,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

/// Which entries to list.
#[derive(Debug, Clone, Default)]
pub struct EntryFilter {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub kind: Option<String>,
    pub topic: Option<String>,
    pub element: Option<String>,
    pub has_reflection: Option<bool>,
    pub peer_reflection: Option<bool>,
    /// Words to find in titles and reflections.
    pub text: Option<String>,
    /// The bin (deleted entries that can still be restored) instead of the record.
    pub deleted: bool,
}

impl EntryFilter {
    /// No condition and not the bin: the record as its owner opens it.
    pub fn is_whole_record(&self) -> bool {
        let EntryFilter {
            from,
            to,
            kind,
            topic,
            element,
            has_reflection,
            peer_reflection,
            text,
            deleted,
        } = self;
        from.is_none()
            && to.is_none()
            && kind.is_none()
            && topic.is_none()
            && element.is_none()
            && has_reflection.is_none()
            && peer_reflection.is_none()
            && text.is_none()
            && !deleted
    }
}

/// One page of entries and the totals of everything the filter matches.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EntryPage {
    pub entries: Vec<Entry>,
    pub total: i64,
    pub total_hours: Hours,
    pub limit: i64,
    pub offset: i64,
}
