//! Compliance across an organisation: every person it employs against every policy that
//! applies to them, as rows and a summary. The hot path loads compact rows for the whole
//! organisation in three queries and evaluates in memory; never a query per person.

use crate::db::{Db, split_tags};

use cairn_core::Hours;
use cairn_core::policy::eval::Status;
use cairn_core::policy::{Policy, evaluate};
use cairn_core::record::{FORMAT, Record, RecordEntry, RecordPerson, RecordRegistration};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use time::Date;
use uuid::Uuid;

const SELECT_MEMBERS: &str = "SELECT p.id, p.name, p.email, e.job_role, e.team_id, e.start_date, t.name AS team, t.locality, e.hours_per_week \
     FROM employment e JOIN person p ON p.id = e.person_id LEFT JOIN team t ON t.id = e.team_id \
     WHERE e.org_id = $1 AND e.start_date <= $2 AND (e.end_date IS NULL OR e.end_date >= $2) ORDER BY p.name, p.id";
const SELECT_REGISTRATIONS: &str = "SELECT person_id, register, part, start_date, first FROM registration WHERE person_id IN (\
     SELECT person_id FROM employment WHERE org_id = $1 AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2))";
const SELECT_ENTRIES: &str = "SELECT person_id, id, date, kind, hours, topics, elements, peer_reflection, endorsed FROM entry \
     WHERE deleted_at IS NULL AND date <= $2 AND person_id IN (\
     SELECT person_id FROM employment WHERE org_id = $1 AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2))";

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: Uuid,
    name: String,
    email: String,
    job_role: String,
    team_id: Option<Uuid>,
    start_date: Date,
    team: Option<String>,
    locality: Option<String>,
    hours_per_week: i64,
}

#[derive(sqlx::FromRow)]
struct RegistrationRow {
    person_id: Uuid,
    register: String,
    part: String,
    start_date: Date,
    first: bool,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    person_id: Uuid,
    id: Uuid,
    date: Date,
    kind: String,
    hours: i64,
    topics: String,
    elements: String,
    peer_reflection: bool,
    endorsed: bool,
}

/// One person against one policy.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComplianceRow {
    pub person_id: Uuid,
    pub name: String,
    pub email: String,
    pub job_role: String,
    pub team: Option<String>,
    pub locality: Option<String>,
    pub policy: String,
    pub status: Status,
    /// Days to the nearest deadline still open (current period's end, an item's expiry).
    pub days_left: Option<i64>,
    /// The first thing left to do, in plain words.
    pub next: Option<String>,
}

/// How many people stand where, per policy.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct PolicySummary {
    pub policy: String,
    pub met: u64,
    pub on_track: u64,
    pub at_risk: u64,
    pub overdue: u64,
}

/// The organisation's compliance on one day.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComplianceReport {
    pub org_id: Uuid,
    pub as_of: Date,
    pub people: u64,
    pub summary: Vec<PolicySummary>,
    pub rows: Vec<ComplianceRow>,
}

/// Builds the report for `org_id` against `policies` (the regulators') and the
/// organisation's own policies in force on `as_of`, for those they are assigned to.
pub async fn compliance(
    db: &Db,
    org_id: Uuid,
    as_of: Date,
    policies: &[Policy],
) -> Result<ComplianceReport, sqlx::Error> {
    let members: Vec<MemberRow> = crate::db::rows(db, SELECT_MEMBERS, (org_id, as_of)).await?;
    let registrations: Vec<RegistrationRow> =
        crate::db::rows(db, SELECT_REGISTRATIONS, (org_id, as_of)).await?;
    let entries: Vec<EntryRow> = crate::db::rows(db, SELECT_ENTRIES, (org_id, as_of)).await?;

    let mut registrations_of: HashMap<Uuid, Vec<RecordRegistration>> = HashMap::new();
    for r in registrations {
        registrations_of
            .entry(r.person_id)
            .or_default()
            .push(RecordRegistration {
                register: r.register,
                part: r.part,
                start: r.start_date,
                first: r.first,
            });
    }
    let mut entries_of: HashMap<Uuid, Vec<RecordEntry>> = HashMap::new();
    for e in entries {
        entries_of
            .entry(e.person_id)
            .or_default()
            .push(RecordEntry {
                id: e.id.to_string(),
                date: e.date,
                title: String::new(),
                kind: e.kind,
                hours: Hours::from_units(e.hours),
                topics: split_tags(&e.topics),
                elements: split_tags(&e.elements),
                peer_reflection: e.peer_reflection,
                peer_name: None,
                endorsed: e.endorsed,
                reflection: None,
                reflection_so_what: None,
                reflection_now_what: None,
            });
    }

    let own =
        super::org_policies::in_force(&super::org_policies::versions(db, org_id).await?, as_of);
    let mut rows = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for member in members {
        // Someone with two spells of employment in the organisation is counted once.
        if !seen.insert(member.id) {
            continue;
        }
        let record = Record {
            format: FORMAT.to_owned(),
            person: RecordPerson {
                id: member.id.to_string(),
                name: member.name.clone(),
                email: None,
                hours_per_week: Some(Hours::from_units(member.hours_per_week)),
                registrations: registrations_of.remove(&member.id).unwrap_or_default(),
            },
            entries: entries_of.remove(&member.id).unwrap_or_default(),
            declarations: Vec::new(),
            exported_at: None,
        };
        let employed = Record {
            person: RecordPerson {
                registrations: {
                    let mut registrations = record.person.registrations.clone();
                    registrations.push(super::org_policies::employment_registration(
                        member.start_date,
                    ));
                    registrations
                },
                ..record.person.clone()
            },
            ..record.clone()
        };
        let assigned = own
            .iter()
            .filter(|(_, assignment)| assignment.covers(&member.job_role, member.team_id))
            .map(|(policy, _)| (policy, &employed));
        for (policy, record) in policies.iter().map(|p| (p, &record)).chain(assigned) {
            let result = evaluate(policy, record, as_of);
            if result.status == Status::NotApplicable {
                continue;
            }
            let period_deadline = result
                .current
                .as_ref()
                .filter(|p| !p.met)
                .map(|p| (p.end - as_of).whole_days());
            let item_deadline = result
                .items
                .iter()
                .filter_map(|i| i.valid_until)
                .map(|until| (until - as_of).whole_days())
                .min();
            let days_left = match (period_deadline, item_deadline) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            rows.push(ComplianceRow {
                person_id: member.id,
                name: member.name.clone(),
                email: member.email.clone(),
                job_role: member.job_role.clone(),
                team: member.team.clone(),
                locality: member.locality.clone(),
                policy: policy.id.clone(),
                status: result.status,
                days_left,
                next: result.explanation.first().cloned(),
            });
        }
    }
    let mut report = ComplianceReport {
        org_id,
        as_of,
        people: 0,
        summary: Vec::new(),
        rows,
    };
    report.summarise();
    Ok(report)
}

impl ComplianceReport {
    /// Counts the rows per policy and status (again after rows are filtered).
    pub fn summarise(&mut self) {
        let mut summary: BTreeMap<String, PolicySummary> = BTreeMap::new();
        for row in &self.rows {
            let counts = summary
                .entry(row.policy.clone())
                .or_insert_with(|| PolicySummary {
                    policy: row.policy.clone(),
                    ..PolicySummary::default()
                });
            match row.status {
                Status::Met => counts.met += 1,
                Status::OnTrack => counts.on_track += 1,
                Status::AtRisk => counts.at_risk += 1,
                Status::Overdue => counts.overdue += 1,
                Status::NotApplicable => {}
            }
        }
        self.summary = summary.into_values().collect();
        self.people = self
            .rows
            .iter()
            .map(|r| r.person_id)
            .collect::<std::collections::HashSet<_>>()
            .len() as u64;
    }

    /// The CSV header of [`Self::write_csv`].
    pub const CSV_HEADER: [&'static str; 11] = [
        "org_id",
        "person_id",
        "name",
        "email",
        "job_role",
        "team",
        "locality",
        "policy",
        "status",
        "days_left",
        "next",
    ];

    /// One CSV row per person and policy (no header: several reports can share one file).
    pub fn write_csv<W: std::io::Write>(
        &self,
        writer: &mut crate::web::spreadsheet::SafeCsv<W>,
    ) -> anyhow::Result<()> {
        for row in &self.rows {
            writer.write_record([
                self.org_id.to_string(),
                row.person_id.to_string(),
                row.name.clone(),
                row.email.clone(),
                row.job_role.clone(),
                row.team.clone().unwrap_or_default(),
                row.locality.clone().unwrap_or_default(),
                row.policy.clone(),
                row.status.as_str().to_owned(),
                row.days_left.map(|d| d.to_string()).unwrap_or_default(),
                row.next.clone().unwrap_or_default(),
            ])?;
        }
        Ok(())
    }
}

/// What a compliance table is asked for: the day, filters, and the format.
#[derive(Debug, Clone)]
pub struct ComplianceQuery {
    pub as_of: Date,
    pub team: Option<String>,
    pub locality: Option<String>,
    pub job_role: Option<String>,
    pub policy: Option<String>,
    pub status: Option<String>,
    pub csv: bool,
}

impl ComplianceQuery {
    /// Every parameter a compliance table accepts.
    pub const PARAMETERS: &'static [&'static str] = &[
        "as_of", "team", "locality", "job_role", "policy", "status", "format",
    ];

    /// Reads query parameters, naming each bad one.
    pub fn parse(
        params: &std::collections::HashMap<String, String>,
        today: Date,
    ) -> Result<Self, cairn_core::FieldErrors> {
        let mut errors = cairn_core::FieldErrors::default();
        for key in params
            .keys()
            .filter(|k| !Self::PARAMETERS.contains(&k.as_str()))
        {
            errors.push(
                key.as_str(),
                format!(
                    "is not a parameter; use one of: {}",
                    Self::PARAMETERS.join(", ")
                ),
            );
        }
        let value = |key: &str| {
            params
                .get(key)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let as_of = match value("as_of") {
            Some(text) => cairn_core::policy::parse_as_of(&text, today).unwrap_or_else(|message| {
                errors.push("as_of", message);
                today
            }),
            None => today,
        };
        let status = value("status");
        if let Some(text) = status
            .as_deref()
            .filter(|s| !matches!(*s, "met" | "on-track" | "at-risk" | "overdue"))
        {
            errors.push(
                "status",
                format!("`{text}` is not a status: use met, on-track, at-risk or overdue"),
            );
        }
        let csv = match value("format").as_deref() {
            None | Some("json" | "html") => false,
            Some("csv") => true,
            Some(other) => {
                errors.push(
                    "format",
                    format!("`{other}` is not a format: use json or csv"),
                );
                false
            }
        };
        let query = ComplianceQuery {
            as_of,
            team: value("team"),
            locality: value("locality"),
            job_role: value("job_role"),
            policy: value("policy"),
            status,
            csv,
        };
        errors.into_result(|| query)
    }

    /// Keeps the matching rows, soonest deadline first, and counts them again.
    pub fn apply(&self, report: &mut ComplianceReport) {
        let same = |field: &Option<String>, wanted: &Option<String>| {
            wanted
                .as_ref()
                .is_none_or(|w| field.as_ref().is_some_and(|f| f.eq_ignore_ascii_case(w)))
        };
        report.rows.retain(|row| {
            same(&row.team, &self.team)
                && same(&row.locality, &self.locality)
                && self
                    .job_role
                    .as_ref()
                    .is_none_or(|w| row.job_role.eq_ignore_ascii_case(w))
                && self.policy.as_ref().is_none_or(|w| row.policy == *w)
                && self
                    .status
                    .as_ref()
                    .is_none_or(|s| row.status.as_str() == s)
        });
        report.rows.sort_by(|a, b| {
            (a.days_left.unwrap_or(i64::MAX), &a.name)
                .cmp(&(b.days_left.unwrap_or(i64::MAX), &b.name))
        });
        report.summarise();
    }
}
