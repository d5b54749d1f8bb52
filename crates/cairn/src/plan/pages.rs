//! Development plans in the browser: my plan (add goals, move them on, link learning as
//! evidence) and a supervisee's plan with its review form.

use super::shared::{add_goal, change_goal, link, readable_plan, review};
use super::{Plan, store};
use crate::app::AppState;
use crate::auth::CheckedForm;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::PageIdPath;
use crate::web::csrf::require;
use crate::web::form::field;
use crate::web::page::{Chrome, FormErrors, render};
use crate::web::{AppError, PageError};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use cairn_core::plan::{GOAL_STATUSES, GoalDraft, GoalReviewDraft, GoalStatus, ReviewDraft};
use cairn_core::vocabulary::Term;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Default)]
struct GoalTyped {
    what: String,
    why: String,
    how: String,
    by_when: String,
    elements: String,
}

#[derive(Template)]
#[template(path = "plan/mine.html")]
struct MinePage {
    chrome: Chrome,
    errors: FormErrors,
    notice: Option<&'static str>,
    plan: Plan,
    statuses: &'static [Term],
    /// (id, title, date) of the person's latest entries, to link as evidence.
    entries: Vec<(String, String, String)>,
    typed: GoalTyped,
}

async fn mine_page(
    state: &AppState,
    user: &CurrentUser,
    errors: FormErrors,
    notice: Option<&'static str>,
    typed: GoalTyped,
) -> Result<MinePage, AppError> {
    let plan = super::plan_of(&state.db, user.person_id).await?;
    let now = state.clock.now();
    let entries =
        crate::learning::service::latest_choices(&state.db, user.person_id, 20, now).await?;
    crate::notifications::mark_kind_read(&state.db, user.person_id, "plan-reviewed", now).await?;
    Ok(MinePage {
        chrome: user.chrome(),
        errors,
        notice,
        plan,
        statuses: GOAL_STATUSES,
        entries,
        typed,
    })
}

/// `GET /plan`
pub async fn show_mine(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let notice = match params.get("done").map(String::as_str) {
        Some("goal") => Some("The goal was added to your plan."),
        Some("status") => Some("The goal was moved on."),
        Some("evidence") => Some("The entry is linked to the goal as evidence."),
        Some("imported") => Some("Your individual learning plan is now your development plan."),
        _ => None,
    };
    Ok(render(
        &mine_page(
            &state,
            &user,
            FormErrors::default(),
            notice,
            GoalTyped::default(),
        )
        .await?,
    ))
}

/// `POST /plan/goals`
pub async fn post_goal(
    State(state): State<AppState>,
    user: CurrentUser,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let typed = GoalTyped {
        what: field(&form, "what").to_owned(),
        why: field(&form, "why").to_owned(),
        how: field(&form, "how").to_owned(),
        by_when: field(&form, "by_when").trim().to_owned(),
        elements: field(&form, "elements").to_owned(),
    };
    let draft = GoalDraft {
        what: Some(typed.what.clone()),
        why: typed.why.clone(),
        how: typed.how.clone(),
        by_when: Some(typed.by_when.clone()),
        elements: cairn_core::vocabulary::ids_from_typed(
            &typed.elements,
            &[
                cairn_core::vocabulary::ELEMENTS_SOCIAL_WORK,
                cairn_core::vocabulary::ELEMENTS_CARE,
            ],
        ),
        status: None,
    };
    match add_goal(&state, &user, &draft).await {
        Ok(_) => Ok(Redirect::to("/plan?done=goal").into_response()),
        Err(AppError::Invalid(problems)) => {
            let errors = FormErrors {
                items: problems
                    .0
                    .into_iter()
                    .map(|mut e| {
                        if e.field.starts_with("elements[") {
                            e.field = "elements".into();
                        }
                        e
                    })
                    .collect(),
            };
            let page = mine_page(&state, &user, errors, None, typed).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /plan/goals/{id}/status`
pub async fn post_status(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let goal = store::goals(&state.db, user.person_id)
        .await?
        .into_iter()
        .find(|g| g.id == id)
        .ok_or(AppError::NotFound)?;
    let draft = GoalDraft {
        what: Some(goal.what.clone()),
        why: goal.why.clone(),
        how: goal.how.clone(),
        by_when: Some(goal.by_when.to_string()),
        elements: goal.element_ids().into_iter().map(str::to_owned).collect(),
        status: Some(field(&form, "status").to_owned()),
    };
    change_goal(&state, &user, id, &draft).await?;
    Ok(Redirect::to("/plan?done=status").into_response())
}

/// `POST /plan/goals/{id}/evidence`
pub async fn post_evidence(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(goal_id): PageIdPath,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let entry = Uuid::parse_str(field(&form, "entry_id")).ok();
    match link(
        &state,
        &user,
        goal_id,
        &entry.into_iter().collect::<Vec<_>>(),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/plan?done=evidence").into_response()),
        Err(AppError::Invalid(_)) => {
            let errors = FormErrors::one(
                &format!("evidence-{goal_id}"),
                "Choose one of your entries to link",
            );
            let page = mine_page(&state, &user, errors, None, GoalTyped::default()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "plan/person.html")]
struct PersonPage {
    chrome: Chrome,
    errors: FormErrors,
    notice: bool,
    name: String,
    plan: Plan,
    statuses: &'static [Term],
    /// Whether the user supervises them (and so reviews the plan).
    reviewer: bool,
    today: String,
    typed: HashMap<String, String>,
}

impl PersonPage {
    fn typed(&self, key: &str) -> &str {
        self.typed.get(key).map_or("", String::as_str)
    }
    fn status_chosen(&self, goal: &Uuid, current: &GoalStatus, option: &str) -> bool {
        match self.typed.get(&format!("status-{goal}")) {
            Some(typed) => typed == option,
            None => current.as_str() == option,
        }
    }
}

/// `GET /people/{id}/plan`
pub async fn show_person(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let mut page = person_page(&state, &user, id, FormErrors::default(), HashMap::new()).await?;
    page.notice = params.contains_key("reviewed");
    Ok(render(&page))
}

async fn person_page(
    state: &AppState,
    user: &CurrentUser,
    person_id: Uuid,
    errors: FormErrors,
    typed: HashMap<String, String>,
) -> Result<PersonPage, AppError> {
    let plan = readable_plan(state, user, person_id).await?;
    let person = crate::people::service::get_person(&state.db, person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let facts = crate::authz::facts(&state.db, person_id, state.clock.today()).await?;
    Ok(PersonPage {
        chrome: user.chrome(),
        errors,
        notice: false,
        name: person.name,
        plan,
        statuses: GOAL_STATUSES,
        reviewer: authorize(user, Action::Supervise(&facts)).is_ok(),
        today: state.clock.today().to_string(),
        typed,
    })
}

/// `POST /people/{id}/plan/reviews`
pub async fn post_review(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(person_id): PageIdPath,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let goals: Vec<GoalReviewDraft> = form
        .iter()
        .filter_map(|(k, v)| {
            let goal = k.strip_prefix("status-")?;
            Some(GoalReviewDraft {
                goal_id: Uuid::parse_str(goal).ok(),
                comment: field(&form, &format!("comment-{goal}")).to_owned(),
                status: Some(v.clone()),
            })
        })
        .collect();
    let draft = ReviewDraft {
        reviewed_on: Some(field(&form, "reviewed_on").trim().to_owned()),
        comments: field(&form, "comments").to_owned(),
        goals,
    };
    match review(&state, &user, person_id, &draft).await {
        Ok(_) => Ok(Redirect::to(&format!("/people/{person_id}/plan?reviewed")).into_response()),
        Err(AppError::Invalid(problems)) => {
            let typed: HashMap<String, String> = form.iter().cloned().collect();
            let page = person_page(&state, &user, person_id, problems.into(), typed).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /plan/import?csrf=…` (multipart, field `file`): the individual learning plan from a
/// qualifying programme, as the first plan. Refused once the plan has goals.
pub async fn post_import(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
    multipart: Result<
        axum::extract::multipart::Multipart,
        axum::extract::multipart::MultipartRejection,
    >,
) -> Result<Response, PageError> {
    require(&user.csrf, params.get("csrf").map_or("", String::as_str))?;
    let problems: Vec<String> = if !store::goals(&state.db, user.person_id).await?.is_empty() {
        vec!["Your plan already has goals: an individual learning plan is imported as the first plan only".into()]
    } else {
        match crate::web::form::read_csv_upload(multipart, 1024 * 1024).await {
            Err(message) => vec![message],
            Ok((_, text)) => match super::import::goals_from_csv(&text) {
                Ok(goals) => {
                    store::insert_goals(&state.db, user.person_id, &goals, state.clock.now())
                        .await?;
                    return Ok(Redirect::to("/plan?done=imported").into_response());
                }
                Err(problems) => problems,
            },
        }
    };
    let errors = FormErrors {
        items: problems
            .into_iter()
            .map(|message| cairn_core::FieldError::new("file", message))
            .collect(),
    };
    let page = mine_page(&state, &user, errors, None, GoalTyped::default()).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

/// This feature's pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plan", get(show_mine))
        .route("/plan/goals", post(post_goal))
        .route("/plan/import", post(post_import))
        .route("/plan/goals/{id}/status", post(post_status))
        .route("/plan/goals/{id}/evidence", post(post_evidence))
        .route("/people/{id}/plan", get(show_person))
        .route("/people/{id}/plan/reviews", post(post_review))
}
