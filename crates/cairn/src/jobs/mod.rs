//! Queued work as people see it: the 202 answer that points at a job, who may see one, and
//! the API that shows how it stands. The queue itself is plumbing (`db::jobs`); the worker
//! that runs jobs sits at the top of the tree (`worker.rs`), since it calls the features.

pub mod api;

use crate::app::AppState;

use crate::auth::CurrentUser;

use crate::db::jobs::{self, Job};

use crate::web::AppError;

use axum::http::{StatusCode, header};

use axum::response::{IntoResponse, Json, Response};

use cairn_core::Role;

use serde_json::Value;

/// Who may follow a job: whoever asked for it, the person whose record it fills, and for an
/// HR feed the organisation's administrators. Anyone else is told it does not exist.
pub fn may_see(user: &CurrentUser, job: &Job) -> bool {
    job.requested_by == Some(user.person_id)
        || job.person_id == Some(user.person_id)
        || job
            .org_id
            .is_some_and(|org| user.has_role(org, Role::OrgAdmin))
}

/// The API's answer when a request's work was queued as job `id`: `202 Accepted`, where to
/// follow it, and how it stands. Wakes this instance's worker.
pub async fn accepted(state: &AppState, id: uuid::Uuid) -> Result<Response, AppError> {
    state.jobs.notify_one();
    let job = jobs::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, format!("/api/v1/jobs/{id}"))],
        Json(JobStatus::of(&job)),
    )
        .into_response())
}

/// A job as the API shows it: where it stands and, once done, its report.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct JobStatus {
    job: Job,
    /// How much is done, 0 to 100.
    percent: i64,
    /// Once done: the report of the work (an import's report).
    #[schema(value_type = Option<Object>)]
    report: Option<Value>,
}

impl JobStatus {
    pub fn of(job: &Job) -> JobStatus {
        let report = job
            .report
            .as_deref()
            .and_then(|text| serde_json::from_str::<Value>(text).ok());
        JobStatus {
            job: job.clone(),
            percent: job.percent(),
            report,
        }
    }
}
