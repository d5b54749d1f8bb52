//! A learning entry as a person writes it, and the checks that make it a valid one.

use crate::field::{FieldError, FieldErrors};
use crate::hours::Hours;
use crate::vocabulary::{self, KINDS};
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::{date, format_description};

/// The earliest date an entry may have.
pub const EARLIEST_DATE: Date = date!(1950 - 01 - 01);
/// The most hours one entry may claim.
pub const MAX_HOURS: Hours = Hours::from_whole(1000);
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_REFLECTION_CHARS: usize = 20_000;
pub const MAX_TAGS: usize = 30;

/// An entry as received from a form, the API or an import: every field loose, so that each
/// problem can be reported against its own field. Unknown fields are refused; the read-only
/// fields a client gets back from `GET` are accepted and ignored, so a read-modify-write
/// round trip works.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(
    as = EntryInput,
    description = "Read-only fields (id, endorsed, evidence, created_at, updated_at, deleted_at) may be sent back and are ignored"
)]
pub struct EntryDraft {
    /// Not in the future, not before 1950-01-01.
    #[schema(required, value_type = String, format = Date)]
    pub date: Option<String>,
    #[schema(required, min_length = 1, max_length = 200)]
    pub title: Option<String>,
    #[schema(value_type = Option<crate::wire::KindId>, default = "other")]
    pub kind: Option<String>,
    /// Exact decimal hours, more than 0 and at most 1000, up to 4 decimal places.
    #[schema(required, value_type = crate::wire::Decimal)]
    pub hours: Option<serde_json::Value>,
    /// Managed topic ids or free tags.
    #[serde(default)]
    #[schema(max_items = 30)]
    pub topics: Vec<String>,
    /// Framework element ids.
    #[serde(default)]
    #[schema(max_items = 30)]
    pub elements: Vec<String>,
    /// What happened.
    #[schema(max_length = 20000)]
    pub reflection: Option<String>,
    #[schema(max_length = 20000)]
    pub reflection_so_what: Option<String>,
    #[schema(max_length = 20000)]
    pub reflection_now_what: Option<String>,
    #[serde(default)]
    pub peer_reflection: bool,
    #[schema(max_length = 200)]
    pub peer_name: Option<String>,
    /// Required when updating (or send If-Match): the version the client last read.
    pub version: Option<i64>,
    // Read-only fields, ignored on write.
    #[serde(default, rename = "id")]
    #[schema(ignore)]
    pub _id: Option<serde_json::Value>,
    #[serde(default, rename = "endorsed")]
    #[schema(ignore)]
    pub _endorsed: Option<serde_json::Value>,
    #[serde(default, rename = "evidence")]
    #[schema(ignore)]
    pub _evidence: Option<serde_json::Value>,
    #[serde(default, rename = "created_at")]
    #[schema(ignore)]
    pub _created_at: Option<serde_json::Value>,
    #[serde(default, rename = "updated_at")]
    #[schema(ignore)]
    pub _updated_at: Option<serde_json::Value>,
    #[serde(default, rename = "deleted_at")]
    #[schema(ignore)]
    pub _deleted_at: Option<serde_json::Value>,
}

/// A checked entry: every field within its limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidEntry {
    pub date: Date,
    pub title: String,
    pub kind: String,
    pub hours: Hours,
    pub topics: Vec<String>,
    pub elements: Vec<String>,
    pub reflection: Option<String>,
    pub reflection_so_what: Option<String>,
    pub reflection_now_what: Option<String>,
    pub peer_reflection: bool,
    pub peer_name: Option<String>,
}

/// Whether any of an entry's three reflection prompts has words in it: the one test of "a
/// reflection was written", for the rules and for what is stored beside the entry.
pub fn holds_reflection(prompts: [&Option<String>; 3]) -> bool {
    prompts
        .into_iter()
        .any(|text| text.as_deref().is_some_and(|t| !t.trim().is_empty()))
}

impl ValidEntry {
    /// Whether the entry holds a written reflection.
    pub fn has_reflection(&self) -> bool {
        holds_reflection([
            &self.reflection,
            &self.reflection_so_what,
            &self.reflection_now_what,
        ])
    }
}

impl EntryDraft {
    /// Checks every field against `today` (no learning in the future) and reports all problems.
    pub fn validate(&self, today: Date) -> Result<ValidEntry, FieldErrors> {
        let mut errors = FieldErrors::default();
        let date = errors.take(parse_date(self.date.as_deref(), today));
        let title = errors.take(parse_title(self.title.as_deref()));
        let kind = errors.take(parse_kind(self.kind.as_deref()));
        let hours = errors.take(parse_hours(self.hours.as_ref()));
        let topics = errors.take(parse_tags("topics", &self.topics, true));
        let elements = errors.take(parse_tags("elements", &self.elements, false));
        let reflection = errors.take(long_text("reflection", self.reflection.as_deref()));
        let so_what = errors.take(long_text(
            "reflection_so_what",
            self.reflection_so_what.as_deref(),
        ));
        let now_what = errors.take(long_text(
            "reflection_now_what",
            self.reflection_now_what.as_deref(),
        ));
        let peer_name = errors.take(parse_peer_name(self.peer_name.as_deref()));
        match (
            date, title, kind, hours, topics, elements, reflection, so_what, now_what, peer_name,
        ) {
            (
                Some(date),
                Some(title),
                Some(kind),
                Some(hours),
                Some(topics),
                Some(elements),
                Some(reflection),
                Some(reflection_so_what),
                Some(reflection_now_what),
                Some(peer_name),
            ) if errors.is_empty() => Ok(ValidEntry {
                date,
                title,
                kind,
                hours,
                topics,
                elements,
                reflection,
                reflection_so_what,
                reflection_now_what,
                peer_reflection: self.peer_reflection,
                peer_name: if self.peer_reflection {
                    peer_name
                } else {
                    None
                },
            }),
            _ => Err(errors),
        }
    }
}

/// A date written `YYYY-MM-DD`.
pub fn parse_iso_date(text: &str) -> Option<Date> {
    let text = text.trim();
    // The stored form, read millions of times by a pass over the register: by hand.
    if let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *text.as_bytes() {
        let digits = [y1, y2, y3, y4, m1, m2, d1, d2];
        if digits.iter().all(u8::is_ascii_digit) {
            let n = |d: &[u8]| d.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
            let month = time::Month::try_from(n(&digits[4..6]) as u8).ok()?;
            return Date::from_calendar_date(
                i32::from(n(&digits[..4])),
                month,
                n(&digits[6..]) as u8,
            )
            .ok();
        }
    }
    Date::parse(text, format_description!("[year]-[month]-[day]")).ok()
}

fn parse_date(text: Option<&str>, today: Date) -> Result<Date, FieldError> {
    let text = text.map(str::trim).filter(|t| !t.is_empty());
    let Some(text) = text else {
        return Err(FieldError::new(
            "date",
            "Enter the date of the learning, as YYYY-MM-DD",
        ));
    };
    let date = parse_iso_date(text).ok_or_else(|| {
        FieldError::new(
            "date",
            format!("`{text}` is not a real date: write it as YYYY-MM-DD, for example 2025-03-14"),
        )
    })?;
    if date > today {
        return Err(FieldError::new(
            "date",
            format!("The date cannot be in the future (today is {today})"),
        ));
    }
    if date < EARLIEST_DATE {
        return Err(FieldError::new(
            "date",
            "The date must be on or after 1950-01-01",
        ));
    }
    Ok(date)
}

fn parse_title(text: Option<&str>) -> Result<String, FieldError> {
    let title = text.map(str::trim).unwrap_or_default();
    if title.is_empty() {
        return Err(FieldError::new(
            "title",
            "Enter what the learning was (1 to 200 characters)",
        ));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(FieldError::new(
            "title",
            "The title must be 200 characters or fewer",
        ));
    }
    Ok(title.to_owned())
}

fn parse_kind(text: Option<&str>) -> Result<String, FieldError> {
    let kind = text
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("other");
    vocabulary::check(KINDS, kind).map_err(|message| FieldError::new("kind", message))?;
    Ok(kind.to_owned())
}

/// Hours: more than 0 and at most 1000, with up to four decimal places.
pub fn parse_hours(value: Option<&serde_json::Value>) -> Result<Hours, FieldError> {
    let field = |message: &str| FieldError::new("hours", message);
    let hours = match value {
        None | Some(serde_json::Value::Null) => {
            return Err(field("Enter the hours of learning, for example 1.5"));
        }
        Some(serde_json::Value::String(text)) if text.trim().is_empty() => {
            return Err(field("Enter the hours of learning, for example 1.5"));
        }
        Some(serde_json::Value::String(text)) => text.parse::<Hours>(),
        Some(serde_json::Value::Number(number)) => match number.as_i64() {
            Some(whole) if whole.abs() <= 1_000_000 => Ok(Hours::from_whole(whole)),
            _ => number
                .as_f64()
                .map_or(Err(crate::hours::HoursError::NotANumber), Hours::from_f64),
        },
        Some(_) => return Err(field("Hours must be a number, for example 1.5")),
    }
    .map_err(|error| FieldError::new("hours", format!("Hours {error}")))?;
    if !hours.is_positive() || hours > MAX_HOURS {
        return Err(field("Hours must be more than 0 and no more than 1000"));
    }
    Ok(hours)
}

fn parse_tags(field: &str, tags: &[String], keep_known: bool) -> Result<Vec<String>, FieldError> {
    if tags.len() > MAX_TAGS {
        return Err(FieldError::new(
            field,
            format!("At most {MAX_TAGS} may be given"),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(tags.len());
    for (i, tag) in tags.iter().enumerate() {
        let known = keep_known && vocabulary::label(vocabulary::TOPICS, tag.trim()).is_some();
        let tag = if known {
            tag.trim().to_owned()
        } else {
            vocabulary::slug(tag).map_err(|m| FieldError::new(format!("{field}[{i}]"), m))?
        };
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    Ok(out)
}

fn long_text(field: &str, text: Option<&str>) -> Result<Option<String>, FieldError> {
    let text = text.map(str::trim).filter(|t| !t.is_empty());
    match text {
        Some(text) if text.chars().count() > MAX_REFLECTION_CHARS => Err(FieldError::new(
            field,
            format!(
                "This must be {MAX_REFLECTION_CHARS} characters or fewer (it has {})",
                text.chars().count()
            ),
        )),
        other => Ok(other.map(str::to_owned)),
    }
}

fn parse_peer_name(text: Option<&str>) -> Result<Option<String>, FieldError> {
    let text = text.map(str::trim).filter(|t| !t.is_empty());
    match text {
        Some(text) if text.chars().count() > 200 => Err(FieldError::new(
            "peer_name",
            "This must be 200 characters or fewer",
        )),
        other => Ok(other.map(str::to_owned)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TODAY: Date = date!(2026 - 11 - 22);

    fn draft(value: serde_json::Value) -> EntryDraft {
        serde_json::from_value(value).expect("a draft")
    }

    #[test]
    fn a_minimal_entry_is_valid_and_defaults_its_kind() {
        let entry = draft(json!({"date": "2026-11-20", "title": " Court skills ", "hours": 1.5}))
            .validate(TODAY)
            .expect("valid");
        assert_eq!(entry.title, "Court skills");
        assert_eq!(entry.kind, "other");
        assert_eq!(entry.hours.to_string(), "1.5");
    }

    #[test]
    fn every_bad_field_is_named() {
        let errors = draft(json!({"date": "2026-11-23", "title": "", "kind": "nap", "hours": 0, "topics": ["a|b"]}))
            .validate(TODAY)
            .expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["date", "title", "kind", "hours", "topics[0]"]);
    }

    #[test]
    fn hours_limits_are_inclusive_of_1000_and_exclusive_of_0() {
        for (hours, ok) in [
            (json!(1000), true),
            (json!(1000.0001), false),
            (json!(0), false),
            (json!(-1), false),
            (json!("0.25"), true),
            (json!("x"), false),
        ] {
            let result =
                draft(json!({"date": "2026-01-01", "title": "t", "hours": hours})).validate(TODAY);
            assert_eq!(result.is_ok(), ok, "{hours}");
        }
    }

    #[test]
    fn dates_before_1950_or_in_the_future_are_refused() {
        for (date, ok) in [
            ("1950-01-01", true),
            ("1949-12-31", false),
            ("2026-11-22", true),
            ("2026-11-23", false),
            ("2026-02-30", false),
        ] {
            let result = draft(json!({"date": date, "title": "t", "hours": 1})).validate(TODAY);
            assert_eq!(result.is_ok(), ok, "{date}");
        }
    }

    #[test]
    fn unknown_fields_are_refused_but_read_only_ones_pass() {
        assert!(
            serde_json::from_value::<EntryDraft>(json!({"title": "t", "colour": "red"})).is_err()
        );
        assert!(
            serde_json::from_value::<EntryDraft>(
                json!({"title": "t", "id": "x", "endorsed": true, "created_at": "…"})
            )
            .is_ok()
        );
    }

    #[test]
    fn topics_keep_known_ids_and_fold_free_tags() {
        let entry = draft(json!({"date": "2026-01-01", "title": "t", "hours": 1, "topics": ["child-protection", "Court Skills", "court-skills"]}))
            .validate(TODAY)
            .expect("valid");
        assert_eq!(entry.topics, ["child-protection", "court-skills"]);
    }

    #[test]
    fn long_reflections_are_refused() {
        let long = "x".repeat(MAX_REFLECTION_CHARS + 1);
        let errors = draft(
            json!({"date": "2026-01-01", "title": "t", "hours": 1, "reflection_now_what": long}),
        )
        .validate(TODAY)
        .expect_err("too long");
        assert_eq!(errors.0[0].field, "reflection_now_what");
    }

    #[test]
    fn dates_read_by_hand_are_the_dates_the_format_reads() {
        let format = format_description!("[year]-[month]-[day]");
        let mut day = date!(1999 - 12 - 25);
        while day < date!(2030 - 03 - 05) {
            let text = day.format(&format).expect("formats");
            assert_eq!(parse_iso_date(&text), Some(day), "{text}");
            day = day.next_day().expect("a day");
        }
        for wrong in [
            "2025-02-29",
            "2025-13-01",
            "2025-00-10",
            "2025-01-32",
            "2025-1-01",
            "20250101",
            "2025-01-0x",
        ] {
            assert_eq!(
                parse_iso_date(wrong),
                Date::parse(wrong, format).ok(),
                "{wrong}"
            );
        }
        assert_eq!(parse_iso_date(" 2025-01-02 "), Some(date!(2025 - 01 - 02)));
    }
}
