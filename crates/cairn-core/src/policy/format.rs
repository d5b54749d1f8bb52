//! Reading a `cairn-policy/1` TOML file into a checked [`Policy`]. Every problem names the
//! file, the line and the key, and says what is accepted.

use super::{
    Anchor, AppliesTo, Due, ExistingJoin, FORMAT, Filter, Fraction, PeriodSpec, Policy, Rule,
    RuleKind,
};
use crate::duration::CalendarDuration;
use crate::hours::Hours;
use crate::vocabulary;
use serde::Deserialize;
use std::ops::Range;
use time::Date;
use toml::Spanned;

/// Why a policy file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {key}: {message}")]
pub struct PolicyError {
    pub file: String,
    pub line: usize,
    pub key: String,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    format: Spanned<String>,
    id: Spanned<String>,
    title: Spanned<String>,
    source: Option<String>,
    effective_from: Spanned<DateValue>,
    effective_to: Option<Spanned<DateValue>>,
    #[serde(default)]
    applies_to_existing: bool,
    existing_join: Option<Spanned<String>>,
    #[serde(default)]
    supersedes: Vec<Spanned<String>>,
    pace_slack: Option<Spanned<f64>>,
    #[serde(default)]
    unconfirmed: Vec<String>,
    applies_to: Spanned<RawAppliesTo>,
    period: Option<Spanned<RawPeriod>>,
    #[serde(default)]
    rules: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAppliesTo {
    register: Spanned<String>,
    #[serde(default)]
    parts: Vec<String>,
    #[serde(default)]
    first_registration_only: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    anchor: Spanned<String>,
    length: Spanned<String>,
    #[serde(default = "yes")]
    repeat: bool,
    length_if_part_time: Option<Spanned<String>>,
    part_time_below: Option<Spanned<f64>>,
    start_month_day: Option<Spanned<String>>,
    grace: Option<Spanned<String>>,
    due: Option<Spanned<String>>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    kind: Spanned<String>,
    min: Option<Spanned<f64>>,
    min_days: Option<Spanned<f64>>,
    topics: Option<Spanned<Vec<String>>>,
    elements: Option<Spanned<Vec<String>>>,
    kinds: Option<Spanned<Vec<String>>>,
    peer_reflection: Option<bool>,
    endorsed: Option<bool>,
    reflection: Option<bool>,
    valid_for: Option<Spanned<String>>,
    warn_before: Option<Spanned<String>>,
    due_within: Option<Spanned<String>>,
    verified_by: Option<Spanned<String>>,
}

/// A TOML date (`2024-06-03`) or a string holding one.
enum DateValue {
    Date(Date),
    Invalid(String),
}

impl<'de> Deserialize<'de> for DateValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Toml(toml::value::Datetime),
            Text(String),
        }
        let text = match Either::deserialize(deserializer)? {
            Either::Toml(datetime) => match (datetime.date, datetime.time) {
                (Some(date), None) => format!("{:04}-{:02}-{:02}", date.year, date.month, date.day),
                _ => return Ok(DateValue::Invalid(datetime.to_string())),
            },
            Either::Text(text) => text,
        };
        Ok(crate::entry::parse_iso_date(&text).map_or(DateValue::Invalid(text), DateValue::Date))
    }
}

struct Context<'a> {
    file: &'a str,
    text: &'a str,
}

impl Context<'_> {
    fn line(&self, span: Range<usize>) -> usize {
        self.text[..span.start.min(self.text.len())]
            .bytes()
            .filter(|b| *b == b'\n')
            .count()
            + 1
    }
    fn error(&self, span: Range<usize>, key: &str, message: impl Into<String>) -> PolicyError {
        PolicyError {
            file: self.file.to_owned(),
            line: self.line(span),
            key: key.to_owned(),
            message: message.into(),
        }
    }
    fn date(&self, value: &Spanned<DateValue>, key: &str) -> Result<Date, PolicyError> {
        match value.get_ref() {
            DateValue::Date(date) => Ok(*date),
            DateValue::Invalid(text) => Err(self.error(
                value.span(),
                key,
                format!("`{text}` is not a date: write YYYY-MM-DD"),
            )),
        }
    }
    fn duration(
        &self,
        value: &Spanned<String>,
        key: &str,
        allow_zero: bool,
    ) -> Result<CalendarDuration, PolicyError> {
        let duration: CalendarDuration =
            value
                .get_ref()
                .parse()
                .map_err(|e: crate::duration::DurationError| {
                    self.error(value.span(), key, e.to_string())
                })?;
        if duration.is_zero() && !allow_zero {
            return Err(self.error(value.span(), key, "must be longer than zero (e.g. P1Y)"));
        }
        Ok(duration)
    }
}

/// Reads and checks a policy; `file` is the name used in errors.
pub fn parse_policy(file: &str, text: &str) -> Result<Policy, PolicyError> {
    let cx = Context { file, text };
    let raw: RawPolicy = toml::from_str(text).map_err(|error| {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().trim().to_owned();
        let key = message
            .split('`')
            .nth(1)
            .filter(|_| message.starts_with("unknown field"))
            .map(str::to_owned);
        let key = key.unwrap_or_else(|| key_at(text, span.start));
        let message = if message.starts_with("unknown field") {
            format!("{message}: unknown keys are not allowed")
        } else {
            message
        };
        cx.error(span, &key, message)
    })?;
    if raw.format.get_ref() != FORMAT {
        return Err(cx.error(
            raw.format.span(),
            "format",
            format!(
                "is `{}`; this reader accepts `{FORMAT}`",
                raw.format.get_ref()
            ),
        ));
    }
    let id = raw.id.get_ref().trim();
    if id.is_empty() || vocabulary::slug(id).ok().as_deref() != Some(id) {
        return Err(cx.error(
            raw.id.span(),
            "id",
            "must be lower-case letters, digits and hyphens, such as `sssc-prtl-social-worker`",
        ));
    }
    if raw.title.get_ref().trim().is_empty() {
        return Err(cx.error(raw.title.span(), "title", "must not be empty"));
    }
    let effective_from = cx.date(&raw.effective_from, "effective_from")?;
    let effective_to = raw
        .effective_to
        .as_ref()
        .map(|d| cx.date(d, "effective_to"))
        .transpose()?;
    if let (Some(to), Some(span)) = (effective_to, raw.effective_to.as_ref().map(Spanned::span))
        && to <= effective_from
    {
        return Err(cx.error(span, "effective_to", "must be after effective_from"));
    }
    let pace_slack = match &raw.pace_slack {
        None => Fraction::new(1, 4),
        Some(value) => {
            let hours = Hours::from_f64(*value.get_ref()).map_err(|_| {
                cx.error(value.span(), "pace_slack", "must be a decimal such as 0.25")
            })?;
            if hours < Hours::ZERO || hours > Hours::from_whole(1) {
                return Err(cx.error(value.span(), "pace_slack", "must be from 0 to 1"));
            }
            Fraction::new(i128::from(hours.units()), i128::from(crate::hours::SCALE))
        }
    };
    let existing_join = match &raw.existing_join {
        None => ExistingJoin::default(),
        Some(join) => {
            let value = match join.get_ref().as_str() {
                "effective_from" => ExistingJoin::EffectiveFrom,
                "anniversary" => ExistingJoin::Anniversary,
                other => {
                    return Err(cx.error(
                        join.span(),
                        "existing_join",
                        format!(
                            "`{other}` is not a join: use \"effective_from\" or \"anniversary\""
                        ),
                    ));
                }
            };
            if !raw.applies_to_existing {
                return Err(cx.error(
                    join.span(),
                    "existing_join",
                    "only applies with applies_to_existing = true (it says when earlier registrations join)",
                ));
            }
            value
        }
    };
    let mut supersedes: Vec<String> = Vec::new();
    for other in &raw.supersedes {
        let name = other.get_ref().trim();
        if name.is_empty() || vocabulary::slug(name).ok().as_deref() != Some(name) {
            return Err(cx.error(
                other.span(),
                "supersedes",
                "each is a policy id: lower-case letters, digits and hyphens",
            ));
        }
        if name == id {
            return Err(cx.error(
                other.span(),
                "supersedes",
                "a policy cannot supersede itself",
            ));
        }
        if !supersedes.iter().any(|s| s == name) {
            supersedes.push(name.to_owned());
        }
    }
    let applies = raw.applies_to.get_ref();
    vocabulary::check(vocabulary::REGISTERS, applies.register.get_ref())
        .map_err(|m| cx.error(applies.register.span(), "applies_to.register", m))?;
    for part in &applies.parts {
        vocabulary::check(vocabulary::REGISTER_PARTS, part)
            .map_err(|m| cx.error(raw.applies_to.span(), "applies_to.parts", m))?;
    }
    let period = raw
        .period
        .as_ref()
        .map(|p| parse_period(&cx, p))
        .transpose()?;

    let mut rules = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for raw_rule in &raw.rules {
        let rule = parse_rule(&cx, raw_rule)?;
        if ids.contains(&rule.id) {
            return Err(cx.error(
                raw_rule.get_ref().id.span(),
                "rules.id",
                format!(
                    "`{}` is used by two rules; each rule needs its own id",
                    rule.id
                ),
            ));
        }
        if rule.kind.is_period_rule() && period.is_none() {
            return Err(cx.error(
                raw_rule.span(),
                "period",
                format!(
                    "rule `{}` is judged per period, so the policy needs a [period] table",
                    rule.id
                ),
            ));
        }
        ids.push(rule.id.clone());
        rules.push(rule);
    }
    if rules.is_empty() {
        return Err(cx.error(0..0, "rules", "a policy needs at least one [[rules]] table"));
    }
    Ok(Policy {
        id: id.to_owned(),
        title: raw.title.get_ref().trim().to_owned(),
        source: raw.source.clone(),
        effective_from,
        effective_to,
        applies_to_existing: raw.applies_to_existing,
        existing_join,
        supersedes,
        pace_slack,
        applies_to: AppliesTo {
            register: applies.register.get_ref().clone(),
            parts: applies.parts.clone(),
            first_registration_only: applies.first_registration_only,
        },
        period,
        rules,
        unconfirmed: raw.unconfirmed.clone(),
    })
}

/// The key on the line where a syntax error was found, for errors that do not name one.
fn key_at(text: &str, offset: usize) -> String {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or_default();
    line.split('=')
        .next()
        .map(str::trim)
        .filter(|k| !k.is_empty() && !k.starts_with('['))
        .unwrap_or("(file)")
        .to_owned()
}

fn parse_period(cx: &Context<'_>, raw: &Spanned<RawPeriod>) -> Result<PeriodSpec, PolicyError> {
    let p = raw.get_ref();
    let length = cx.duration(&p.length, "period.length", false)?;
    let length_if_part_time = p
        .length_if_part_time
        .as_ref()
        .map(|l| cx.duration(l, "period.length_if_part_time", false))
        .transpose()?;
    let grace = p
        .grace
        .as_ref()
        .map(|g| cx.duration(g, "period.grace", true))
        .transpose()?
        .unwrap_or_default();
    let part_time_below = match &p.part_time_below {
        None => Hours::from_whole(35),
        Some(value) => match Hours::from_f64(*value.get_ref()) {
            Ok(hours) if hours.is_positive() && hours <= Hours::from_whole(168) => hours,
            _ => {
                return Err(cx.error(
                    value.span(),
                    "period.part_time_below",
                    "must be hours per week, more than 0 and at most 168",
                ));
            }
        },
    };
    let anchor = match p.anchor.get_ref().as_str() {
        "registration" => {
            if let Some(day) = &p.start_month_day {
                return Err(cx.error(
                    day.span(),
                    "period.start_month_day",
                    "only applies when anchor = \"fixed\"",
                ));
            }
            Anchor::Registration
        }
        "fixed" => {
            let Some(day) = &p.start_month_day else {
                return Err(cx.error(
                    raw.span(),
                    "period.start_month_day",
                    "a fixed period needs start_month_day, such as \"12-01\"",
                ));
            };
            parse_month_day(day.get_ref()).ok_or_else(|| {
                cx.error(
                    day.span(),
                    "period.start_month_day",
                    format!(
                        "`{}` is not a month and day: write MM-DD, such as 12-01",
                        day.get_ref()
                    ),
                )
            })?
        }
        other => {
            return Err(cx.error(
                p.anchor.span(),
                "period.anchor",
                format!("`{other}` is not an anchor: use \"registration\" or \"fixed\""),
            ));
        }
    };
    let due = match p.due.as_ref().map(|d| (d.get_ref().as_str(), d.span())) {
        None | Some(("end", _)) => Due::End,
        Some(("first-of-month", _)) => Due::FirstOfMonth,
        Some((other, span)) => {
            return Err(cx.error(
                span,
                "period.due",
                format!("`{other}` is not a deadline: use \"end\" or \"first-of-month\""),
            ));
        }
    };
    Ok(PeriodSpec {
        anchor,
        length,
        repeat: p.repeat,
        length_if_part_time,
        part_time_below,
        grace,
        due,
    })
}

fn parse_month_day(text: &str) -> Option<Anchor> {
    let (month, day) = text.split_once('-')?;
    let month = time::Month::try_from(month.parse::<u8>().ok()?).ok()?;
    let day: u8 = day.parse().ok()?;
    // 29 February is refused: a period that starts on a day most years lack is a trap.
    (day >= 1 && day <= month.length(2023)).then_some(Anchor::Fixed { month, day })
}

fn parse_rule(cx: &Context<'_>, raw: &Spanned<RawRule>) -> Result<Rule, PolicyError> {
    let r = raw.get_ref();
    let id = r.id.get_ref().trim().to_owned();
    if id.is_empty() || vocabulary::slug(&id).ok().as_deref() != Some(id.as_str()) {
        return Err(cx.error(
            r.id.span(),
            "rules.id",
            "must be lower-case letters, digits and hyphens",
        ));
    }
    let list = |value: &Option<Spanned<Vec<String>>>,
                key: &str|
     -> Result<Option<Vec<String>>, PolicyError> {
        match value {
            None => Ok(None),
            Some(list) if list.get_ref().is_empty() => Err(cx.error(
                list.span(),
                key,
                "an empty list can never match: remove the key or name at least one",
            )),
            Some(list) => Ok(Some(list.get_ref().clone())),
        }
    };
    let topics = list(&r.topics, "rules.topics")?;
    let kinds = list(&r.kinds, "rules.kinds")?;
    if let (Some(kinds), Some(span)) = (&kinds, r.kinds.as_ref().map(Spanned::span)) {
        for kind in kinds {
            vocabulary::check(vocabulary::KINDS, kind).map_err(|m| {
                cx.error(
                    span.clone(),
                    "rules.kinds",
                    format!("{m}; no entry could ever match"),
                )
            })?;
        }
    }
    let elements = list(&r.elements, "rules.elements")?;
    let kind_name = r.kind.get_ref().as_str();
    let min_key = |key: &str, value: &Option<Spanned<f64>>| {
        value
            .as_ref()
            .map(|v| (key.to_owned(), *v.get_ref(), v.span()))
    };
    let min = min_key("rules.min", &r.min).or_else(|| min_key("rules.min_days", &r.min_days));
    let needs_min = |min: &Option<(String, f64, Range<usize>)>| {
        min.clone().ok_or_else(|| {
            cx.error(
                raw.span(),
                "rules.min",
                format!("a `{kind_name}` rule needs min, more than 0"),
            )
        })
    };
    let forbid = |present: bool, key: &str| -> Result<(), PolicyError> {
        if present {
            Err(cx.error(
                raw.span(),
                key,
                format!("does not apply to a `{kind_name}` rule"),
            ))
        } else {
            Ok(())
        }
    };
    let is_item = kind_name == "completed";
    forbid(!is_item && r.valid_for.is_some(), "rules.valid_for")?;
    forbid(!is_item && r.warn_before.is_some(), "rules.warn_before")?;
    forbid(!is_item && r.due_within.is_some(), "rules.due_within")?;
    forbid(
        kind_name != "declaration" && r.verified_by.is_some(),
        "rules.verified_by",
    )?;
    forbid(
        !matches!(kind_name, "hours" | "count" | "practice_hours")
            && (r.min.is_some() || r.min_days.is_some()),
        "rules.min",
    )?;
    forbid(r.min.is_some() && r.min_days.is_some(), "rules.min_days")?;
    forbid(
        kind_name != "hours" && r.min_days.is_some(),
        "rules.min_days",
    )?;
    let kind = match kind_name {
        "hours" => {
            let (key, value, span) = needs_min(&min)?;
            let hours =
                Hours::from_f64(value).map_err(|e| cx.error(span.clone(), &key, format!("{e}")))?;
            // A day of learning counts as 6 hours.
            let hours = if key.ends_with("min_days") {
                Hours::from_units(hours.units() * 6)
            } else {
                hours
            };
            if !hours.is_positive() {
                return Err(cx.error(span, &key, "must be more than 0"));
            }
            RuleKind::Hours { min: hours }
        }
        "practice_hours" => {
            let (key, value, span) = needs_min(&min)?;
            let hours =
                Hours::from_f64(value).map_err(|e| cx.error(span.clone(), &key, format!("{e}")))?;
            if !hours.is_positive() {
                return Err(cx.error(span, &key, "must be more than 0"));
            }
            RuleKind::PracticeHours { min: hours }
        }
        "count" => {
            let (key, value, span) = needs_min(&min)?;
            if value <= 0.0 || value.fract() != 0.0 || value > 1_000_000.0 {
                return Err(cx.error(span, &key, "must be a whole number more than 0"));
            }
            RuleKind::Count { min: value as u64 }
        }
        "coverage" => {
            let Some(elements) = elements.clone() else {
                return Err(cx.error(
                    raw.span(),
                    "rules.elements",
                    "a coverage rule lists the elements that must each be covered",
                ));
            };
            RuleKind::Coverage { elements }
        }
        "completed" => RuleKind::Completed {
            valid_for: r
                .valid_for
                .as_ref()
                .map(|v| cx.duration(v, "rules.valid_for", false))
                .transpose()?,
            warn_before: r
                .warn_before
                .as_ref()
                .map(|v| cx.duration(v, "rules.warn_before", true))
                .transpose()?
                .unwrap_or(CalendarDuration::months(2)),
            due_within: r
                .due_within
                .as_ref()
                .map(|v| cx.duration(v, "rules.due_within", true))
                .transpose()?
                .unwrap_or(CalendarDuration::months(3)),
        },
        "declaration" => {
            let verified_by = match &r.verified_by {
                Some(role) => {
                    vocabulary::check(vocabulary::ROLES, role.get_ref())
                        .map_err(|m| cx.error(role.span(), "rules.verified_by", m))?;
                    Some(role.get_ref().clone())
                }
                None => None,
            };
            RuleKind::Declaration { verified_by }
        }
        other => {
            return Err(cx.error(r.kind.span(), "rules.kind", format!("`{other}` is not a rule kind: use hours, count, coverage, completed, declaration or practice_hours")));
        }
    };
    let filter = Filter {
        topics,
        // For coverage, `elements` is what must be covered, not a filter.
        elements: if matches!(kind, RuleKind::Coverage { .. }) {
            None
        } else {
            elements
        },
        kinds,
        peer_reflection: r.peer_reflection,
        endorsed: r.endorsed,
        reflection: r.reflection,
    };
    if matches!(
        kind,
        RuleKind::Declaration { .. } | RuleKind::PracticeHours { .. }
    ) && filter != Filter::default()
    {
        return Err(cx.error(raw.span(), "rules", format!("a `{kind_name}` rule takes no filters (topics, elements, kinds, peer_reflection, endorsed, reflection): it does not count entries")));
    }
    Ok(Rule { id, kind, filter })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"format = "cairn-policy/1"
id = "test-policy"
title = "A test"
effective_from = 2005-01-01
effective_to = 2020-10-01

[applies_to]
register = "SSSC"
parts = ["social-worker"]

[period]
anchor = "registration"
length = "P3Y"
length_if_part_time = "P18M"

[[rules]]
id = "total"
kind = "hours"
min = 90

[[rules]]
id = "risk"
kind = "hours"
min = 30
topics = ["risk-to-vulnerable-groups"]

[[rules]]
id = "child-protection"
kind = "completed"
topics = ["child-protection"]
valid_for = "P3Y"
"#;

    fn error_of(text: &str) -> PolicyError {
        parse_policy("p.toml", text).expect_err("should be refused")
    }

    #[test]
    fn reads_the_documented_format() {
        let policy = parse_policy("p.toml", GOOD).expect("valid");
        assert_eq!(policy.rules.len(), 3);
        assert_eq!(policy.pace_slack, Fraction::new(1, 4));
        assert_eq!(
            policy.rules[0].kind,
            RuleKind::Hours {
                min: Hours::from_whole(90)
            }
        );
        assert!(
            matches!(policy.rules[2].kind, RuleKind::Completed { warn_before, .. } if warn_before == CalendarDuration::months(2))
        );
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line() {
        let error = error_of(&GOOD.replace("min = 30", "min = 30\ncolour = \"red\""));
        assert_eq!((error.line, error.key.as_str()), (25, "colour"), "{error}");
    }

    #[test]
    fn a_wrong_type_is_named() {
        let error = error_of(&GOOD.replace("min = 90", "min = \"ninety\""));
        assert_eq!(error.line, 19, "{error}");
    }

    #[test]
    fn impossible_durations_and_non_positive_minimums_are_refused() {
        assert_eq!(
            error_of(&GOOD.replace("\"P3Y\"\nlength_if", "\"P3X\"\nlength_if")).key,
            "period.length"
        );
        assert_eq!(
            error_of(&GOOD.replace("min = 90", "min = 0")).key,
            "rules.min"
        );
        assert_eq!(error_of(&GOOD.replace("min = 90", "min = -5")).line, 19);
        assert_eq!(
            error_of(&GOOD.replace("valid_for = \"P3Y\"", "valid_for = \"P0D\"")).key,
            "rules.valid_for"
        );
    }

    #[test]
    fn filters_that_can_never_match_and_duplicate_ids_are_refused() {
        assert_eq!(
            error_of(&GOOD.replace("topics = [\"child-protection\"]", "topics = []")).key,
            "rules.topics"
        );
        assert_eq!(
            error_of(&GOOD.replace("topics = [\"child-protection\"]", "kinds = [\"nap\"]")).key,
            "rules.kinds"
        );
        let error = error_of(&GOOD.replace("id = \"risk\"", "id = \"total\""));
        assert_eq!((error.key.as_str(), error.line), ("rules.id", 22));
    }

    #[test]
    fn errors_read_as_file_line_key_message() {
        let error = error_of(&GOOD.replace("min = 90", "min = 0"));
        assert_eq!(
            error.to_string(),
            "p.toml:19: rules.min: must be more than 0"
        );
    }

    #[test]
    fn reads_the_succession_deadline_and_practice_hours_keys() {
        let text = GOOD
            .replace(
                "effective_to = 2020-10-01\n",
                "applies_to_existing = true\nexisting_join = \"anniversary\"\nsupersedes = [\"old-rule\"]\n",
            )
            .replace("length_if_part_time = \"P18M\"", "due = \"first-of-month\"")
            .replace(
                "[[rules]]\nid = \"risk\"",
                "[[rules]]\nid = \"worked\"\nkind = \"practice_hours\"\nmin = 450\n\n[[rules]]\nid = \"risk\"\nreflection = true",
            );
        let policy = parse_policy("p.toml", &text).expect("valid");
        assert_eq!(policy.existing_join, ExistingJoin::Anniversary);
        assert_eq!(policy.supersedes, ["old-rule"]);
        assert_eq!(policy.period.expect("period").due, Due::FirstOfMonth);
        assert_eq!(
            policy.rules[1].kind,
            RuleKind::PracticeHours {
                min: Hours::from_whole(450)
            }
        );
        assert_eq!(policy.rules[2].filter.reflection, Some(true));
    }

    #[test]
    fn the_new_keys_refuse_what_they_cannot_mean() {
        let join = error_of(&GOOD.replace(
            "effective_to = 2020-10-01\n",
            "existing_join = \"anniversary\"\n",
        ));
        assert_eq!((join.key.as_str(), join.line), ("existing_join", 5));
        assert!(join.message.contains("applies_to_existing"), "{join}");
        let odd = error_of(&GOOD.replace(
            "effective_to = 2020-10-01\n",
            "applies_to_existing = true\nexisting_join = \"renewal\"\n",
        ));
        assert!(
            odd.message
                .contains("\"effective_from\" or \"anniversary\""),
            "{odd}"
        );
        let itself = error_of(&GOOD.replace(
            "effective_to = 2020-10-01\n",
            "supersedes = [\"test-policy\"]\n",
        ));
        assert_eq!(itself.key, "supersedes");
        let due = error_of(&GOOD.replace("length_if_part_time = \"P18M\"", "due = \"start\""));
        assert_eq!(due.key, "period.due");
        assert!(due.message.contains("first-of-month"), "{due}");
        let filtered = error_of(&GOOD.replace(
            "[[rules]]\nid = \"risk\"",
            "[[rules]]\nid = \"worked\"\nkind = \"practice_hours\"\nmin = 450\ntopics = [\"court-skills\"]\n\n[[rules]]\nid = \"risk\"",
        ));
        assert!(filtered.message.contains("takes no filters"), "{filtered}");
    }
}
