//! The supported year of a newly qualified social worker: the learning activities their
//! organisation requires by set months into the year, milestone reviews at 3, 6 and 12
//! months, and protected learning time.

use crate::field::FieldErrors;
use crate::vocabulary::{self, KINDS, TOPICS};
use serde::Deserialize;
use time::{Date, Month};

/// Milestone reviews with the supervisor, in months from the start of the year.
pub const MILESTONES: [i64; 3] = [3, 6, 12];

/// `months` calendar months after `day` (the last day of the month when it is shorter).
pub fn add_months(day: Date, months: i64) -> Date {
    let total = i64::from(day.year()) * 12 + i64::from(u8::from(day.month()) - 1) + months;
    let year = (total.div_euclid(12)) as i32;
    let month = Month::try_from((total.rem_euclid(12) + 1) as u8).unwrap_or(Month::January);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, day.day().min(last)).unwrap_or(day)
}

/// A required activity as an organisation sets it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementDraft {
    pub title: Option<String>,
    /// The kind of learning entry that meets it.
    pub kind: Option<String>,
    /// And, when given, its topic.
    pub topic: Option<String>,
    pub due_after_months: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRequirement {
    pub title: String,
    pub kind: String,
    pub topic: Option<String>,
    pub due_after_months: i64,
}

impl RequirementDraft {
    pub fn validate(&self) -> Result<ValidRequirement, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = self.title.as_deref().unwrap_or_default().trim().to_owned();
        if title.is_empty() || title.chars().count() > 200 {
            errors.push("title", "Name the activity, 1 to 200 characters");
        }
        let kind = self.kind.clone().unwrap_or_default();
        if let Err(message) = vocabulary::check(KINDS, &kind) {
            errors.push("kind", message);
        }
        let topic = self.topic.clone().filter(|t| !t.trim().is_empty());
        if let Some(topic) = &topic
            && let Err(message) = vocabulary::check(TOPICS, topic)
        {
            errors.push("topic", message);
        }
        let due_after_months = match self.due_after_months {
            Some(m) if (1..=12).contains(&m) => m,
            _ => {
                errors.push(
                    "due_after_months",
                    "must be a whole number of months, 1 to 12",
                );
                0
            }
        };
        errors.into_result(|| ValidRequirement {
            title,
            kind,
            topic,
            due_after_months,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months_are_added_as_calendar_months() {
        assert_eq!(add_months(date!(2026 - 08 - 03), 3), date!(2026 - 11 - 03));
        assert_eq!(add_months(date!(2026 - 11 - 30), 3), date!(2027 - 02 - 28));
        assert_eq!(add_months(date!(2026 - 08 - 03), 12), date!(2027 - 08 - 03));
    }

    #[test]
    fn a_requirement_names_a_kind_of_learning_and_when() {
        let errors = RequirementDraft {
            kind: Some("juggling".into()),
            due_after_months: Some(13),
            ..Default::default()
        }
        .validate()
        .expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "kind", "due_after_months"]);
    }
}
