//! Evaluation in the browser: a supervisor's follow-up questions, an opportunity's results
//! with its outcome indicators, their CSV, and an organisation's results by provider.

use super::shared::{answer, measure, organised, results_for};
use super::{EvaluationResults, store};
use crate::app::AppState;
use crate::auth::CheckedForm;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::PageIdPath;
use crate::web::page::{Chrome, FormErrors, long_date, render};
use crate::web::parse_id;
use crate::web::{AppError, PageError};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use cairn_core::evaluation::IndicatorDraft;
use std::collections::HashMap;
use uuid::Uuid;

struct Question {
    booking_id: Uuid,
    name: String,
    title: String,
    on: String,
}

#[derive(Template)]
#[template(path = "evaluation/follow_ups.html")]
struct FollowUpsPage {
    chrome: Chrome,
    errors: FormErrors,
    notice: bool,
    questions: Vec<Question>,
    typed: Option<(Uuid, String)>,
}

async fn follow_ups_page(
    state: &AppState,
    user: &CurrentUser,
    errors: FormErrors,
    notice: bool,
    typed: Option<(Uuid, String)>,
) -> Result<FollowUpsPage, AppError> {
    let questions = store::follow_ups_due(&state.db, user.person_id, state.clock.today())
        .await?
        .into_iter()
        .map(|q| Question {
            booking_id: q.booking_id,
            name: q.name,
            title: q.title,
            on: long_date(crate::zone::local(q.starts_at).date()),
        })
        .collect();
    Ok(FollowUpsPage {
        chrome: user.chrome(),
        errors,
        notice,
        questions,
        typed,
    })
}

/// `GET /follow-ups`: what has changed in practice, asked of the supervisor.
pub async fn show_follow_ups(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let page = follow_ups_page(
        &state,
        &user,
        FormErrors::default(),
        params.contains_key("answered"),
        None,
    )
    .await?;
    crate::notifications::mark_kind_read(
        &state.db,
        user.person_id,
        "follow-up-due",
        state.clock.now(),
    )
    .await?;
    Ok(render(&page))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AnswerForm {
    answer: String,
}

/// `POST /follow-ups/{booking}`
pub async fn post_answer(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(booking_id): PageIdPath,
    CheckedForm(form): CheckedForm<AnswerForm>,
) -> Result<Response, PageError> {
    match answer(&state, &user, booking_id, Some(&form.answer)).await {
        Ok(()) => Ok(Redirect::to("/follow-ups?answered").into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let errors = FormErrors::one(&format!("answer-{booking_id}"), error.detail());
            let page = follow_ups_page(
                &state,
                &user,
                errors,
                false,
                Some((booking_id, form.answer)),
            )
            .await?;
            Ok((error.status(), render(&page)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// What the indicator and measurement forms hold after a mistake.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct IndicatorForm {
    csrf: String,
    name: String,
    unit: String,
    baseline: String,
    target: String,
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct MeasureForm {
    csrf: String,
    measured_on: String,
    value: String,
    note: String,
}

#[derive(Template)]
#[template(path = "evaluation/results.html")]
struct ResultsPage {
    chrome: Chrome,
    errors: FormErrors,
    notice: bool,
    results: EvaluationResults,
    indicator: IndicatorForm,
    /// The indicator whose measurement form failed, and what was typed.
    measure: Option<(Uuid, MeasureForm)>,
}

impl ResultsPage {
    fn typed_measure(&self, indicator: &Uuid) -> MeasureForm {
        self.measure
            .as_ref()
            .filter(|(id, _)| id == indicator)
            .map(|(_, form)| form.clone())
            .unwrap_or_default()
    }
}

/// `GET /learning/{id}/evaluation`: the organiser's results at every level.
pub async fn show_results(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let results = results_for(&state, &user, id).await?;
    Ok(render(&ResultsPage {
        chrome: user.chrome(),
        errors: FormErrors::default(),
        notice: params.contains_key("saved"),
        results,
        indicator: IndicatorForm::default(),
        measure: None,
    }))
}

fn number(errors: &mut FormErrors, field: &str, typed: &str, required: bool) -> Option<f64> {
    let typed = typed.trim();
    if typed.is_empty() {
        if required {
            errors.items.push(cairn_core::FieldError::new(
                field,
                "Enter a number, such as 42 or 3.5",
            ));
        }
        return None;
    }
    let value = typed.parse::<f64>().ok().filter(|v| v.is_finite());
    if value.is_none() {
        errors.items.push(cairn_core::FieldError::new(
            field,
            "must be a number, such as 42 or 3.5",
        ));
    }
    value
}

/// `POST /learning/{id}/indicators`
pub async fn post_indicator(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    CheckedForm(form): CheckedForm<IndicatorForm>,
) -> Result<Response, PageError> {
    let opportunity = organised(&state, &user, id).await?;
    let mut errors = FormErrors::default();
    let baseline = number(&mut errors, "baseline", &form.baseline, true);
    let target = number(&mut errors, "target", &form.target, false);
    let draft = IndicatorDraft {
        name: Some(form.name.clone()),
        unit: form.unit.clone(),
        baseline: baseline.or(Some(0.0)),
        target,
    };
    match draft.validate() {
        Ok(indicator) if errors.is_empty() => {
            store::add_indicator(&state.db, opportunity.id, &indicator, state.clock.now()).await?;
            Ok(
                Redirect::to(&format!("/learning/{}/evaluation?saved", opportunity.id))
                    .into_response(),
            )
        }
        result => {
            if let Err(e) = result {
                errors.items.extend(
                    e.0.into_iter()
                        .filter(|e| e.field != "baseline" || baseline.is_some()),
                );
            }
            let results = results_for(&state, &user, opportunity.id).await?;
            let page = ResultsPage {
                chrome: user.chrome(),
                errors,
                notice: false,
                results,
                indicator: form,
                measure: None,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
    }
}

/// `POST /indicators/{id}/measures`
pub async fn post_measure(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(indicator_id): PageIdPath,
    CheckedForm(form): CheckedForm<MeasureForm>,
) -> Result<Response, PageError> {
    let mut errors = FormErrors::default();
    let value = number(
        &mut errors,
        &format!("value-{indicator_id}"),
        &form.value,
        true,
    );
    let result = if errors.is_empty() {
        measure(
            &state,
            &user,
            indicator_id,
            Some(&form.measured_on),
            value,
            &form.note,
        )
        .await
    } else {
        Err(AppError::Invalid(cairn_core::FieldErrors(
            errors.items.clone(),
        )))
    };
    match result {
        Ok(opportunity_id) => Ok(Redirect::to(&format!(
            "/learning/{opportunity_id}/evaluation?saved"
        ))
        .into_response()),
        Err(AppError::Invalid(problems)) => {
            let indicator = store::indicator(&state.db, indicator_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let results = results_for(&state, &user, indicator.opportunity_id).await?;
            let errors = FormErrors {
                items: problems
                    .0
                    .into_iter()
                    .map(|mut e| {
                        if !e.field.ends_with(&indicator_id.to_string()) {
                            e.field = format!("{}-{indicator_id}", e.field);
                        }
                        e
                    })
                    .collect(),
            };
            let page = ResultsPage {
                chrome: user.chrome(),
                errors,
                notice: false,
                results,
                indicator: IndicatorForm::default(),
                measure: Some((indicator_id, form)),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /learning/{id}/evaluation.csv`: every answer, by level, without names.
pub async fn results_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let opportunity_id = parse_id(id.trim_end_matches(".csv"))?;
    let r = results_for(&state, &user, opportunity_id).await?;
    let opportunity = organised(&state, &user, opportunity_id).await?;
    let raw = store::results(&state.db, opportunity_id).await?;
    let mut writer = crate::web::spreadsheet::writer(Vec::new());
    let mut write = |fields: [&str; 6]| writer.write_record(fields).map_err(anyhow::Error::from);
    write(["level", "question", "answer", "before", "after", "when"])?;
    for (overall, relevance, comment) in &raw.reactions {
        write(["1", "overall", &overall.to_string(), "", "", ""])?;
        write(["1", "relevance", &relevance.to_string(), "", "", ""])?;
        if !comment.is_empty() {
            write(["1", "comment", &spreadsheet_safe(comment), "", "", ""])?;
        }
    }
    for c in &r.confidence {
        write([
            "2",
            &c.label,
            &c.answers.to_string(),
            &c.before,
            &c.after,
            "",
        ])?;
    }
    for (answer, on) in &raw.answers {
        write([
            "3",
            "what has changed in practice",
            &spreadsheet_safe(answer),
            "",
            "",
            &on.date().to_string(),
        ])?;
    }
    for i in &r.indicators {
        for m in &i.measures {
            write([
                "4",
                &spreadsheet_safe(&i.indicator.name),
                &m.value.to_string(),
                &i.indicator.baseline.to_string(),
                "",
                &m.measured_on.to_string(),
            ])?;
        }
    }
    let bytes = writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(crate::web::download(
        "text/csv; charset=utf-8",
        format!("cairn-evaluation-{}.csv", opportunity.id),
        bytes,
    ))
}

/// Free text that a spreadsheet would run as a formula gets a leading apostrophe.
fn spreadsheet_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

struct ProviderGroup {
    provider: String,
    lines: Vec<store::Summary>,
}

#[derive(Template)]
#[template(path = "evaluation/summary.html")]
struct SummaryPage {
    chrome: Chrome,
    org_id: Uuid,
    org_name: String,
    groups: Vec<ProviderGroup>,
}

fn mean(value: &Option<f64>, signed: bool) -> String {
    match value {
        None => "None yet".to_owned(),
        Some(v) if signed => format!("{v:+.1}"),
        Some(v) => format!("{v:.1}"),
    }
}

/// `GET /orgs/{id}/evaluation`: the organisation's learning, by provider.
pub async fn show_summary(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(org_id): PageIdPath,
) -> Result<Response, PageError> {
    authorize(&user, Action::ManageCatalogue(org_id))?;
    let org = crate::people::service::get_org(&state.db, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut groups: Vec<ProviderGroup> = Vec::new();
    for line in store::summaries(&state.db, org_id).await? {
        match groups.last_mut() {
            Some(group) if group.provider == line.provider => group.lines.push(line),
            _ => groups.push(ProviderGroup {
                provider: line.provider.clone(),
                lines: vec![line],
            }),
        }
    }
    Ok(render(&SummaryPage {
        chrome: user.chrome(),
        org_id,
        org_name: org.name,
        groups,
    }))
}

/// `GET /orgs/{id}/evaluation.csv`: the organisation's learning by provider, a line each.
pub async fn summary_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(org_id): PageIdPath,
) -> Result<Response, PageError> {
    authorize(&user, Action::ManageCatalogue(org_id))?;
    let mut writer = crate::web::spreadsheet::writer(Vec::new());
    writer
        .write_record([
            "provider",
            "learning",
            "attended",
            "level_1_answers",
            "level_1_mean_overall",
            "level_2_mean_confidence_change",
            "level_3_answers",
            "level_4_indicators",
        ])
        .map_err(anyhow::Error::from)?;
    for line in store::summaries(&state.db, org_id).await? {
        writer
            .write_record([
                spreadsheet_safe(&line.provider),
                spreadsheet_safe(&line.title),
                line.attended.to_string(),
                line.reactions.to_string(),
                line.overall.map(|v| format!("{v:.2}")).unwrap_or_default(),
                line.confidence_gain
                    .map(|v| format!("{v:+.2}"))
                    .unwrap_or_default(),
                line.follow_ups.to_string(),
                line.indicators.to_string(),
            ])
            .map_err(anyhow::Error::from)?;
    }
    let bytes = writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(crate::web::download(
        "text/csv; charset=utf-8",
        format!("cairn-evaluation-by-provider-{org_id}.csv"),
        bytes,
    ))
}

/// This feature's pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/follow-ups", get(show_follow_ups))
        .route("/follow-ups/{id}", post(post_answer))
        .route("/learning/{id}/evaluation", get(show_results))
        .route("/learning/{id}/evaluation.csv", get(results_csv))
        .route("/learning/{id}/indicators", post(post_indicator))
        .route("/indicators/{id}/measures", post(post_measure))
        .route("/orgs/{id}/evaluation", get(show_summary))
        .route("/orgs/{id}/evaluation.csv", get(summary_csv))
}
