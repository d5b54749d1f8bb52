//! `GET /api/v1/me/record` (export) and `POST /api/v1/me/record` (import).

use super::ImportError;
use super::ImportReport;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::db::jobs;
use crate::jobs::JobStatus;
use crate::web::AppError;
use crate::web::openapi::{Invalid, Malformed, SignedOut};
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Json, Response};
use cairn_core::record::Record;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// `GET /api/v1/me/record`: the whole record as a download.
#[utoipa::path(
    get, path = "/me/record", tag = "record", operation_id = "export_record",
    summary = "Export my whole record as cairn-record/1",
    responses((status = 200, description = "The portable record, as a download", body = Record), SignedOut),
)]
pub async fn export_record(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    authorize(&user, Action::OwnRecord)?;
    let record = super::export(
        &state.db,
        user.person_id,
        state.clock.today(),
        state.clock.now(),
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let filename = format!(
        "attachment; filename=\"cairn-record-{}.json\"",
        state.clock.today()
    );
    Ok(([(header::CONTENT_DISPOSITION, filename)], Json(record)).into_response())
}

/// `POST /api/v1/me/record`: adds a `cairn-record/1` file's entries to the record.
#[utoipa::path(
    post, path = "/me/record", tag = "record", operation_id = "import_record", request_body = Record,
    summary = "Import a cairn-record/1 file's entries (idempotent: entries keep their ids)",
    responses((status = 200, description = "What was added (records of up to 2,000 entries)", body = ImportReport),
        (status = 202, description = "More than 2,000 entries: checked, queued as a background job; follow it at the Location given (GET /api/v1/jobs/{id})", body = JobStatus),
        Malformed, SignedOut, Invalid),
)]
pub async fn import_record(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Bytes,
) -> Result<Response, AppError> {
    authorize(&user, Action::OwnRecord)?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| AppError::BadRequest("The record must be UTF-8 JSON".into()))?;
    let record = cairn_core::record::parse(text)
        .map_err(|error| AppError::field(&error.path, error.message))?;
    let outcome = if record.entries.len() > super::JOB_ENTRIES {
        // Checked now, so a bad file is refused at once; stored by the job worker.
        match super::check(&state.db, user.person_id, &record, state.clock.today()).await {
            Ok(_) => {
                let job = jobs::NewJob {
                    kind: jobs::JobKind::RecordImport,
                    org_id: None,
                    person_id: Some(user.person_id),
                    requested_by: Some(user.person_id),
                    label: "Portable record",
                    input: text,
                    total: 1,
                };
                let id = jobs::enqueue(&state.db, &job, state.clock.now()).await?;
                return crate::jobs::accepted(&state, id).await;
            }
            Err(error) => Err(error),
        }
    } else {
        super::import(
            &state.db,
            user.person_id,
            &record,
            state.clock.today(),
            state.clock.now(),
        )
        .await
    };
    match outcome {
        Ok(report) => Ok(Json(report).into_response()),
        Err(ImportError::Invalid(errors)) => Err(AppError::Invalid(errors)),
        Err(ImportError::Database(error)) => Err(error.into()),
    }
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export_record, import_record))
        .layer(DefaultBodyLimit::max(crate::web::MAX_IMPORT_BODY))
}
