//! Compliance across an organisation: every person it employs against every policy that
//! applies to them, as rows and a summary. The hot path loads compact rows for the whole
//! organisation in three queries and evaluates in memory; never a query per person.

use crate::db::{Db, split_tags};

use cairn_core::Hours;
use cairn_core::policy::Policy;
use cairn_core::policy::eval::Status;
use cairn_core::policy::eval::{evaluate_among, none_reason};
use cairn_core::record::{
    FORMAT, Record, RecordDeclaration, RecordEmployment, RecordEntry, RecordPerson,
    RecordRegistration,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use time::Date;
use uuid::Uuid;

const SELECT_MEMBERS: &str = "SELECT p.id, p.name, p.email, p.recorded_since, e.job_role, e.team_id, e.start_date, t.name AS team, t.locality, e.hours_per_week \
     FROM employment e JOIN person p ON p.id = e.person_id LEFT JOIN team t ON t.id = e.team_id \
     WHERE e.org_id = $1 AND e.start_date <= $2 AND (e.end_date IS NULL OR e.end_date >= $2) ORDER BY p.name, p.id";
const SELECT_REGISTRATIONS: &str = "SELECT person_id, register, part, start_date, first FROM registration WHERE person_id IN (\
     SELECT person_id FROM employment WHERE org_id = $1 AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2))";
const SELECT_ENTRIES: &str = "SELECT person_id, id, date, kind, hours, topics, elements, peer_reflection, endorsed, \
     (TRIM(COALESCE(reflection, '')) <> '' OR TRIM(COALESCE(reflection_so_what, '')) <> '' OR TRIM(COALESCE(reflection_now_what, '')) <> '') AS reflected \
     FROM entry WHERE deleted_at IS NULL AND date <= $2 AND person_id IN (\
     SELECT person_id FROM employment WHERE org_id = $1 AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2))";
/// Every job of the people in post (practice hours count them all, with any employer).
const SELECT_JOBS: &str = "SELECT person_id, start_date, end_date, hours_per_week FROM employment WHERE person_id IN (\
     SELECT person_id FROM employment WHERE org_id = $1 AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2))";
const SELECT_DECLARATIONS: &str = "SELECT person_id, policy_id, period_start, declared_on, status, verifier_role, verified_on FROM declaration \
     WHERE person_id IN (\
     SELECT person_id FROM employment WHERE org_id = $1 AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2))";

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: Uuid,
    name: String,
    email: String,
    recorded_since: Option<Date>,
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
    reflected: bool,
}

#[derive(sqlx::FromRow)]
struct JobRow {
    person_id: Uuid,
    start_date: Date,
    end_date: Option<Date>,
    hours_per_week: i64,
}

#[derive(sqlx::FromRow)]
struct DeclarationRow {
    person_id: Uuid,
    policy_id: String,
    period_start: Date,
    declared_on: Date,
    #[sqlx(try_from = "String")]
    status: super::declarations::DeclarationStatus,
    verifier_role: Option<String>,
    verified_on: Option<Date>,
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
    /// Empty when no policy applies to the person (the headline `none`).
    pub policy: String,
    /// `none` (serialised so) when no policy applies: see `reason`.
    #[serde(serialize_with = "headline")]
    #[schema(value_type = String)]
    pub status: Status,
    /// Why no policy applies, on a `none` row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
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

/// People per headline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Headlines {
    pub overdue: u64,
    pub at_risk: u64,
    pub on_track: u64,
    pub met: u64,
    pub none: u64,
}

impl Headlines {
    /// Each person's headline: the worst status of their rows (a `none` row is alone).
    pub fn of_people(rows: &[ComplianceRow]) -> HashMap<Uuid, Status> {
        let mut worst: HashMap<Uuid, Status> = HashMap::new();
        for row in rows {
            let status = worst.entry(row.person_id).or_insert(row.status);
            *status = (*status).max(row.status);
        }
        worst
    }

    fn count(people: &HashMap<Uuid, Status>) -> Self {
        let mut counts = Self::default();
        for status in people.values() {
            match status {
                Status::Overdue => counts.overdue += 1,
                Status::AtRisk => counts.at_risk += 1,
                Status::OnTrack => counts.on_track += 1,
                Status::Met => counts.met += 1,
                _ => counts.none += 1,
            }
        }
        counts
    }

    /// (id, label, count) in order of urgency, for the page.
    pub fn listed(&self) -> [(&'static str, &'static str, u64); 5] {
        [
            ("overdue", "Overdue", self.overdue),
            ("at-risk", "At risk", self.at_risk),
            ("on-track", "On track", self.on_track),
            ("met", "Met", self.met),
            ("none", "Nothing applies", self.none),
        ]
    }
}

/// The organisation's compliance on one day.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComplianceReport {
    pub org_id: Uuid,
    pub as_of: Date,
    pub people: u64,
    /// How many people have each headline (their worst status; `none` when nothing
    /// applies), before filtering by headline or status.
    pub headlines: Headlines,
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
    let jobs: Vec<JobRow> = crate::db::rows(db, SELECT_JOBS, (org_id, as_of)).await?;
    let declarations: Vec<DeclarationRow> =
        crate::db::rows(db, SELECT_DECLARATIONS, (org_id, as_of)).await?;

    let mut registrations_of: HashMap<Uuid, Vec<RecordRegistration>> = HashMap::new();
    for r in registrations {
        registrations_of
            .entry(r.person_id)
            .or_default()
            .push(RecordRegistration {
                register: r.register,
                part: r.part,
                start: r.start_date,
                first: Some(r.first),
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
                // Only whether one was written matters to the rules.
                reflection: e.reflected.then(|| "written".to_owned()),
                reflection_so_what: None,
                reflection_now_what: None,
            });
    }
    let mut jobs_of: HashMap<Uuid, Vec<RecordEmployment>> = HashMap::new();
    for job in jobs {
        jobs_of
            .entry(job.person_id)
            .or_default()
            .push(RecordEmployment {
                start: job.start_date,
                end: job.end_date,
                hours_per_week: Hours::from_units(job.hours_per_week),
            });
    }
    let mut declarations_of: HashMap<Uuid, Vec<RecordDeclaration>> = HashMap::new();
    for d in declarations {
        let verified = d.status == super::declarations::DeclarationStatus::Verified;
        declarations_of
            .entry(d.person_id)
            .or_default()
            .push(RecordDeclaration {
                policy: d.policy_id,
                period_start: d.period_start,
                declared_on: Some(d.declared_on),
                verified_by: d.verifier_role.filter(|_| verified),
                verified_on: d.verified_on.filter(|_| verified),
            });
    }

    let own =
        super::org_policies::in_force(&super::org_policies::versions(db, org_id).await?, as_of);
    let own_policies: Vec<Policy> = own.iter().map(|(policy, _)| policy.clone()).collect();
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
                employments: jobs_of.remove(&member.id).unwrap_or_default(),
                recorded_since: member.recorded_since,
            },
            entries: entries_of.remove(&member.id).unwrap_or_default(),
            declarations: declarations_of.remove(&member.id).unwrap_or_default(),
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
            .map(|(policy, _)| (policy, &employed, own_policies.as_slice()));
        let row = |policy: String, status: Status, days_left, next, reason| ComplianceRow {
            person_id: member.id,
            name: member.name.clone(),
            email: member.email.clone(),
            job_role: member.job_role.clone(),
            team: member.team.clone(),
            locality: member.locality.clone(),
            policy,
            status,
            reason,
            days_left,
            next,
        };
        let before = rows.len();
        for (policy, record, others) in policies
            .iter()
            .map(|p| (p, &record, policies))
            .chain(assigned)
        {
            let result = evaluate_among(policy, others, record, as_of);
            if !result.is_in_force() {
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
            rows.push(row(
                policy.id.clone(),
                result.status,
                days_left,
                result.explanation.first().cloned(),
                None,
            ));
        }
        // Nobody in post is missing: with nothing to meet, the row says why.
        if rows.len() == before {
            let reason = none_reason(policies, &record.person.registrations, as_of);
            rows.push(row(
                String::new(),
                Status::NotApplicable,
                None,
                None,
                Some(reason),
            ));
        }
    }
    let mut report = ComplianceReport {
        org_id,
        as_of,
        people: 0,
        headlines: Headlines::default(),
        summary: Vec::new(),
        rows,
    };
    report.headlines = Headlines::count(&Headlines::of_people(&report.rows));
    report.summarise();
    Ok(report)
}

impl ComplianceReport {
    /// Counts the rows per policy and status (again after rows are filtered).
    pub fn summarise(&mut self) {
        let mut summary: BTreeMap<String, PolicySummary> = BTreeMap::new();
        for row in self.rows.iter().filter(|r| !r.policy.is_empty()) {
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
                Status::NotApplicable | Status::Superseded | Status::NotRecorded => {}
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
                headline_of(row.status).to_owned(),
                row.days_left.map(|d| d.to_string()).unwrap_or_default(),
                row.next
                    .clone()
                    .or_else(|| row.reason.clone())
                    .unwrap_or_default(),
            ])?;
        }
        Ok(())
    }
}

/// A row's headline as reports write it: `none` where no policy applies.
pub fn headline_of(status: Status) -> &'static str {
    match status {
        Status::NotApplicable => "none",
        other => other.as_str(),
    }
}

fn headline<S: serde::Serializer>(status: &Status, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(headline_of(*status))
}

/// What a compliance table is asked for: the day, filters, and the format.
#[derive(Debug, Clone)]
pub struct ComplianceQuery {
    pub as_of: Date,
    pub team: Option<String>,
    pub locality: Option<String>,
    pub job_role: Option<String>,
    pub policy: Option<String>,
    /// Rows with this status.
    pub status: Option<String>,
    /// People whose headline (worst status) this is, with all their rows.
    pub headline: Option<String>,
    pub csv: bool,
}

impl ComplianceQuery {
    /// Every parameter a compliance table accepts.
    pub const PARAMETERS: &'static [&'static str] = &[
        "as_of", "team", "locality", "job_role", "policy", "status", "headline", "format",
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
        // A status or headline is one a row can have: the engine's, or `none`.
        let mut headline_param = |key: &str| {
            let text = value(key);
            if let Some(text) = text
                .as_deref()
                .filter(|t| !matches!(*t, "overdue" | "at-risk" | "on-track" | "met" | "none"))
            {
                errors.push(
                    key,
                    format!("`{text}` is not a {key}: use overdue, at-risk, on-track, met or none"),
                );
            }
            text
        };
        let status = headline_param("status");
        let headline = headline_param("headline");
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
            headline,
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
        });
        let people = Headlines::of_people(&report.rows);
        report.headlines = Headlines::count(&people);
        report.rows.retain(|row| {
            self.status
                .as_ref()
                .is_none_or(|s| headline_of(row.status) == s)
                && self
                    .headline
                    .as_ref()
                    .is_none_or(|h| people.get(&row.person_id).map(|s| headline_of(*s)) == Some(h))
        });
        report.rows.sort_by(|a, b| {
            (a.days_left.unwrap_or(i64::MAX), &a.name)
                .cmp(&(b.days_left.unwrap_or(i64::MAX), &b.name))
        });
        report.summarise();
    }
}
