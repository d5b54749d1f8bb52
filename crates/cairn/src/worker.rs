//! The background worker every serving instance runs: it claims the next queued job and
//! hands it to the feature whose work it is (`people::import::run_job`, `record::run_job`).

use crate::app::AppState;
use crate::db::jobs::{self, Claimed, JobKind, MAX_ATTEMPTS};
use std::time::Duration;

/// How often an idle worker looks for a job queued by another instance.
const POLL: Duration = Duration::from_secs(2);

/// Starts this instance's worker: it runs queued jobs one at a time, oldest first.
pub fn spawn_worker(state: AppState) {
    tokio::spawn(async move {
        loop {
            match run_next(&state).await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(error) => {
                    tracing::error!(
                        error = format!("{error:#}"),
                        "the job worker failed; retrying"
                    )
                }
            }
            tokio::select! {
                _ = state.jobs.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    });
}

/// Runs the next job, if any is waiting; `true` when one ran (and another may be waiting).
pub async fn run_next(state: &AppState) -> anyhow::Result<bool> {
    let Some(job) = jobs::claim_next(&state.db, state.clock.now()).await? else {
        return Ok(false);
    };
    if job.attempts > MAX_ATTEMPTS {
        let message = format!(
            "This import was interrupted {MAX_ATTEMPTS} times and has been stopped. What was \
             applied before it stopped is kept; send the file again to finish it."
        );
        jobs::finish(&state.db, &job, Err(&message), state.clock.now()).await?;
        return Ok(true);
    }
    tracing::info!(job.id = %job.id, job.kind = job.kind, job.done = job.done, job.total = job.total, "job started");
    match run(state, &job).await {
        Ok(true) => tracing::info!(job.id = %job.id, "job finished"),
        Ok(false) => tracing::warn!(job.id = %job.id, "job taken over by another worker"),
        Err(error) => {
            // Back in the queue at once (not after the lease) so a passing fault costs seconds.
            tracing::error!(job.id = %job.id, error = format!("{error:#}"), "job failed; it will be tried again");
            jobs::release(&state.db, &job).await?;
            // Wait a poll before trying again, so a database that is down is not hammered.
            return Ok(false);
        }
    }
    Ok(true)
}

async fn run(state: &AppState, job: &Claimed) -> anyhow::Result<bool> {
    let held = match JobKind::parse(&job.kind) {
        Some(JobKind::PeopleFeed) => {
            let held = crate::people::import::run_job(&state.db, job, &state.clock).await?;
            // The feed may have changed anyone's roles.
            state.sessions.clear();
            held
        }
        Some(JobKind::RecordImport) => crate::record::run_job(&state.db, job, &state.clock).await?,
        None => {
            let message = format!(
                "cairn does not know how to run a job of kind `{}`",
                job.kind
            );
            jobs::finish(&state.db, job, Err(&message), state.clock.now()).await?
        }
    };
    Ok(held)
}
