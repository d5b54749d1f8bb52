//! SQL for development plans: goals, their evidence, and reviews (which also move each
//! reviewed goal to its new status, in one transaction).

use crate::db::{BeginWrite, Db, join_tags};
use crate::notifications::{Notice, notify};
use crate::on_db;
use cairn_core::plan::{GoalStatus, ValidGoal, ValidReview};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

const INSERT_GOAL: &str = "INSERT INTO plan_goal (id, person_id, what, why, how, by_when, elements, status, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)";
const UPDATE_GOAL: &str = "UPDATE plan_goal SET what = $3, why = $4, how = $5, by_when = $6, elements = $7, status = $8, updated_at = $9 \
     WHERE id = $1 AND person_id = $2";
const SELECT_GOALS: &str = "SELECT id, what, why, how, by_when, elements, status FROM plan_goal WHERE person_id = $1 \
     ORDER BY CASE status WHEN 'achieved' THEN 1 WHEN 'dropped' THEN 2 ELSE 0 END, by_when, id";
const LINK_ENTRY: &str =
    "INSERT INTO plan_goal_entry (goal_id, entry_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
const SELECT_EVIDENCE: &str = "SELECT l.goal_id, e.id, e.title, e.date FROM plan_goal_entry l JOIN plan_goal g ON g.id = l.goal_id \
     JOIN entry e ON e.id = l.entry_id WHERE g.person_id = $1 AND e.deleted_at IS NULL ORDER BY e.date DESC, e.id";
const INSERT_REVIEW: &str = "INSERT INTO plan_review (id, person_id, reviewer_id, reviewed_on, comments, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
const INSERT_REVIEW_GOAL: &str =
    "INSERT INTO plan_review_goal (review_id, goal_id, comment, status) VALUES ($1, $2, $3, $4)";
const SET_GOAL_STATUS: &str = "UPDATE plan_goal SET status = $2, updated_at = $3 WHERE id = $1";
const SELECT_REVIEWS: &str = "SELECT r.id, r.reviewed_on, p.name AS reviewer, r.comments FROM plan_review r \
     LEFT JOIN person p ON p.id = r.reviewer_id WHERE r.person_id = $1 ORDER BY r.reviewed_on DESC, r.id DESC";
const SELECT_REVIEW_GOALS: &str = "SELECT rg.review_id, g.what, rg.comment, rg.status FROM plan_review_goal rg \
     JOIN plan_goal g ON g.id = rg.goal_id WHERE g.person_id = $1 ORDER BY g.by_when, g.id";

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct GoalRow {
    pub id: Uuid,
    pub what: String,
    pub why: String,
    pub how: String,
    pub by_when: Date,
    #[serde(skip)]
    pub elements: String,
    #[sqlx(try_from = "String")]
    pub status: GoalStatus,
}

impl GoalRow {
    pub fn element_ids(&self) -> Vec<&str> {
        self.elements.split('|').filter(|e| !e.is_empty()).collect()
    }
}

pub async fn insert_goal(
    db: &Db,
    person_id: Uuid,
    goal: &ValidGoal,
    now: OffsetDateTime,
) -> Result<Uuid, sqlx::Error> {
    crate::db::insert(
        db,
        INSERT_GOAL,
        (
            person_id,
            &goal.what,
            &goal.why,
            &goal.how,
            goal.by_when,
            join_tags(&goal.elements),
            goal.status.as_str(),
            now,
        ),
    )
    .await
}

/// Changes the person's own goal; false when it is not theirs.
pub async fn update_goal(
    db: &Db,
    person_id: Uuid,
    id: Uuid,
    goal: &ValidGoal,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| sqlx::query(UPDATE_GOAL)
        .bind(id)
        .bind(person_id)
        .bind(&goal.what)
        .bind(&goal.why)
        .bind(&goal.how)
        .bind(goal.by_when)
        .bind(join_tags(&goal.elements))
        .bind(goal.status.as_str())
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected() == 1))
}

pub async fn goals(db: &Db, person_id: Uuid) -> Result<Vec<GoalRow>, sqlx::Error> {
    crate::db::rows(db, SELECT_GOALS, (person_id,)).await
}

/// Links entries to a goal as its evidence, all or nothing (linking twice changes nothing).
pub async fn link_entries(db: &Db, goal_id: Uuid, entries: &[Uuid]) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        for entry in entries {
            sqlx::query(LINK_ENTRY)
                .bind(goal_id)
                .bind(entry)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    })
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Evidence {
    pub goal_id: Uuid,
    pub id: Uuid,
    pub title: String,
    pub date: Date,
}

pub async fn evidence(db: &Db, person_id: Uuid) -> Result<Vec<Evidence>, sqlx::Error> {
    crate::db::rows(db, SELECT_EVIDENCE, (person_id,)).await
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ReviewedGoal {
    pub review_id: Uuid,
    pub what: String,
    pub comment: String,
    #[sqlx(try_from = "String")]
    pub status: GoalStatus,
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Review {
    pub id: Uuid,
    pub reviewed_on: Date,
    pub reviewer: Option<String>,
    pub comments: String,
}

/// Records a review and moves each reviewed goal to its new status, all or nothing.
pub async fn insert_review(
    db: &Db,
    person_id: Uuid,
    reviewer: Uuid,
    review: &ValidReview,
    notice: &Notice,
    now: OffsetDateTime,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        notify!(tx, notice, now)?;
        sqlx::query(INSERT_REVIEW)
            .bind(id)
            .bind(person_id)
            .bind(reviewer)
            .bind(review.reviewed_on)
            .bind(&review.comments)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        for (goal, comment, status) in &review.goals {
            sqlx::query(INSERT_REVIEW_GOAL)
                .bind(id)
                .bind(goal)
                .bind(comment)
                .bind(status.as_str())
                .execute(&mut *tx)
                .await?;
            sqlx::query(SET_GOAL_STATUS)
                .bind(goal)
                .bind(status.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    })?;
    Ok(id)
}

pub async fn reviews(
    db: &Db,
    person_id: Uuid,
) -> Result<(Vec<Review>, Vec<ReviewedGoal>), sqlx::Error> {
    let reviews = crate::db::rows(db, SELECT_REVIEWS, (person_id,)).await?;
    let goals = crate::db::rows(db, SELECT_REVIEW_GOALS, (person_id,)).await?;
    Ok((reviews, goals))
}

/// Adds several goals at once (an imported plan), all or nothing.
pub async fn insert_goals(
    db: &Db,
    person_id: Uuid,
    goals: &[ValidGoal],
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        for goal in goals {
            sqlx::query(INSERT_GOAL)
                .bind(Uuid::now_v7())
                .bind(person_id)
                .bind(&goal.what)
                .bind(&goal.why)
                .bind(&goal.how)
                .bind(goal.by_when)
                .bind(join_tags(&goal.elements))
                .bind(goal.status.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    })
}
