//! The declaration workflow's routes: declare a period complete, see my declarations and
//! those waiting for me, verify or return one.

use super::declarations::{self, NewDeclaration};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::AppError;
use cairn_core::FieldErrors;
use cairn_core::policy::{Policy, RuleKind, builtin};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

/// `POST /api/v1/me/declarations`'s body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclareRequest {
    pub policy: String,
    /// Which period: its start (default the current period, or the one just ended).
    #[schema(value_type = Option<String>, format = Date)]
    pub period_start: Option<String>,
    /// Who verifies it, when the policy asks for verification.
    pub verifier_id: Option<Uuid>,
    #[schema(max_length = 5000)]
    pub statement: Option<String>,
}

/// The policy with this id that applies to the person: built in, or one of their employers'.
async fn policy_for(
    state: &AppState,
    person_id: Uuid,
    id: &str,
    as_of: Date,
) -> Result<Option<Policy>, AppError> {
    if let Some(policy) = builtin::find(id) {
        return Ok(Some(policy));
    }
    for employment in crate::people::service::employments_of(&state.db, person_id)
        .await?
        .iter()
        .filter(|e| e.is_current(as_of))
    {
        let versions = super::org_policies::versions(&state.db, employment.org_id).await?;
        if let Some((policy, _)) = super::org_policies::in_force(&versions, as_of)
            .into_iter()
            .find(|(p, _)| p.id == id)
        {
            return Ok(Some(policy));
        }
    }
    Ok(None)
}

/// The declaration rule's verifying role of a policy that applies to the person:
/// `Some(None)` when no verification is needed, `None` when it asks for no declaration.
pub async fn declaration_role(
    state: &AppState,
    person_id: Uuid,
    policy_id: &str,
    as_of: Date,
) -> Result<Option<Option<String>>, AppError> {
    let Some(policy) = policy_for(state, person_id, policy_id, as_of).await? else {
        return Ok(None);
    };
    Ok(policy.rules.iter().find_map(|r| match &r.kind {
        RuleKind::Declaration { verified_by } => Some(verified_by.clone()),
        _ => None,
    }))
}

/// Checks and stores a declaration for the signed-in person (the API and the page share it).
pub async fn declare_for(
    state: &AppState,
    user: &CurrentUser,
    body: DeclareRequest,
) -> Result<declarations::Declaration, AppError> {
    authorize(user, Action::OwnRecord)?;
    let today = state.clock.today();
    let standing = super::standing_of(&state.db, user.person_id, today, state.clock.now())
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(result) = standing.results.iter().find(|r| r.policy == body.policy) else {
        let ids: Vec<&str> = standing.results.iter().map(|r| r.policy.as_str()).collect();
        return Err(AppError::field(
            "policy",
            format!(
                "`{}` does not apply to you; the policies that do are: {}",
                body.policy,
                ids.join(", ")
            ),
        ));
    };
    let policy = policy_for(state, user.person_id, &body.policy, today)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(verified_by) = policy.rules.iter().find_map(|r| match &r.kind {
        RuleKind::Declaration { verified_by } => Some(verified_by.clone()),
        _ => None,
    }) else {
        return Err(AppError::field(
            "policy",
            format!("`{}` asks for no declaration", body.policy),
        ));
    };
    let mut errors = FieldErrors::default();
    let periods: Vec<_> = result
        .current
        .iter()
        .chain(result.previous.iter())
        .collect();
    let period = match body
        .period_start
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(text) => {
            let start = cairn_core::entry::parse_iso_date(text);
            let found = start.and_then(|s| periods.iter().find(|p| p.start == s));
            if found.is_none() {
                let starts: Vec<String> = periods.iter().map(|p| p.start.to_string()).collect();
                errors.push(
                    "period_start",
                    format!(
                        "`{text}` does not start one of your periods; you can declare: {}",
                        starts.join(" or ")
                    ),
                );
            }
            found.copied()
        }
        None => periods.first().copied(),
    };
    let statement = body
        .statement
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if statement.is_some_and(|s| s.chars().count() > 5000) {
        errors.push("statement", "must be 5,000 characters or fewer");
    }
    let verifier = match (&verified_by, body.verifier_id) {
        (Some(role), None) => {
            errors.push(
                "verifier_id",
                format!("This policy's declaration is verified by your {role}: choose who"),
            );
            None
        }
        (Some(_), Some(id)) if id == user.person_id => {
            errors.push("verifier_id", "You cannot verify your own declaration");
            None
        }
        (Some(role), Some(id)) => {
            let employers =
                crate::people::service::employing_orgs(&state.db, user.person_id, today).await?;
            let roles = crate::people::service::roles_of(&state.db, id).await?;
            if roles
                .iter()
                .any(|g| g.role.as_str() == role && employers.contains(&g.org_id))
            {
                Some((id, role.as_str()))
            } else {
                errors.push(
                    "verifier_id",
                    format!("Choose someone who is a {role} in an organisation that employs you"),
                );
                None
            }
        }
        (None, _) => None,
    };
    if let Some(period) = period {
        let left = period.left_before_declaring();
        if !left.is_empty() {
            errors.push(
                "period_start",
                format!(
                    "You can declare this period complete once every other requirement holds; still to do: {}",
                    left.join("; ")
                ),
            );
        }
    }
    let Some(period) = period.filter(|_| errors.is_empty()) else {
        if errors.is_empty() {
            errors.push("period_start", "There is no period to declare yet");
        }
        return Err(AppError::Invalid(errors));
    };
    let new = NewDeclaration {
        person_id: user.person_id,
        policy_id: &body.policy,
        period_start: period.start,
        period_end: period.end,
        declared_on: today,
        statement,
        verifier,
    };
    let saved = super::changes::declare(&state.db, &new, state.clock.now()).await?;
    tracing::info!(person.id = %user.person_id, declaration.id = %saved.id, "period declared");
    Ok(saved)
}

/// `POST /api/v1/declarations/{id}/verify` and `/return`'s body.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
}

pub async fn decide(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    verify: bool,
    body: DecisionRequest,
) -> Result<declarations::Declaration, AppError> {
    let declaration = declarations::get(&state.db, id)
        .await?
        .filter(|d| d.verifier_id == Some(user.person_id))
        .ok_or(AppError::NotFound)?;
    let comment = body
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if !verify && comment.is_none() {
        return Err(AppError::field(
            "comment",
            "Say what is missing, so that they know what to do before declaring again",
        ));
    }
    if comment.is_some_and(|c| c.chars().count() > 2000) {
        return Err(AppError::field(
            "comment",
            "must be 2,000 characters or fewer",
        ));
    }
    if declaration.status != declarations::DeclarationStatus::AwaitingVerification {
        return Err(AppError::Conflict {
            message: format!("This declaration is already {}", declaration.status),
            current_version: None,
        });
    }
    if !super::changes::decide(
        &state.db,
        id,
        user.person_id,
        verify,
        comment,
        state.clock.today(),
        state.clock.now(),
    )
    .await?
    {
        return Err(AppError::Conflict {
            message: "This declaration was decided elsewhere first".into(),
            current_version: None,
        });
    }
    declarations::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}
