//! SQL for evaluation: reactions (level 1), confidence before and after (level 2), the
//! supervisor's follow-up (level 3) and outcome indicators with their measurements (level 4).

use crate::db::{BeginWrite, Db};
use crate::notifications::INSERT_NOTIFICATION;
use crate::on_db;
use cairn_core::evaluation::{Indicator, Reaction};
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

const UPSERT_REACTION: &str = "INSERT INTO evaluation_reaction (booking_id, overall, relevance, comment, submitted_at) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (booking_id) DO UPDATE SET overall = excluded.overall, relevance = excluded.relevance, comment = excluded.comment, submitted_at = excluded.submitted_at";
const SELECT_REACTION: &str =
    "SELECT overall, relevance, comment FROM evaluation_reaction WHERE booking_id = $1";
const UPSERT_BEFORE: &str = "INSERT INTO evaluation_confidence (booking_id, element, confidence_before) VALUES ($1, $2, $3) \
     ON CONFLICT (booking_id, element) DO UPDATE SET confidence_before = excluded.confidence_before";
const UPSERT_AFTER: &str = "INSERT INTO evaluation_confidence (booking_id, element, confidence_after) VALUES ($1, $2, $3) \
     ON CONFLICT (booking_id, element) DO UPDATE SET confidence_after = excluded.confidence_after";
const SELECT_CONFIDENCE: &str = "SELECT element, confidence_before, confidence_after FROM evaluation_confidence WHERE booking_id = $1 ORDER BY element";
const INSERT_FOLLOW_UP: &str = "INSERT INTO evaluation_follow_up (booking_id, supervisor_id, due_on) VALUES ($1, $2, $3) \
     ON CONFLICT (booking_id) DO NOTHING";
const SELECT_FOLLOW_UP: &str =
    "SELECT supervisor_id, due_on, answer FROM evaluation_follow_up WHERE booking_id = $1";
const SELECT_FOLLOW_UPS_DUE: &str = "SELECT f.booking_id, p.name, o.title, s.starts_at, f.due_on FROM evaluation_follow_up f \
     JOIN booking b ON b.id = f.booking_id JOIN person p ON p.id = b.person_id \
     JOIN opportunity_session s ON s.id = b.session_id JOIN opportunity o ON o.id = s.opportunity_id \
     WHERE f.supervisor_id = $1 AND f.answer IS NULL AND f.due_on <= $2 ORDER BY f.due_on, f.booking_id";
const ANSWER_FOLLOW_UP: &str = "UPDATE evaluation_follow_up SET answer = $3, answered_at = $4 \
     WHERE booking_id = $1 AND supervisor_id = $2 AND answer IS NULL";
const SELECT_UNNOTIFIED: &str = "SELECT f.booking_id, f.supervisor_id, p.name, o.title FROM evaluation_follow_up f \
     JOIN booking b ON b.id = f.booking_id JOIN person p ON p.id = b.person_id \
     JOIN opportunity_session s ON s.id = b.session_id JOIN opportunity o ON o.id = s.opportunity_id \
     WHERE f.notified_at IS NULL AND f.due_on <= $1 AND f.supervisor_id IS NOT NULL LIMIT 1000";
const MARK_NOTIFIED: &str = "UPDATE evaluation_follow_up SET notified_at = $2 WHERE booking_id = $1 AND notified_at IS NULL";

// Results of an opportunity: answers without names (the organiser may be another employer).
const SELECT_REACTIONS: &str = "SELECT r.overall, r.relevance, r.comment FROM evaluation_reaction r \
     JOIN booking b ON b.id = r.booking_id JOIN opportunity_session s ON s.id = b.session_id \
     WHERE s.opportunity_id = $1 ORDER BY r.submitted_at, r.booking_id";
const SELECT_CONFIDENCE_CHANGE: &str = "SELECT c.element, COUNT(*) AS answers, AVG(CAST(c.confidence_before AS DOUBLE PRECISION)) AS mean_before, \
     AVG(CAST(c.confidence_after AS DOUBLE PRECISION)) AS mean_after FROM evaluation_confidence c \
     JOIN booking b ON b.id = c.booking_id JOIN opportunity_session s ON s.id = b.session_id \
     WHERE s.opportunity_id = $1 AND c.confidence_before IS NOT NULL AND c.confidence_after IS NOT NULL \
     GROUP BY c.element ORDER BY c.element";
const SELECT_ANSWERS: &str = "SELECT f.answer, f.answered_at FROM evaluation_follow_up f \
     JOIN booking b ON b.id = f.booking_id JOIN opportunity_session s ON s.id = b.session_id \
     WHERE s.opportunity_id = $1 AND f.answer IS NOT NULL ORDER BY f.answered_at, f.booking_id";
const COUNT_FOLLOW_UPS: &str = "SELECT COUNT(*) FROM evaluation_follow_up f JOIN booking b ON b.id = f.booking_id \
     JOIN opportunity_session s ON s.id = b.session_id WHERE s.opportunity_id = $1";
const INSERT_INDICATOR: &str = "INSERT INTO outcome_indicator (id, opportunity_id, name, unit, baseline, target, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
const SELECT_INDICATORS: &str = "SELECT id, opportunity_id, name, unit, baseline, target FROM outcome_indicator WHERE opportunity_id = $1 ORDER BY created_at, id";
const SELECT_INDICATOR: &str =
    "SELECT id, opportunity_id, name, unit, baseline, target FROM outcome_indicator WHERE id = $1";
const INSERT_MEASURE: &str = "INSERT INTO outcome_measure (id, indicator_id, measured_on, value, note) VALUES ($1, $2, $3, $4, $5)";
const SELECT_MEASURES: &str = "SELECT m.indicator_id, m.measured_on, m.value, m.note FROM outcome_measure m \
     JOIN outcome_indicator i ON i.id = m.indicator_id WHERE i.opportunity_id = $1 ORDER BY m.measured_on, m.id";
// Per opportunity of an organisation, for the results by provider.
const SELECT_SUMMARY: &str = "SELECT o.id, o.title, o.provider, \
     (SELECT COUNT(*) FROM booking b JOIN opportunity_session s ON s.id = b.session_id WHERE s.opportunity_id = o.id AND b.status = 'attended') AS attended, \
     (SELECT COUNT(*) FROM evaluation_reaction r JOIN booking b ON b.id = r.booking_id JOIN opportunity_session s ON s.id = b.session_id WHERE s.opportunity_id = o.id) AS reactions, \
     (SELECT AVG(CAST(r.overall AS DOUBLE PRECISION)) FROM evaluation_reaction r JOIN booking b ON b.id = r.booking_id JOIN opportunity_session s ON s.id = b.session_id WHERE s.opportunity_id = o.id) AS overall, \
     (SELECT AVG(CAST(c.confidence_after - c.confidence_before AS DOUBLE PRECISION)) FROM evaluation_confidence c JOIN booking b ON b.id = c.booking_id JOIN opportunity_session s ON s.id = b.session_id \
        WHERE s.opportunity_id = o.id AND c.confidence_before IS NOT NULL AND c.confidence_after IS NOT NULL) AS confidence_gain, \
     (SELECT COUNT(*) FROM evaluation_follow_up f JOIN booking b ON b.id = f.booking_id JOIN opportunity_session s ON s.id = b.session_id WHERE s.opportunity_id = o.id AND f.answer IS NOT NULL) AS follow_ups, \
     (SELECT COUNT(*) FROM outcome_indicator i WHERE i.opportunity_id = o.id) AS indicators \
     FROM opportunity o WHERE o.org_id = $1 ORDER BY o.provider, o.title, o.id";

pub async fn save_reaction(
    db: &Db,
    booking_id: Uuid,
    reaction: &Reaction,
    after: &BTreeMap<String, i64>,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query(UPSERT_REACTION)
            .bind(booking_id)
            .bind(reaction.overall)
            .bind(reaction.relevance)
            .bind(&reaction.comment)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        for (element, rating) in after {
            sqlx::query(UPSERT_AFTER)
                .bind(booking_id)
                .bind(element)
                .bind(rating)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    })
}

pub async fn save_confidence_before(
    db: &Db,
    booking_id: Uuid,
    before: &BTreeMap<String, i64>,
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        for (element, rating) in before {
            sqlx::query(UPSERT_BEFORE)
                .bind(booking_id)
                .bind(element)
                .bind(rating)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    })
}

pub async fn reaction_of(db: &Db, booking_id: Uuid) -> Result<Option<Reaction>, sqlx::Error> {
    let row: Option<(i64, i64, String)> =
        crate::db::row(db, SELECT_REACTION, (booking_id,)).await?;
    Ok(row.map(|(overall, relevance, comment)| Reaction {
        overall,
        relevance,
        comment,
    }))
}

/// (element, before, after) for a booking.
pub async fn confidence_of(
    db: &Db,
    booking_id: Uuid,
) -> Result<Vec<(String, Option<i64>, Option<i64>)>, sqlx::Error> {
    crate::db::rows(db, SELECT_CONFIDENCE, (booking_id,)).await
}

/// Plans the level 3 question for a booking (once).
pub async fn plan_follow_up(
    db: &Db,
    booking_id: Uuid,
    supervisor_id: Uuid,
    due_on: Date,
) -> Result<(), sqlx::Error> {
    crate::db::execute(db, INSERT_FOLLOW_UP, (booking_id, supervisor_id, due_on))
        .await
        .map(|_| ())
}

/// A booking's follow-up: (supervisor, due on, answer).
pub async fn follow_up_of(
    db: &Db,
    booking_id: Uuid,
) -> Result<Option<(Option<Uuid>, Date, Option<String>)>, sqlx::Error> {
    crate::db::row(db, SELECT_FOLLOW_UP, (booking_id,)).await
}

/// A question waiting for a supervisor.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct FollowUpDue {
    pub booking_id: Uuid,
    pub name: String,
    pub title: String,
    #[serde(with = "time::serde::rfc3339")]
    pub starts_at: OffsetDateTime,
    pub due_on: Date,
}

pub async fn follow_ups_due(
    db: &Db,
    supervisor_id: Uuid,
    today: Date,
) -> Result<Vec<FollowUpDue>, sqlx::Error> {
    crate::db::rows(db, SELECT_FOLLOW_UPS_DUE, (supervisor_id, today)).await
}

/// Records the supervisor's answer; false when it was not theirs to give or already given.
pub async fn answer_follow_up(
    db: &Db,
    booking_id: Uuid,
    supervisor_id: Uuid,
    answer: &str,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| sqlx::query(ANSWER_FOLLOW_UP)
        .bind(booking_id)
        .bind(supervisor_id)
        .bind(answer)
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected() == 1))
}

/// Tells each supervisor of the follow-up questions now due, once each (safe when several
/// instances run this at the same time). Returns how many were sent.
pub async fn send_due_follow_ups(
    db: &Db,
    today: Date,
    now: OffsetDateTime,
) -> Result<usize, sqlx::Error> {
    let due: Vec<(Uuid, Uuid, String, String)> =
        crate::db::rows(db, SELECT_UNNOTIFIED, (today,)).await?;
    let mut sent = 0;
    for (booking_id, supervisor_id, name, title) in due {
        let message =
            format!("What has changed in {name}'s practice since {title}? Your answer is due.");
        let told = on_db!(db, |pool| {
            let mut tx = pool.begin_write().await?;
            let claimed = sqlx::query(MARK_NOTIFIED)
                .bind(booking_id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            if claimed {
                sqlx::query(INSERT_NOTIFICATION)
                    .bind(Uuid::now_v7())
                    .bind(supervisor_id)
                    .bind("follow-up-due")
                    .bind(&message)
                    .bind("/follow-ups")
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<bool, sqlx::Error>(claimed)
        })?;
        sent += usize::from(told);
    }
    Ok(sent)
}

/// The level 4 indicator as stored.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct StoredIndicator {
    pub id: Uuid,
    pub opportunity_id: Uuid,
    pub name: String,
    pub unit: String,
    pub baseline: f64,
    pub target: Option<f64>,
}

pub async fn add_indicator(
    db: &Db,
    opportunity_id: Uuid,
    indicator: &Indicator,
    now: OffsetDateTime,
) -> Result<Uuid, sqlx::Error> {
    crate::db::insert(
        db,
        INSERT_INDICATOR,
        (
            opportunity_id,
            &indicator.name,
            &indicator.unit,
            indicator.baseline,
            indicator.target,
            now,
        ),
    )
    .await
}

pub async fn indicator(db: &Db, id: Uuid) -> Result<Option<StoredIndicator>, sqlx::Error> {
    crate::db::row(db, SELECT_INDICATOR, (id,)).await
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Measure {
    pub indicator_id: Uuid,
    pub measured_on: Date,
    pub value: f64,
    pub note: String,
}

pub async fn add_measure(
    db: &Db,
    indicator_id: Uuid,
    measured_on: Date,
    value: f64,
    note: &str,
) -> Result<(), sqlx::Error> {
    crate::db::execute(
        db,
        INSERT_MEASURE,
        (Uuid::now_v7(), indicator_id, measured_on, value, note),
    )
    .await
    .map(|_| ())
}

/// Everything known about how an opportunity worked, without names.
#[derive(Debug, Clone, Default)]
pub struct Results {
    pub reactions: Vec<(i64, i64, String)>,
    /// (element, answers, mean before, mean after)
    pub confidence: Vec<(String, i64, f64, f64)>,
    pub follow_ups_asked: i64,
    pub answers: Vec<(String, OffsetDateTime)>,
    pub indicators: Vec<StoredIndicator>,
    pub measures: Vec<Measure>,
}

pub async fn results(db: &Db, opportunity_id: Uuid) -> Result<Results, sqlx::Error> {
    on_db!(db, |pool| {
        Ok::<Results, sqlx::Error>(Results {
            reactions: sqlx::query_as(SELECT_REACTIONS)
                .bind(opportunity_id)
                .fetch_all(pool)
                .await?,
            confidence: sqlx::query_as(SELECT_CONFIDENCE_CHANGE)
                .bind(opportunity_id)
                .fetch_all(pool)
                .await?,
            follow_ups_asked: sqlx::query_scalar(COUNT_FOLLOW_UPS)
                .bind(opportunity_id)
                .fetch_one(pool)
                .await?,
            answers: sqlx::query_as(SELECT_ANSWERS)
                .bind(opportunity_id)
                .fetch_all(pool)
                .await?,
            indicators: sqlx::query_as(SELECT_INDICATORS)
                .bind(opportunity_id)
                .fetch_all(pool)
                .await?,
            measures: sqlx::query_as(SELECT_MEASURES)
                .bind(opportunity_id)
                .fetch_all(pool)
                .await?,
        })
    })
}

/// One opportunity's evaluation at a glance.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct Summary {
    pub id: Uuid,
    pub title: String,
    pub provider: String,
    pub attended: i64,
    pub reactions: i64,
    /// Mean overall rating (1 to 5).
    pub overall: Option<f64>,
    /// Mean change in confidence, after minus before (-4 to 4).
    pub confidence_gain: Option<f64>,
    pub follow_ups: i64,
    pub indicators: i64,
}

pub async fn summaries(db: &Db, org_id: Uuid) -> Result<Vec<Summary>, sqlx::Error> {
    crate::db::rows(db, SELECT_SUMMARY, (org_id,)).await
}
