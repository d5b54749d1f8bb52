//! What the record's pages show: the entry form as typed (every value comes back when
//! something is wrong) and one line of a list of entries.

use super::Entry;
use crate::web::page::long_date;
use cairn_core::{EntryDraft, vocabulary};
use serde::Deserialize;

impl EntryLine {
    /// One line of a list of entries (home page, My record).
    pub fn from_entry(e: &Entry) -> Self {
        EntryLine {
            id: e.id.to_string(),
            title: e.title.clone(),
            date: e.date.to_string(),
            date_label: long_date(e.date),
            kind_label: vocabulary::label(vocabulary::KINDS, &e.kind)
                .unwrap_or("Other")
                .to_owned(),
            hours: e.hours.to_string(),
            has_reflection: e.has_reflection(),
        }
    }
}

/// One entry as the home page and My record list it.
pub struct EntryLine {
    pub id: String,
    pub title: String,
    pub date: String,
    pub date_label: String,
    pub kind_label: String,
    pub hours: String,
    pub has_reflection: bool,
}

/// The quick capture form as typed; every value comes back if something is wrong.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaptureForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub topics: String,
    #[serde(default)]
    pub reflection: String,
    #[serde(default)]
    pub reflection_so_what: String,
    #[serde(default)]
    pub reflection_now_what: String,
    pub peer_reflection: Option<String>,
    #[serde(default)]
    pub peer_name: String,
    /// On the entry page: the version the person opened.
    #[serde(default)]
    pub version: String,
}

impl CaptureForm {
    /// The form filled in from a stored entry, for changing it.
    pub fn from_entry(entry: &Entry) -> Self {
        let topics: Vec<String> = entry
            .topics
            .iter()
            .map(|t| {
                vocabulary::label(vocabulary::TOPICS, t).map_or_else(|| t.clone(), str::to_owned)
            })
            .collect();
        CaptureForm {
            csrf: String::new(),
            date: entry.date.to_string(),
            title: entry.title.clone(),
            hours: entry.hours.to_string(),
            kind: entry.kind.clone(),
            topics: topics.join(", "),
            reflection: entry.reflection.clone().unwrap_or_default(),
            reflection_so_what: entry.reflection_so_what.clone().unwrap_or_default(),
            reflection_now_what: entry.reflection_now_what.clone().unwrap_or_default(),
            peer_reflection: entry.peer_reflection.then(|| "yes".to_owned()),
            peer_name: entry.peer_name.clone().unwrap_or_default(),
            version: entry.version.to_string(),
        }
    }

    pub fn peer(&self) -> bool {
        self.peer_reflection.is_some()
    }
    /// Whether anything beyond the three quick fields was filled in (then the details stay open).
    pub fn has_details(&self) -> bool {
        !(self.topics.is_empty()
            && self.reflection.is_empty()
            && self.reflection_so_what.is_empty()
            && self.reflection_now_what.is_empty())
            || self.peer()
            || (!self.kind.is_empty() && self.kind != "other")
    }
    /// The entry as the API would receive it. Topics typed as their labels become their ids.
    pub fn to_draft(&self) -> EntryDraft {
        let topics = vocabulary::ids_from_typed(&self.topics, &[vocabulary::TOPICS]);
        let text = |s: &str| Some(s.to_owned()).filter(|s| !s.trim().is_empty());
        EntryDraft {
            date: Some(self.date.clone()),
            title: Some(self.title.clone()),
            kind: text(&self.kind),
            hours: Some(serde_json::Value::String(self.hours.clone())),
            topics,
            reflection: text(&self.reflection),
            reflection_so_what: text(&self.reflection_so_what),
            reflection_now_what: text(&self.reflection_now_what),
            peer_reflection: self.peer(),
            peer_name: text(&self.peer_name),
            ..EntryDraft::default()
        }
    }
}
