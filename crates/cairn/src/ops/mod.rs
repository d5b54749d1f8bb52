//! Operations: liveness and readiness for load balancers and orchestrators, and the
//! background housekeeping every instance runs (all of it idempotent, so several instances
//! running it at once do no harm).

use crate::app::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json};
use serde_json::json;
use std::time::Duration;

/// `GET /healthz`: the process is up.
pub async fn healthz() -> impl IntoResponse {
    Json(json!({"status": "ok"}))
}

/// `GET /readyz`: the database answers.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if state.db.ping().await {
        (
            StatusCode::OK,
            Json(json!({"status": "ready", "database": state.db.backend()})),
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "unavailable", "database": state.db.backend()})),
        )
    }
}

/// Empties the bin of entries past their undo time (with their evidence files), removes
/// expired sessions and tells supervisors of evaluation follow-ups now due. Returns how many
/// entries were purged.
pub async fn housekeeping(state: &AppState) -> anyhow::Result<usize> {
    let now = state.clock.now();
    let mut purged = 0;
    loop {
        let batch = crate::learning::store::purgeable_entries(&state.db, now).await?;
        if batch.is_empty() {
            break;
        }
        for (entry_id, files) in batch {
            crate::learning::store::purge_entry(&state.db, entry_id).await?;
            for file in files {
                state.evidence.remove(file.id).await?;
            }
            purged += 1;
        }
    }
    let sessions = crate::auth::store::delete_expired_sessions(&state.db, now).await?;
    crate::auth::store::forget_stale(&state.db, now).await?;
    crate::auth::store::forget_stale_keys(&state.db, now - crate::auth::idempotency::KEPT_FOR)
        .await?;
    let follow_ups =
        crate::evaluation::store::send_due_follow_ups(&state.db, state.clock.today(), now).await?;
    // Once a day per person (the digest records the day), when an SMTP relay is configured.
    if state.config.mail.is_some() {
        crate::reminders::digest::send_digests(state).await?;
    }
    tracing::info!(
        entries.purged = purged,
        sessions.expired = sessions,
        follow_ups.sent = follow_ups,
        "housekeeping done"
    );
    Ok(purged)
}

/// How often the server looks whether the date has moved on past the kept standing.
const STANDING_CHECK: Duration = Duration::from_secs(300);

/// Keeps everyone's standing for today: at start and whenever the date has moved on since
/// the last pass, the whole register is judged again (statuses change with the date alone).
pub fn spawn_daily_standing(state: AppState) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(STANDING_CHECK);
        loop {
            interval.tick().await;
            match crate::standing::service::move_on(&state.db, state.clock.now()).await {
                Ok(Some(pass)) => tracing::info!(
                    people = pass.people,
                    lines = pass.lines,
                    drifted = pass.drifted,
                    seconds = pass.seconds,
                    "{}",
                    pass.describe()
                ),
                Ok(None) => {}
                Err(error) => tracing::error!(
                    error = format!("{error:#}"),
                    "the daily standing pass failed; it will be tried again"
                ),
            }
        }
    });
}

/// Runs [`housekeeping`] now and then hourly until the process stops.
pub fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(3600));
        loop {
            interval.tick().await;
            if let Err(error) = housekeeping(&state).await {
                tracing::error!(
                    error = format!("{error:#}"),
                    "housekeeping failed; will retry in an hour"
                );
            }
        }
    });
}
