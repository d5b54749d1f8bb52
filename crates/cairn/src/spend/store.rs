//! SQL for what learning costs: each booking's costs, budgets per service and year, the
//! personal allowance, and the spend report. The report starts from the organisation's
//! staff (its employment index), never from every booking in the register.

use crate::db::{BeginWrite, Db};
use crate::on_db;
use cairn_core::Hours;
use cairn_core::costs::BookingCost;
use time::{Date, Month, OffsetDateTime};
use uuid::Uuid;

const SET_COSTS: &str = "UPDATE booking SET fee_pence = $2, travel_pence = $3, accommodation_pence = $4, \
     backfill_hours = $5, backfill_rate_pence = $6, updated_at = $7 WHERE id = $1";
const SELECT_COSTS: &str = "SELECT b.fee_pence, b.travel_pence, b.accommodation_pence, b.backfill_hours, b.backfill_rate_pence, o.cost_pence \
     FROM booking b JOIN opportunity_session s ON s.id = b.session_id JOIN opportunity o ON o.id = s.opportunity_id WHERE b.id = $1";
const UPSERT_BUDGET: &str = "INSERT INTO learning_budget (org_id, service, year, amount_pence) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (org_id, year, service) DO UPDATE SET amount_pence = excluded.amount_pence";
const SELECT_BUDGETS: &str = "SELECT service, amount_pence FROM learning_budget WHERE org_id = $1 AND year = $2 ORDER BY service";
const SET_ALLOWANCE: &str = "UPDATE organisation SET allowance_pence = $2 WHERE id = $1";
const SELECT_ALLOWANCE: &str = "SELECT allowance_pence FROM organisation WHERE id = $1";

// The organisation's staff in the year (each person's latest job there, for their team),
// and the bookings that count: a place held or used, or one cancelled too late to be free.
macro_rules! counted_bookings {
    () => {
        "WITH staff AS (SELECT person_id, team_id FROM (SELECT e.person_id, e.team_id, \
             ROW_NUMBER() OVER (PARTITION BY e.person_id ORDER BY e.start_date DESC, e.id) AS n \
             FROM employment e WHERE e.org_id = $1 AND e.start_date <= $3 AND (e.end_date IS NULL OR e.end_date >= $2)) latest \
           WHERE n = 1) "
    };
}
macro_rules! counted_from {
    () => {
        "FROM staff JOIN booking b ON b.person_id = staff.person_id \
         JOIN opportunity_session s ON s.id = b.session_id JOIN opportunity o ON o.id = s.opportunity_id \
         LEFT JOIN team t ON t.id = staff.team_id \
         WHERE s.starts_at >= $4 AND s.starts_at < $5 \
         AND (b.status IN ('booked', 'attended', 'absent') OR (b.status = 'cancelled' AND b.late_cancellation = TRUE)) "
    };
}
// One line per person (with their service and locality); lines are summed in Rust, so that
// people are counted once per locality and once in all from one pass over the bookings.
// Backfill rounds half up to the penny, as `BookingCost::backfill_pence`.
const SELECT_SPEND: &str = concat!(
    counted_bookings!(),
    "SELECT COALESCE(t.service, '') AS service, COALESCE(t.locality, '') AS locality, \
     COUNT(*) AS places, \
     CAST(SUM(COALESCE(b.fee_pence, o.cost_pence)) AS BIGINT) AS fees, \
     CAST(SUM(b.travel_pence) AS BIGINT) AS travel, CAST(SUM(b.accommodation_pence) AS BIGINT) AS accommodation, \
     CAST(SUM((b.backfill_hours * b.backfill_rate_pence + 5000) / 10000) AS BIGINT) AS backfill, \
     CAST(SUM(CASE WHEN b.status = 'attended' THEN o.hours ELSE 0 END) AS BIGINT) AS hours ",
    counted_from!(),
    "GROUP BY COALESCE(t.service, ''), COALESCE(t.locality, ''), b.person_id"
);
const SELECT_FEES_OF_PERSON: &str = concat!(
    counted_bookings!(),
    "SELECT CAST(COALESCE(SUM(COALESCE(b.fee_pence, o.cost_pence)), 0) AS BIGINT) ",
    counted_from!(),
    "AND b.person_id = $6"
);

/// The first and last day of a year, and the instants bounding it (where people are).
pub fn year_bounds(year: i32) -> (Date, Date, OffsetDateTime, OffsetDateTime) {
    let first = Date::from_calendar_date(year, Month::January, 1).expect("a year cairn accepts");
    let last = Date::from_calendar_date(year, Month::December, 31).expect("a year cairn accepts");
    let next = Date::from_calendar_date(year + 1, Month::January, 1).expect("a year cairn accepts");
    (
        first,
        last,
        crate::zone::midnight(first),
        crate::zone::midnight(next),
    )
}

pub async fn set_costs(
    db: &Db,
    booking_id: Uuid,
    cost: &BookingCost,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    crate::db::execute(
        db,
        SET_COSTS,
        (
            booking_id,
            cost.fee_pence,
            cost.travel_pence,
            cost.accommodation_pence,
            cost.backfill_hours.units(),
            cost.backfill_rate_pence,
            now,
        ),
    )
    .await
    .map(|_| ())
}

#[derive(sqlx::FromRow)]
struct CostRow {
    fee_pence: Option<i64>,
    travel_pence: i64,
    accommodation_pence: i64,
    backfill_hours: i64,
    backfill_rate_pence: i64,
    cost_pence: i64,
}

/// A booking's costs and the opportunity's cost per place.
pub async fn costs_of(
    db: &Db,
    booking_id: Uuid,
) -> Result<Option<(BookingCost, i64)>, sqlx::Error> {
    let row: Option<CostRow> = crate::db::row(db, SELECT_COSTS, (booking_id,)).await?;
    Ok(row.map(|r| {
        (
            BookingCost {
                fee_pence: r.fee_pence,
                travel_pence: r.travel_pence,
                accommodation_pence: r.accommodation_pence,
                backfill_hours: Hours::from_units(r.backfill_hours),
                backfill_rate_pence: r.backfill_rate_pence,
            },
            r.cost_pence,
        )
    }))
}

/// Sets the budgets of several services for a year at once, all or nothing.
pub async fn set_budgets(
    db: &Db,
    org_id: Uuid,
    year: i32,
    budgets: &[(String, i64)],
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        for (service, pence) in budgets {
            sqlx::query(UPSERT_BUDGET)
                .bind(org_id)
                .bind(service)
                .bind(i64::from(year))
                .bind(pence)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    })
}

/// The year's budgets: (service, pence).
pub async fn budgets(db: &Db, org_id: Uuid, year: i32) -> Result<Vec<(String, i64)>, sqlx::Error> {
    crate::db::rows(db, SELECT_BUDGETS, (org_id, i64::from(year))).await
}

pub async fn set_allowance(db: &Db, org_id: Uuid, pence: Option<i64>) -> Result<(), sqlx::Error> {
    crate::db::execute(db, SET_ALLOWANCE, (org_id, pence))
        .await
        .map(|_| ())
}

/// Pence a year each member of staff may spend on their own learning, if offered.
pub async fn allowance(db: &Db, org_id: Uuid) -> Result<Option<i64>, sqlx::Error> {
    let found: Option<Option<i64>> = crate::db::scalar(db, SELECT_ALLOWANCE, (org_id,)).await?;
    Ok(found.flatten())
}

/// One line of the spend report: a service in a locality.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SpendRow {
    /// Service and locality ids ("" where the team is not recorded).
    pub service: String,
    pub locality: String,
    pub places: i64,
    pub people: i64,
    pub fees: i64,
    pub travel: i64,
    pub accommodation: i64,
    pub backfill: i64,
    /// Hours of learning attended, in ten-thousandths.
    pub hours: i64,
}

impl SpendRow {
    pub fn total(&self) -> i64 {
        self.fees + self.travel + self.accommodation + self.backfill
    }
}

#[derive(sqlx::FromRow)]
struct PersonSpend {
    service: String,
    locality: String,
    places: i64,
    fees: i64,
    travel: i64,
    accommodation: i64,
    backfill: i64,
    hours: i64,
}

/// The year's spend of the organisation's staff.
#[derive(Debug, Clone, Default)]
pub struct Spend {
    /// By service and locality.
    pub rows: Vec<SpendRow>,
    /// Different people per locality.
    pub people_by_locality: Vec<(String, i64)>,
    /// Different people in all.
    pub people: i64,
}

pub async fn spend(db: &Db, org_id: Uuid, year: i32) -> Result<Spend, sqlx::Error> {
    let (first, last, from, to) = year_bounds(year);
    let lines: Vec<PersonSpend> =
        crate::db::rows(db, SELECT_SPEND, (org_id, first, last, from, to)).await?;
    // Each person has one service and locality here (their latest job), so a person is one
    // line and counting lines counts people.
    let mut rows: std::collections::BTreeMap<(String, String), SpendRow> = Default::default();
    let mut people_by_locality: std::collections::BTreeMap<String, i64> = Default::default();
    for line in &lines {
        *people_by_locality.entry(line.locality.clone()).or_default() += 1;
        let row = rows
            .entry((line.service.clone(), line.locality.clone()))
            .or_insert_with(|| SpendRow {
                service: line.service.clone(),
                locality: line.locality.clone(),
                ..Default::default()
            });
        row.places += line.places;
        row.people += 1;
        row.fees += line.fees;
        row.travel += line.travel;
        row.accommodation += line.accommodation;
        row.backfill += line.backfill;
        row.hours += line.hours;
    }
    Ok(Spend {
        rows: rows.into_values().collect(),
        people_by_locality: people_by_locality.into_iter().collect(),
        people: lines.len() as i64,
    })
}

/// Fees spent on the person's learning in the year by the organisation (what the allowance
/// counts).
pub async fn fees_of_person(
    db: &Db,
    org_id: Uuid,
    person_id: Uuid,
    year: i32,
) -> Result<i64, sqlx::Error> {
    let (first, last, from, to) = year_bounds(year);
    crate::db::scalar_one(
        db,
        SELECT_FEES_OF_PERSON,
        (org_id, first, last, from, to, person_id),
    )
    .await
}
