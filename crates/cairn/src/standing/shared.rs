//! What the standing API and pages both do: the compliance report as the user may see it (the
//! whole organisation, or only their supervisees).

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::AppError;

/// The report as this person may see it: everyone for organisation-wide roles, their
/// supervisees for a supervisor; filtered, sorted by days left and summarised.
pub async fn visible_report(
    state: &AppState,
    user: &CurrentUser,
    org_id: uuid::Uuid,
    query: &super::report::ComplianceQuery,
) -> Result<super::report::ComplianceReport, AppError> {
    // Today's is read from the kept standing; another day's (or today's before the daily
    // pass has run) is judged on request.
    let kept = if query.as_of == state.clock.today() {
        super::kept::org_report(&state.db, org_id, query.as_of).await?
    } else {
        None
    };
    let mut report = match kept {
        Some((mut report, computed_at)) => {
            report.computed_at = Some(computed_at);
            report
        }
        None => {
            super::report::compliance(
                &state.db,
                org_id,
                query.as_of,
                &cairn_core::policy::builtin::all(),
            )
            .await?
        }
    };
    let org_wide = user.reads_org_wide(org_id);
    if !org_wide {
        let supervisees =
            crate::people::service::supervisees_of(&state.db, user.person_id, org_id).await?;
        report
            .rows
            .retain(|row| supervisees.contains(&row.person_id));
    }
    query.apply(&mut report);
    Ok(report)
}
