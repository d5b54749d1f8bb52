//! The HR feed: a CSV file with one row per person, from the command line or the browser.
//! Each row is checked on its own; good rows are applied (each all or nothing) and bad ones
//! reported with their line numbers, so a feed with one typo still loads the rest.
//!
//! An organisation changes only the people it employs. A row for someone who already has a
//! cairn record and does not work here becomes an invitation they accept or decline (their
//! record stays theirs, and this organisation sees it only once accepted). The report never
//! tells the two apart: a new person and an invited one are both "added", so a feed cannot
//! be used to find out whether an email is known to cairn.
//!
//! Columns (header row required, any order; only the first four must have values):
//! `email, name, job_role, start_date, end_date, team, hours_per_week, register, part,
//! registration_start, first_registration, roles, supervisor_email, birth_year`.

use super::store;
use super::{NewEmployment, NewPerson, NewRegistration, Offer};
use crate::db::Db;
use cairn_core::entry::parse_iso_date;
use cairn_core::{Email, FieldErrors, Hours, vocabulary};
use serde::Serialize;
use std::collections::HashMap;
use time::OffsetDateTime;
use uuid::Uuid;

/// Every column the feed understands.
pub const COLUMNS: &[&str] = &[
    "email",
    "name",
    "job_role",
    "start_date",
    "end_date",
    "team",
    "hours_per_week",
    "register",
    "part",
    "registration_start",
    "first_registration",
    "roles",
    "supervisor_email",
    "birth_year",
];
const REQUIRED: &[&str] = &["email", "name", "job_role", "start_date"];

/// What happened to each line.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// New to this organisation: created, or invited when they already have a record.
    pub added: Vec<LineOutcome>,
    pub updated: Vec<LineOutcome>,
    pub rejected: Vec<LineRejection>,
}

/// A line that was applied.
#[derive(Debug, Clone, Serialize)]
pub struct LineOutcome {
    pub line: u64,
    pub email: String,
}

/// A line that was not applied, and why.
#[derive(Debug, Clone, Serialize)]
pub struct LineRejection {
    pub line: u64,
    pub errors: Vec<String>,
}

impl ImportReport {
    /// The report as lines for a terminal.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "{} added, {} updated, {} rejected\n",
            self.added.len(),
            self.updated.len(),
            self.rejected.len()
        );
        if !self.added.is_empty() {
            out.push_str(ADDED_NOTE);
            out.push('\n');
        }
        for line in &self.added {
            out.push_str(&format!("line {}: added {}\n", line.line, line.email));
        }
        for line in &self.updated {
            out.push_str(&format!("line {}: updated {}\n", line.line, line.email));
        }
        for line in &self.rejected {
            out.push_str(&format!(
                "line {}: rejected: {}\n",
                line.line,
                line.errors.join("; ")
            ));
        }
        out
    }
}

/// What "added" means, for every report that lists them.
pub const ADDED_NOTE: &str = "People added are new to this organisation. Anyone who already \
     keeps a cairn record is invited: they appear in your people list once they accept.";

/// Why the file as a whole could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("{0}")]
    Unreadable(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Reads and applies a feed for `org_id`.
pub async fn import_people(
    db: &Db,
    org_id: Uuid,
    csv_text: &str,
    now: OffsetDateTime,
) -> Result<ImportReport, FeedError> {
    // Spreadsheets often save a byte-order mark before the header.
    let csv_text = csv_text.strip_prefix('\u{feff}').unwrap_or(csv_text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(csv_text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| FeedError::Unreadable(format!("line 1: the header row cannot be read: {e}")))?
        .clone();
    let columns: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.to_lowercase(), i))
        .collect();
    let unknown: Vec<&str> = headers
        .iter()
        .filter(|h| !COLUMNS.contains(&h.to_lowercase().as_str()))
        .collect();
    if !unknown.is_empty() {
        return Err(FeedError::Unreadable(format!(
            "line 1: unknown column(s) {}; the columns are: {}",
            unknown.join(", "),
            COLUMNS.join(", ")
        )));
    }
    let missing: Vec<&&str> = REQUIRED
        .iter()
        .filter(|c| !columns.contains_key(**c))
        .collect();
    if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|c| **c).collect();
        return Err(FeedError::Unreadable(format!(
            "line 1: the header row lacks required column(s): {}",
            names.join(", ")
        )));
    }
    let teams: HashMap<String, Uuid> = store::list_teams(db, org_id)
        .await?
        .into_iter()
        .map(|t| (t.name.to_lowercase(), t.id))
        .collect();
    let org_name = store::get_org(db, org_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let mut report = ImportReport::default();
    let mut supervision: Vec<(u64, Uuid, Email)> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line());
                report.rejected.push(LineRejection {
                    line,
                    errors: vec![format!("cannot be read as CSV: {error}")],
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != headers.len() {
            let message = format!(
                "has {} columns but the header has {}",
                record.len(),
                headers.len()
            );
            report.rejected.push(LineRejection {
                line,
                errors: vec![message],
            });
            continue;
        }
        // NUL cannot be stored on PostgreSQL; no control character belongs in a feed.
        let controls: Vec<String> = headers
            .iter()
            .zip(record.iter())
            .filter_map(|(column, value)| {
                crate::web::text_guard::forbidden_char(value)
                    .map(|c| format!("{column} {}", crate::web::text_guard::message(c)))
            })
            .collect();
        if !controls.is_empty() {
            report.rejected.push(LineRejection {
                line,
                errors: controls,
            });
            continue;
        }
        let get = |name: &str| {
            columns
                .get(name)
                .and_then(|i| record.get(*i))
                .filter(|v| !v.is_empty())
        };
        let (person, employment, supervisor) = match parse_row(&get, org_id, &teams, now) {
            Ok(parsed) => parsed,
            Err(errors) => {
                report.rejected.push(LineRejection {
                    line,
                    errors: errors.0.iter().map(|e| e.to_string()).collect(),
                });
                continue;
            }
        };
        let outcome = LineOutcome {
            line,
            email: person.email.to_string(),
        };
        let today = now.date();
        match store::person_by_email(db, person.email.as_str()).await? {
            None => {
                let id = store::insert_person(db, &person, now).await?;
                report.added.push(outcome);
                if let Some(supervisor) = supervisor {
                    supervision.push((line, id, supervisor));
                }
            }
            Some(existing) if store::holds(db, org_id, existing.id, today).await? => {
                store::update_person_from_feed(db, existing.id, &person, org_id, now).await?;
                report.updated.push(outcome);
                if let Some(supervisor) = supervisor {
                    supervision.push((line, existing.id, supervisor));
                }
            }
            Some(existing)
                if ended_before(&employment, today)
                    && store::ever_employed(db, org_id, existing.id).await? =>
            {
                // A leaver's row may still correct the employment it ended; nothing else.
                store::update_past_employment(db, existing.id, &employment).await?;
                report.updated.push(outcome);
            }
            Some(existing) => {
                let offer = offer_of(person, employment, supervisor, &roles_in(org_id));
                let message = format!(
                    "{} would like to add you to their staff as {}, from {}. Open this to accept or decline.",
                    org_name,
                    offer.employment.job_role,
                    cairn_core::long_date(offer.employment.start_date)
                );
                let before = store::invitation_status(db, org_id, existing.id).await?;
                store::invite(db, org_id, existing.id, &offer, &message, now).await?;
                // Asked before: the same row again is an update, as for anyone added before.
                if before.is_none() {
                    report.added.push(outcome);
                } else {
                    report.updated.push(outcome);
                }
            }
        }
    }
    // Supervisors are linked once everyone in the file exists, so rows may come in any order;
    // a supervisor must work here (the message is the same whether or not the email exists).
    for (line, supervisee, supervisor_email) in supervision {
        match store::employee_by_email(db, org_id, supervisor_email.as_str(), now.date()).await? {
            Some(supervisor) if supervisor.id != supervisee => store::add_supervision(db, supervisor.id, supervisee, org_id).await?,
            Some(_) => report.rejected.push(LineRejection { line, errors: vec!["supervisor_email: a person cannot supervise themselves".into()] }),
            None => report.rejected.push(LineRejection {
                line,
                errors: vec![format!("supervisor_email: nobody working for this organisation has the email {supervisor_email}; the rest of the line was applied")],
            }),
        }
    }
    report.rejected.sort_by_key(|r| r.line);
    Ok(report)
}

/// Whether the row describes an employment that ended before `today` (a leaver).
fn ended_before(employment: &NewEmployment, today: time::Date) -> bool {
    employment.end_date.is_some_and(|end| end < today)
}

fn roles_in(org_id: Uuid) -> impl Fn(&(Uuid, String)) -> Option<String> {
    move |(role_org, role)| (*role_org == org_id).then(|| role.clone())
}

/// The row as an offer to someone this organisation does not employ yet.
fn offer_of(
    person: NewPerson,
    employment: NewEmployment,
    supervisor: Option<Email>,
    in_org: &dyn Fn(&(Uuid, String)) -> Option<String>,
) -> Offer {
    Offer {
        roles: person.roles.iter().filter_map(in_org).collect(),
        name: person.name,
        employment,
        registrations: person.registrations,
        supervisor_email: supervisor.map(|e| e.to_string()),
    }
}

type Row<'a> = dyn Fn(&str) -> Option<&'a str> + 'a;

fn parse_row<'a>(
    get: &Row<'a>,
    org_id: Uuid,
    teams: &HashMap<String, Uuid>,
    now: OffsetDateTime,
) -> Result<(NewPerson, NewEmployment, Option<Email>), FieldErrors> {
    let mut errors = FieldErrors::default();
    let email = match get("email").map(Email::parse) {
        Some(Ok(email)) => Some(email),
        Some(Err(message)) => {
            errors.push("email", message);
            None
        }
        None => {
            errors.push("email", "is required");
            None
        }
    };
    let name = get("name").map(str::to_owned);
    if name.is_none() {
        errors.push("name", "is required");
    }
    let job_role = get("job_role").map(str::to_owned);
    if job_role.is_none() {
        errors.push(
            "job_role",
            "is required (for example: social worker, support worker)",
        );
    }
    let mut date = |column: &str, required: bool| match get(column) {
        Some(text) => {
            let parsed = parse_iso_date(text);
            if parsed.is_none() {
                errors.push(column, format!("`{text}` is not a date: write YYYY-MM-DD"));
            }
            parsed
        }
        None => {
            if required {
                errors.push(column, "is required (YYYY-MM-DD)");
            }
            None
        }
    };
    let start_date = date("start_date", true);
    let end_date = date("end_date", false);
    let registration_start = date("registration_start", false);
    let team_id = match get("team") {
        Some(team) => match teams.get(&team.to_lowercase()) {
            Some(id) => Some(*id),
            None => {
                let mut known: Vec<&String> = teams.keys().collect();
                known.sort();
                let known: Vec<&str> = known.iter().map(|k| k.as_str()).collect();
                errors.push(
                    "team",
                    format!(
                        "`{team}` is not a team of this organisation; its teams are: {}",
                        known.join(", ")
                    ),
                );
                None
            }
        },
        None => None,
    };
    let hours_per_week = match get("hours_per_week") {
        Some(text) => match text.parse::<Hours>() {
            Ok(hours) if hours.is_positive() && hours <= Hours::from_whole(100) => hours,
            _ => {
                errors.push(
                    "hours_per_week",
                    format!(
                        "`{text}` must be a number of hours from 0.5 to 100, such as 37 or 17.5"
                    ),
                );
                Hours::from_whole(35)
            }
        },
        None => Hours::from_whole(35),
    };
    if let (Some(start), Some(end)) = (start_date, end_date)
        && end < start
    {
        errors.push("end_date", "must be on or after start_date");
    }
    let mut registrations = Vec::new();
    match (get("register"), get("part"), registration_start) {
        (None, None, None) => {}
        (Some(register), Some(part), Some(start)) => {
            if let Err(message) = vocabulary::check(vocabulary::REGISTERS, register) {
                errors.push("register", message);
            }
            if let Err(message) = vocabulary::check(vocabulary::REGISTER_PARTS, part) {
                errors.push("part", message);
            }
            let first = match get("first_registration").map(str::to_lowercase).as_deref() {
                None | Some("false" | "no" | "0") => false,
                Some("true" | "yes" | "1") => true,
                Some(other) => {
                    errors.push("first_registration", format!("`{other}` must be yes or no"));
                    false
                }
            };
            registrations.push(NewRegistration {
                register: register.to_owned(),
                part: part.to_owned(),
                start_date: start,
                first,
            });
        }
        _ => errors.push(
            "register",
            "a registration needs register, part and registration_start together",
        ),
    }
    let mut roles = Vec::new();
    for role in get("roles")
        .unwrap_or("practitioner")
        .split(';')
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        match vocabulary::check(vocabulary::ROLES, role) {
            Ok(()) => roles.push((org_id, role.to_owned())),
            Err(message) => errors.push("roles", message),
        }
    }
    let supervisor = match get("supervisor_email").map(Email::parse) {
        Some(Ok(email)) => Some(email),
        Some(Err(message)) => {
            errors.push("supervisor_email", message);
            None
        }
        None => None,
    };
    let birth_year = match get("birth_year") {
        Some(text) => match text.parse::<i64>() {
            Ok(year) if (1900..=i64::from(now.year())).contains(&year) => Some(year),
            _ => {
                errors.push(
                    "birth_year",
                    format!("`{text}` must be a year such as 1975"),
                );
                None
            }
        },
        None => None,
    };
    match (email, name, job_role, start_date) {
        (Some(email), Some(name), Some(job_role), Some(start_date)) if errors.is_empty() => {
            let employment = NewEmployment {
                org_id,
                team_id,
                job_role,
                start_date,
                end_date,
                hours_per_week,
            };
            let person = NewPerson {
                email,
                name,
                password_hash: None,
                birth_year,
                employment: Some(employment.clone()),
                registrations,
                roles,
            };
            Ok((person, employment, supervisor))
        }
        _ => Err(errors),
    }
}
