//! Compliance across an organisation: every person it employs against every policy that
//! applies to them, as rows and a summary. The hot path loads compact rows for the whole
//! organisation in three queries and evaluates in memory; never a query per person.

use crate::db::{Db, split_tags};

use super::org_policies::{Assignment, OrgPolicyVersion};
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

const SELECT_MEMBERS: &str = "SELECT p.id, p.name, p.email, p.recorded_since, e.job_role, e.team_id, e.start_date, t.name AS team, t.locality \
     FROM employment e JOIN person p ON p.id = e.person_id LEFT JOIN team t ON t.id = e.team_id \
     WHERE e.org_id = $1 AND e.start_date <= $2 AND (e.end_date IS NULL OR e.end_date >= $2) ORDER BY p.name, p.id, e.start_date DESC";
const SELECT_REGISTRATIONS: &str = "SELECT person_id, register, part, start_date, first FROM registration WHERE person_id IN (\
     SELECT person_id FROM employment WHERE org_id = $1 AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2))";
const SELECT_ENTRIES: &str = "SELECT person_id, date, kind, hours, topics, elements, peer_reflection, endorsed, reflected \
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
}

#[derive(sqlx::FromRow)]
pub(super) struct RegistrationRow {
    pub(super) person_id: Uuid,
    pub(super) register: String,
    pub(super) part: String,
    pub(super) start_date: Date,
    pub(super) first: bool,
}

#[derive(sqlx::FromRow)]
pub(super) struct EntryRow {
    pub(super) person_id: Uuid,
    pub(super) date: Date,
    pub(super) kind: String,
    pub(super) hours: i64,
    pub(super) topics: String,
    pub(super) elements: String,
    pub(super) peer_reflection: bool,
    pub(super) endorsed: bool,
    pub(super) reflected: bool,
}

#[derive(sqlx::FromRow)]
pub(super) struct JobRow {
    pub(super) person_id: Uuid,
    pub(super) start_date: Date,
    pub(super) end_date: Option<Date>,
    pub(super) hours_per_week: i64,
}

#[derive(sqlx::FromRow)]
pub(super) struct DeclarationRow {
    pub(super) person_id: Uuid,
    pub(super) policy_id: String,
    pub(super) period_start: Date,
    pub(super) declared_on: Date,
    #[sqlx(try_from = "String")]
    pub(super) status: cairn_core::status::DeclarationStatus,
    pub(super) verifier_role: Option<String>,
    pub(super) verified_on: Option<Date>,
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

    /// Every headline's (id, label), in order of urgency.
    pub const LABELS: [(&'static str, &'static str); 5] = [
        ("overdue", "Overdue"),
        ("at-risk", "At risk"),
        ("on-track", "On track"),
        ("met", "Met"),
        ("none", "Nothing applies"),
    ];

    /// (id, label, count) in order of urgency, for the page.
    pub fn listed(&self) -> [(&'static str, &'static str, u64); 5] {
        let counts = [
            self.overdue,
            self.at_risk,
            self.on_track,
            self.met,
            self.none,
        ];
        std::array::from_fn(|i| (Self::LABELS[i].0, Self::LABELS[i].1, counts[i]))
    }

    /// A headline's label (`none` for anything not judged).
    pub fn label_of(id: &str) -> &'static str {
        Self::LABELS
            .iter()
            .find(|(known, _)| *known == id)
            .map_or(Self::LABELS[4].1, |(_, label)| label)
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
    /// When the standing it reads was computed (kept standing, today's report); absent when
    /// the report was judged on request (another day, or before today's pass).
    #[serde(
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub computed_at: Option<time::OffsetDateTime>,
}

/// Builds the report for `org_id` against `policies` (the regulators') and the
/// organisation's own policies in force on `as_of`, for those they are assigned to.
pub async fn compliance(
    db: &Db,
    org_id: Uuid,
    as_of: Date,
    policies: &[Policy],
) -> Result<ComplianceReport, sqlx::Error> {
    let members = members(db, org_id, as_of).await?;
    let registrations: Vec<RegistrationRow> =
        crate::db::rows(db, SELECT_REGISTRATIONS, (org_id, as_of)).await?;
    let entries: Vec<EntryRow> = crate::db::rows(db, SELECT_ENTRIES, (org_id, as_of)).await?;
    let jobs: Vec<JobRow> = crate::db::rows(db, SELECT_JOBS, (org_id, as_of)).await?;
    let declarations: Vec<DeclarationRow> =
        crate::db::rows(db, SELECT_DECLARATIONS, (org_id, as_of)).await?;

    let mut registrations_of = group(registrations, |r| r.person_id);
    let mut entries_of = group(entries, |e| e.person_id);
    let mut jobs_of = group(jobs, |j| j.person_id);
    let mut declarations_of = group(declarations, |d| d.person_id);
    let own = OwnPolicies::of_org(db, org_id, as_of).await?;
    let mut rows = Vec::new();
    for (member, post) in members {
        let mut person = Person {
            id: member.id,
            record: record_of(
                member.id,
                member.recorded_since,
                registrations_of.remove(&member.id).unwrap_or_default(),
                jobs_of.remove(&member.id).unwrap_or_default(),
                entries_of
                    .remove(&member.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(EntryRow::into_entry)
                    .collect(),
                declarations_of.remove(&member.id).unwrap_or_default(),
            ),
            name: member.name,
            email: member.email,
            posts: vec![post],
        };
        person_rows(&mut person, policies, &own, as_of, |_, row| rows.push(row));
    }
    Ok(ComplianceReport::new(org_id, as_of, rows))
}

/// Someone in post in an organisation, as its reports name them.
pub(super) struct Member {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub recorded_since: Option<Date>,
}

/// Everyone in post in the organisation on `as_of`, in name order, once each (with their
/// latest spell there if they have two).
pub(super) async fn members(
    db: &Db,
    org_id: Uuid,
    as_of: Date,
) -> Result<Vec<(Member, Post)>, sqlx::Error> {
    let rows: Vec<MemberRow> = crate::db::rows(db, SELECT_MEMBERS, (org_id, as_of)).await?;
    let mut seen = std::collections::HashSet::new();
    Ok(rows
        .into_iter()
        .filter(|row| seen.insert(row.id))
        .map(|row| {
            (
                Member {
                    id: row.id,
                    name: row.name,
                    email: row.email,
                    recorded_since: row.recorded_since,
                },
                Post {
                    org_id,
                    team_id: row.team_id,
                    team: row.team,
                    locality: row.locality,
                    job_role: row.job_role,
                    start: row.start_date,
                },
            )
        })
        .collect())
}

/// Rows grouped by the person they belong to.
fn group<T>(rows: Vec<T>, person: impl Fn(&T) -> Uuid) -> HashMap<Uuid, Vec<T>> {
    let mut grouped: HashMap<Uuid, Vec<T>> = HashMap::new();
    for row in rows {
        grouped.entry(person(&row)).or_default().push(row);
    }
    grouped
}

/// A person's job on the day of a report: where, and as what, they appear in it.
#[derive(Debug, Clone)]
pub(super) struct Post {
    pub org_id: Uuid,
    pub team_id: Option<Uuid>,
    pub team: Option<String>,
    pub locality: Option<String>,
    pub job_role: String,
    pub start: Date,
}

/// A person as the rules see them, and the jobs they hold on the day.
pub(super) struct Person {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub record: Record,
    pub posts: Vec<Post>,
}

/// The record the rules read, from the stored rows of one person.
pub(super) fn record_of(
    id: Uuid,
    recorded_since: Option<Date>,
    registrations: Vec<RegistrationRow>,
    jobs: Vec<JobRow>,
    entries: Vec<RecordEntry>,
    declarations: Vec<DeclarationRow>,
) -> Record {
    // The latest job's hours: what the person works now (practice hours read every job).
    let hours_per_week = jobs
        .iter()
        .max_by_key(|j| j.start_date)
        .map(|j| Hours::from_units(j.hours_per_week));
    Record {
        format: FORMAT.to_owned(),
        person: RecordPerson {
            id: id.to_string(),
            name: String::new(),
            email: None,
            hours_per_week,
            registrations: registrations
                .into_iter()
                .map(|r| RecordRegistration {
                    register: r.register,
                    part: r.part,
                    start: r.start_date,
                    first: Some(r.first),
                })
                .collect(),
            employments: jobs
                .into_iter()
                .map(|job| RecordEmployment {
                    start: job.start_date,
                    end: job.end_date,
                    hours_per_week: Hours::from_units(job.hours_per_week),
                })
                .collect(),
            recorded_since,
        },
        entries,
        declarations: declarations
            .into_iter()
            .map(DeclarationRow::into_declaration)
            .collect(),
        exported_at: None,
    }
}

impl EntryRow {
    pub(super) fn into_entry(self) -> RecordEntry {
        RecordEntry {
            // The rules never read an entry's id or title; a report has no use for them.
            id: String::new(),
            date: self.date,
            title: String::new(),
            kind: self.kind.into(),
            hours: Hours::from_units(self.hours),
            topics: split_tags(&self.topics).into(),
            elements: split_tags(&self.elements).into(),
            peer_reflection: self.peer_reflection,
            peer_name: None,
            endorsed: self.endorsed,
            // Only whether one was written matters to the rules.
            reflection: self.reflected.then(|| "written".into()),
            reflection_so_what: None,
            reflection_now_what: None,
        }
    }
}

impl DeclarationRow {
    fn into_declaration(self) -> RecordDeclaration {
        let verified = self.status == cairn_core::status::DeclarationStatus::Verified;
        RecordDeclaration {
            policy: self.policy_id,
            period_start: self.period_start,
            declared_on: Some(self.declared_on),
            verified_by: self.verifier_role.filter(|_| verified),
            verified_on: self.verified_on.filter(|_| verified),
        }
    }
}

/// One organisation's policies in force, with whom each is assigned to, and the same
/// policies alone (successions are looked for among them).
type InForce = (Vec<(Policy, Assignment)>, Vec<Policy>);

/// Every organisation's own policies in force on a day.
#[derive(Default)]
pub(super) struct OwnPolicies {
    of: HashMap<Uuid, InForce>,
}

impl OwnPolicies {
    /// One organisation's.
    pub async fn of_org(db: &Db, org_id: Uuid, as_of: Date) -> Result<Self, sqlx::Error> {
        let versions = super::org_policies::versions(db, org_id).await?;
        Ok(Self::from_versions(&versions, as_of))
    }

    /// Everyone's, from their stored versions.
    pub fn from_versions(versions: &[OrgPolicyVersion], as_of: Date) -> Self {
        let mut of: HashMap<Uuid, InForce> = HashMap::new();
        for org_id in versions.iter().map(|v| v.org_id) {
            if of.contains_key(&org_id) {
                continue;
            }
            let own: Vec<OrgPolicyVersion> = versions
                .iter()
                .filter(|v| v.org_id == org_id)
                .cloned()
                .collect();
            let assigned = super::org_policies::in_force(&own, as_of);
            let policies = assigned.iter().map(|(p, _)| p.clone()).collect();
            of.insert(org_id, (assigned, policies));
        }
        Self { of }
    }
}

/// One line of a person's standing: a policy in force for them, or (with no policy) the line
/// that says no regulator's requirement applies, and why. What is kept in `standing`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    /// The employer whose own policy it is; `None` for a regulator's and the `none` line.
    pub org_id: Option<Uuid>,
    /// Empty on the `none` line.
    pub policy: String,
    pub status: Status,
    /// The nearest deadline still open (the current period's end, an item's expiry).
    pub deadline: Option<Date>,
    /// The first thing left to do, in plain words.
    pub next: Option<String>,
    /// Why nothing applies, on the `none` line.
    pub reason: Option<String>,
}

impl Judged {
    fn of(result: &cairn_core::policy::PolicyResult, org_id: Option<Uuid>) -> Self {
        let period_deadline = result.current.as_ref().filter(|p| !p.met).map(|p| p.end);
        let item_deadline = result.items.iter().filter_map(|i| i.valid_until).min();
        let deadline = match (period_deadline, item_deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Self {
            org_id,
            policy: result.policy.clone(),
            status: result.status,
            deadline,
            next: result.explanation.first().cloned(),
            reason: None,
        }
    }

    /// Whether the line belongs in the report of `org_id`'s staff.
    fn counts_for(&self, org_id: Uuid) -> bool {
        self.org_id.is_none_or(|org| org == org_id)
    }
}

/// The person's standing on `as_of`: a line per policy in force for them (the regulators'
/// with successions, and each employer's own assigned to their job there), and a `none`
/// line with the reason when no regulator's policy applies.
pub(super) fn judge(
    person: &mut Person,
    regulators: &[Policy],
    own: &OwnPolicies,
    as_of: Date,
) -> Vec<Judged> {
    let mut judged: Vec<Judged> = regulators
        .iter()
        .map(|policy| evaluate_among(policy, regulators, &person.record, as_of))
        .filter(|result| result.is_in_force())
        .map(|result| Judged::of(&result, None))
        .collect();
    if judged.is_empty() {
        judged.push(Judged {
            org_id: None,
            policy: String::new(),
            status: Status::NotApplicable,
            deadline: None,
            next: None,
            reason: Some(none_reason(
                regulators,
                &person.record.person.registrations,
                as_of,
            )),
        });
    }
    for post in &person.posts {
        let Some((assigned, policies)) = own.of.get(&post.org_id) else {
            continue;
        };
        let covering: Vec<&Policy> = assigned
            .iter()
            .filter(|(_, assignment)| assignment.covers(&post.job_role, post.team_id))
            .map(|(policy, _)| policy)
            .collect();
        if covering.is_empty() {
            continue;
        }
        // To an employer's policy the employment is the registration.
        let registrations = &mut person.record.person.registrations;
        registrations.push(super::org_policies::employment_registration(post.start));
        for policy in covering {
            let result = evaluate_among(policy, policies, &person.record, as_of);
            if result.is_in_force() {
                judged.push(Judged::of(&result, Some(post.org_id)));
            }
        }
        person.record.person.registrations.pop();
    }
    judged
}

/// Who a report's rows are about.
pub(super) struct Who<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub email: &'a str,
}

/// The person's rows in the report of the organisation of `post`: the lines that count there,
/// or, when none does, one `none` row that says why. Nobody in post is missing.
pub(super) fn rows_for_post(
    who: &Who<'_>,
    post: &Post,
    judged: &[Judged],
    as_of: Date,
) -> Vec<ComplianceRow> {
    let row = |line: &Judged| ComplianceRow {
        person_id: who.id,
        name: who.name.to_owned(),
        email: who.email.to_owned(),
        job_role: post.job_role.clone(),
        team: post.team.clone(),
        locality: post.locality.clone(),
        policy: line.policy.clone(),
        status: line.status,
        reason: line.reason.clone(),
        days_left: line.deadline.map(|d| (d - as_of).whole_days()),
        next: line.next.clone(),
    };
    let rows: Vec<ComplianceRow> = judged
        .iter()
        .filter(|line| !line.policy.is_empty() && line.counts_for(post.org_id))
        .map(row)
        .collect();
    if !rows.is_empty() {
        return rows;
    }
    let none = judged
        .iter()
        .find(|line| line.policy.is_empty())
        .cloned()
        .unwrap_or_else(|| Judged {
            org_id: None,
            policy: String::new(),
            status: Status::NotApplicable,
            deadline: None,
            next: None,
            reason: Some("no requirement that cairn knows applies".to_owned()),
        });
    vec![row(&none)]
}

/// The person's rows in the report of each organisation they work for on `as_of`; `emit`
/// gets each with its organisation.
pub(super) fn person_rows(
    person: &mut Person,
    regulators: &[Policy],
    own: &OwnPolicies,
    as_of: Date,
    mut emit: impl FnMut(Uuid, ComplianceRow),
) {
    let judged = judge(person, regulators, own, as_of);
    let who = Who {
        id: person.id,
        name: &person.name,
        email: &person.email,
    };
    for post in &person.posts {
        for row in rows_for_post(&who, post, &judged, as_of) {
            emit(post.org_id, row);
        }
    }
}

impl ComplianceReport {
    /// The report over these rows (in the order given), with its counts.
    pub fn new(org_id: Uuid, as_of: Date, rows: Vec<ComplianceRow>) -> Self {
        let mut report = Self {
            org_id,
            as_of,
            people: 0,
            headlines: Headlines::default(),
            summary: Vec::new(),
            rows,
            computed_at: None,
        };
        report.headlines = Headlines::count(&Headlines::of_people(&report.rows));
        report.summarise();
        report
    }

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
