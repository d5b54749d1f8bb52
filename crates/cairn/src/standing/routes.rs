//! `GET /api/v1/me/standing?as_of=`: where I stand against every rule that applies to me.

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::AppError;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Json, Response};
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
    let teams = crate::people::store::list_teams(&state.db, org_id).await?;
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

/// The report as this person may see it: everyone for organisation-wide roles, their
/// supervisees for a supervisor; filtered, sorted by days left and summarised.
pub async fn visible_report(
    state: &AppState,
    user: &CurrentUser,
    org_id: uuid::Uuid,
    query: &super::report::ComplianceQuery,
) -> Result<super::report::ComplianceReport, AppError> {
    let mut report = super::report::compliance(
        &state.db,
        org_id,
        query.as_of,
        &cairn_core::policy::builtin::all(),
    )
    .await?;
    let org_wide = user.reads_org_wide(org_id);
    if !org_wide {
        let supervisees =
            crate::people::store::supervisees_of(&state.db, user.person_id, org_id).await?;
        report
            .rows
            .retain(|row| supervisees.contains(&row.person_id));
    }
    query.apply(&mut report);
    Ok(report)
}
