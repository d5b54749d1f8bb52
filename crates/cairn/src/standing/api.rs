//! Where people stand, in the API: my standing, declarations and their verification, an
//! organisation's policies and its compliance report.

use super::CheckReport;
use super::declarations;
use super::declarations::Declaration;
use super::declare::{DecisionRequest, DeclareRequest, decide, declare_for};
use super::org_policies::OrgPolicyVersion;
use super::shared::visible_report;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::ApiJson;
use crate::web::AppError;
use crate::web::IdPath;
use crate::web::openapi::{Hidden, NotPermitted, SignedOut, problems};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// `GET /api/v1/me/standing?as_of=YYYY-MM-DD` (default today): the `cairn check` answer for
/// the signed-in person's own record.
#[utoipa::path(
    get, path = "/me/standing", tag = "standing", operation_id = "get_my_standing", params(("as_of" = Option<time::Date>, Query, description = "The day to judge on (default today)")),
    summary = "Where I stand against every requirement policy that applies to me: status, current period, items and what is left by when",
    responses((status = 200, description = "The cairn check answer for my record", body = CheckReport),
        SignedOut, (status = 422, description = "as_of is not a date")),
)]
pub async fn get_my_standing(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    authorize(&user, Action::OwnRecord)?;
    if let Some(key) = params.keys().find(|k| k.as_str() != "as_of") {
        return Err(AppError::field(
            key,
            "is not a parameter; the only one is as_of (YYYY-MM-DD)",
        ));
    }
    let as_of = match params
        .get("as_of")
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
    {
        Some(text) => cairn_core::policy::parse_as_of(text, state.clock.today())
            .map_err(|message| AppError::field("as_of", message))?,
        None => state.clock.today(),
    };
    let report = super::standing_of(&state.db, user.person_id, as_of, state.clock.now())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(report).into_response())
}

/// `POST /api/v1/orgs/{id}/policies`'s body.
#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPolicyVersion {
    /// The policy file (cairn-policy/1 TOML) with `register = "EMP"` and no parts.
    source: String,
    /// Job roles it applies to (none: everyone).
    #[serde(default)]
    job_roles: Vec<String>,
    /// Teams it applies to (none: every team).
    #[serde(default)]
    teams: Vec<uuid::Uuid>,
    /// When this version takes over (default today); earlier days keep the earlier version.
    #[schema(value_type = Option<String>, format = Date)]
    in_force_from: Option<String>,
}

/// An organisation's own policies, every version.
#[derive(Serialize, ToSchema)]
pub struct PolicyVersions {
    policies: Vec<OrgPolicyVersion>,
}

/// A person's declarations.
#[derive(Serialize, ToSchema)]
pub struct Declarations {
    declarations: Vec<Declaration>,
}

/// A declaration waiting for this person to verify it, and whose it is.
#[derive(Serialize, ToSchema)]
pub struct Waiting {
    declaration: Declaration,
    person_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Verifications {
    waiting: Vec<Waiting>,
}

/// `GET /api/v1/orgs/{id}/policies`: every version of the organisation's own policies.
#[utoipa::path(
    get, path = "/orgs/{id}/policies", tag = "standing", operation_id = "list_org_policies", params(IdPath),
    summary = "Every version of the organisation's own requirement policies (mandatory training)",
    responses((status = 200, description = "The versions, oldest first", body = PolicyVersions), SignedOut,
        Hidden, NotPermitted),
)]
pub async fn list_org_policies(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(org_id): IdPath,
) -> Result<Response, AppError> {
    authorize(&user, Action::ViewOrganisation(org_id))?;
    let versions = super::org_policies::versions(&state.db, org_id).await?;
    Ok(Json(PolicyVersions { policies: versions }).into_response())
}

/// `POST /api/v1/orgs/{id}/policies`: a new policy, or a new version of one (same `id` in
/// the file). Earlier versions are kept and still explain earlier results.
#[utoipa::path(
    post, path = "/orgs/{id}/policies", tag = "standing", operation_id = "add_org_policy", params(IdPath), request_body = NewPolicyVersion,
    summary = "Add a policy, or a new version of one (same id in the file); earlier versions keep explaining earlier results. L&D leads and administrators.",
    responses((status = 201, description = "The stored version", body = OrgPolicyVersion), SignedOut, Hidden,
        (status = 403, description = "Not an L&D lead or administrator here"),
        (status = 422, description = "The file or a field is not valid; `source` errors give the line and key")),
)]
pub async fn add_org_policy(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(org_id): IdPath,
    crate::web::ApiJson(body): crate::web::ApiJson<NewPolicyVersion>,
) -> Result<Response, AppError> {
    use super::org_policies::{AddError, Assignment};
    authorize(&user, Action::ManagePolicies(org_id))?;
    let teams = crate::people::service::list_teams(&state.db, org_id).await?;
    if let Some((i, _)) = body
        .teams
        .iter()
        .enumerate()
        .find(|(_, t)| !teams.iter().any(|team| team.id == **t))
    {
        return Err(AppError::field(
            &format!("teams[{i}]"),
            "is not a team of this organisation",
        ));
    }
    let in_force_from = match body.in_force_from.as_deref() {
        Some(text) => cairn_core::entry::parse_iso_date(text).ok_or_else(|| {
            AppError::field(
                "in_force_from",
                format!("`{text}` is not a date: write YYYY-MM-DD"),
            )
        })?,
        None => state.clock.today(),
    };
    let assignment = Assignment {
        job_roles: body
            .job_roles
            .iter()
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty())
            .collect(),
        teams: body.teams,
    };
    match super::changes::add_org_policy_version(
        &state.db,
        org_id,
        &body.source,
        &assignment,
        in_force_from,
        Some(user.person_id),
        state.clock.now(),
    )
    .await
    {
        Ok(version) => {
            tracing::info!(org.id = %org_id, policy.id = %version.policy_id, policy.version = version.version, "organisation policy saved");
            Ok((axum::http::StatusCode::CREATED, Json(version)).into_response())
        }
        Err(AddError::Policy(error)) => Err(AppError::field(
            "source",
            format!("line {}: {}: {}", error.line, error.key, error.message),
        )),
        Err(AddError::Invalid(errors)) => Err(AppError::Invalid(errors)),
        Err(AddError::Database(error)) => Err(error.into()),
    }
}

/// `GET /api/v1/orgs/{id}/compliance?as_of&team&locality&job_role&policy&status&format=json|csv`:
/// everyone the organisation employs against every policy that applies to them, sorted by
/// days left (soonest first). L&D leads, administrators and auditors see everyone; a
/// supervisor sees the people they supervise.
#[utoipa::path(
    get, path = "/orgs/{id}/compliance", tag = "standing", operation_id = "get_org_compliance", params(IdPath, ("as_of" = Option<time::Date>, Query, description = "The day to judge on (default today)"), ("team" = Option<String>, Query, description = "A team's name"), ("locality" = Option<String>, Query, description = "urban, mixed, rural, remote or island"), ("job_role" = Option<String>, Query, description = "A job role"), ("policy" = Option<String>, Query, description = "A policy id"), ("status" = Option<String>, Query, description = "met, on-track, at-risk or overdue"), ("format" = Option<String>, Query, description = "json (default) or csv")),
    summary = "Everyone the organisation employs against every policy that applies to them, soonest deadline first, with a summary per policy. L&D leads, administrators and auditors see everyone; supervisors their supervisees.",
    responses((status = 200, description = "The report (format=csv: as a spreadsheet)", content(
            (super::report::ComplianceReport = "application/json"),
            (String = "text/csv"),
        )),
        SignedOut, Hidden, NotPermitted, (status = 422, description = "A parameter is not valid")),
)]
pub async fn get_org_compliance(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(org_id): IdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    authorize(&user, Action::ViewOrganisation(org_id))?;
    let query = super::report::ComplianceQuery::parse(&params, state.clock.today())
        .map_err(AppError::Invalid)?;
    let report = visible_report(&state, &user, org_id, &query).await?;
    if query.csv {
        let mut writer = crate::web::spreadsheet::writer(Vec::new());
        writer
            .write_record(super::report::ComplianceReport::CSV_HEADER)
            .map_err(anyhow::Error::from)?;
        report.write_csv(&mut writer)?;
        let bytes = writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
        let disposition = format!("attachment; filename=\"compliance-{}.csv\"", query.as_of);
        let headers = [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_owned(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ];
        return Ok((headers, bytes).into_response());
    }
    Ok(Json(report).into_response())
}

/// `POST /api/v1/me/declarations`: declare a period of a policy complete.
#[utoipa::path(
    post, path = "/me/declarations", tag = "standing", operation_id = "create_declaration", request_body = DeclareRequest,
    summary = "Declare a policy's period complete (choosing the verifier when the policy asks for one); declaring again after a return replaces it",
    responses((status = 201, description = "The declaration", body = Declaration), SignedOut,
        (status = 422, description = "The policy does not apply, or the period or verifier is not valid")),
)]
pub async fn create_declaration(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<DeclareRequest>,
) -> Result<Response, AppError> {
    let saved = declare_for(&state, &user, body).await?;
    Ok((StatusCode::CREATED, Json(saved)).into_response())
}

#[utoipa::path(
    get, path = "/me/declarations", tag = "standing", operation_id = "list_my_declarations",
    summary = "My declarations",
    responses((status = 200, description = "Declarations", body = Declarations), SignedOut),
)]
pub async fn list_my_declarations(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    authorize(&user, Action::OwnRecord)?;
    let declarations = declarations::for_person(&state.db, user.person_id).await?;
    Ok(Json(Declarations { declarations }).into_response())
}

/// `GET /api/v1/me/verifications`: declarations waiting for me to verify.
#[utoipa::path(
    get, path = "/me/verifications", tag = "standing", operation_id = "list_my_verifications",
    summary = "Declarations waiting for me to verify",
    responses((status = 200, description = "Waiting", body = Verifications), SignedOut),
)]
pub async fn list_my_verifications(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    authorize(&user, Action::OwnRecord)?;
    let waiting = declarations::awaiting(&state.db, user.person_id).await?;
    let mut items = Vec::with_capacity(waiting.len());
    for declaration in waiting {
        let name = crate::people::service::get_person(&state.db, declaration.person_id)
            .await?
            .map(|p| p.name);
        items.push(Waiting {
            declaration,
            person_name: name,
        });
    }
    Ok(Json(Verifications { waiting: items }).into_response())
}

#[utoipa::path(
    post, path = "/declarations/{id}/verify", tag = "standing", operation_id = "verify_declaration", params(IdPath),
    summary = "Verify a declaration I was chosen for",
    request_body(content = Option<DecisionRequest>, content_type = "application/json", description = "Optional: an empty body is no comment"),
    responses((status = 200, description = "The declaration", body = Declaration), SignedOut, DecisionProblems),
)]
pub async fn verify_declaration(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    Ok(Json(decide(&state, &user, id, true, decision(&body)?).await?).into_response())
}

problems!(DecisionProblems:
    "404" => "Not found, or not waiting for you",
    "409" => "Already decided",
    "422" => "A return needs a comment",
);

/// The optional JSON body of a decision (an empty body is no comment).
fn decision(body: &[u8]) -> Result<DecisionRequest, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        Ok(DecisionRequest::default())
    } else {
        crate::web::json::parse_json(body)
    }
}

/// `POST /api/v1/declarations/{id}/return`: back to the person, with a comment.
#[utoipa::path(
    post, path = "/declarations/{id}/return", tag = "standing", operation_id = "return_declaration", params(IdPath),
    summary = "Return a declaration with a comment saying what is missing",
    request_body(content = Option<DecisionRequest>, content_type = "application/json", description = "Optional: an empty body is no comment"),
    responses((status = 200, description = "The declaration", body = Declaration), SignedOut, DecisionProblems),
)]
pub async fn return_declaration(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    Ok(Json(decide(&state, &user, id, false, decision(&body)?).await?).into_response())
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_my_standing))
        .routes(routes!(list_my_declarations, create_declaration))
        .routes(routes!(list_my_verifications))
        .routes(routes!(verify_declaration))
        .routes(routes!(return_declaration))
        .routes(routes!(get_org_compliance))
        .routes(routes!(list_org_policies, add_org_policy))
}
