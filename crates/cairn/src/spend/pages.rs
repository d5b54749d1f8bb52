//! The spend report in the browser, with the year's budgets and the allowance, and its CSV.

use super::shared::{build_report, parse_allowance, parse_budgets, spend_org, year_param};
use super::{SpendReport, store};
use crate::app::AppState;
use crate::auth::CheckedForm;
use crate::auth::CurrentUser;
use crate::web::PageIdPath;
use crate::web::page::{Chrome, FormErrors, render};
use crate::web::{AppError, PageError};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use cairn_core::costs::pounds;
use cairn_core::vocabulary::{SERVICES, Term};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

#[derive(Template)]
#[template(path = "spend/report.html")]
struct SpendPage {
    chrome: Chrome,
    errors: FormErrors,
    notice: Option<&'static str>,
    org_name: String,
    report: SpendReport,
    services: &'static [Term],
    /// What is in the budget form: typed values after a mistake, else the saved budgets.
    typed_budgets: BTreeMap<String, String>,
    typed_allowance: String,
}

impl SpendPage {
    fn budget_of(&self, service: &str) -> &str {
        self.typed_budgets.get(service).map_or("", String::as_str)
    }
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    org: crate::people::Organisation,
    year: i32,
    errors: FormErrors,
    typed: Option<(BTreeMap<String, String>, String)>,
    notice: Option<&'static str>,
) -> Result<SpendPage, AppError> {
    let report = build_report(state, org.id, year).await?;
    let (typed_budgets, typed_allowance) = match typed {
        Some(typed) => typed,
        None => (
            store::budgets(&state.db, org.id, year)
                .await?
                .into_iter()
                .map(|(service, pence)| (service, pounds(pence)))
                .collect(),
            report.allowance.clone().unwrap_or_default(),
        ),
    };
    Ok(SpendPage {
        chrome: user.chrome(),
        errors,
        notice,
        org_name: org.name,
        report,
        services: SERVICES,
        typed_budgets,
        typed_allowance,
    })
}

/// `GET /orgs/{id}/spend?year`
pub async fn show_spend(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let org = spend_org(&state, &user, id).await?;
    let year = year_param(&state, &params)?;
    let notice = params.contains_key("saved").then_some("Saved.");
    Ok(render(
        &page(
            &state,
            &user,
            org,
            year,
            FormErrors::default(),
            None,
            notice,
        )
        .await?,
    ))
}

/// `POST /orgs/{id}/spend?year`: the year's budgets (`budget-SERVICE`) and the allowance.
pub async fn save_spend(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let org = spend_org(&state, &user, id).await?;
    let year = year_param(&state, &params)?;
    let value = |key: &str| {
        form.iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
            .to_owned()
    };
    let typed: BTreeMap<String, String> = form
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("budget-")?.to_owned(), v.trim().to_owned())))
        .collect();
    let as_json: BTreeMap<String, Value> = typed
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let allowance_typed = value("allowance").trim().to_owned();
    let mut errors = FormErrors::default();
    let budgets = parse_budgets(&as_json)
        .map_err(|e| {
            errors.items.extend(e.0.into_iter().map(|mut e| {
                e.field = e.field.replace("budgets.", "budget-");
                e
            }))
        })
        .ok();
    let allowance = parse_allowance(&Value::String(allowance_typed.clone()))
        .map_err(|e| {
            errors
                .items
                .push(cairn_core::FieldError::new("allowance", e.detail()))
        })
        .ok();
    if let (Some(budgets), Some(allowance)) = (budgets, allowance)
        && errors.is_empty()
    {
        store::set_budgets(&state.db, org.id, year, &budgets).await?;
        store::set_allowance(&state.db, org.id, allowance).await?;
        return Ok(
            Redirect::to(&format!("/orgs/{}/spend?year={year}&saved", org.id)).into_response(),
        );
    }
    let page = page(
        &state,
        &user,
        org,
        year,
        errors,
        Some((typed, allowance_typed)),
        None,
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

/// `GET /orgs/{id}/spend.csv?year`: the report's lines for a spreadsheet.
pub async fn spend_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let org = spend_org(&state, &user, id).await?;
    let year = year_param(&state, &params)?;
    let report = build_report(&state, org.id, year).await?;
    let mut writer = crate::web::spreadsheet::writer(Vec::new());
    let mut write = |fields: [&str; 14]| writer.write_record(fields).map_err(anyhow::Error::from);
    write([
        "section",
        "name",
        "budget",
        "spent",
        "remaining",
        "places",
        "people",
        "fees",
        "travel",
        "accommodation",
        "backfill",
        "learning_hours",
        "per_head",
        "per_learning_hour",
    ])?;
    for s in &report.services {
        write([
            "service",
            &s.label,
            s.budget.as_deref().unwrap_or(""),
            &s.spent,
            s.remaining.as_deref().unwrap_or(""),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ])?;
    }
    for (section, l) in report
        .localities
        .iter()
        .map(|l| ("locality", l))
        .chain([("total", &report.total)])
    {
        write([
            section,
            &l.label,
            "",
            &l.spent,
            "",
            &l.places.to_string(),
            &l.people.to_string(),
            &l.fees,
            &l.travel,
            &l.accommodation,
            &l.backfill,
            &l.hours.to_string(),
            l.per_head.as_deref().unwrap_or(""),
            l.per_learning_hour.as_deref().unwrap_or(""),
        ])?;
    }
    let bytes = writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(crate::web::download(
        "text/csv; charset=utf-8",
        format!("cairn-spend-{}-{year}.csv", org.id),
        bytes,
    ))
}

/// This feature's pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/orgs/{id}/spend", get(show_spend).post(save_spend))
        .route("/orgs/{id}/spend.csv", get(spend_csv))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spend::report;
    use uuid::Uuid;

    fn row(service: &str, locality: &str, people: i64, fees: i64, hours: i64) -> store::SpendRow {
        store::SpendRow {
            service: service.into(),
            locality: locality.into(),
            places: people,
            people,
            fees,
            travel: 1000,
            accommodation: 0,
            backfill: 0,
            hours,
        }
    }

    #[test]
    fn spend_is_set_against_budget_per_head_and_per_hour() {
        let rows = vec![
            row("adults", "island", 2, 20_000, 120_000),
            row("adults", "urban", 3, 9_000, 0),
            row("justice", "island", 1, 5_000, 60_000),
        ];
        let budgets = vec![
            ("adults".to_owned(), 25_000),
            ("children-and-families".to_owned(), 10_000),
        ];
        let spend = store::Spend {
            rows,
            people_by_locality: vec![("island".into(), 3), ("urban".into(), 3)],
            people: 6,
        };
        let report = report(Uuid::nil(), 2026, &spend, &budgets, Some(50_000));
        let adults = &report.services[0];
        assert_eq!(adults.spent, "310.00");
        assert_eq!(adults.remaining.as_deref(), Some("-60.00"));
        assert!(adults.overspent);
        let children = &report.services[1];
        assert_eq!(
            (children.spent.as_str(), children.overspent),
            ("0.00", false)
        );
        // Urban before island, in the vocabulary's order.
        assert_eq!(report.localities[0].locality, "urban");
        let island = &report.localities[1];
        assert_eq!(island.spent, "270.00");
        assert_eq!(island.per_head.as_deref(), Some("90.00"));
        // £270 over 18 hours.
        assert_eq!(island.per_learning_hour.as_deref(), Some("15.00"));
        assert_eq!(report.total.spent, "370.00");
        assert_eq!(report.total.per_head.as_deref(), Some("61.67"));
        assert_eq!(report.budget.as_deref(), Some("350.00"));
        assert_eq!(report.allowance.as_deref(), Some("500.00"));
        assert_eq!(report.localities[0].per_learning_hour, None);
    }
}
