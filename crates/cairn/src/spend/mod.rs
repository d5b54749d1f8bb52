//! What learning costs an employer: each booking's fee, travel, accommodation and backfill;
//! budgets per service and year; a personal learning allowance; and the spend report
//! (against budget, per head and per learning hour, by locality so that rural and island
//! costs are visible).

pub mod api;
pub mod pages;
pub mod service;
pub mod shared;
pub mod store;

use cairn_core::costs::pounds;
use cairn_core::vocabulary::{self, LOCALITIES, SERVICES};
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// A service's spend against its budget.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ServiceSpend {
    pub service: String,
    pub label: String,
    pub budget: Option<String>,
    pub spent: String,
    /// Budget left (negative when overspent).
    pub remaining: Option<String>,
    pub overspent: bool,
}

/// A locality's spend and what it bought.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LocalitySpend {
    pub locality: String,
    pub label: String,
    pub places: i64,
    pub people: i64,
    pub spent: String,
    pub fees: String,
    pub travel: String,
    pub accommodation: String,
    pub backfill: String,
    pub hours: cairn_core::Hours,
    pub per_head: Option<String>,
    pub per_learning_hour: Option<String>,
}

/// The year's spend report of an organisation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SpendReport {
    pub org_id: Uuid,
    pub year: i32,
    pub services: Vec<ServiceSpend>,
    pub localities: Vec<LocalitySpend>,
    pub total: LocalitySpend,
    pub budget: Option<String>,
    /// Pounds a year each member of staff may spend, where offered.
    pub allowance: Option<String>,
}

fn label(terms: &[vocabulary::Term], id: &str) -> String {
    if id.is_empty() {
        return "Team not recorded".to_owned();
    }
    vocabulary::label(terms, id).map_or_else(|| id.to_owned(), str::to_owned)
}

/// Pence divided by a count, rounded to the penny; None when there is nothing to divide by.
fn per(pence: i64, by: i64) -> Option<String> {
    (by > 0).then(|| pounds((pence * 2 + by) / (2 * by)))
}

fn locality_line(locality: &str, rows: &[&store::SpendRow], people: i64) -> LocalitySpend {
    let sum = |f: fn(&store::SpendRow) -> i64| rows.iter().map(|r| f(r)).sum::<i64>();
    let spent = sum(store::SpendRow::total);
    let hours = sum(|r| r.hours);
    LocalitySpend {
        locality: locality.to_owned(),
        label: label(LOCALITIES, locality),
        places: sum(|r| r.places),
        people,
        spent: pounds(spent),
        fees: pounds(sum(|r| r.fees)),
        travel: pounds(sum(|r| r.travel)),
        accommodation: pounds(sum(|r| r.accommodation)),
        backfill: pounds(sum(|r| r.backfill)),
        hours: cairn_core::Hours::from_units(hours),
        per_head: per(spent, people),
        // Pence per ten-thousandth of an hour, scaled back to pounds per hour.
        per_learning_hour: (hours > 0).then(|| {
            pounds(
                ((i128::from(spent) * 10_000 * 2 + i128::from(hours)) / (2 * i128::from(hours)))
                    as i64,
            )
        }),
    }
}

/// Puts the report together from the store's rows (service × locality), the year's budgets
/// and the number of different people (a person can appear under several lines).
pub fn report(
    org_id: Uuid,
    year: i32,
    spend: &store::Spend,
    budgets: &[(String, i64)],
    allowance: Option<i64>,
) -> SpendReport {
    let rows = &spend.rows;
    let mut by_service: BTreeMap<&str, i64> = BTreeMap::new();
    for row in rows {
        *by_service.entry(&row.service).or_default() += row.total();
    }
    for (service, _) in budgets {
        by_service.entry(service).or_default();
    }
    let services = by_service
        .into_iter()
        .map(|(service, spent)| {
            let budget = budgets.iter().find(|(s, _)| s == service).map(|(_, b)| *b);
            ServiceSpend {
                service: service.to_owned(),
                label: label(SERVICES, service),
                budget: budget.map(pounds),
                spent: pounds(spent),
                remaining: budget.map(|b| pounds(b - spent)),
                overspent: budget.is_some_and(|b| spent > b),
            }
        })
        .collect();
    let mut by_locality: BTreeMap<&str, Vec<&store::SpendRow>> = BTreeMap::new();
    for row in rows {
        by_locality.entry(&row.locality).or_default().push(row);
    }
    // Localities in the vocabulary's order (urban to island), then unrecorded.
    let mut localities: Vec<LocalitySpend> = by_locality
        .iter()
        .map(|(locality, rows)| {
            let people = spend
                .people_by_locality
                .iter()
                .find(|(l, _)| l == locality)
                .map_or(0, |(_, n)| *n);
            locality_line(locality, rows, people)
        })
        .collect();
    let order = |id: &str| {
        LOCALITIES
            .iter()
            .position(|(l, _)| *l == id)
            .unwrap_or(LOCALITIES.len())
    };
    localities.sort_by_key(|l| order(&l.locality));
    let all: Vec<&store::SpendRow> = rows.iter().collect();
    let total = locality_line("", &all, spend.people);
    let budget: i64 = budgets.iter().map(|(_, b)| b).sum();
    SpendReport {
        org_id,
        year,
        services,
        localities,
        total: LocalitySpend {
            label: "All".into(),
            ..total
        },
        budget: (!budgets.is_empty()).then(|| pounds(budget)),
        allowance: allowance.map(pounds),
    }
}
