//! The portable record: a person's whole record as `cairn-record/1`, exported and imported
//! by the API and the command line. Importing is idempotent: entries keep their ids, so the
//! same file imported twice adds nothing the second time.

pub mod api;

use crate::db::{Db, jobs};
use crate::learning::service::{self as entries, ImportedEntry};
use crate::people::service as people;
use cairn_core::record::{
    FORMAT, Record, RecordEmployment, RecordEntry, RecordPerson, RecordRegistration,
};
use cairn_core::{EntryDraft, FieldErrors, Hours};
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Entry ids that are not UUIDs (hand-written files, other systems) become stable UUIDs
/// derived from the person and the id, so that re-importing maps them to the same rows.
const IMPORTED_ID_NAMESPACE: Uuid = Uuid::from_u128(0x6361_6972_6e2d_7265_636f_7264_2d69_6473);

/// Builds the person's whole record.
pub async fn export(
    db: &Db,
    person_id: Uuid,
    today: Date,
    now: OffsetDateTime,
) -> anyhow::Result<Option<Record>> {
    let Some(person) = people::get_person(db, person_id).await? else {
        return Ok(None);
    };
    let employments = people::employments_of(db, person_id).await?;
    let recorded_since = people::recorded_since(db, person_id).await?;
    let hours_per_week = employments
        .iter()
        .find(|e| e.is_current(today))
        .map(|e| Hours::from_units(e.hours_per_week));
    let registrations = people::registrations_of(db, person_id)
        .await?
        .into_iter()
        .map(|r| RecordRegistration {
            register: r.register,
            part: r.part,
            start: r.start_date,
            first: Some(r.first),
        })
        .collect();
    let jobs = employments
        .iter()
        .map(|e| RecordEmployment {
            start: e.start_date,
            end: e.end_date,
            hours_per_week: Hours::from_units(e.hours_per_week),
        })
        .collect();
    let entries = entries::all_entries(db, person_id)
        .await?
        .iter()
        .map(|e| e.to_record_entry())
        .collect();
    Ok(Some(Record {
        format: FORMAT.to_owned(),
        person: RecordPerson {
            id: person.id.to_string(),
            name: person.name,
            email: Some(person.email),
            hours_per_week,
            registrations,
            employments: jobs,
            recorded_since,
        },
        entries,
        declarations: crate::standing::service::declarations_of(db, person_id)
            .await?
            .iter()
            .map(|d| d.to_record())
            .collect(),
        exported_at: Some(now),
    }))
}

/// What an import did.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct ImportReport {
    pub added: u64,
    pub already_present: u64,
    /// Entries the file said were endorsed: endorsement is never taken from a file (anyone
    /// can write `"endorsed": true`), so they come in unendorsed, to be asked for again.
    pub endorsement_not_carried: u64,
}

/// Why an import was refused; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// A record of more entries than this is imported as a background job.
pub const JOB_ENTRIES: usize = 2_000;

/// Adds the record's entries to the person's record, all or nothing. Every entry is checked
/// as if typed in; problems name their JSON path (`entries[3].hours`).
pub async fn import(
    db: &Db,
    person_id: Uuid,
    record: &Record,
    today: Date,
    now: OffsetDateTime,
) -> Result<ImportReport, ImportError> {
    let valid = check(db, person_id, record, today).await?;
    // The entries and how far back the record now reaches commit together.
    let mut tx = db.begin_write().await?;
    let added = entries::insert_entries_if_new_in(&mut tx, person_id, &valid, now).await?;
    if let Some(earliest) = valid.iter().map(|e| e.entry.date).min() {
        people::history_from_in(&mut tx, person_id, earliest).await?;
        // Periods before the history now reach are judged again.
        crate::standing::service::refresh_standing_in(&mut tx, person_id, now).await?;
    }
    tx.commit().await?;
    Ok(ImportReport {
        added,
        already_present: valid.len() as u64 - added,
        endorsement_not_carried: record.entries.iter().filter(|e| e.endorsed).count() as u64,
    })
}

/// Checks every entry of the record (before an import, or before queueing one), and gives
/// them as they would be stored.
pub async fn check(
    db: &Db,
    person_id: Uuid,
    record: &Record,
    today: Date,
) -> Result<Vec<ImportedEntry>, ImportError> {
    let mut errors = FieldErrors::default();
    let ids: Vec<Uuid> = record
        .entries
        .iter()
        .map(|entry| stable_id(person_id, &entry.id))
        .collect();
    let owners = entries::entry_owners(db, &ids).await?;
    let mut valid = Vec::with_capacity(record.entries.len());
    for (i, (entry, id)) in record.entries.iter().zip(ids).enumerate() {
        match draft_of(entry).validate(today) {
            Ok(checked) => valid.push(ImportedEntry {
                id,
                entry: checked,
                // Only an endorser in cairn endorses: a file's word for it is not enough.
                endorsed: false,
            }),
            Err(problems) => {
                for problem in problems.0 {
                    errors.push(format!("entries[{i}].{}", problem.field), problem.message);
                }
            }
        }
        if owners.get(&id).is_some_and(|owner| *owner != person_id) {
            errors.push(
                format!("entries[{i}].id"),
                "belongs to another person's record; give the entry a new id",
            );
        }
    }
    if errors.is_empty() {
        Ok(valid)
    } else {
        Err(ImportError::Invalid(errors))
    }
}

/// Runs a record import job (the record was checked when it was queued, and is checked
/// again: the person may have changed since). The import is one transaction and idempotent,
/// so a job taken over after a crash adds nothing twice.
pub async fn run_job(
    db: &Db,
    job: &jobs::Claimed,
    clock: &crate::clock::Clock,
) -> Result<bool, sqlx::Error> {
    let person_id = job
        .person_id
        .ok_or_else(|| sqlx::Error::Protocol("a record import job without a person".into()))?;
    let outcome = match cairn_core::record::parse(&job.input) {
        Err(error) => Err(format!("{}: {}", error.path, error.message)),
        Ok(record) => match import(db, person_id, &record, clock.today(), clock.now()).await {
            Ok(report) => {
                Ok(serde_json::to_string(&report).map_err(|e| sqlx::Error::Encode(Box::new(e)))?)
            }
            Err(ImportError::Invalid(errors)) => Err(format!(
                "Nothing was imported: {}",
                errors
                    .0
                    .iter()
                    .take(20)
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            Err(ImportError::Database(error)) => return Err(error),
        },
    };
    let outcome = outcome.as_deref().map_err(String::as_str);
    jobs::finish(db, job, outcome, clock.now()).await
}

fn stable_id(person_id: Uuid, id: &str) -> Uuid {
    Uuid::parse_str(id).unwrap_or_else(|_| {
        Uuid::new_v5(
            &IMPORTED_ID_NAMESPACE,
            format!("{person_id}/{id}").as_bytes(),
        )
    })
}

fn draft_of(entry: &RecordEntry) -> EntryDraft {
    EntryDraft {
        date: Some(entry.date.to_string()),
        title: Some(entry.title.clone()),
        kind: Some(entry.kind.to_string()),
        hours: Some(serde_json::Value::String(entry.hours.to_string())),
        topics: entry.topics.to_vec(),
        elements: entry.elements.to_vec(),
        reflection: entry.reflection.as_deref().map(str::to_owned),
        reflection_so_what: entry.reflection_so_what.clone(),
        reflection_now_what: entry.reflection_now_what.clone(),
        peer_reflection: entry.peer_reflection,
        peer_name: entry.peer_name.clone(),
        ..EntryDraft::default()
    }
}
