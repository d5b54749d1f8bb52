//! Deciding where a person stands against a policy on a given day, exactly as the
//! normative semantics of ../shared/design/POLICIES.md say, with a plain-language line for
//! every shortfall.

use super::period::Period;
use super::{Anchor, Policy, Rule, RuleKind};
use crate::hours::Hours;
use crate::record::{Record, RecordEntry, RecordRegistration};
use crate::{long_date, vocabulary};
use serde::Serialize;
use time::Date;

/// A status, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    NotApplicable,
    Met,
    OnTrack,
    AtRisk,
    Overdue,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotApplicable => "not-applicable",
            Status::Met => "met",
            Status::OnTrack => "on-track",
            Status::AtRisk => "at-risk",
            Status::Overdue => "overdue",
        }
    }
}

/// A number in a rule's report: hours are exact decimals, the rest whole numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum Amount {
    Hours(Hours),
    Whole(u64),
}

/// How one period rule stands in one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RuleResult {
    pub id: String,
    pub kind: &'static str,
    pub required: Amount,
    pub achieved: Amount,
    pub remaining: Amount,
    pub met: bool,
    /// Ids of the entries that counted.
    pub entries: Vec<String>,
    /// Coverage rules: the elements not yet covered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<String>>,
    /// achieved / required, capped at 1, as an exact fraction (for pace).
    #[serde(skip)]
    fraction: (i128, i128),
}

/// A period's results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PeriodResult {
    pub start: Date,
    pub end: Date,
    /// The current period's status (met, on-track or at-risk); absent for the previous one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    pub met: bool,
    pub rules: Vec<RuleResult>,
}

/// An item (`completed` rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ItemResult {
    pub id: String,
    pub status: Status,
    pub completed_on: Option<Date>,
    pub valid_until: Option<Date>,
}

/// Where a person stands against one policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PolicyResult {
    pub policy: String,
    pub title: String,
    pub status: Status,
    /// The registration the policy was applied to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration: Option<RecordRegistration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<PeriodResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<PeriodResult>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemResult>,
    /// One plain-language line per shortfall: what is left and by when.
    pub explanation: Vec<String>,
}

impl Policy {
    /// The registration this policy applies to on `as_of`, if any: the latest that matches.
    pub fn registration_for<'a>(
        &self,
        registrations: &'a [RecordRegistration],
        as_of: Date,
    ) -> Option<&'a RecordRegistration> {
        let on_register = || {
            registrations
                .iter()
                .filter(|r| r.register == self.applies_to.register)
        };
        // Records that mark no registration as the first: the earliest on the register is.
        let marked = on_register().any(|r| r.first);
        let earliest = on_register().map(|r| r.start).min();
        let is_first = |r: &RecordRegistration| {
            if marked {
                r.first
            } else {
                Some(r.start) == earliest
            }
        };
        on_register()
            .filter(|r| self.applies_to.parts.is_empty() || self.applies_to.parts.contains(&r.part))
            .filter(|r| !self.applies_to.first_registration_only || is_first(r))
            .filter(|r| {
                self.applies_to_existing
                    || (r.start >= self.effective_from
                        && self.effective_to.is_none_or(|to| r.start < to))
            })
            .filter(|r| r.start <= as_of)
            .max_by_key(|r| r.start)
    }
}

/// Evaluates `policy` for the person in `record` on `as_of`.
pub fn evaluate(policy: &Policy, record: &Record, as_of: Date) -> PolicyResult {
    let mut result = PolicyResult {
        policy: policy.id.clone(),
        title: policy.title.clone(),
        status: Status::NotApplicable,
        registration: None,
        current: None,
        previous: None,
        items: Vec::new(),
        explanation: Vec::new(),
    };
    let Some(registration) = policy.registration_for(&record.person.registrations, as_of) else {
        return result;
    };
    result.registration = Some(registration.clone());
    let mut statuses = Vec::new();

    if let Some(spec) = &policy.period {
        let (current, previous) =
            spec.current_and_previous(registration.start, record.person.hours_per_week, as_of);
        if let Some(period) = current {
            let rules = period_rules(policy, record, registration.start, period, as_of);
            let met = rules.iter().all(|r| r.met);
            let status = if met {
                Status::Met
            } else if on_pace(&rules, period, registration.start, as_of, policy) {
                Status::OnTrack
            } else {
                Status::AtRisk
            };
            statuses.push(status);
            for (rule, outcome) in policy
                .rules
                .iter()
                .filter(|r| r.kind.is_period_rule())
                .zip(&rules)
            {
                if !outcome.met {
                    result
                        .explanation
                        .push(shortfall(rule, outcome, period.end, as_of));
                }
            }
            result.current = Some(PeriodResult {
                start: period.start,
                end: period.end,
                status: Some(status),
                met,
                rules,
            });
        }
        if let Some(period) = previous {
            let rules = period_rules(policy, record, registration.start, period, as_of);
            let met = rules.iter().all(|r| r.met);
            if !met {
                let overdue_from = spec.grace.after(period.end).unwrap_or(period.end);
                let what: Vec<String> = policy
                    .rules
                    .iter()
                    .filter(|r| r.kind.is_period_rule())
                    .zip(&rules)
                    .filter(|(_, outcome)| !outcome.met)
                    .map(|(rule, outcome)| shortfall_words(rule, outcome))
                    .collect();
                let span = format!(
                    "{} to {}",
                    long_date(period.start),
                    long_date(last_day(period.end))
                );
                if as_of >= overdue_from {
                    statuses.push(Status::Overdue);
                    result.explanation.push(format!(
                        "Overdue: the period {span} ended without {}.",
                        what.join("; ")
                    ));
                } else {
                    if current.is_none() {
                        statuses.push(Status::AtRisk);
                    }
                    result.explanation.push(format!(
                        "The period {span} still needs {}: you have until {} ({}).",
                        what.join("; "),
                        long_date(last_day(overdue_from)),
                        days_left(overdue_from, as_of)
                    ));
                }
            }
            result.previous = Some(PeriodResult {
                start: period.start,
                end: period.end,
                status: None,
                met,
                rules,
            });
        }
    }

    for rule in &policy.rules {
        if let RuleKind::Completed {
            valid_for,
            warn_before,
            due_within,
        } = &rule.kind
        {
            let item = evaluate_item(
                rule,
                record,
                registration.start,
                as_of,
                *valid_for,
                *warn_before,
                *due_within,
            );
            if let Some(line) =
                item_explanation(rule, &item, registration.start, *due_within, as_of)
            {
                result.explanation.push(line);
            }
            statuses.push(item.status);
            result.items.push(item);
        }
    }
    result.status = statuses.into_iter().max().unwrap_or(Status::Met);
    result
}

/// An entry counts in a period when it is inside it, on or after the registration start,
/// on or before the as-of date, and passes the rule's filters.
fn counts<'a>(
    rule: &'a Rule,
    record: &'a Record,
    registration_start: Date,
    period: Period,
    as_of: Date,
) -> impl Iterator<Item = &'a RecordEntry> + 'a {
    record.entries.iter().filter(move |e| {
        period.contains(e.date)
            && e.date >= registration_start
            && e.date <= as_of
            && rule.filter.matches(e)
    })
}

fn period_rules(
    policy: &Policy,
    record: &Record,
    registration_start: Date,
    period: Period,
    as_of: Date,
) -> Vec<RuleResult> {
    policy
        .rules
        .iter()
        .filter(|r| r.kind.is_period_rule())
        .map(|rule| {
            let entries: Vec<&RecordEntry> =
                counts(rule, record, registration_start, period, as_of).collect();
            let ids = entries.iter().map(|e| e.id.clone()).collect();
            let mut missing = None;
            let (required, achieved, remaining, met, fraction) = match &rule.kind {
                RuleKind::Hours { min } => {
                    let total: Hours = entries.iter().map(|e| e.hours).sum();
                    let fraction = (i128::from(total.min(*min).units()), i128::from(min.units()));
                    (
                        Amount::Hours(*min),
                        Amount::Hours(total),
                        Amount::Hours(min.saturating_sub(total)),
                        total >= *min,
                        fraction,
                    )
                }
                RuleKind::Count { min } => {
                    let n = entries.len() as u64;
                    (
                        Amount::Whole(*min),
                        Amount::Whole(n),
                        Amount::Whole(min.saturating_sub(n)),
                        n >= *min,
                        (i128::from(n.min(*min)), i128::from(*min)),
                    )
                }
                RuleKind::Coverage { elements } => {
                    let uncovered: Vec<String> = elements
                        .iter()
                        .filter(|el| !entries.iter().any(|e| e.elements.contains(el)))
                        .cloned()
                        .collect();
                    let listed = elements.len() as u64;
                    let covered = listed - uncovered.len() as u64;
                    let met = uncovered.is_empty();
                    missing = Some(uncovered);
                    (
                        Amount::Whole(listed),
                        Amount::Whole(covered),
                        Amount::Whole(listed - covered),
                        met,
                        (i128::from(covered), i128::from(listed)),
                    )
                }
                RuleKind::Declaration { verified_by } => {
                    let done = record.declarations.iter().any(|d| {
                        d.policy == policy.id
                            && d.period_start == period.start
                            && d.declared_on.is_none_or(|on| on <= as_of)
                            && verified_by.as_ref().is_none_or(|role| {
                                d.verified_by.as_ref() == Some(role)
                                    && d.verified_on.is_none_or(|on| on <= as_of)
                            })
                    });
                    let n = u64::from(done);
                    (
                        Amount::Whole(1),
                        Amount::Whole(n),
                        Amount::Whole(1 - n),
                        done,
                        (i128::from(n), 1),
                    )
                }
                RuleKind::Completed { .. } => unreachable_period_rule(),
            };
            RuleResult {
                id: rule.id.clone(),
                kind: rule.kind.name(),
                required,
                achieved,
                remaining,
                met,
                entries: ids,
                missing,
                fraction,
            }
        })
        .collect()
}

/// `completed` rules are filtered out before period evaluation; keep the match exhaustive.
fn unreachable_period_rule() -> (Amount, Amount, Amount, bool, (i128, i128)) {
    (
        Amount::Whole(0),
        Amount::Whole(0),
        Amount::Whole(0),
        true,
        (1, 1),
    )
}

/// On track: for every rule, achieved / required ≥ elapsed fraction − pace slack, compared
/// exactly in integers. Elapsed time counts from the later of period and registration start.
fn on_pace(
    rules: &[RuleResult],
    period: Period,
    registration_start: Date,
    as_of: Date,
    policy: &Policy,
) -> bool {
    let from = period.start.max(registration_start);
    let elapsed = i128::from((as_of - from).whole_days());
    let total = i128::from((period.end - from).whole_days()).max(1);
    let slack = policy.pace_slack;
    rules.iter().all(|rule| {
        let (achieved, required) = rule.fraction;
        // achieved/required >= elapsed/total - sn/sd  ⇔  achieved·total·sd >= (elapsed·sd − sn·total)·required
        achieved * total * slack.denominator
            >= (elapsed * slack.denominator - slack.numerator * total) * required
    })
}

fn evaluate_item(
    rule: &Rule,
    record: &Record,
    registration_start: Date,
    as_of: Date,
    valid_for: Option<crate::CalendarDuration>,
    warn_before: crate::CalendarDuration,
    due_within: crate::CalendarDuration,
) -> ItemResult {
    // Learning before the registration counts: training at a previous employer is still valid.
    let latest = record
        .entries
        .iter()
        .filter(|e| e.date <= as_of && rule.filter.matches(e))
        .map(|e| e.date)
        .max();
    let (status, valid_until) = match latest {
        Some(done) => {
            let valid_until = valid_for.and_then(|v| v.after(done));
            let status = match valid_until {
                Some(until) if as_of >= until => Status::Overdue,
                // Met only while the expiry is more than `warn_before` after the as-of date.
                Some(until)
                    if warn_before
                        .after(as_of)
                        .is_none_or(|horizon| until <= horizon) =>
                {
                    Status::AtRisk
                }
                _ => Status::Met,
            };
            (status, valid_until)
        }
        None => {
            let due = due_within
                .after(registration_start)
                .unwrap_or(registration_start);
            (
                if as_of < due {
                    Status::AtRisk
                } else {
                    Status::Overdue
                },
                None,
            )
        }
    };
    ItemResult {
        id: rule.id.clone(),
        status,
        completed_on: latest,
        valid_until,
    }
}

/// The last day of a period that ends (exclusively) on `end`.
fn last_day(end: Date) -> Date {
    end.previous_day().unwrap_or(end)
}

fn days_left(end: Date, as_of: Date) -> String {
    match (end - as_of).whole_days() {
        1 => "1 day left".to_owned(),
        n => format!("{n} days left"),
    }
}

fn shortfall_words(rule: &Rule, outcome: &RuleResult) -> String {
    let filter = rule.filter.describe();
    let filter = if filter.is_empty() {
        String::new()
    } else {
        format!(" {filter}")
    };
    match (&rule.kind, outcome.remaining) {
        (RuleKind::Hours { .. }, Amount::Hours(hours)) => {
            format!(
                "{hours} more {}{filter}",
                if hours == Hours::from_whole(1) {
                    "hour"
                } else {
                    "hours"
                }
            )
        }
        (RuleKind::Count { .. }, Amount::Whole(n)) => format!(
            "{n} more {}{filter}",
            if n == 1 {
                "piece of learning"
            } else {
                "pieces of learning"
            }
        ),
        (RuleKind::Coverage { .. }, _) => {
            let missing = outcome.missing.clone().unwrap_or_default();
            let labels: Vec<String> = missing.iter().map(|m| element_words(m)).collect();
            format!("learning that covers {}", labels.join(", "))
        }
        (RuleKind::Declaration { verified_by }, _) => match verified_by {
            Some(role) => format!(
                "a declaration that the period is complete, verified by your {}",
                role_words(role)
            ),
            None => "a declaration that the period is complete".to_owned(),
        },
        _ => rule.id.clone(),
    }
}

fn shortfall(rule: &Rule, outcome: &RuleResult, end: Date, as_of: Date) -> String {
    let mut words = shortfall_words(rule, outcome);
    if let Some(first) = words.get(0..1) {
        words.replace_range(0..1, &first.to_uppercase());
    }
    format!(
        "{words} by {} ({}).",
        long_date(last_day(end)),
        days_left(end, as_of)
    )
}

fn element_words(element: &str) -> String {
    vocabulary::label(vocabulary::ELEMENTS_SOCIAL_WORK, element)
        .or_else(|| vocabulary::label(vocabulary::ELEMENTS_CARE, element))
        .map_or_else(|| element.replace('-', " "), |l| l.to_lowercase())
}

fn role_words(role: &str) -> String {
    match role {
        "ld-lead" => "learning and development lead".to_owned(),
        "org-admin" => "organisation administrator".to_owned(),
        other => other.to_owned(),
    }
}

fn item_explanation(
    rule: &Rule,
    item: &ItemResult,
    registration_start: Date,
    due_within: crate::CalendarDuration,
    as_of: Date,
) -> Option<String> {
    let name = rule
        .filter
        .topics
        .as_ref()
        .and_then(|t| t.first())
        .and_then(|t| vocabulary::label(vocabulary::TOPICS, t))
        .map_or_else(
            || {
                let mut words = rule.id.replace('-', " ");
                if let Some(first) = words.get(0..1) {
                    words.replace_range(0..1, &first.to_uppercase());
                }
                words
            },
            str::to_owned,
        );
    match (item.status, item.valid_until, item.completed_on) {
        (Status::Overdue, Some(until), _) => Some(format!(
            "{name} expired on {}: renew it now.",
            long_date(last_day(until))
        )),
        (Status::Overdue, None, _) => {
            let due = due_within
                .after(registration_start)
                .unwrap_or(registration_start);
            Some(format!(
                "{name} has not been completed: it was due by {}.",
                long_date(last_day(due))
            ))
        }
        (Status::AtRisk, Some(until), _) => Some(format!(
            "{name} expires on {} ({}): renew it before then.",
            long_date(last_day(until)),
            days_left(until, as_of)
        )),
        (Status::AtRisk, None, None) => {
            let due = due_within
                .after(registration_start)
                .unwrap_or(registration_start);
            Some(format!(
                "{name} is needed by {} ({}).",
                long_date(last_day(due)),
                days_left(due, as_of)
            ))
        }
        _ => None,
    }
}

impl Anchor {
    /// Words for the period layout ("from your registration date", "from 1 December").
    pub fn describe(&self) -> String {
        match self {
            Anchor::Registration => "from your registration date".to_owned(),
            Anchor::Fixed { month, day } => format!("from {day} {month} each year"),
        }
    }
}

/// The topics the person still needs for this policy: those of its rules not yet met in the
/// current period and of its items not met. Learning on them would move the person forward,
/// so the catalogue suggests it. Empty when the policy is met or does not apply.
pub fn topics_still_needed(policy: &Policy, result: &PolicyResult) -> Vec<String> {
    if matches!(result.status, Status::Met | Status::NotApplicable) {
        return Vec::new();
    }
    let unmet_rule = |id: &str| {
        result
            .current
            .as_ref()
            .and_then(|period| period.rules.iter().find(|r| r.id == id))
            .is_some_and(|r| !r.met)
    };
    let unmet_item = |id: &str| {
        result
            .items
            .iter()
            .any(|item| item.id == id && item.status != Status::Met)
    };
    let mut topics: Vec<String> = Vec::new();
    for rule in &policy.rules {
        if !(unmet_rule(&rule.id) || unmet_item(&rule.id)) {
            continue;
        }
        for topic in rule.filter.topics.iter().flatten() {
            if !topics.contains(topic) {
                topics.push(topic.clone());
            }
        }
    }
    topics
}
