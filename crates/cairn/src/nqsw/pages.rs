//! The supported year in the browser: the organisation's programme (requirements and who is
//! on it), a year's progress with its milestone reviews, and its export.

use super::{Progress, readable, store};
use crate::app::AppState;
use crate::auth::CheckedForm;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::PageIdPath;
use crate::web::form::field;
use crate::web::page::{Chrome, FormErrors, long_date, render};
use crate::web::parse_id;
use crate::web::{AppError, PageError};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use cairn_core::nqsw::{MILESTONES, RequirementDraft};
use cairn_core::vocabulary::{KINDS, TOPICS, Term};
use std::collections::HashMap;
use uuid::Uuid;

struct Enrolled {
    id: Uuid,
    name: String,
    started: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "nqsw/programme.html")]
struct ProgrammePage {
    chrome: Chrome,
    errors: FormErrors,
    notice: Option<&'static str>,
    org_id: Uuid,
    org_name: String,
    requirements: Vec<(String, String, i64)>,
    enrolled: Vec<Enrolled>,
    kinds: &'static [Term],
    topics: &'static [Term],
    typed: HashMap<String, String>,
}

impl ProgrammePage {
    fn typed(&self, key: &str) -> &str {
        self.typed.get(key).map_or("", String::as_str)
    }
}

async fn programme_page(
    state: &AppState,
    user: &CurrentUser,
    org_id: Uuid,
    errors: FormErrors,
    notice: Option<&'static str>,
    typed: HashMap<String, String>,
) -> Result<ProgrammePage, AppError> {
    authorize(user, Action::OverseeSupervision(org_id))?;
    let org = crate::people::service::get_org(&state.db, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let label = |terms: &[Term], id: &str| {
        cairn_core::vocabulary::label(terms, id).map_or_else(|| id.to_owned(), str::to_owned)
    };
    let requirements = store::requirements(&state.db, org_id)
        .await?
        .into_iter()
        .map(|r| {
            let what = match &r.topic {
                Some(topic) => format!("{} on {}", label(KINDS, &r.kind), label(TOPICS, topic)),
                None => label(KINDS, &r.kind),
            };
            (r.title, what, r.due_after_months)
        })
        .collect();
    let mut enrolled = Vec::new();
    for (id, name, started_on) in store::enrolled(&state.db, org_id).await? {
        let summary = match super::progress_of(state, id).await? {
            Some(p) => format!(
                "{} of {} activities done; milestone reviews {} of 3; {} overdue",
                p.met(),
                p.requirements.len(),
                p.milestones.iter().filter(|m| m.review.is_some()).count(),
                p.overdue()
            ),
            None => String::new(),
        };
        enrolled.push(Enrolled {
            id,
            name,
            started: long_date(started_on),
            summary,
        });
    }
    Ok(ProgrammePage {
        chrome: user.chrome(),
        errors,
        notice,
        org_id,
        org_name: org.name,
        requirements,
        enrolled,
        kinds: KINDS,
        topics: TOPICS,
        typed,
    })
}

/// `GET /orgs/{id}/nqsw`
pub async fn show_programme(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let notice = match params.get("done").map(String::as_str) {
        Some("requirement") => Some("The activity was added to the programme."),
        Some("enrolled") => Some("They are on the supported year."),
        _ => None,
    };
    let page = programme_page(
        &state,
        &user,
        id,
        FormErrors::default(),
        notice,
        HashMap::new(),
    )
    .await?;
    Ok(render(&page))
}

/// `POST /orgs/{id}/nqsw/requirements`
pub async fn post_requirement(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(org_id): PageIdPath,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    authorize(&user, Action::OverseeSupervision(org_id))?;
    let draft = RequirementDraft {
        title: Some(field(&form, "title").to_owned()),
        kind: Some(field(&form, "kind").to_owned()),
        topic: Some(field(&form, "topic").to_owned()),
        due_after_months: field(&form, "due_after_months").trim().parse().ok(),
    };
    match draft.validate() {
        Ok(requirement) => {
            store::add_requirement(&state.db, org_id, &requirement, state.clock.now()).await?;
            Ok(Redirect::to(&format!("/orgs/{org_id}/nqsw?done=requirement")).into_response())
        }
        Err(problems) => {
            let typed = form.into_iter().collect();
            let page = programme_page(&state, &user, org_id, problems.into(), None, typed).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
    }
}

/// `POST /orgs/{id}/nqsw/enrolments`: email, started_on, mentor_email, protected_hours.
pub async fn post_enrolment(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(org_id): PageIdPath,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    authorize(&user, Action::OverseeSupervision(org_id))?;
    let mut errors = cairn_core::FieldErrors::default();
    let person = match cairn_core::Email::parse(field(&form, "email").trim()) {
        Ok(email) => {
            crate::people::service::employee_by_email(
                &state.db,
                org_id,
                email.as_str(),
                state.clock.today(),
            )
            .await?
        }
        Err(_) => None,
    };
    let person = match person {
        Some(p) => Some(p),
        None => {
            errors.push(
                "email",
                "Enter the work email of someone your organisation employs",
            );
            None
        }
    };
    let started_on = cairn_core::entry::parse_iso_date(field(&form, "started_on"));
    if started_on.is_none() {
        errors.push(
            "started_on",
            "Enter when their supported year began, such as 2026-08-03",
        );
    }
    let mentor_email = field(&form, "mentor_email").trim();
    let mentor = if mentor_email.is_empty() {
        None
    } else {
        match cairn_core::Email::parse(mentor_email) {
            Ok(email) => {
                // Only someone who works here, so the form never tells whether an email
                // is known elsewhere.
                let found = crate::people::service::employee_by_email(
                    &state.db,
                    org_id,
                    email.as_str(),
                    state.clock.today(),
                )
                .await?;
                if found.is_none() {
                    errors.push(
                        "mentor_email",
                        "Enter the work email of a mentor your organisation employs",
                    );
                }
                found.map(|p| p.id)
            }
            Err(_) => {
                errors.push(
                    "mentor_email",
                    "Enter the mentor's email address, or leave it empty",
                );
                None
            }
        }
    };
    let protected = match field(&form, "protected_hours")
        .trim()
        .parse::<cairn_core::Hours>()
    {
        Ok(hours)
            if hours >= cairn_core::Hours::ZERO && hours <= cairn_core::Hours::from_whole(37) =>
        {
            Some(hours)
        }
        _ => {
            errors.push(
                "protected_hours",
                "Enter the protected learning hours a week, 0 to 37, such as 3.7",
            );
            None
        }
    };
    match (person, started_on, protected) {
        (Some(person), Some(started_on), Some(protected)) if errors.is_empty() => {
            store::enrol(
                &state.db,
                person.id,
                org_id,
                started_on,
                mentor,
                protected,
                state.clock.now(),
            )
            .await?;
            Ok(Redirect::to(&format!("/orgs/{org_id}/nqsw?done=enrolled")).into_response())
        }
        _ => {
            let typed = form.into_iter().collect();
            let page = programme_page(&state, &user, org_id, errors.into(), None, typed).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "nqsw/year.html")]
struct YearPage {
    chrome: Chrome,
    errors: FormErrors,
    notice: bool,
    progress: Progress,
    /// Whether the user is the NQSW themself (the page speaks to them).
    own: bool,
    /// Whether the user supervises them (and so holds the milestone reviews).
    reviewer: bool,
    today: String,
    milestones: [i64; 3],
    typed: HashMap<String, String>,
}

impl YearPage {
    fn typed(&self, key: &str) -> &str {
        self.typed.get(key).map_or("", String::as_str)
    }
}

async fn year_page(
    state: &AppState,
    user: &CurrentUser,
    person_id: Uuid,
    errors: FormErrors,
    typed: HashMap<String, String>,
) -> Result<YearPage, AppError> {
    let progress = readable(state, user, person_id).await?;
    let reviewer = person_id != user.person_id && {
        let facts = crate::authz::facts(&state.db, person_id, state.clock.today()).await?;
        authorize(user, Action::Supervise(&facts)).is_ok()
    };
    Ok(YearPage {
        chrome: user.chrome(),
        errors,
        notice: false,
        progress,
        own: person_id == user.person_id,
        reviewer,
        today: state.clock.today().to_string(),
        milestones: MILESTONES,
        typed,
    })
}

#[derive(Template)]
#[template(path = "nqsw/none.html")]
struct NonePage {
    chrome: Chrome,
}

/// `GET /nqsw`: my supported year (or that I am not on one).
pub async fn show_mine(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PageError> {
    if store::year(&state.db, user.person_id).await?.is_none() {
        return Ok(render(&NonePage {
            chrome: user.chrome(),
        }));
    }
    Ok(render(
        &year_page(
            &state,
            &user,
            user.person_id,
            FormErrors::default(),
            HashMap::new(),
        )
        .await?,
    ))
}

/// `GET /people/{id}/nqsw`
pub async fn show_person(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let mut page = year_page(&state, &user, id, FormErrors::default(), HashMap::new()).await?;
    page.notice = params.contains_key("reviewed");
    Ok(render(&page))
}

/// `POST /people/{id}/nqsw/milestones`: month, reviewed_on, comments (their supervisor).
pub async fn post_milestone(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(person_id): PageIdPath,
    CheckedForm(form): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let facts = crate::authz::facts(&state.db, person_id, state.clock.today()).await?;
    if authorize(&user, Action::Supervise(&facts)).is_err() {
        authorize(&user, Action::ReadRecordOf(&facts))?;
        return Err(AppError::Forbidden.into());
    }
    let progress = readable(&state, &user, person_id).await?;
    let mut errors = cairn_core::FieldErrors::default();
    let month = field(&form, "month")
        .parse::<i64>()
        .ok()
        .filter(|m| MILESTONES.contains(m));
    if month.is_none() {
        errors.push("month", "Choose the 3, 6 or 12 month review");
    }
    let today = state.clock.today();
    let reviewed_on = match cairn_core::entry::parse_iso_date(field(&form, "reviewed_on")) {
        Some(day) if day > today => {
            errors.push(
                "reviewed_on",
                "A review cannot be recorded before it happens",
            );
            None
        }
        Some(day) if day < progress.started_on => {
            errors.push("reviewed_on", "must be on or after the start of the year");
            None
        }
        Some(day) => Some(day),
        None => {
            errors.push(
                "reviewed_on",
                "Enter the day of the review, such as 2026-11-20",
            );
            None
        }
    };
    let comments = field(&form, "comments").trim();
    if comments.is_empty() || comments.chars().count() > 20_000 {
        errors.push(
            "comments",
            "Write how the year is going, and what comes next",
        );
    }
    match (month, reviewed_on) {
        (Some(month), Some(day)) if errors.is_empty() => {
            store::review_milestone(&state.db, person_id, month, day, user.person_id, comments)
                .await?;
            Ok(Redirect::to(&format!("/people/{person_id}/nqsw?reviewed")).into_response())
        }
        _ => {
            let typed = form.into_iter().collect();
            let page = year_page(&state, &user, person_id, errors.into(), typed).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
    }
}

/// The year's record for the regulator, as CSV: activities, milestone reviews, time.
async fn year_csv(
    state: &AppState,
    user: &CurrentUser,
    person_id: Uuid,
) -> Result<Response, AppError> {
    let p = readable(state, user, person_id).await?;
    let mut writer = crate::web::spreadsheet::writer(Vec::new());
    let mut write = |fields: [&str; 5]| writer.write_record(fields).map_err(anyhow::Error::from);
    write(["section", "what", "due", "status", "detail"])?;
    write([
        "year",
        &p.name,
        &p.ends_on.to_string(),
        &p.started_on.to_string(),
        &format!("mentor: {}", p.mentor.clone().unwrap_or_default()),
    ])?;
    for r in &p.requirements {
        let detail = r
            .met_by
            .as_ref()
            .map(|(title, day)| format!("{title} ({day})"))
            .unwrap_or_default();
        write(["activity", &r.title, &r.due.to_string(), r.status, &detail])?;
    }
    for m in &p.milestones {
        let (status, detail) = match &m.review {
            Some(review) => (
                format!("reviewed {}", review.reviewed_on),
                format!(
                    "{}: {}",
                    review.reviewer.clone().unwrap_or_default(),
                    review.comments
                ),
            ),
            None => ("not yet".to_owned(), String::new()),
        };
        write([
            "milestone",
            &format!("{} months", m.month),
            &m.due.to_string(),
            &status,
            &detail,
        ])?;
    }
    write([
        "learning time",
        "hours recorded since the start",
        "",
        &p.hours_recorded.to_string(),
        &format!("protected time so far: {} hours", p.protected_hours_so_far),
    ])?;
    let bytes = writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(crate::web::download(
        "text/csv; charset=utf-8",
        format!("nqsw-year-{}.csv", p.started_on),
        bytes,
    ))
}

/// `GET /nqsw.csv`
pub async fn mine_csv(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PageError> {
    Ok(year_csv(&state, &user, user.person_id).await?)
}

/// `GET /people/{id}/nqsw.csv`
pub async fn person_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(id.trim_end_matches(".csv"))?;
    Ok(year_csv(&state, &user, id).await?)
}

/// This feature's pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/nqsw", get(show_mine))
        .route("/nqsw.csv", get(mine_csv))
        .route("/people/{id}/nqsw", get(show_person))
        .route("/people/{id}/nqsw.csv", get(person_csv))
        .route("/people/{id}/nqsw/milestones", post(post_milestone))
        .route("/orgs/{id}/nqsw", get(show_programme))
        .route("/orgs/{id}/nqsw/requirements", post(post_requirement))
        .route("/orgs/{id}/nqsw/enrolments", post(post_enrolment))
}
