//! Where people stand, in the API: my standing, declarations and their verification, an
//! organisation's policies and its compliance report.

use super::declarations;
use super::declare::{DecisionRequest, DeclareRequest, decide, declare_for};
use super::shared::visible_report;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::ApiJson;
use crate::web::AppError;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use serde_json::json;
use std::collections::HashMap;

/// `GET /api/v1/me/standing?as_of=YYYY-MM-DD` (default today): the `cairn check` answer for
/// the signed-in person's own record.
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
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPolicyVersion {
    /// The policy file (cairn-policy/1 TOML) with `register = "EMP"`.
    source: String,
    #[serde(default)]
    job_roles: Vec<String>,
    #[serde(default)]
    teams: Vec<uuid::Uuid>,
    /// When this version takes over (default today); earlier days keep the earlier version.
    in_force_from: Option<String>,
}

/// `GET /api/v1/orgs/{id}/policies`: every version of the organisation's own policies.
pub async fn list_org_policies(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Response, AppError> {
    let org_id = crate::web::parse_id(&id)?;
    authorize(&user, Action::ViewOrganisation(org_id))?;
    let versions = super::org_policies::versions(&state.db, org_id).await?;
    Ok(Json(serde_json::json!({"policies": versions})).into_response())
}

/// `POST /api/v1/orgs/{id}/policies`: a new policy, or a new version of one (same `id` in
/// the file). Earlier versions are kept and still explain earlier results.
pub async fn add_org_policy(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::Path(id): axum::extract::Path<String>,
    crate::web::ApiJson(body): crate::web::ApiJson<NewPolicyVersion>,
) -> Result<Response, AppError> {
    use super::org_policies::{AddError, Assignment, add_version};
    let org_id = crate::web::parse_id(&id)?;
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
    match add_version(
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
pub async fn get_org_compliance(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::Path(id): axum::extract::Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let org_id = crate::web::parse_id(&id)?;
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
pub async fn create_declaration(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<DeclareRequest>,
) -> Result<Response, AppError> {
    let saved = declare_for(&state, &user, body).await?;
    Ok((StatusCode::CREATED, Json(saved)).into_response())
}

/// `GET /api/v1/me/declarations`
pub async fn list_my_declarations(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    authorize(&user, Action::OwnRecord)?;
    Ok(
        Json(json!({"declarations": declarations::for_person(&state.db, user.person_id).await?}))
            .into_response(),
    )
}

/// `GET /api/v1/me/verifications`: declarations waiting for me to verify.
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
        items.push(json!({"declaration": declaration, "person_name": name}));
    }
    Ok(Json(json!({"waiting": items})).into_response())
}

/// `POST /api/v1/declarations/{id}/verify`
pub async fn verify_declaration(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    Ok(Json(decide(&state, &user, &id, true, decision(&body)?).await?).into_response())
}

/// The optional JSON body of a decision (an empty body is no comment).
fn decision(body: &[u8]) -> Result<DecisionRequest, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        Ok(DecisionRequest::default())
    } else {
        crate::web::json::parse_json(body)
    }
}

/// `POST /api/v1/declarations/{id}/return`: back to the person, with a comment.
pub async fn return_declaration(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    Ok(Json(decide(&state, &user, &id, false, decision(&body)?).await?).into_response())
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me/standing", get(get_my_standing))
        .route(
            "/me/declarations",
            get(list_my_declarations).post(create_declaration),
        )
        .route("/me/verifications", get(list_my_verifications))
        .route("/declarations/{id}/verify", post(verify_declaration))
        .route("/declarations/{id}/return", post(return_declaration))
        .route("/orgs/{id}/compliance", get(get_org_compliance))
        .route(
            "/orgs/{id}/policies",
            get(list_org_policies).post(add_org_policy),
        )
}
