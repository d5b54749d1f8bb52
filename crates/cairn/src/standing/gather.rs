//! One person's rows from every table the rules read, in one statement inside a write
//! transaction, so that the standing a write keeps is judged from what that write changed.
//!
//! One statement, not five: each table's rows come back as one JSON array (SQLite's
//! `json_group_array`, PostgreSQL's `json_agg`), so a refresh costs one round trip. sqlx's
//! SQLite driver hands every row across a channel between threads; five queries and a row per
//! entry made a recorded entry four times slower under fifty clients (3,700 to 590 a second).

use super::org_policies::{OrgPolicyVersion, VersionRow};
use super::register::{Gathered, PersonRow, PostRow};
use super::report::{DeclarationRow, RegistrationRow};
use crate::db::{WriteTx, split_tags};
use cairn_core::Hours;
use cairn_core::entry::parse_iso_date;
use cairn_core::record::RecordEntry;
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// `$1` the person, `$2` the day (entries after it are not read). Ids are hex on SQLite (JSON
/// holds no blobs); flags are 0 and 1 there, booleans on PostgreSQL. Dates and ids are read
/// in place; text that may hold escapes (names, tags) is copied.
const GATHER_SQLITE: &str = "SELECT \
     (SELECT json_array(name, email, recorded_since) FROM person WHERE id = $1), \
     (SELECT json_group_array(json_array(hex(e.org_id), hex(e.team_id), t.name, t.locality, e.job_role, \
        e.start_date, e.end_date, e.hours_per_week)) \
        FROM employment e LEFT JOIN team t ON t.id = e.team_id WHERE e.person_id = $1), \
     (SELECT json_group_array(json_array(register, part, start_date, first)) FROM registration WHERE person_id = $1), \
     (SELECT json_group_array(json_array(date, kind, hours, topics, elements, peer_reflection, endorsed, reflected)) \
        FROM entry WHERE person_id = $1 AND deleted_at IS NULL AND date <= $2), \
     (SELECT json_group_array(json_array(policy_id, period_start, declared_on, status, verifier_role, verified_on)) \
        FROM declaration WHERE person_id = $1), \
     (SELECT json_group_array(json_array(hex(id), hex(org_id), policy_id, version, source_text, assigned_to, in_force_from, created_at)) \
        FROM org_policy WHERE org_id IN (SELECT org_id FROM employment WHERE person_id = $1))";
const GATHER_POSTGRES: &str = "SELECT \
     (SELECT json_build_array(name, email, recorded_since) FROM person WHERE id = $1)::text, \
     (SELECT COALESCE(json_agg(json_build_array(e.org_id, e.team_id, t.name, t.locality, e.job_role, \
        e.start_date, e.end_date, e.hours_per_week)), '[]') \
        FROM employment e LEFT JOIN team t ON t.id = e.team_id WHERE e.person_id = $1)::text, \
     (SELECT COALESCE(json_agg(json_build_array(register, part, start_date, first)), '[]') \
        FROM registration WHERE person_id = $1)::text, \
     (SELECT COALESCE(json_agg(json_build_array(date, kind, hours, topics, elements, peer_reflection, endorsed, reflected)), '[]') \
        FROM entry WHERE person_id = $1 AND deleted_at IS NULL AND date <= $2)::text, \
     (SELECT COALESCE(json_agg(json_build_array(policy_id, period_start, declared_on, status, verifier_role, verified_on)), '[]') \
        FROM declaration WHERE person_id = $1)::text, \
     (SELECT COALESCE(json_agg(json_build_array(id, org_id, policy_id, version, source_text, assigned_to, in_force_from, created_at)), '[]') \
        FROM org_policy WHERE org_id IN (SELECT org_id FROM employment WHERE person_id = $1))::text";

/// The arrays as text: the person (absent when they are not there), then their jobs,
/// registrations, entries and declarations, and the policies of their employers.
type Arrays = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// A flag as either backend writes it in JSON: 0 and 1, or false and true. (By hand: an
/// untagged enum would build an error for every flag it tried the wrong way first.)
struct Flag(bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Flag;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a boolean, or 0 or 1")
            }
            fn visit_bool<E>(self, value: bool) -> Result<Flag, E> {
                Ok(Flag(value))
            }
            fn visit_u64<E>(self, value: u64) -> Result<Flag, E> {
                Ok(Flag(value != 0))
            }
            fn visit_i64<E>(self, value: i64) -> Result<Flag, E> {
                Ok(Flag(value != 0))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Flag {
    fn get(&self) -> bool {
        self.0
    }
}

fn decode(error: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Decode(format!("a person's rows: {error}").into())
}

fn day(text: &str) -> Result<Date, sqlx::Error> {
    parse_iso_date(text).ok_or_else(|| decode(format!("`{text}` is not a date")))
}

fn maybe_day(text: Option<&str>) -> Result<Option<Date>, sqlx::Error> {
    text.map(day).transpose()
}

/// An id as either backend writes it: hex digits (SQLite) or the hyphenated form.
fn id(text: &str) -> Result<Uuid, sqlx::Error> {
    Uuid::parse_str(text).map_err(decode)
}

fn maybe_id(text: Option<&str>) -> Result<Option<Uuid>, sqlx::Error> {
    text.filter(|t| !t.is_empty()).map(id).transpose()
}

fn array<'a, T: Deserialize<'a>>(text: &'a Option<String>) -> Result<Vec<T>, sqlx::Error> {
    text.as_deref()
        .map_or(Ok(Vec::new()), |t| serde_json::from_str(t).map_err(decode))
}

/// One person's rows, and every version of the policies of the organisations that have
/// employed them, read inside `tx`; `None` when the person is not there.
pub(super) async fn gather_in(
    tx: &mut WriteTx,
    person_id: Uuid,
    as_of: Date,
) -> Result<Option<(Gathered, Vec<OrgPolicyVersion>)>, sqlx::Error> {
    let arrays: Arrays = match tx {
        WriteTx::Sqlite(tx) => {
            sqlx::query_as(GATHER_SQLITE)
                .bind(person_id)
                .bind(as_of)
                .fetch_one(&mut **tx)
                .await?
        }
        WriteTx::Postgres(tx) => {
            sqlx::query_as(GATHER_POSTGRES)
                .bind(person_id)
                .bind(as_of)
                .fetch_one(&mut **tx)
                .await?
        }
    };
    let (person, posts, registrations, entries, declarations, versions) = arrays;
    let Some(person) = person else {
        return Ok(None);
    };
    let (name, email, recorded_since): (String, String, Option<String>) =
        serde_json::from_str(&person).map_err(decode)?;
    type Job<'a> = (
        &'a str,
        Option<&'a str>,
        Option<String>,
        Option<String>,
        String,
        &'a str,
        Option<&'a str>,
        i64,
    );
    let posts = array::<Job>(&posts)?
        .into_iter()
        .map(
            |(org, team_id, team, locality, job_role, start, end, hours)| {
                Ok(PostRow {
                    person_id,
                    org_id: id(org)?,
                    team_id: maybe_id(team_id)?,
                    team,
                    locality,
                    job_role,
                    start_date: day(start)?,
                    end_date: maybe_day(end)?,
                    hours_per_week: hours,
                })
            },
        )
        .collect::<Result<_, sqlx::Error>>()?;
    let registrations = array::<(String, String, &str, Flag)>(&registrations)?
        .into_iter()
        .map(|(register, part, start, first)| {
            Ok(RegistrationRow {
                person_id,
                register,
                part,
                start_date: day(start)?,
                first: first.get(),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    type Entry<'a> = (&'a str, String, i64, String, String, Flag, Flag, Flag);
    let entries = array::<Entry>(&entries)?
        .into_iter()
        .map(
            |(date, kind, hours, topics, elements, peer, endorsed, reflected)| {
                Ok(RecordEntry {
                    id: String::new(),
                    date: day(date)?,
                    title: String::new(),
                    kind: kind.into(),
                    hours: Hours::from_units(hours),
                    topics: split_tags(&topics).into(),
                    elements: split_tags(&elements).into(),
                    peer_reflection: peer.get(),
                    peer_name: None,
                    endorsed: endorsed.get(),
                    reflection: reflected.get().then(|| "written".into()),
                    reflection_so_what: None,
                    reflection_now_what: None,
                })
            },
        )
        .collect::<Result<_, sqlx::Error>>()?;
    type Declared<'a> = (
        String,
        &'a str,
        &'a str,
        String,
        Option<String>,
        Option<&'a str>,
    );
    let declarations = array::<Declared>(&declarations)?
        .into_iter()
        .map(|(policy, start, declared, status, role, verified)| {
            Ok(DeclarationRow {
                person_id,
                policy_id: policy,
                period_start: day(start)?,
                declared_on: day(declared)?,
                status: status.parse().map_err(decode)?,
                verifier_role: role,
                verified_on: maybe_day(verified)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    type Version<'a> = (
        &'a str,
        &'a str,
        String,
        i64,
        String,
        String,
        &'a str,
        &'a str,
    );
    let versions = array::<Version>(&versions)?
        .into_iter()
        .map(
            |(version_id, org, policy, version, source, assigned, from, created)| {
                Ok(VersionRow {
                    id: id(version_id)?,
                    org_id: id(org)?,
                    policy_id: policy,
                    version,
                    source_text: source,
                    assigned_to: assigned,
                    in_force_from: day(from)?,
                    created_at: OffsetDateTime::parse(created, &Rfc3339).map_err(decode)?,
                }
                .into_version())
            },
        )
        .collect::<Result<_, sqlx::Error>>()?;
    let gathered = Gathered {
        person: PersonRow {
            id: person_id,
            name,
            email,
            recorded_since: maybe_day(recorded_since.as_deref())?,
        },
        posts,
        registrations,
        entries,
        declarations,
    };
    Ok(Some((gathered, versions)))
}
