//! The portable record, `cairn-record/1`: a person's whole learning record as one JSON
//! document that they own, take to a new employer and feed to `cairn check`.
//!
//! Writers add fields freely; readers ignore the fields they do not know.

use crate::hours::Hours;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use time::{Date, OffsetDateTime};

/// An entry's topics or framework elements (ids), shared between the entries that hold the
/// same ones.
pub type Tags = Arc<[String]>;

fn no_tags() -> Tags {
    Arc::from([])
}

/// The `format` value of this version.
pub const FORMAT: &str = "cairn-record/1";

/// A whole portable record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Record {
    pub format: String,
    pub person: RecordPerson,
    #[serde(default)]
    pub entries: Vec<RecordEntry>,
    #[serde(default)]
    pub declarations: Vec<RecordDeclaration>,
    /// When the record was written (absent in hand-written files).
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub exported_at: Option<OffsetDateTime>,
}

/// Who the record belongs to, and what counts for their requirements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RecordPerson {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Contracted hours per week; absent means full time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_per_week: Option<Hours>,
    #[serde(default)]
    pub registrations: Vec<RecordRegistration>,
    /// The jobs the person has held, for `practice_hours` rules (hours worked come from
    /// these, not from entries).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub employments: Vec<RecordEmployment>,
    /// The day cairn began to hold the person's learning (when they were added, or the
    /// earliest entry of an imported history, whichever is earlier). An ended period that
    /// began before it is `not-recorded`, never judged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_since: Option<Date>,
}

/// One job: from `start` to `end` (the last day worked, inclusive; absent while it lasts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RecordEmployment {
    pub start: Date,
    #[serde(default)]
    pub end: Option<Date>,
    pub hours_per_week: Hours,
}

/// One registration with a regulator (or an employer's own scope, `EMP`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RecordRegistration {
    pub register: String,
    pub part: String,
    pub start: Date,
    /// Whether this is the person's first registration on the register, as the record says.
    /// Absent: the earliest on the register is taken as the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<bool>,
}

/// One piece of learning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RecordEntry {
    /// Absent in some hand-written files; the reader then numbers the entries itself.
    #[serde(default)]
    pub id: String,
    pub date: Date,
    #[serde(default)]
    pub title: String,
    /// The kind, the topics and the elements are shared (an `Arc`): a walk of the register
    /// reads millions of entries with a few hundred distinct values among them, and each is
    /// then made once (`cairn::standing::register`).
    #[serde(default = "other_kind")]
    #[schema(value_type = String)]
    pub kind: Arc<str>,
    /// Absent or 0 for learning that counts by number (a reflective account, feedback).
    #[serde(default)]
    pub hours: Hours,
    #[serde(default = "no_tags")]
    #[schema(value_type = Vec<String>)]
    pub topics: Tags,
    #[serde(default = "no_tags")]
    #[schema(value_type = Vec<String>)]
    pub elements: Tags,
    #[serde(default)]
    pub peer_reflection: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer_name: Option<String>,
    #[serde(default)]
    pub endorsed: bool,
    /// What happened (the first of the three reflection prompts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub reflection: Option<Arc<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reflection_so_what: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reflection_now_what: Option<String>,
}

impl RecordEntry {
    /// Whether any of the three reflection prompts has been written in.
    pub fn has_reflection(&self) -> bool {
        self.reflection
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty())
            || crate::entry::holds_reflection([
                &None,
                &self.reflection_so_what,
                &self.reflection_now_what,
            ])
    }
}

fn other_kind() -> Arc<str> {
    Arc::from("other")
}

/// A person's declaration that a policy's period is complete, and its verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RecordDeclaration {
    pub policy: String,
    #[serde(alias = "start")]
    pub period_start: Date,
    /// Absent in hand-written files: then it counts from the period's start.
    #[serde(default, alias = "date", skip_serializing_if = "Option::is_none")]
    pub declared_on: Option<Date>,
    /// The role of whoever verified it (e.g. `supervisor`), when it has been verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_on: Option<Date>,
}

/// Why a text is not a usable record, with the JSON path at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct RecordError {
    /// Where the problem is, e.g. `entries[3].hours` (`.` for the whole document).
    pub path: String,
    pub message: String,
}

/// Reads a `cairn-record/1` document, naming the JSON path of the first problem.
pub fn parse(json: &str) -> Result<Record, RecordError> {
    let deserializer = &mut serde_json::Deserializer::from_str(json);
    let mut record: Record = serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let message = error.inner().to_string();
        RecordError { path, message }
    })?;
    if record.format != FORMAT {
        return Err(RecordError {
            path: "format".into(),
            message: format!("is `{}`; this reader accepts `{FORMAT}`", record.format),
        });
    }
    for (i, entry) in record.entries.iter_mut().enumerate() {
        if entry.id.trim().is_empty() {
            entry.id = format!("entries[{i}]");
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (i, entry) in record.entries.iter().enumerate() {
        if !seen.insert(entry.id.as_str()) {
            return Err(RecordError {
                path: format!("entries[{i}].id"),
                message: format!("`{}` appears twice: each entry needs its own id", entry.id),
            });
        }
        if entry.hours < Hours::ZERO {
            return Err(RecordError {
                path: format!("entries[{i}].hours"),
                message: "must not be negative".into(),
            });
        }
    }
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"{"format": "cairn-record/1",
     "person": {"id": "p1", "name": "Ann", "hours_per_week": 37,
                "registrations": [{"register": "SSSC", "part": "social-worker", "start": "2018-03-15", "first": true}]},
     "entries": [{"id": "e1", "date": "2018-04-01", "title": "Risk", "kind": "course", "hours": 6,
                  "topics": ["risk-to-vulnerable-groups"], "elements": [], "peer_reflection": false,
                  "endorsed": false, "reflection": "…", "a_future_field": 1}],
     "declarations": []}"#;

    #[test]
    fn reads_the_documented_example_and_ignores_unknown_fields() {
        let record = parse(EXAMPLE).expect("valid");
        assert_eq!(
            record.person.registrations[0].start,
            time::macros::date!(2018 - 03 - 15)
        );
        assert_eq!(record.entries[0].hours, Hours::from_whole(6));
    }

    #[test]
    fn round_trips() {
        let record = parse(EXAMPLE).expect("valid");
        let again = parse(&serde_json::to_string(&record).expect("serialises")).expect("valid");
        assert_eq!(record, again);
    }

    #[test]
    fn names_the_json_path_of_a_bad_entry() {
        let bad = EXAMPLE.replace("\"hours\": 6", "\"hours\": \"six\"");
        let error = parse(&bad).expect_err("invalid");
        assert_eq!(error.path, "entries[0].hours");
    }

    #[test]
    fn hand_written_records_may_leave_out_ids_hours_and_dates_of_declaring() {
        let text = r#"{"format": "cairn-record/1", "person": {"registrations": []},
          "entries": [{"date": "2024-01-01", "title": "Reflective account", "kind": "reflective-account"},
                      {"date": "2024-02-01", "title": "Course", "hours": "2.5"}],
          "declarations": [{"policy": "nmc-revalidation", "period_start": "2022-01-01", "verified_by": "supervisor"}]}"#;
        let record = parse(text).expect("lenient where it is safe");
        assert_eq!(record.entries[0].id, "entries[0]");
        assert_eq!(record.entries[0].hours, Hours::ZERO);
        assert_eq!(record.declarations[0].declared_on, None);
        let negative = text.replace("\"2.5\"", "-1");
        assert_eq!(
            parse(&negative).expect_err("negative").path,
            "entries[1].hours"
        );
    }

    #[test]
    fn refuses_another_format() {
        let error =
            parse(&EXAMPLE.replace("cairn-record/1", "cairn-record/9")).expect_err("invalid");
        assert_eq!(error.path, "format");
    }
}
