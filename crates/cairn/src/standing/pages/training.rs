//! `/orgs/{id}/policies/training`: an organisation's mandatory training built in a form (the
//! L&D lead's way; the policy file stays the advanced view on the policies page).

use super::super::changes::add_org_policy_version;
use super::super::org_policies::AddError;
use super::super::training::{ItemRow, TrainingForm};
use crate::app::AppState;
use crate::auth::{CheckedForm, CurrentUser};
use crate::authz::{Action, authorize};
use crate::web::form::{all, field};
use crate::web::page::{Chrome, FormErrors, render};
use crate::web::{AppError, PageError, PageIdPath};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cairn_core::vocabulary::{TOPICS, Term};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "standing/training.html")]
struct TrainingPage {
    chrome: Chrome,
    errors: FormErrors,
    org_id: Uuid,
    org_name: String,
    form: TrainingForm,
    rows: Vec<RowView>,
    topics: Vec<Term>,
    job_roles: String,
    /// (id, name, checked) of the organisation's teams.
    teams: Vec<(String, String, bool)>,
    in_force_from: String,
}

/// An item's fields as the form shows them.
struct RowView {
    n: usize,
    topic: String,
    /// (name, label, hint, value) of its three lengths of time.
    lengths: Vec<(String, &'static str, &'static str, String)>,
}

impl RowView {
    fn of(n: usize, item: &ItemRow) -> Self {
        let length = |suffix: &str, label, hint, value: &str| {
            (format!("item{n}_{suffix}"), label, hint, value.to_owned())
        };
        Self {
            n,
            topic: item.topic.clone(),
            lengths: vec![
                length(
                    "valid_for",
                    "Valid for (months)",
                    "Empty: it never runs out",
                    &item.valid_for_months,
                ),
                length(
                    "warn_before",
                    "Warn before (months)",
                    "Empty: 2",
                    &item.warn_before_months,
                ),
                length(
                    "due_within",
                    "New starters have (months)",
                    "Empty: 3",
                    &item.due_within_months,
                ),
            ],
        }
    }
}

struct Typed {
    form: TrainingForm,
    job_roles: String,
    teams: Vec<String>,
    in_force_from: String,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    org_id: Uuid,
    typed: Typed,
    errors: FormErrors,
) -> Result<TrainingPage, AppError> {
    let org = crate::people::service::get_org(&state.db, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let teams = super::team_choices(state, org_id, &typed.teams).await?;
    let rows = typed
        .form
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| RowView::of(i + 1, item))
        .collect();
    Ok(TrainingPage {
        chrome: user.chrome(),
        errors,
        org_id,
        org_name: org.name,
        rows,
        form: typed.form,
        topics: TOPICS.to_vec(),
        job_roles: typed.job_roles,
        teams,
        in_force_from: typed.in_force_from,
    })
}

/// `GET /orgs/{id}/policies/training` (`?edit=ID`: a new version of that policy, filled in).
pub async fn show_training(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(org_id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    authorize(&user, Action::ManagePolicies(org_id))?;
    let mut typed = Typed {
        form: TrainingForm::blank(),
        job_roles: String::new(),
        teams: Vec::new(),
        in_force_from: state.clock.today().to_string(),
    };
    if let Some(id) = params.get("edit") {
        let latest = super::super::org_policies::latest_version(&state.db, org_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let policy = cairn_core::policy::parse_policy(&latest.policy_id, &latest.source_text)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("a stored policy: {e:?}")))?;
        // One with rules other than training items is changed as its file.
        let Some(form) = TrainingForm::from_policy(&policy) else {
            return Ok(Redirect::to(&format!("/orgs/{org_id}/policies?edit={id}")).into_response());
        };
        typed.form = form;
        (typed.job_roles, typed.teams) = latest.assigned_to.as_typed();
    }
    Ok(render(
        &page(&state, &user, org_id, typed, FormErrors::default()).await?,
    ))
}

/// `POST /orgs/{id}/policies/training`: the form becomes a policy file, saved as a new policy
/// or a new version; on any problem the form comes back as typed, each problem on its field.
pub async fn save_training(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(org_id): PageIdPath,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    authorize(&user, Action::ManagePolicies(org_id))?;
    let rows = pairs
        .iter()
        .filter_map(|(k, _)| {
            k.strip_prefix("item")
                .and_then(|rest| rest.split('_').next())
                .and_then(|n| n.parse::<usize>().ok())
        })
        .max()
        .unwrap_or(0)
        .min(100);
    let items = (1..=rows)
        .map(|n| ItemRow {
            topic: field(&pairs, &format!("item{n}_topic")).to_owned(),
            valid_for_months: field(&pairs, &format!("item{n}_valid_for")).to_owned(),
            warn_before_months: field(&pairs, &format!("item{n}_warn_before")).to_owned(),
            due_within_months: field(&pairs, &format!("item{n}_due_within")).to_owned(),
        })
        .collect();
    let typed = Typed {
        form: TrainingForm {
            id: field(&pairs, "id").to_owned(),
            title: field(&pairs, "title").to_owned(),
            items,
        },
        job_roles: field(&pairs, "job_roles").to_owned(),
        teams: all(&pairs, "teams"),
        in_force_from: field(&pairs, "in_force_from").to_owned(),
    };
    let mut errors = cairn_core::FieldErrors::default();
    let in_force_from = super::in_force_from(&state, &typed.in_force_from, &mut errors);
    let org = crate::people::service::get_org(&state.db, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let source = format!("Set by {}", org.name);
    let file = match (
        in_force_from,
        typed.form.to_policy_file(
            &source,
            in_force_from.unwrap_or_else(|| state.clock.today()),
        ),
    ) {
        (Some(_), Ok(file)) if errors.is_empty() => Some(file),
        (_, Ok(_)) => None,
        (_, Err(problems)) => {
            errors.0.extend(problems.0);
            None
        }
    };
    if let (Some(file), Some(in_force_from)) = (file, in_force_from) {
        let assignment =
            super::assignment_from(&state, org_id, &typed.job_roles, &typed.teams).await?;
        match add_org_policy_version(
            &state.db,
            org_id,
            &file,
            &assignment,
            in_force_from,
            Some(user.person_id),
            state.clock.now(),
        )
        .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!("/orgs/{org_id}/policies?saved")).into_response());
            }
            Err(AddError::Policy(error)) => errors.push("title", error.message),
            Err(AddError::Invalid(problems)) => errors.0.extend(problems.0),
            Err(AddError::Database(error)) => return Err(AppError::from(error).into()),
        }
    }
    let page = page(&state, &user, org_id, typed, errors.into()).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}
