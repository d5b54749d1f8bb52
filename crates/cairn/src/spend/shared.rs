//! What the spend API and pages both do: the report, budgets and the allowance as typed, and a
//! booking's costs (who may change them, and saving them).

use super::store;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::people::Organisation;
use crate::web::AppError;
use cairn_core::FieldErrors;
use cairn_core::catalogue::parse_pounds;
use cairn_core::costs::{BookingCost, BookingCostDraft, pounds};
use cairn_core::vocabulary::{self, SERVICES};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// The years a report or budget may be for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The organisation, when the user manages its spending (its L&D lead or administrator).
pub async fn spend_org(
    state: &AppState,
    user: &CurrentUser,
    org_id: Uuid,
) -> Result<Organisation, AppError> {
    authorize(user, Action::ManageSpend(org_id))?;
    crate::people::service::get_org(&state.db, org_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// `year` from a query string; this year when absent.
pub fn year_param(state: &AppState, params: &HashMap<String, String>) -> Result<i32, AppError> {
    match params
        .get("year")
        .map(|y| y.trim())
        .filter(|y| !y.is_empty())
    {
        None => Ok(state.clock.today().year()),
        Some(text) => text
            .parse()
            .ok()
            .filter(|y| YEARS.contains(y))
            .ok_or_else(|| AppError::field("year", "must be a year from 2000 to 2100")),
    }
}

pub async fn build_report(
    state: &AppState,
    org_id: Uuid,
    year: i32,
) -> Result<super::SpendReport, AppError> {
    let spend = store::spend(&state.db, org_id, year).await?;
    let budgets = store::budgets(&state.db, org_id, year).await?;
    let allowance = store::allowance(&state.db, org_id).await?;
    Ok(super::report(org_id, year, &spend, &budgets, allowance))
}

/// Budgets typed per service: blank leaves a service without one. Every bad amount and
/// unknown service is named.
pub fn parse_budgets(typed: &BTreeMap<String, Value>) -> Result<Vec<(String, i64)>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut budgets = Vec::new();
    for (service, amount) in typed {
        if vocabulary::check(SERVICES, service).is_err() {
            errors.push(format!("budgets.{service}"), "is not a service cairn knows");
            continue;
        }
        if amount.is_null() || amount.as_str().is_some_and(|a| a.trim().is_empty()) {
            continue;
        }
        match parse_pounds(amount) {
            Ok(pence) => budgets.push((service.clone(), pence)),
            Err(message) => errors.push(format!("budgets.{service}"), message),
        }
    }
    errors.into_result(|| budgets)
}

/// An allowance typed in pounds; blank or null for none.
pub fn parse_allowance(value: &Value) -> Result<Option<i64>, AppError> {
    if value.is_null() || value.as_str().is_some_and(|a| a.trim().is_empty()) {
        return Ok(None);
    }
    parse_pounds(value)
        .map(Some)
        .map_err(|message| AppError::field("allowance", message))
}

/// Who may change a booking's costs: its person (their travel and accommodation) and the L&D
/// lead or administrator of an organisation employing them (everything). Returns whether the
/// user manages them.
pub async fn cost_editor(
    state: &AppState,
    user: &CurrentUser,
    booking_id: Uuid,
) -> Result<bool, AppError> {
    let (_, person_id, _) = crate::catalogue::service::get_booking(&state.db, booking_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let employers =
        crate::people::service::employing_orgs(&state.db, person_id, state.clock.today()).await?;
    let manager = employers
        .iter()
        .any(|org| authorize(user, Action::ManageSpend(*org)).is_ok());
    if manager || person_id == user.person_id {
        Ok(manager)
    } else {
        Err(AppError::NotFound)
    }
}

/// Saves a booking's costs; a person who does not manage spending changes only their travel
/// and accommodation (the fee and backfill stay as they were).
pub async fn save_costs(
    state: &AppState,
    user: &CurrentUser,
    booking_id: Uuid,
    draft: &BookingCostDraft,
) -> Result<BookingCost, AppError> {
    let manager = cost_editor(state, user, booking_id).await?;
    let mut cost = draft.validate().map_err(AppError::Invalid)?;
    if !manager {
        let (current, _) = store::costs_of(&state.db, booking_id)
            .await?
            .ok_or(AppError::NotFound)?;
        cost.fee_pence = current.fee_pence;
        cost.backfill_hours = current.backfill_hours;
        cost.backfill_rate_pence = current.backfill_rate_pence;
    }
    store::set_costs(&state.db, booking_id, &cost, state.clock.now()).await?;
    Ok(cost)
}

/// A booking's costs as the API shows them: pounds, as strings of exact decimals.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Costs {
    fee: String,
    /// The fee is the opportunity's cost per place (none was set for this booking).
    fee_is_cost_per_place: bool,
    travel: String,
    accommodation: String,
    backfill_hours: cairn_core::Hours,
    /// Pounds per backfill hour.
    backfill_rate: String,
    backfill: String,
    total: String,
}

impl Costs {
    pub fn of(cost: &BookingCost, cost_per_place: i64) -> Costs {
        Costs {
            fee: pounds(cost.fee_pence.unwrap_or(cost_per_place)),
            fee_is_cost_per_place: cost.fee_pence.is_none(),
            travel: pounds(cost.travel_pence),
            accommodation: pounds(cost.accommodation_pence),
            backfill_hours: cost.backfill_hours,
            backfill_rate: pounds(cost.backfill_rate_pence),
            backfill: pounds(cost.backfill_pence()),
            total: pounds(cost.total_pence(cost_per_place)),
        }
    }
}

/// The person's allowance this year at the first employer that offers one: (employer's
/// allowance, fees used), in pence.
pub async fn allowance_of(
    state: &AppState,
    person_id: Uuid,
) -> Result<Option<(i64, i64)>, AppError> {
    let year = state.clock.today().year();
    for org in
        crate::people::service::employing_orgs(&state.db, person_id, state.clock.today()).await?
    {
        if let Some(allowance) = store::allowance(&state.db, org).await? {
            let used = store::fees_of_person(&state.db, org, person_id, year).await?;
            return Ok(Some((allowance, used)));
        }
    }
    Ok(None)
}
