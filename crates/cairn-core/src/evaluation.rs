//! Evaluation of learning at the four Kirkpatrick levels: how it was received (1), what was
//! learnt, as confidence before and after on the session's elements (2), what changed in
//! practice, asked of the supervisor some time later (3), and the organisation's own outcome
//! indicators linked to the programme (4). Answers are checked here, by field.

use crate::field::FieldErrors;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The scale every rating uses: 1 (not at all) to 5 (very).
pub const RATING: std::ops::RangeInclusive<i64> = 1..=5;

fn rating(errors: &mut FieldErrors, field: &str, value: Option<i64>) -> i64 {
    match value {
        Some(n) if RATING.contains(&n) => n,
        _ => {
            errors.push(field, "Choose a rating from 1 to 5");
            0
        }
    }
}

fn comment(errors: &mut FieldErrors, field: &str, value: Option<&str>, max: usize) -> String {
    let value = value.map(str::trim).unwrap_or_default();
    if value.chars().count() > max {
        errors.push(field, format!("must be at most {max} characters"));
    }
    value.to_owned()
}

/// Level 1, the reaction survey after the session.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReactionDraft {
    pub overall: Option<i64>,
    pub relevance: Option<i64>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reaction {
    pub overall: i64,
    pub relevance: i64,
    pub comment: String,
}

impl ReactionDraft {
    pub fn validate(&self) -> Result<Reaction, FieldErrors> {
        let mut errors = FieldErrors::default();
        let overall = rating(&mut errors, "overall", self.overall);
        let relevance = rating(&mut errors, "relevance", self.relevance);
        let comment = comment(&mut errors, "comment", self.comment.as_deref(), 5_000);
        errors.into_result(|| Reaction {
            overall,
            relevance,
            comment,
        })
    }
}

/// Level 2: confidence on each of the session's elements, before or after it. Every element
/// must be rated; no others are accepted.
pub fn confidence(
    elements: &[String],
    ratings: &BTreeMap<String, i64>,
) -> Result<BTreeMap<String, i64>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut valid = BTreeMap::new();
    for element in elements {
        let value = rating(
            &mut errors,
            &format!("confidence.{element}"),
            ratings.get(element).copied(),
        );
        valid.insert(element.clone(), value);
    }
    for element in ratings.keys().filter(|e| !elements.contains(e)) {
        errors.push(
            format!("confidence.{element}"),
            "is not one of this session's elements",
        );
    }
    errors.into_result(|| valid)
}

/// Level 3: the supervisor's answer to "what has changed in practice?".
pub fn follow_up_answer(answer: Option<&str>) -> Result<String, FieldErrors> {
    let mut errors = FieldErrors::default();
    let answer = comment(&mut errors, "answer", answer, 5_000);
    if answer.is_empty() {
        errors.push(
            "answer",
            "Say what has changed in their practice, even if it is nothing yet",
        );
    }
    errors.into_result(|| answer)
}

/// Level 4: an outcome the organisation measures, linked to a programme.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDraft {
    #[schema(required, max_length = 200)]
    pub name: Option<String>,
    #[serde(default)]
    #[schema(max_length = 40)]
    pub unit: String,
    #[schema(required)]
    pub baseline: Option<f64>,
    pub target: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub name: String,
    pub unit: String,
    pub baseline: f64,
    pub target: Option<f64>,
}

impl IndicatorDraft {
    pub fn validate(&self) -> Result<Indicator, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = comment(&mut errors, "name", self.name.as_deref(), 200);
        if name.is_empty() {
            errors.push(
                "name",
                "Name what is measured, such as \"Reviews completed on time\"",
            );
        }
        let unit = comment(&mut errors, "unit", Some(&self.unit), 40);
        let baseline = match self.baseline {
            Some(n) if n.is_finite() => n,
            _ => {
                errors.push(
                    "baseline",
                    "Enter the value before the programme, as a number",
                );
                0.0
            }
        };
        if self.target.is_some_and(|t| !t.is_finite()) {
            errors.push("target", "must be a number");
        }
        errors.into_result(|| Indicator {
            name,
            unit,
            baseline,
            target: self.target,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reactions_are_rated_one_to_five() {
        let draft = ReactionDraft {
            overall: Some(5),
            relevance: Some(0),
            comment: Some("x".repeat(5_001)),
        };
        let errors = draft.validate().expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["relevance", "comment"]);
    }

    #[test]
    fn confidence_covers_exactly_the_sessions_elements() {
        let elements = vec!["values".to_owned(), "risk".to_owned()];
        let mut ratings = BTreeMap::from([("values".to_owned(), 2), ("risk".to_owned(), 4)]);
        assert_eq!(confidence(&elements, &ratings).expect("valid").len(), 2);
        ratings.insert("other".into(), 3);
        ratings.remove("risk");
        let errors = confidence(&elements, &ratings).expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["confidence.risk", "confidence.other"]);
    }

    #[test]
    fn a_follow_up_needs_an_answer_and_an_indicator_a_baseline() {
        assert!(follow_up_answer(Some("  ")).is_err());
        assert_eq!(
            follow_up_answer(Some(" More direct work ")).expect("an answer"),
            "More direct work"
        );
        let errors = IndicatorDraft::default().validate().expect_err("invalid");
        assert_eq!(errors.0.len(), 2);
    }
}
