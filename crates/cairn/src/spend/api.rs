//! Spend in the API: the report, budgets, the allowance and a booking's costs.

use super::shared::{
    YEARS, build_report, cost_editor, costs_json, parse_allowance, parse_budgets, save_costs,
    spend_org, year_param,
};
use super::store;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::{ApiJson, AppError};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, put};
use cairn_core::costs::{BookingCostDraft, pounds};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};

/// `GET /api/v1/orgs/{id}/spend?year`
pub async fn get_spend(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let org = spend_org(&state, &user, &id).await?;
    let year = year_param(&state, &params)?;
    Ok(Json(build_report(&state, org.id, year).await?).into_response())
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetsBody {
    budgets: BTreeMap<String, Value>,
}

/// `PUT /api/v1/orgs/{id}/budgets/{year}` `{"budgets": {"adults": "12000", …}}`
pub async fn put_budgets(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, year)): Path<(String, String)>,
    ApiJson(body): ApiJson<BudgetsBody>,
) -> Result<Response, AppError> {
    let org = spend_org(&state, &user, &id).await?;
    let year = year
        .parse()
        .ok()
        .filter(|y| YEARS.contains(y))
        .ok_or_else(|| AppError::field("year", "must be a year from 2000 to 2100"))?;
    let budgets = parse_budgets(&body.budgets).map_err(AppError::Invalid)?;
    store::set_budgets(&state.db, org.id, year, &budgets).await?;
    Ok(Json(build_report(&state, org.id, year).await?).into_response())
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowanceBody {
    allowance: Value,
}

/// `PUT /api/v1/orgs/{id}/allowance` `{"allowance": "500"}` (null for none)
pub async fn put_allowance(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AllowanceBody>,
) -> Result<Response, AppError> {
    let org = spend_org(&state, &user, &id).await?;
    let allowance = parse_allowance(&body.allowance)?;
    store::set_allowance(&state.db, org.id, allowance).await?;
    Ok(Json(json!({"allowance": allowance.map(pounds)})).into_response())
}

/// `GET /api/v1/bookings/{id}/costs`
pub async fn get_costs(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let booking_id = crate::web::parse_id(&id)?;
    cost_editor(&state, &user, booking_id).await?;
    let (cost, per_place) = store::costs_of(&state.db, booking_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(costs_json(&cost, per_place)).into_response())
}

/// `PUT /api/v1/bookings/{id}/costs` `{"fee", "travel", "accommodation", "backfill_hours",
/// "backfill_rate"}` (pounds; hours)
pub async fn put_costs(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(draft): ApiJson<BookingCostDraft>,
) -> Result<Response, AppError> {
    let booking_id = crate::web::parse_id(&id)?;
    let cost = save_costs(&state, &user, booking_id, &draft).await?;
    let (_, per_place) = store::costs_of(&state.db, booking_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(costs_json(&cost, per_place)).into_response())
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/bookings/{id}/costs", get(get_costs).put(put_costs))
        .route("/orgs/{id}/spend", get(get_spend))
        .route("/orgs/{id}/budgets/{year}", put(put_budgets))
        .route("/orgs/{id}/allowance", put(put_allowance))
}
