//! Personal development plans: the person's goals (what, why, how, by when, the elements
//! they develop), learning entries linked to them as evidence, and reviews in which the
//! supervisor comments on each goal and moves it on. The plan belongs to the person, so it
//! goes with them from one employer to the next.

pub mod api;
pub mod import;
pub mod pages;
pub mod service;
pub mod shared;
pub mod store;

use serde::Serialize;
use time::Date;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Goal {
    #[serde(flatten)]
    pub goal: store::GoalRow,
    pub elements: Vec<String>,
    pub status_label: &'static str,
    pub evidence: Vec<store::Evidence>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewView {
    #[serde(flatten)]
    pub review: store::Review,
    /// (goal, comment, status) for the goals it reviewed.
    pub goals: Vec<(String, String, &'static str)>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Plan {
    pub person_id: Uuid,
    pub goals: Vec<Goal>,
    pub reviews: Vec<ReviewView>,
    /// The latest review, if any.
    pub last_reviewed: Option<Date>,
}

pub async fn plan_of(db: &crate::db::Db, person_id: Uuid) -> Result<Plan, sqlx::Error> {
    let goals = store::goals(db, person_id).await?;
    let evidence = store::evidence(db, person_id).await?;
    let (reviews, reviewed) = store::reviews(db, person_id).await?;
    let goals = goals
        .into_iter()
        .map(|goal| Goal {
            elements: goal
                .element_ids()
                .into_iter()
                .map(cairn_core::vocabulary::element_label)
                .collect(),
            status_label: goal.status.label(),
            evidence: evidence
                .iter()
                .filter(|e| e.goal_id == goal.id)
                .cloned()
                .collect(),
            goal,
        })
        .collect();
    let last_reviewed = reviews.first().map(|r| r.reviewed_on);
    let reviews = reviews
        .into_iter()
        .map(|review| ReviewView {
            goals: reviewed
                .iter()
                .filter(|g| g.review_id == review.id)
                .map(|g| (g.what.clone(), g.comment.clone(), g.status.label()))
                .collect(),
            review,
        })
        .collect();
    Ok(Plan {
        person_id,
        goals,
        reviews,
        last_reviewed,
    })
}
