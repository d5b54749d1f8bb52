//! The organisation's pages: the compliance table (L&D leads, administrators, auditors and
//! supervisors) and its own policies (L&D leads and administrators define them).

mod training;

use super::org_policies::{AddError, Assignment, versions};
use super::report::ComplianceQuery;
use crate::app::AppState;
use crate::auth::CheckedForm;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::PageIdPath;
use crate::web::page::{Chrome, FormErrors, long_date, render};
use crate::web::{AppError, PageError};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use cairn_core::vocabulary;
use std::collections::HashMap;
use uuid::Uuid;

struct Row {
    name: String,
    team: String,
    policy: String,
    status: &'static str,
    status_label: &'static str,
    days_left: String,
    next: String,
}

#[derive(Template)]
#[template(path = "standing/compliance.html")]
struct CompliancePage {
    chrome: Chrome,
    errors: FormErrors,
    org_id: Uuid,
    org_name: String,
    org_wide: bool,
    people: u64,
    as_of: String,
    as_of_label: String,
    team: String,
    locality: String,
    job_role: String,
    status: String,
    headline: String,
    policy: String,
    /// (id, title) of each policy the report holds.
    policies: Vec<(String, String)>,
    /// (id, label, people, link to them)
    headlines: Vec<(&'static str, &'static str, u64, String)>,
    teams: Vec<String>,
    localities: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    query_string: String,
    summary: Vec<SummaryLine>,
    rows: Vec<Row>,
    /// When the standing shown was computed, in words.
    computed: String,
    /// Links to the table's previous and next pages, when there are such pages.
    previous: Option<String>,
    next: Option<String>,
    /// Which lines this page shows, when there is more than one page.
    shown: String,
}

/// Lines of the people table per page.
const ROWS_PER_PAGE: usize = 200;

/// `GET /orgs/{id}/compliance`
pub async fn show_compliance(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(org_id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    authorize(&user, Action::ViewOrganisation(org_id))?;
    let org = crate::people::service::get_org(&state.db, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // The page shows the table a page at a time (a large employer's is thousands of lines,
    // megabytes over a poor connection); the counts, summary, CSV and API cover everyone.
    let mut params = params;
    let page_no = params
        .remove("page")
        .and_then(|p| p.trim().parse::<usize>().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(1);
    let (query, errors) = match ComplianceQuery::parse(&params, state.clock.today()) {
        Ok(query) => (query, FormErrors::default()),
        // Keep what was chosen and say what is wrong; show today's table meanwhile.
        Err(errors) => (
            ComplianceQuery::parse(&HashMap::new(), state.clock.today())
                .map_err(AppError::Invalid)?,
            FormErrors::from(errors),
        ),
    };
    let report = super::shared::visible_report(&state, &user, org_id, &query).await?;
    let teams = crate::people::service::list_teams(&state.db, org_id)
        .await?
        .into_iter()
        .map(|t| t.name)
        .collect();
    let org_wide = user.reads_org_wide(org_id);
    let query_of = |keys: &[&str]| {
        let mut query = String::new();
        for key in keys {
            if let Some(value) = params.get(*key).filter(|v| !v.trim().is_empty()) {
                query.push_str(&format!(
                    "{key}={}&",
                    form_urlencoded::byte_serialize(value.as_bytes()).collect::<String>()
                ));
            }
        }
        query
    };
    let query_string = query_of(&[
        "as_of", "team", "locality", "job_role", "policy", "status", "headline",
    ]);
    // Each count links to its people, with the other filters kept.
    let others = query_of(&["as_of", "team", "locality", "job_role", "policy"]);
    let headlines = report
        .headlines
        .listed()
        .into_iter()
        .map(|(id, label, count)| {
            let href = format!("/orgs/{org_id}/compliance?{others}headline={id}");
            (id, label, count, href)
        })
        .collect();
    let titles = policy_titles(&state.db, org_id).await?;
    let title_of = |id: &str| titles.get(id).cloned().unwrap_or_else(|| id.to_owned());
    let mut policies: Vec<(String, String)> = report
        .summary
        .iter()
        .map(|s| (s.policy.clone(), title_of(&s.policy)))
        .collect();
    if let Some(chosen) = query
        .policy
        .clone()
        .filter(|p| !policies.iter().any(|(id, _)| id == p))
    {
        policies.push((chosen.clone(), title_of(&chosen)));
    }
    let lines = report.rows.len();
    let pages = lines.div_ceil(ROWS_PER_PAGE).max(1);
    let page_no = page_no.min(pages);
    let link = |n: usize| format!("/orgs/{org_id}/compliance?{query_string}page={n}");
    let previous = (page_no > 1).then(|| link(page_no - 1));
    let next = (page_no < pages).then(|| link(page_no + 1));
    let first_shown = (page_no - 1) * ROWS_PER_PAGE;
    let shown = if lines > ROWS_PER_PAGE {
        format!(
            "Lines {} to {} of {}.",
            crate::web::page::grouped(first_shown + 1),
            crate::web::page::grouped((first_shown + ROWS_PER_PAGE).min(lines)),
            crate::web::page::grouped(lines)
        )
    } else {
        String::new()
    };
    let rows = report
        .rows
        .iter()
        .skip(first_shown)
        .take(ROWS_PER_PAGE)
        .map(|r| Row {
            name: r.name.clone(),
            team: r.team.clone().unwrap_or_default(),
            policy: title_of(&r.policy),
            status: super::report::headline_of(r.status),
            status_label: super::report::Headlines::label_of(super::report::headline_of(r.status)),
            // An overdue line's days are of the period after the one that ended short:
            // beside "Overdue" they read as time still in hand.
            days_left: r
                .days_left
                .filter(|_| super::report::headline_of(r.status) != "overdue")
                .map(|d| crate::web::page::grouped(usize::try_from(d).unwrap_or(0)))
                .unwrap_or_default(),
            next: r
                .next
                .clone()
                .or_else(|| r.reason.clone())
                .unwrap_or_default(),
        })
        .collect();
    let computed = match report.computed_at {
        Some(at) => format!(
            "Standing computed {}, and kept up to date as records change.",
            crate::web::page::ago(at, state.clock.now())
        ),
        None => "Standing judged just now, for this day.".to_owned(),
    };
    let page = CompliancePage {
        computed,
        previous,
        next,
        shown,
        chrome: user.chrome(),
        errors,
        org_id,
        org_name: org.name,
        org_wide,
        people: report.people,
        as_of: query.as_of.to_string(),
        as_of_label: long_date(query.as_of),
        team: query.team.clone().unwrap_or_default(),
        locality: query.locality.clone().unwrap_or_default(),
        job_role: query.job_role.clone().unwrap_or_default(),
        status: query.status.clone().unwrap_or_default(),
        headline: query.headline.clone().unwrap_or_default(),
        policy: query.policy.clone().unwrap_or_default(),
        policies,
        headlines,
        teams,
        localities: vocabulary::LOCALITIES.to_vec(),
        statuses: super::report::Headlines::LABELS.to_vec(),
        query_string,
        summary: report
            .summary
            .iter()
            .map(|s| SummaryLine::of(title_of(&s.policy), s))
            .collect(),
        rows,
    };
    Ok(render(&page))
}

/// The title of every policy a report of this organisation can hold: the regulators' and
/// the organisation's own (by their latest version).
async fn policy_titles(
    db: &crate::Db,
    org_id: Uuid,
) -> Result<std::collections::HashMap<String, String>, AppError> {
    let mut titles: std::collections::HashMap<String, String> = cairn_core::policy::builtin::all()
        .into_iter()
        .map(|p| (p.id, p.title))
        .collect();
    for version in versions(db, org_id).await? {
        titles.insert(version.policy_id, version.title);
    }
    Ok(titles)
}

/// A policy's line of the summary: its counts, and each headline's share of a bar drawn
/// beside them (an SVG, so that no inline style is needed under the page's CSP).
struct SummaryLine {
    title: String,
    met: u64,
    on_track: u64,
    at_risk: u64,
    overdue: u64,
    /// (class, x, width) of each part of the bar, in percent.
    bar: Vec<(&'static str, f64, f64)>,
    /// The mix in words, for those who cannot see the bar.
    mix: String,
}

impl SummaryLine {
    fn of(title: String, s: &super::report::PolicySummary) -> Self {
        let total = (s.met + s.on_track + s.at_risk + s.overdue).max(1) as f64;
        let mut x = 0.0;
        let mut bar = Vec::new();
        for (class, n) in [
            ("met", s.met),
            ("on-track", s.on_track),
            ("at-risk", s.at_risk),
            ("overdue", s.overdue),
        ] {
            if n > 0 {
                let width = n as f64 * 100.0 / total;
                bar.push((class, x, width));
                x += width;
            }
        }
        let people = s.met + s.on_track + s.at_risk + s.overdue;
        let share = |n: u64| (n as f64 * 100.0 / total).round();
        let mix = format!(
            "Of {people}: {}% met, {}% on track, {}% at risk, {}% overdue",
            share(s.met),
            share(s.on_track),
            share(s.at_risk),
            share(s.overdue)
        );
        Self {
            title,
            met: s.met,
            on_track: s.on_track,
            at_risk: s.at_risk,
            overdue: s.overdue,
            bar,
            mix,
        }
    }
}

struct VersionLine {
    id: String,
    title: String,
    version: i64,
    in_force_from: String,
    applies_to: String,
    /// Made of training items only: changed in the form, not as a file.
    in_form: bool,
    /// The policy file, for the advanced view.
    source_text: String,
}

#[derive(Template)]
#[template(path = "standing/policies.html")]
struct PoliciesPage {
    chrome: Chrome,
    errors: FormErrors,
    org_id: Uuid,
    org_name: String,
    can_manage: bool,
    saved: bool,
    versions: Vec<VersionLine>,
    /// (title, source) of each regulator's policy cairn knows, read-only.
    regulators: Vec<(String, String)>,
    source: String,
    job_roles: String,
    in_force_from: String,
    /// (id, name, checked) of the organisation's teams.
    teams: Vec<(String, String, bool)>,
}

/// The policy form's fields (`teams` repeats, one per ticked box).
#[derive(Default)]
pub struct PolicyForm {
    csrf: String,
    source: String,
    job_roles: String,
    in_force_from: String,
    teams: Vec<String>,
}

impl PolicyForm {
    /// Reads the form's fields in order (`teams` repeats).
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = PolicyForm::default();
        for (key, value) in pairs {
            match key.as_str() {
                "csrf" => form.csrf = value,
                "source" => form.source = value,
                "job_roles" => form.job_roles = value,
                "in_force_from" => form.in_force_from = value,
                "teams" => form.teams.push(value),
                _ => {}
            }
        }
        form
    }
}

async fn policies_page(
    state: &AppState,
    user: &CurrentUser,
    org_id: Uuid,
    form: PolicyForm,
    errors: FormErrors,
    saved: bool,
) -> Result<PoliciesPage, AppError> {
    let org = crate::people::service::get_org(&state.db, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let team_names: Vec<(Uuid, String)> = crate::people::service::list_teams(&state.db, org_id)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let lines = versions(&state.db, org_id)
        .await?
        .into_iter()
        .map(|v| VersionLine {
            in_form: cairn_core::policy::parse_policy(&v.policy_id, &v.source_text)
                .ok()
                .and_then(|p| super::training::TrainingForm::from_policy(&p))
                .is_some(),
            source_text: v.source_text.clone(),
            id: v.policy_id,
            title: v.title,
            version: v.version,
            in_force_from: long_date(v.in_force_from),
            applies_to: describe_assignment(&v.assigned_to, &team_names),
        })
        .collect();
    let in_force_from = if form.in_force_from.is_empty() {
        state.clock.today().to_string()
    } else {
        form.in_force_from
    };
    let teams = team_choices(state, org_id, &form.teams).await?;
    Ok(PoliciesPage {
        chrome: user.chrome(),
        errors,
        org_id,
        org_name: org.name,
        can_manage: authorize(user, Action::ManagePolicies(org_id)).is_ok(),
        saved,
        versions: lines,
        regulators: cairn_core::policy::builtin::all()
            .into_iter()
            .map(|p| (p.title, p.source.unwrap_or_default()))
            .collect(),
        source: form.source,
        job_roles: form.job_roles,
        in_force_from,
        teams,
    })
}

/// `GET /orgs/{id}/policies`
pub async fn show_policies(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(org_id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    authorize(&user, Action::ViewOrganisation(org_id))?;
    let saved = params.contains_key("saved");
    // "New version" starts from the latest version's text and assignment.
    let mut form = PolicyForm::default();
    if let Some(id) = params.get("edit")
        && let Some(latest) = super::org_policies::latest_version(&state.db, org_id, id).await?
    {
        form.source = latest.source_text;
        (form.job_roles, form.teams) = latest.assigned_to.as_typed();
    }
    Ok(render(
        &policies_page(&state, &user, org_id, form, FormErrors::default(), saved).await?,
    ))
}

/// `POST /orgs/{id}/policies`: validates the file; on any problem the form comes back with
/// what was typed and the errors, line numbers included.
pub async fn save_policy(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(org_id): PageIdPath,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = PolicyForm::from_pairs(pairs);
    authorize(&user, Action::ManagePolicies(org_id))?;
    let mut errors = cairn_core::FieldErrors::default();
    let in_force_from = in_force_from(&state, &form.in_force_from, &mut errors);
    if form.source.trim().is_empty() {
        errors.push("source", "Paste the policy file");
    }
    let assignment = assignment_from(&state, org_id, &form.job_roles, &form.teams).await?;
    if let (Some(in_force_from), true) = (in_force_from, errors.is_empty()) {
        match super::changes::add_org_policy_version(
            &state.db,
            org_id,
            &form.source,
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
            Err(AddError::Policy(error)) => errors.push(
                "source",
                format!("Line {}, {}: {}", error.line, error.key, error.message),
            ),
            Err(AddError::Invalid(problems)) => {
                for problem in problems.0 {
                    errors.push("source", format!("{}: {}", problem.field, problem.message));
                }
            }
            Err(AddError::Database(error)) => return Err(AppError::from(error).into()),
        }
    }
    let page = policies_page(&state, &user, org_id, form, errors.into(), false).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

/// (id, name, ticked) of the organisation's teams, for a policy form's checkboxes.
async fn team_choices(
    state: &AppState,
    org_id: Uuid,
    chosen: &[String],
) -> Result<Vec<(String, String, bool)>, AppError> {
    Ok(crate::people::service::list_teams(&state.db, org_id)
        .await?
        .into_iter()
        .map(|t| {
            let id = t.id.to_string();
            let checked = chosen.contains(&id);
            (id, t.name, checked)
        })
        .collect())
}

/// Whom a policy form says it applies to: the job roles typed (comma-separated) and the
/// teams ticked, of this organisation's only.
async fn assignment_from(
    state: &AppState,
    org_id: Uuid,
    job_roles: &str,
    teams: &[String],
) -> Result<Assignment, AppError> {
    let org_teams = crate::people::service::list_teams(&state.db, org_id).await?;
    Ok(Assignment {
        job_roles: job_roles
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect(),
        teams: teams
            .iter()
            .filter_map(|t| Uuid::parse_str(t).ok())
            .filter(|t| org_teams.iter().any(|team| team.id == *t))
            .collect(),
    })
}

/// The day a policy form says it is in force from (today when empty), or a problem on the
/// field.
fn in_force_from(
    state: &AppState,
    typed: &str,
    errors: &mut cairn_core::FieldErrors,
) -> Option<time::Date> {
    if typed.trim().is_empty() {
        return Some(state.clock.today());
    }
    let parsed = crate::web::spreadsheet::parse_date(typed);
    if parsed.is_none() {
        errors.push(
            "in_force_from",
            "Enter the date it takes effect, such as 2027-04-01 or 01/04/2027",
        );
    }
    parsed
}

/// The declaration form's fields.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DeclarationForm {
    policy: String,
    verifier_id: String,
}

/// `POST /declarations`: declare the current period of a policy complete, from the home page.
pub async fn post_declaration(
    State(state): State<AppState>,
    user: CurrentUser,
    CheckedForm(form): CheckedForm<DeclarationForm>,
) -> Result<Response, PageError> {
    let verifier_id =
        match form.verifier_id.trim() {
            "" => None,
            text => Some(Uuid::parse_str(text).map_err(|_| {
                AppError::field("verifier_id", "Choose who verifies it from the list")
            })?),
        };
    let request = super::declare::DeclareRequest {
        policy: form.policy,
        period_start: None,
        verifier_id,
        statement: None,
    };
    super::declare::declare_for(&state, &user, request).await?;
    Ok(Redirect::to("/?declared").into_response())
}

/// The verify and return forms' fields.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    comment: String,
}

/// `POST /declarations/{id}/verify` from the home page.
pub async fn post_verify(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    CheckedForm(form): CheckedForm<DecisionForm>,
) -> Result<Response, PageError> {
    decide_from_page(&state, &user, id, true, form).await
}

/// `POST /declarations/{id}/return` from the home page.
pub async fn post_return(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    CheckedForm(form): CheckedForm<DecisionForm>,
) -> Result<Response, PageError> {
    decide_from_page(&state, &user, id, false, form).await
}

async fn decide_from_page(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    verify: bool,
    form: DecisionForm,
) -> Result<Response, PageError> {
    let comment = Some(form.comment).filter(|c| !c.trim().is_empty());
    super::declare::decide(
        state,
        user,
        id,
        verify,
        super::declare::DecisionRequest { comment },
    )
    .await?;
    Ok(Redirect::to(if verify { "/?verified" } else { "/?returned" }).into_response())
}

/// "Everyone", or the job roles and teams a policy version is assigned to.
fn describe_assignment(assignment: &Assignment, team_names: &[(Uuid, String)]) -> String {
    let mut parts = Vec::new();
    if !assignment.job_roles.is_empty() {
        parts.push(assignment.job_roles.join(", "));
    }
    if !assignment.teams.is_empty() {
        let names: Vec<&str> = assignment
            .teams
            .iter()
            .filter_map(|id| {
                team_names
                    .iter()
                    .find(|(t, _)| t == id)
                    .map(|(_, n)| n.as_str())
            })
            .collect();
        parts.push(format!("in {}", names.join(", ")));
    }
    if parts.is_empty() {
        "Everyone".to_owned()
    } else {
        parts.join(" ")
    }
}

/// This feature's pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/orgs/{id}/compliance", get(show_compliance))
        .route("/orgs/{id}/policies", get(show_policies).post(save_policy))
        .route(
            "/orgs/{id}/policies/training",
            get(training::show_training).post(training::save_training),
        )
        .route("/declarations", post(post_declaration))
        .route("/declarations/{id}/verify", post(post_verify))
        .route("/declarations/{id}/return", post(post_return))
}
