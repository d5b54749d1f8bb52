//! Spend in the API: the report, budgets, the allowance and a booking's costs.

use super::SpendReport;
use super::shared::{
    Costs, YEARS, build_report, cost_editor, parse_allowance, parse_budgets, save_costs, spend_org,
    year_param,
};
use super::store;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::IdPath;
use crate::web::openapi::{Hidden, Invalid, NotPermitted, SignedOut};
use crate::web::{ApiJson, AppError};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Json, Response};
use cairn_core::costs::{BookingCostDraft, pounds};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[utoipa::path(
    get, path = "/orgs/{id}/spend", tag = "spend", operation_id = "get_spend", params(IdPath, ("year" = Option<i64>, Query, description = "The year; this year when absent")),
    summary = "The year's spend against budget, per head and per learning hour, by service and locality",
    responses((status = 200, description = "Report", body = SpendReport), SignedOut, Hidden, NotPermitted,
        (status = 422, description = "A year from 2000 to 2100")),
)]
pub async fn get_spend(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let org = spend_org(&state, &user, id).await?;
    let year = year_param(&state, &params)?;
    Ok(Json(build_report(&state, org.id, year).await?).into_response())
}

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetsBody {
    /// Pounds for each service (an id of the services vocabulary).
    #[schema(value_type = BTreeMap<String, cairn_core::wire::Pounds>)]
    budgets: BTreeMap<String, Value>,
}

#[utoipa::path(
    put, path = "/orgs/{id}/budgets/{year}", tag = "spend", operation_id = "put_budgets", params(IdPath, ("year" = i64, Path, description = "")), request_body = BudgetsBody,
    summary = "Budgets per service for a year",
    responses((status = 200, description = "The report with them", body = SpendReport), SignedOut, Hidden,
        Invalid, NotPermitted),
)]
pub async fn put_budgets(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, year)): Path<(String, String)>,
    ApiJson(body): ApiJson<BudgetsBody>,
) -> Result<Response, AppError> {
    let org = spend_org(&state, &user, crate::web::parse_id(&id)?).await?;
    let year = year
        .parse()
        .ok()
        .filter(|y| YEARS.contains(y))
        .ok_or_else(|| AppError::field("year", "must be a year from 2000 to 2100"))?;
    let budgets = parse_budgets(&body.budgets).map_err(AppError::Invalid)?;
    store::set_budgets(&state.db, org.id, year, &budgets).await?;
    Ok(Json(build_report(&state, org.id, year).await?).into_response())
}

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllowanceBody {
    /// Pounds a year each member of staff may spend on fees; null for none.
    #[schema(value_type = Option<cairn_core::wire::Pounds>)]
    allowance: Value,
}

/// The allowance as saved.
#[derive(Serialize, ToSchema)]
pub struct Allowance {
    allowance: Option<String>,
}

/// `PUT /api/v1/orgs/{id}/allowance` `{"allowance": "500"}` (null for none)
#[utoipa::path(
    put, path = "/orgs/{id}/allowance", tag = "spend", operation_id = "put_allowance", params(IdPath), request_body = AllowanceBody,
    summary = "The personal learning allowance, pounds a person a year (null for none)",
    responses((status = 200, description = "Saved", body = Allowance), SignedOut, Hidden, Invalid,
        NotPermitted),
)]
pub async fn put_allowance(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<AllowanceBody>,
) -> Result<Response, AppError> {
    let org = spend_org(&state, &user, id).await?;
    let allowance = parse_allowance(&body.allowance)?;
    store::set_allowance(&state.db, org.id, allowance).await?;
    Ok(Json(Allowance {
        allowance: allowance.map(pounds),
    })
    .into_response())
}

#[utoipa::path(
    get, path = "/bookings/{id}/costs", tag = "spend", operation_id = "get_costs", params(IdPath),
    summary = "What a booking costs",
    responses((status = 200, description = "Costs", body = Costs), SignedOut, Hidden),
)]
pub async fn get_costs(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(booking_id): IdPath,
) -> Result<Response, AppError> {
    cost_editor(&state, &user, booking_id).await?;
    let (cost, per_place) = store::costs_of(&state.db, booking_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(Costs::of(&cost, per_place)).into_response())
}

/// `PUT /api/v1/bookings/{id}/costs` `{"fee", "travel", "accommodation", "backfill_hours",
/// "backfill_rate"}` (pounds; hours)
#[utoipa::path(
    put, path = "/bookings/{id}/costs", tag = "spend", operation_id = "put_costs", params(IdPath), request_body = BookingCostDraft,
    summary = "Record costs: the person their travel and accommodation; L&D leads and administrators everything",
    responses((status = 200, description = "Costs", body = Costs), SignedOut, Hidden, Invalid),
)]
pub async fn put_costs(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(booking_id): IdPath,
    ApiJson(draft): ApiJson<BookingCostDraft>,
) -> Result<Response, AppError> {
    let cost = save_costs(&state, &user, booking_id, &draft).await?;
    let (_, per_place) = store::costs_of(&state.db, booking_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(Costs::of(&cost, per_place)).into_response())
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_costs, put_costs))
        .routes(routes!(get_spend))
        .routes(routes!(put_budgets))
        .routes(routes!(put_allowance))
}
