//! Deciding where a person stands against a policy on a given day, exactly as the
//! normative semantics of ../shared/design/POLICIES.md say, with a plain-language line for
//! every shortfall.

use super::period::Period;
use super::{Anchor, ExistingJoin, Policy, Rule, RuleKind};
use crate::duration::CalendarDuration;
use crate::hours::Hours;
use crate::record::{Record, RecordEntry, RecordRegistration};
use crate::{long_date, vocabulary};
use serde::Serialize;
use time::Date;

/// A status, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// A period cut short when a successor policy took over (never judged as unmet).
    Superseded,
    /// A period that ended before the record began (never judged).
    NotRecorded,
    NotApplicable,
    Met,
    OnTrack,
    AtRisk,
    Overdue,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Superseded => "superseded",
            Status::NotRecorded => "not-recorded",
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
    /// What the rule counts, in words ("Reflective accounts").
    pub title: String,
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

impl RuleResult {
    /// How far along it is, 0 to 100 (achieved over required, capped), for a progress bar.
    pub fn percent(&self) -> u8 {
        let (done, of) = self.fraction;
        if of <= 0 {
            return if self.met { 100 } else { 0 };
        }
        u8::try_from((done.clamp(0, of) * 100) / of).unwrap_or(100)
    }
}

/// A period's results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PeriodResult {
    pub start: Date,
    pub end: Date,
    /// The current period's status (met, on-track, at-risk or overdue); for the previous one,
    /// `superseded` or `not-recorded` when it is not judged, else absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    pub met: bool,
    pub rules: Vec<RuleResult>,
}

impl PeriodResult {
    /// The rules other than the declaration that do not hold yet, each with what is left
    /// ("reflective-accounts: 5 more"): a person declares a period complete only when this
    /// is empty.
    pub fn left_before_declaring(&self) -> Vec<String> {
        self.rules
            .iter()
            .filter(|rule| rule.kind != "declaration" && !rule.met)
            .map(|rule| match rule.remaining {
                Amount::Hours(hours) => format!("{}: {hours} more hours", rule.id),
                Amount::Whole(n) => format!("{}: {n} more", rule.id),
            })
            .collect()
    }
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

impl PolicyResult {
    /// Nothing left to judge: no current period, no items, and a last period that was cut
    /// short by a successor or ended before the record began (an NQSW year long past).
    pub fn is_history_only(&self) -> bool {
        self.current.is_none()
            && self.items.is_empty()
            && self
                .previous
                .as_ref()
                .is_some_and(|p| matches!(p.status, Some(Status::NotRecorded | Status::Superseded)))
    }

    /// Whether the policy asks anything of the person now: it applies and is not history only.
    pub fn is_in_force(&self) -> bool {
        self.status != Status::NotApplicable && !self.is_history_only()
    }
}

impl Policy {
    /// Whether the registration is the kind this policy covers (register, part, first
    /// registration, and start date unless it applies to existing registrations), on any day.
    fn covers(&self, registration: &RecordRegistration, all: &[RecordRegistration]) -> bool {
        registration.register == self.applies_to.register
            && (self.applies_to.parts.is_empty()
                || self.applies_to.parts.contains(&registration.part))
            && (!self.applies_to.first_registration_only || is_first(registration, all))
            && (self.applies_to_existing
                || (registration.start >= self.effective_from
                    && self.effective_to.is_none_or(|to| registration.start < to)))
    }

    /// The day the registration joins this policy: its start, or for one that began before
    /// `effective_from` (with `applies_to_existing`), `effective_from` or the first
    /// anniversary of its start on or after it.
    pub fn join_date(&self, registration: &RecordRegistration) -> Date {
        if !self.applies_to_existing || registration.start >= self.effective_from {
            return registration.start;
        }
        match self.existing_join {
            ExistingJoin::EffectiveFrom => self.effective_from,
            ExistingJoin::Anniversary => (1..)
                .map_while(|years| CalendarDuration::years(years).after(registration.start))
                .find(|anniversary| *anniversary >= self.effective_from)
                .unwrap_or(Date::MAX),
        }
    }

    /// The registration this policy applies to on `as_of`, if any: the latest that matches
    /// and has joined it by then.
    pub fn registration_for<'a>(
        &self,
        registrations: &'a [RecordRegistration],
        as_of: Date,
    ) -> Option<&'a RecordRegistration> {
        registrations
            .iter()
            .filter(|r| self.covers(r, registrations) && self.join_date(r) <= as_of)
            .max_by_key(|r| r.start)
    }
}

/// Why no policy applies to the person on `as_of`, in words for a report's `none` row:
/// "no registration recorded", or what is registered and, when a policy will cover it
/// later, until when nothing does.
pub fn none_reason(
    policies: &[Policy],
    registrations: &[RecordRegistration],
    as_of: Date,
) -> String {
    let held: Vec<&RecordRegistration> =
        registrations.iter().filter(|r| r.start <= as_of).collect();
    if held.is_empty() {
        return "no registration recorded".to_owned();
    }
    let described: Vec<String> = held
        .iter()
        .map(|registration| {
            let part = vocabulary::label(vocabulary::REGISTER_PARTS, &registration.part)
                .map_or_else(|| registration.part.replace('-', " "), str::to_lowercase);
            let until = policies
                .iter()
                .filter(|p| p.covers(registration, registrations))
                .map(|p| p.join_date(registration))
                .filter(|join| *join > as_of)
                .min()
                .map(|join| format!(" until {}", long_date(join)))
                .unwrap_or_default();
            format!(
                "{} {part} registered {}{until}",
                registration.register, registration.start
            )
        })
        .collect();
    format!(
        "no requirement that cairn knows applies to {}",
        described.join("; ")
    )
}

/// Whether a registration is the person's first on its register: as the record says, and
/// only when it says nothing, the earliest there (unless another is marked first).
fn is_first(registration: &RecordRegistration, all: &[RecordRegistration]) -> bool {
    match registration.first {
        Some(first) => first,
        None => {
            let on_register = || all.iter().filter(|r| r.register == registration.register);
            !on_register().any(|r| r.first == Some(true))
                && on_register().map(|r| r.start).min() == Some(registration.start)
        }
    }
}

/// Evaluates `policy` alone for the person in `record` on `as_of` (no successor considered).
pub fn evaluate(policy: &Policy, record: &Record, as_of: Date) -> PolicyResult {
    evaluate_among(policy, &[], record, as_of)
}

/// Evaluates each of `policies` for the person on `as_of`, with the successions among them:
/// a policy stops for a registration on the day one that `supersedes` it joins.
pub fn evaluate_all(policies: &[Policy], record: &Record, as_of: Date) -> Vec<PolicyResult> {
    policies
        .iter()
        .map(|policy| evaluate_among(policy, policies, record, as_of))
        .collect()
}

/// Evaluates `policy` for the person on `as_of`, where `others` may hold policies that
/// supersede it.
pub fn evaluate_among(
    policy: &Policy,
    others: &[Policy],
    record: &Record,
    as_of: Date,
) -> PolicyResult {
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
    let join = policy.join_date(registration);
    // The earliest successor that covers this registration, and the day it takes over.
    let successor = others
        .iter()
        .filter(|other| other.id != policy.id && other.supersedes.contains(&policy.id))
        .filter(|other| other.covers(registration, &record.person.registrations))
        .map(|other| (other.join_date(registration).max(join), other))
        .min_by_key(|(day, _)| *day);
    if let Some((takeover, successor)) = successor
        && takeover <= as_of
    {
        superseded(
            policy,
            record,
            registration,
            join,
            takeover,
            successor,
            &mut result,
        );
        return result;
    }
    let mut statuses = Vec::new();

    if let Some(spec) = &policy.period {
        let (mut current, mut previous) = (None, None);
        for period in spec.periods_from(registration.start, record.person.hours_per_week, join) {
            if period.end <= as_of {
                previous = Some(period);
            } else {
                current = period.contains(as_of).then_some(period);
                break;
            }
        }
        if let Some(period) = current {
            let deadline = spec.deadline(period);
            let overdue_from = spec.grace.after(deadline).unwrap_or(deadline);
            let rules = period_rules(policy, record, registration.start, period, as_of);
            let met = rules.iter().all(|r| r.met);
            let status = if met {
                Status::Met
            } else if as_of >= overdue_from {
                Status::Overdue
            } else if on_pace(
                &rules,
                period.start.max(registration.start),
                deadline,
                as_of,
                policy,
            ) {
                Status::OnTrack
            } else {
                Status::AtRisk
            };
            statuses.push(status);
            let shortfalls = unmet(policy, &rules);
            if status == Status::Overdue {
                result.explanation.push(format!(
                    "Overdue: {} were due by {}.",
                    shortfalls.join("; "),
                    long_date(last_day(deadline))
                ));
            } else {
                for words in shortfalls {
                    result.explanation.push(by_when(words, deadline, as_of));
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
            let before_record = record
                .person
                .recorded_since
                .is_some_and(|since| period.start < since);
            let mut status = None;
            if before_record {
                // A new installation never shows experienced staff overdue for years it never saw.
                status = Some(Status::NotRecorded);
            } else if !met {
                let deadline = spec.deadline(period);
                let overdue_from = spec.grace.after(deadline).unwrap_or(deadline);
                let what = unmet(policy, &rules);
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
                status,
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
    if let Some((takeover, successor)) = successor {
        result.explanation.push(format!(
            "From {}, {} takes over from this requirement.",
            long_date(takeover),
            successor.title
        ));
    }
    result.status = statuses.into_iter().max().unwrap_or(Status::Met);
    result
}

/// A policy that a successor has taken over from: not applicable, with the period the
/// takeover cut short reported (as its previous period) with what had been achieved.
fn superseded(
    policy: &Policy,
    record: &Record,
    registration: &RecordRegistration,
    join: Date,
    takeover: Date,
    successor: &Policy,
    result: &mut PolicyResult,
) {
    result.status = Status::NotApplicable;
    result.explanation.push(format!(
        "{} took over from this requirement on {}.",
        successor.title,
        long_date(takeover)
    ));
    let Some(spec) = &policy.period else {
        return;
    };
    let cut_short = spec
        .periods_from(registration.start, record.person.hours_per_week, join)
        .take_while(|period| period.start < takeover)
        .last();
    if let Some(period) = cut_short {
        let period = Period {
            start: period.start,
            end: period.end.min(takeover),
        };
        let before = takeover.previous_day().unwrap_or(takeover);
        let rules = period_rules(policy, record, registration.start, period, before);
        result.previous = Some(PeriodResult {
            start: period.start,
            end: period.end,
            status: Some(Status::Superseded),
            met: rules.iter().all(|r| r.met),
            rules,
        });
    }
}

/// What each unmet period rule still needs, in words.
fn unmet(policy: &Policy, rules: &[RuleResult]) -> Vec<String> {
    policy
        .rules
        .iter()
        .filter(|r| r.kind.is_period_rule())
        .zip(rules)
        .filter(|(_, outcome)| !outcome.met)
        .map(|(rule, outcome)| shortfall_words(rule, outcome))
        .collect()
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
            // Practice hours come from employments and a declaration is not learning.
            let counts_entries = !matches!(
                rule.kind,
                RuleKind::PracticeHours { .. } | RuleKind::Declaration { .. }
            );
            let entries: Vec<&RecordEntry> = if counts_entries {
                counts(rule, record, registration_start, period, as_of).collect()
            } else {
                Vec::new()
            };
            let ids = entries.iter().map(|e| e.id.clone()).collect();
            let mut missing = None;
            let (required, achieved, remaining, met, fraction) = match &rule.kind {
                RuleKind::Hours { min } => {
                    hours_outcome(entries.iter().map(|e| e.hours).sum(), *min)
                }
                RuleKind::PracticeHours { min } => hours_outcome(
                    practice_hours(record, registration_start, period, as_of),
                    *min,
                ),
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
                title: rule_title(rule),
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

/// An hours rule's (required, achieved, remaining, met, fraction).
fn hours_outcome(total: Hours, min: Hours) -> (Amount, Amount, Amount, bool, (i128, i128)) {
    (
        Amount::Hours(min),
        Amount::Hours(total),
        Amount::Hours(min.saturating_sub(total)),
        total >= min,
        (i128::from(total.min(min).units()), i128::from(min.units())),
    )
}

/// Hours worked in the period up to `as_of`, from the person's employments: for each,
/// hours per week × the days it covers / 7, summed exactly and rounded half up to two
/// decimal places. A record without employments is taken as one job at the person's
/// contracted hours (full time, 37.5, when unknown) from the registration's start.
fn practice_hours(record: &Record, registration_start: Date, period: Period, as_of: Date) -> Hours {
    let assumed;
    let employments = if record.person.employments.is_empty() {
        assumed = [crate::record::RecordEmployment {
            start: registration_start,
            end: None,
            hours_per_week: record
                .person
                .hours_per_week
                .unwrap_or(Hours::from_units(375 * crate::hours::SCALE / 10)),
        }];
        &assumed[..]
    } else {
        &record.person.employments[..]
    };
    // The last day that counts: the period's last, or the as-of date if earlier.
    let Some(last) = period.end.previous_day().map(|day| day.min(as_of)) else {
        return Hours::ZERO;
    };
    let unit_days: i128 = employments
        .iter()
        .map(|job| {
            let from = job.start.max(period.start);
            let to = job.end.map_or(last, |end| end.min(last));
            let days = if to >= from {
                i128::from((to - from).whole_days() + 1)
            } else {
                0
            };
            i128::from(job.hours_per_week.units()) * days
        })
        .sum();
    // units·days / 7, to the nearest hundredth of an hour (100 units), halves up.
    let hundredths = (unit_days + 350) / 700;
    Hours::from_units(i64::try_from(hundredths * 100).unwrap_or(i64::MAX))
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
fn on_pace(rules: &[RuleResult], from: Date, deadline: Date, as_of: Date, policy: &Policy) -> bool {
    let elapsed = i128::from((as_of - from).whole_days());
    let total = i128::from((deadline - from).whole_days()).max(1);
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
        (RuleKind::PracticeHours { .. }, Amount::Hours(hours)) => {
            format!("{hours} more hours of practice")
        }
        (RuleKind::Count { .. }, Amount::Whole(n)) => match rule.filter.only_kind() {
            Some(kind) if n == 1 => format!("1 more {}", super::kind_words(kind)),
            Some(kind) => format!("{n} more {}", super::kind_plural(kind)),
            None => format!(
                "{n} more {}{filter}",
                if n == 1 {
                    "piece of learning"
                } else {
                    "pieces of learning"
                }
            ),
        },
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

/// What a rule counts, as a heading for its progress: "Hours of learning", "Reflective
/// accounts", "Core learning elements", "Hours of practice".
pub fn rule_title(rule: &Rule) -> String {
    let filter = rule.filter.describe();
    let with_filter = |base: &str| {
        if filter.is_empty() {
            base.to_owned()
        } else {
            format!("{base} {filter}")
        }
    };
    match &rule.kind {
        RuleKind::Hours { .. } => with_filter("Hours of learning"),
        RuleKind::PracticeHours { .. } => "Hours of practice".to_owned(),
        RuleKind::Count { .. } => match rule.filter.only_kind() {
            Some(kind) => {
                let mut words = super::kind_plural(kind);
                if let Some(first) = words.get(0..1) {
                    let upper = first.to_uppercase();
                    words.replace_range(0..1, &upper);
                }
                words
            }
            None => with_filter("Pieces of learning"),
        },
        RuleKind::Coverage { .. } => "Core learning elements covered".to_owned(),
        RuleKind::Declaration { .. } => "Declaration".to_owned(),
        _ => {
            let mut words = rule.id.replace('-', " ");
            if let Some(first) = words.get(0..1) {
                let upper = first.to_uppercase();
                words.replace_range(0..1, &upper);
            }
            words
        }
    }
}

/// "12.5 more hours … by 2 March 2027 (31 days left)."
fn by_when(mut words: String, end: Date, as_of: Date) -> String {
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

/// The framework elements this policy's coverage rules ask for, and of them those the
/// current period has not yet covered (in the rules' order). Both empty when the policy has
/// no coverage rule or does not apply.
pub fn elements_wanted(policy: &Policy, result: &PolicyResult) -> (Vec<String>, Vec<String>) {
    if result.status == Status::NotApplicable {
        return (Vec::new(), Vec::new());
    }
    let mut wanted: Vec<String> = Vec::new();
    for rule in &policy.rules {
        if let RuleKind::Coverage { elements } = &rule.kind {
            for element in elements {
                if !wanted.contains(element) {
                    wanted.push(element.clone());
                }
            }
        }
    }
    let needed = result
        .current
        .iter()
        .flat_map(|period| &period.rules)
        .flat_map(|rule| rule.missing.iter().flatten())
        .fold(Vec::new(), |mut needed: Vec<String>, element| {
            if !needed.contains(element) {
                needed.push(element.clone());
            }
            needed
        });
    (wanted, needed)
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
