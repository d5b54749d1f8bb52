//! A personal development plan: goals (what, why, how, by when, the framework elements they
//! develop) with a status, and reviews in which the supervisor comments on each goal.

use crate::entry::{EARLIEST_DATE, parse_iso_date};
use crate::field::FieldErrors;
use crate::vocabulary::{self, Term};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

crate::stored_id! {
    /// Where a goal stands.
    pub enum GoalStatus ("where a goal stands") {
        NotStarted = "not-started", "Not started";
        InProgress = "in-progress", "In progress";
        Achieved = "achieved", "Achieved";
        Dropped = "dropped", "No longer a goal";
    }
}

impl GoalStatus {
    /// Still being worked towards: not achieved, and still a goal.
    pub fn is_open(self) -> bool {
        !matches!(self, GoalStatus::Achieved | GoalStatus::Dropped)
    }
}

/// Where a goal stands, as the vocabulary's terms.
pub const GOAL_STATUSES: &[Term] = GoalStatus::TERMS;

/// A goal as typed; unknown fields are refused.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = GoalInput)]
pub struct GoalDraft {
    #[schema(required, max_length = 300)]
    pub what: Option<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub why: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub how: String,
    #[schema(required, value_type = String, format = Date)]
    pub by_when: Option<String>,
    #[serde(default)]
    pub elements: Vec<String>,
    #[schema(value_type = Option<crate::wire::GoalStatusId>)]
    pub status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidGoal {
    pub what: String,
    pub why: String,
    pub how: String,
    pub by_when: Date,
    pub elements: Vec<String>,
    pub status: GoalStatus,
}

fn text(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    let value = value.trim();
    if value.chars().count() > max {
        errors.push(field, format!("must be at most {max} characters"));
    }
    value.to_owned()
}

impl GoalDraft {
    pub fn validate(&self) -> Result<ValidGoal, FieldErrors> {
        let mut errors = FieldErrors::default();
        let what = text(
            &mut errors,
            "what",
            self.what.as_deref().unwrap_or_default(),
            300,
        );
        if what.is_empty() {
            errors.push(
                "what",
                "Say what you want to develop, such as \"Give evidence in court with confidence\"",
            );
        }
        let why = text(&mut errors, "why", &self.why, 2_000);
        let how = text(&mut errors, "how", &self.how, 2_000);
        let by_when = match self.by_when.as_deref().map(parse_iso_date) {
            Some(Some(day)) if day >= EARLIEST_DATE => Some(day),
            _ => {
                errors.push(
                    "by_when",
                    "Enter when you aim to have done it, such as 2027-06-30",
                );
                None
            }
        };
        let mut elements = Vec::new();
        for (i, element) in self.elements.iter().enumerate() {
            match vocabulary::slug(element) {
                Ok(slug) => elements.push(slug),
                Err(message) => errors.push(format!("elements[{i}]"), message),
            }
        }
        let status = match self.status.as_deref().map(GoalStatus::checked) {
            None => Some(GoalStatus::NotStarted),
            Some(Ok(status)) => Some(status),
            Some(Err(message)) => {
                errors.push("status", message);
                None
            }
        };
        let (Some(by_when), Some(status)) = (by_when.filter(|_| errors.is_empty()), status) else {
            return Err(errors);
        };
        Ok(ValidGoal {
            what,
            why,
            how,
            by_when,
            elements,
            status,
        })
    }
}

/// A review as typed: the day, overall comments, and a comment and status per goal.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewDraft {
    #[schema(required, value_type = String, format = Date)]
    pub reviewed_on: Option<String>,
    #[serde(default)]
    pub comments: String,
    #[serde(default)]
    pub goals: Vec<GoalReviewDraft>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalReviewDraft {
    pub goal_id: Option<Uuid>,
    #[serde(default)]
    pub comment: String,
    #[schema(value_type = Option<crate::wire::GoalStatusId>)]
    pub status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidReview {
    pub reviewed_on: Date,
    pub comments: String,
    /// (goal, comment, new status)
    pub goals: Vec<(Uuid, String, GoalStatus)>,
}

impl ReviewDraft {
    /// Checks the review against the person's goals (`goals`) and `today`.
    pub fn validate(&self, goals: &[Uuid], today: Date) -> Result<ValidReview, FieldErrors> {
        let mut errors = FieldErrors::default();
        let reviewed_on = match self.reviewed_on.as_deref().map(parse_iso_date) {
            Some(Some(day)) if day > today => {
                errors.push(
                    "reviewed_on",
                    "A review cannot be recorded before it happens",
                );
                None
            }
            Some(Some(day)) if day >= EARLIEST_DATE => Some(day),
            _ => {
                errors.push(
                    "reviewed_on",
                    "Enter the day of the review, such as 2026-11-20",
                );
                None
            }
        };
        let comments = text(&mut errors, "comments", &self.comments, 20_000);
        let mut reviewed = Vec::new();
        for (i, goal) in self.goals.iter().enumerate() {
            let field = |name: &str| format!("goals[{i}].{name}");
            let id = match goal.goal_id {
                Some(id) if goals.contains(&id) => Some(id),
                _ => {
                    errors.push(field("goal_id"), "is not a goal in this plan");
                    None
                }
            };
            let comment = text(&mut errors, &field("comment"), &goal.comment, 5_000);
            let status = GoalStatus::checked(goal.status.as_deref().unwrap_or_default());
            if let Err(message) = &status {
                errors.push(field("status"), message.clone());
            }
            if let (Some(id), Ok(status)) = (id, status) {
                reviewed.push((id, comment, status));
            }
        }
        if comments.is_empty() && reviewed.iter().all(|(_, c, _)| c.is_empty()) {
            errors.push(
                "comments",
                "Write the supervisor's comments on the plan or on a goal",
            );
        }
        let Some(reviewed_on) = reviewed_on.filter(|_| errors.is_empty()) else {
            return Err(errors);
        };
        Ok(ValidReview {
            reviewed_on,
            comments,
            goals: reviewed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_goal_needs_what_and_when() {
        let errors = GoalDraft {
            status: Some("finished".into()),
            ..Default::default()
        }
        .validate()
        .expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["what", "by_when", "status"]);
        let goal = GoalDraft {
            what: Some(" Court skills ".into()),
            by_when: Some("2027-06-30".into()),
            elements: vec!["knowledge-for-role".into()],
            ..Default::default()
        }
        .validate()
        .expect("valid");
        assert_eq!(
            (goal.what.as_str(), goal.status.as_str()),
            ("Court skills", "not-started")
        );
    }

    #[test]
    fn a_review_of_a_goal_that_does_not_exist_is_refused() {
        let goal = Uuid::now_v7();
        let draft = ReviewDraft {
            reviewed_on: Some("2026-11-20".into()),
            comments: "Good year".into(),
            goals: vec![
                GoalReviewDraft {
                    goal_id: Some(goal),
                    comment: "Done".into(),
                    status: Some("achieved".into()),
                },
                GoalReviewDraft {
                    goal_id: Some(Uuid::now_v7()),
                    comment: String::new(),
                    status: Some("achieved".into()),
                },
            ],
        };
        let errors = draft
            .validate(&[goal], date!(2026 - 11 - 23))
            .expect_err("invalid");
        assert_eq!(errors.0[0].field, "goals[1].goal_id");
        let ok = ReviewDraft {
            goals: draft.goals[..1].to_vec(),
            ..draft
        }
        .validate(&[goal], date!(2026 - 11 - 23))
        .expect("valid");
        assert_eq!(ok.goals[0].2, GoalStatus::Achieved);
    }
}
