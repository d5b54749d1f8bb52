//! Evaluation of learning at four levels (Kirkpatrick): the attendee's reaction and their
//! confidence on the session's elements before and after; the supervisor's answer, some
//! time later, to "what has changed in practice?"; and the organisation's own outcome
//! indicators linked to the programme. Results per opportunity and per provider, exportable.
//! Individual answers are shown without names.

pub mod api;
pub mod pages;
pub mod service;
pub mod shared;
pub mod store;

use cairn_core::vocabulary;
use serde::Serialize;
use uuid::Uuid;

/// A mean to one decimal place, for people.
fn one_decimal(value: f64) -> String {
    format!("{value:.1}")
}

/// An element's confidence before and after.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConfidenceChange {
    pub element: String,
    pub label: String,
    pub answers: i64,
    pub before: String,
    pub after: String,
    pub change: String,
}

/// An indicator with its measurements, oldest first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IndicatorResult {
    #[serde(flatten)]
    pub indicator: store::StoredIndicator,
    pub measures: Vec<store::Measure>,
    /// Latest value minus the baseline.
    pub change: Option<f64>,
}

/// How an opportunity worked, at every level.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvaluationResults {
    pub opportunity_id: Uuid,
    pub title: String,
    pub provider: String,
    pub reactions: i64,
    pub mean_overall: Option<String>,
    pub mean_relevance: Option<String>,
    pub comments: Vec<String>,
    pub confidence: Vec<ConfidenceChange>,
    pub follow_ups_asked: i64,
    pub follow_up_answers: Vec<String>,
    pub indicators: Vec<IndicatorResult>,
}

/// Puts the results together from the store's answers.
pub fn results(
    opportunity: &crate::catalogue::Opportunity,
    r: store::Results,
) -> EvaluationResults {
    let mean = |values: Vec<i64>| {
        (!values.is_empty())
            .then(|| one_decimal(values.iter().sum::<i64>() as f64 / values.len() as f64))
    };
    EvaluationResults {
        opportunity_id: opportunity.id,
        title: opportunity.title.clone(),
        provider: opportunity.provider.clone(),
        reactions: r.reactions.len() as i64,
        mean_overall: mean(r.reactions.iter().map(|x| x.0).collect()),
        mean_relevance: mean(r.reactions.iter().map(|x| x.1).collect()),
        comments: r
            .reactions
            .iter()
            .map(|x| x.2.clone())
            .filter(|c| !c.is_empty())
            .collect(),
        confidence: r
            .confidence
            .iter()
            .map(|(element, answers, before, after)| ConfidenceChange {
                element: element.clone(),
                label: vocabulary::element_label(element),
                answers: *answers,
                before: one_decimal(*before),
                after: one_decimal(*after),
                change: format!("{:+.1}", after - before),
            })
            .collect(),
        follow_ups_asked: r.follow_ups_asked,
        follow_up_answers: r.answers.into_iter().map(|(answer, _)| answer).collect(),
        indicators: r
            .indicators
            .into_iter()
            .map(|indicator| {
                let measures: Vec<store::Measure> = r
                    .measures
                    .iter()
                    .filter(|m| m.indicator_id == indicator.id)
                    .cloned()
                    .collect();
                let change = measures.last().map(|m| m.value - indicator.baseline);
                IndicatorResult {
                    indicator,
                    measures,
                    change,
                }
            })
            .collect(),
    }
}
