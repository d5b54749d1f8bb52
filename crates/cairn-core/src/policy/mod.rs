//! Requirement policies (`cairn-policy/1`): what learning a person must show, over which
//! periods, to keep a registration or satisfy an employer, and the engine that answers
//! "where do I stand, what is left, by when" exactly as ../shared/design/POLICIES.md says.
//!
//! Policies are data, never code paths: `format` reads and checks a file, `period` lays out
//! the periods, `eval` decides statuses, `builtin` ships the regulators' policies.

pub mod builtin;
pub mod eval;
pub mod format;
pub mod period;
#[cfg(test)]
mod tests;

pub use eval::{PolicyResult, evaluate};
pub use format::{PolicyError, parse_policy};

use crate::duration::CalendarDuration;
use crate::hours::Hours;
use time::Date;

/// How far ahead a standing may be asked for: far enough to plan a career's next renewals,
/// near enough that no request makes the engine lay out millennia of periods.
pub const AS_OF_YEARS_AHEAD: i32 = 10;
/// The earliest as-of date: no social care register is older.
pub const AS_OF_EARLIEST: Date = time::macros::date!(1900 - 01 - 01);

/// Reads an as-of date (`YYYY-MM-DD`) for a standing or a compliance report, from
/// [`AS_OF_EARLIEST`] to [`AS_OF_YEARS_AHEAD`] years after `today`; the message says what
/// is accepted.
pub fn parse_as_of(text: &str, today: Date) -> Result<Date, String> {
    let date = crate::entry::parse_iso_date(text)
        .ok_or_else(|| format!("`{text}` is not a date: write YYYY-MM-DD"))?;
    let year = today.year() + AS_OF_YEARS_AHEAD;
    // From a leap day, ten years on is the last day of that February.
    let latest = today
        .replace_year(year)
        .or_else(|_| today.replace_day(28).and_then(|day| day.replace_year(year)))
        .unwrap_or(Date::MAX);
    if date > latest {
        return Err(format!(
            "`{text}` is too far ahead: the as-of date can be up to {AS_OF_YEARS_AHEAD} years from today, {latest}"
        ));
    }
    if date < AS_OF_EARLIEST {
        return Err(format!(
            "`{text}` is too far back: the as-of date can be from {AS_OF_EARLIEST} on"
        ));
    }
    Ok(date)
}

/// The `format` value of this version.
pub const FORMAT: &str = "cairn-policy/1";

/// A checked policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub effective_from: Date,
    pub effective_to: Option<Date>,
    pub applies_to_existing: bool,
    /// With `applies_to_existing`: when a registration that began before `effective_from`
    /// joins the policy.
    pub existing_join: ExistingJoin,
    /// Policies that stop, for each registration this one covers, on the day it joins.
    pub supersedes: Vec<String>,
    /// How far behind the period's elapsed fraction a person may be and still be on track.
    pub pace_slack: Fraction,
    pub applies_to: AppliesTo,
    pub period: Option<PeriodSpec>,
    pub rules: Vec<Rule>,
    /// Parts of the policy that published sources do not confirm, said in plain words.
    pub unconfirmed: Vec<String>,
}

/// When a registration that began before a policy's `effective_from` joins it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExistingJoin {
    /// On `effective_from` itself.
    #[default]
    EffectiveFrom,
    /// On the first anniversary of the registration's start on or after `effective_from`
    /// (SSSC, 2024: at the first renewal after the change).
    Anniversary,
}

/// Whose registrations a policy covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliesTo {
    pub register: String,
    /// Empty: every part of the register.
    pub parts: Vec<String>,
    pub first_registration_only: bool,
}

/// How a policy's periods are laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodSpec {
    pub anchor: Anchor,
    pub length: CalendarDuration,
    pub repeat: bool,
    pub length_if_part_time: Option<CalendarDuration>,
    pub part_time_below: Hours,
    pub grace: CalendarDuration,
    pub due: Due,
}

/// When a period's learning is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Due {
    /// On the period's end.
    #[default]
    End,
    /// On the first day of the month in which the period ends (NMC: the application date).
    FirstOfMonth,
}

/// Where periods start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// On the registration's start, then where the previous period ended.
    Registration,
    /// Each year on this month and day.
    Fixed { month: time::Month, day: u8 },
}

/// One requirement.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: String,
    pub kind: RuleKind,
    pub filter: Filter,
}

/// What a rule asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleKind {
    Hours {
        min: Hours,
    },
    /// Hours worked in the period, from the person's employments (not from entries).
    PracticeHours {
        min: Hours,
    },
    Count {
        min: u64,
    },
    /// Every listed element covered by at least one entry.
    Coverage {
        elements: Vec<String>,
    },
    /// An item: the latest matching entry keeps it valid for `valid_for`.
    Completed {
        valid_for: Option<CalendarDuration>,
        warn_before: CalendarDuration,
        due_within: CalendarDuration,
    },
    /// A declaration for the period, verified by someone with this role when set.
    Declaration {
        verified_by: Option<String>,
    },
}

impl RuleKind {
    /// The kind's name in files and reports.
    pub fn name(&self) -> &'static str {
        match self {
            RuleKind::Hours { .. } => "hours",
            RuleKind::PracticeHours { .. } => "practice_hours",
            RuleKind::Count { .. } => "count",
            RuleKind::Coverage { .. } => "coverage",
            RuleKind::Completed { .. } => "completed",
            RuleKind::Declaration { .. } => "declaration",
        }
    }
    /// Period rules are judged per period; `completed` items are not.
    pub fn is_period_rule(&self) -> bool {
        !matches!(self, RuleKind::Completed { .. })
    }
}

/// Which entries a rule counts: each list matches when the entry has any of its values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub topics: Option<Vec<String>>,
    pub elements: Option<Vec<String>>,
    pub kinds: Option<Vec<String>>,
    pub peer_reflection: Option<bool>,
    pub endorsed: Option<bool>,
    /// `Some(true)`: only entries with a written reflection.
    pub reflection: Option<bool>,
}

impl Filter {
    /// Whether the entry passes every condition.
    pub fn matches(&self, entry: &crate::record::RecordEntry) -> bool {
        let any = |wanted: &Option<Vec<String>>, have: &[String]| {
            wanted
                .as_ref()
                .is_none_or(|w| w.iter().any(|x| have.contains(x)))
        };
        any(&self.topics, &entry.topics)
            && any(&self.elements, &entry.elements)
            && self
                .kinds
                .as_ref()
                .is_none_or(|k| k.iter().any(|kind| **kind == *entry.kind))
            && self
                .peer_reflection
                .is_none_or(|p| p == entry.peer_reflection)
            && self.endorsed.is_none_or(|e| e == entry.endorsed)
            && self.reflection.is_none_or(|r| r == entry.has_reflection())
    }

    /// A short description for explanations: "on child protection", "of kind reflective account".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(topics) = &self.topics {
            let labels: Vec<String> = topics.iter().map(|t| topic_words(t)).collect();
            parts.push(format!("on {}", labels.join(" or ")));
        }
        if let Some(kinds) = &self.kinds {
            let labels: Vec<String> = kinds.iter().map(|k| kind_words(k)).collect();
            // A long list reads as its first few and how many more ("of course or workshop,
            // e-learning or 9 other kinds"), not as eleven alternatives.
            let words = match labels.as_slice() {
                [one] => one.clone(),
                [first @ .., last] if labels.len() <= 3 => {
                    format!("{} or {last}", first.join(", "))
                }
                [first, second, rest @ ..] => {
                    format!("{first}, {second} or {} other kinds", rest.len())
                }
                [] => String::new(),
            };
            parts.push(format!("of {words}"));
        }
        if let Some(elements) = &self.elements {
            parts.push(format!("covering {}", elements.join(" or ")));
        }
        if self.peer_reflection == Some(true) {
            parts.push("reflected on with a peer".to_owned());
        }
        if self.endorsed == Some(true) {
            parts.push("endorsed".to_owned());
        }
        if self.reflection == Some(true) {
            parts.push("with a written reflection".to_owned());
        }
        parts.join(", ")
    }
}

/// A kind of learning in words, lower case ("reflective account").
pub fn kind_words(kind: &str) -> String {
    crate::vocabulary::label(crate::vocabulary::KINDS, kind)
        .map_or_else(|| kind.replace('-', " "), str::to_lowercase)
}

/// More than one of a kind ("reflective accounts", "reflective discussions (with another
/// registrant)").
pub fn kind_plural(kind: &str) -> String {
    let words = kind_words(kind);
    let (noun, rest) = match words.find(" (") {
        Some(at) => words.split_at(at),
        None => (words.as_str(), ""),
    };
    let plural = if noun.ends_with('s') || noun.ends_with("ing") {
        noun.to_owned()
    } else {
        format!("{noun}s")
    };
    format!("{plural}{rest}")
}

impl Filter {
    /// Whether the only condition is one kind of learning (then a count names it: "2 more
    /// reflective accounts", not "2 more pieces of learning of reflective account").
    pub fn only_kind(&self) -> Option<&str> {
        match (&self.kinds, &self.topics, &self.elements) {
            (Some(kinds), None, None)
                if kinds.len() == 1
                    && self.peer_reflection.is_none()
                    && self.endorsed.is_none()
                    && self.reflection.is_none() =>
            {
                kinds.first().map(String::as_str)
            }
            _ => None,
        }
    }
}

fn topic_words(topic: &str) -> String {
    match topic {
        "risk-to-vulnerable-groups" => "assessing risk to vulnerable groups".to_owned(),
        other => crate::vocabulary::label(crate::vocabulary::TOPICS, other)
            .map_or_else(|| other.replace('-', " "), |l| l.to_lowercase()),
    }
}

/// An exact non-negative fraction `numerator / denominator` (pace slack, elapsed time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fraction {
    pub numerator: i128,
    pub denominator: i128,
}

impl Fraction {
    pub const fn new(numerator: i128, denominator: i128) -> Self {
        Self {
            numerator,
            denominator,
        }
    }
}
