//! Where a person stands against the requirement policies that apply to them: the
//! `cairn check` contract over a portable record, and its readable text form.

pub mod api;
pub mod changes;
pub mod declarations;
pub mod declare;
mod gather;
mod interner;
pub mod kept;
pub mod org_policies;
pub mod pages;
pub mod register;
pub mod report;
pub mod section;
pub mod service;
pub mod shared;
pub mod training;

use cairn_core::long_date;
use cairn_core::policy::eval::{Amount, PeriodResult, Status};
use cairn_core::policy::eval::{evaluate_all, evaluate_among};
use cairn_core::policy::{Policy, PolicyResult, builtin, evaluate, parse_policy};
use cairn_core::record::Record;
use serde::Serialize;
use time::Date;

/// The answer of `cairn check`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckReport {
    pub as_of: Date,
    pub results: Vec<PolicyResult>,
}

/// Evaluates the record against `policies` (with the successions among them), or, when
/// none are named, against every built-in policy that applies to the person, and those a
/// successor has taken over from (their last period shown as superseded).
pub fn check(record: &Record, policies: Option<&[Policy]>, as_of: Date) -> CheckReport {
    let results = match policies {
        Some(policies) => evaluate_all(policies, record, as_of),
        None => evaluate_all(&builtin::all(), record, as_of)
            .into_iter()
            .filter(|r| r.status != Status::NotApplicable || was_superseded(r))
            .collect(),
    };
    CheckReport { as_of, results }
}

/// A policy a successor has taken over from, for this person.
fn was_superseded(result: &PolicyResult) -> bool {
    result
        .previous
        .as_ref()
        .is_some_and(|p| p.status == Some(Status::Superseded))
}

/// A `--policy` argument: a file, or the id of a built-in policy.
pub fn load_policy(file_or_id: &str) -> anyhow::Result<Policy> {
    let path = std::path::Path::new(file_or_id);
    if path.is_file() {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("{file_or_id}: cannot be read: {e}"))?;
        return parse_policy(file_or_id, &text).map_err(anyhow::Error::from);
    }
    builtin::find(file_or_id).ok_or_else(|| {
        let ids: Vec<String> = builtin::all().into_iter().map(|p| p.id).collect();
        anyhow::anyhow!("--policy `{file_or_id}` is neither a policy file nor a built-in policy; the built-in ones are: {}", ids.join(", "))
    })
}

fn amount(value: Amount) -> String {
    match value {
        Amount::Hours(hours) => format!("{hours} h"),
        Amount::Whole(n) => n.to_string(),
    }
}

fn period_lines(out: &mut String, label: &str, period: &PeriodResult) {
    let state = match period.status {
        Some(status) => status.as_str().to_owned(),
        None if period.met => "met".to_owned(),
        None => "not met".to_owned(),
    };
    let last = period.end.previous_day().unwrap_or(period.end);
    out.push_str(&format!(
        "  {label} period {} to {}: {state}\n",
        long_date(period.start),
        long_date(last)
    ));
    for rule in &period.rules {
        let mark = if rule.met { "done" } else { "short" };
        out.push_str(&format!(
            "    {} ({}): {} of {} ({mark})\n",
            rule.id,
            rule.kind,
            amount(rule.achieved),
            amount(rule.required)
        ));
    }
}

impl CheckReport {
    /// The readable form: one block per policy with what is left and by when.
    pub fn to_text(&self) -> String {
        let mut out = format!("As of {}\n", long_date(self.as_of));
        if self.results.is_empty() {
            out.push_str("No requirement policy applies to this record.\n");
        }
        for result in &self.results {
            out.push_str(&format!(
                "\n{}: {}\n  {}\n",
                result.policy,
                result.status.as_str().to_uppercase(),
                result.title
            ));
            if let Some(current) = &result.current {
                period_lines(&mut out, "Current", current);
            }
            if let Some(previous) = &result.previous {
                period_lines(&mut out, "Previous", previous);
            }
            for item in &result.items {
                let done = item.completed_on.map_or("never completed".to_owned(), |d| {
                    format!("completed {}", long_date(d))
                });
                let until = item.valid_until.map_or(String::new(), |d| {
                    format!(", valid until {}", long_date(d.previous_day().unwrap_or(d)))
                });
                out.push_str(&format!(
                    "  {}: {} ({done}{until})\n",
                    item.id,
                    item.status.as_str()
                ));
            }
            if !result.explanation.is_empty() {
                out.push_str("  What's left:\n");
                for line in &result.explanation {
                    out.push_str(&format!("    - {line}\n"));
                }
            }
        }
        out
    }
}

/// The person's standing on `as_of` against every built-in policy that applies and every
/// policy of their current employers assigned to their job and team.
pub async fn standing_of(
    db: &crate::Db,
    person_id: uuid::Uuid,
    as_of: Date,
    now: time::OffsetDateTime,
) -> anyhow::Result<Option<CheckReport>> {
    Ok(evaluated(db, person_id, as_of, now)
        .await?
        .map(|pairs| CheckReport {
            as_of,
            results: pairs.into_iter().map(|(_, result)| result).collect(),
        }))
}

/// The topics the person still needs across every policy that applies to them: what the
/// catalogue suggests.
pub async fn topics_needed(
    db: &crate::Db,
    person_id: uuid::Uuid,
    as_of: Date,
    now: time::OffsetDateTime,
) -> anyhow::Result<Vec<String>> {
    let mut topics: Vec<String> = Vec::new();
    for (policy, result) in evaluated(db, person_id, as_of, now)
        .await?
        .unwrap_or_default()
    {
        for topic in cairn_core::policy::eval::topics_still_needed(&policy, &result) {
            if !topics.contains(&topic) {
                topics.push(topic);
            }
        }
    }
    Ok(topics)
}

/// The framework elements the policies that apply to the person ask for, and of them those
/// still needed this period: what the entry forms offer first.
pub async fn elements_wanted(
    db: &crate::Db,
    person_id: uuid::Uuid,
    as_of: Date,
    now: time::OffsetDateTime,
) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let mut wanted: Vec<String> = Vec::new();
    let mut needed: Vec<String> = Vec::new();
    let add = |into: &mut Vec<String>, more: Vec<String>| {
        for element in more {
            if !into.contains(&element) {
                into.push(element);
            }
        }
    };
    for (policy, result) in evaluated(db, person_id, as_of, now)
        .await?
        .unwrap_or_default()
    {
        let (asked, missing) = cairn_core::policy::eval::elements_wanted(&policy, &result);
        add(&mut wanted, asked);
        add(&mut needed, missing);
    }
    Ok((wanted, needed))
}

/// Every policy that applies to the person on `as_of`, with its result.
async fn evaluated(
    db: &crate::Db,
    person_id: uuid::Uuid,
    as_of: Date,
    now: time::OffsetDateTime,
) -> anyhow::Result<Option<Vec<(Policy, PolicyResult)>>> {
    let Some(record) = crate::record::export(db, person_id, as_of, now).await? else {
        return Ok(None);
    };
    let builtins = builtin::all();
    let mut pairs: Vec<(Policy, PolicyResult)> = builtins
        .iter()
        .map(|policy| {
            let result = evaluate_among(policy, &builtins, &record, as_of);
            (policy.clone(), result)
        })
        .filter(|(_, result)| result.is_in_force())
        .collect();
    let employments = crate::people::service::employments_of(db, person_id).await?;
    for employment in employments.iter().filter(|e| e.is_current(as_of)) {
        let versions = org_policies::versions(db, employment.org_id).await?;
        for (policy, assignment) in org_policies::in_force(&versions, as_of) {
            if !assignment.covers(&employment.job_role, employment.team_id) {
                continue;
            }
            let mut employed = record.clone();
            employed
                .person
                .registrations
                .push(org_policies::employment_registration(employment.start_date));
            let result = evaluate(&policy, &employed, as_of);
            if result.status != Status::NotApplicable {
                pairs.push((policy, result));
            }
        }
    }
    Ok(Some(pairs))
}
