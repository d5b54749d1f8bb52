//! The learning record in the API: `/api/v1/me/entries` with the bin and evidence files, and
//! another person's entries (read-only, when allowed).

use super::Entry;
use super::evidence::store_evidence;
use super::params::parse_list_params;
use super::store::{self, Update};
use super::{EntryPage, EvidenceFile};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::IdPath;
use crate::web::openapi::{Hidden, Invalid, Malformed, SignedOut};
use crate::web::parse_id;
use crate::web::{ApiJson, AppError};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use cairn_core::EntryDraft;
use std::collections::HashMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[utoipa::path(
    get, path = "/me/entries", tag = "learning", operation_id = "list_entries", params(("from" = Option<time::Date>, Query, description = "Entries on or after this date"), ("to" = Option<time::Date>, Query, description = "Entries on or before this date"), ("kind" = Option<String>, Query, description = "One kind of learning"), ("topic" = Option<String>, Query, description = "A topic id or free tag"), ("element" = Option<String>, Query, description = "A framework element id"), ("has_reflection" = Option<bool>, Query, description = "Only entries with (true) or without (false) a reflection"), ("peer_reflection" = Option<bool>, Query, description = "Only entries discussed with a peer (true) or not (false)"), ("q" = Option<String>, Query, description = "Words to find in titles and reflections (case-insensitive)"), ("deleted" = Option<bool>, Query, description = "The bin: deleted entries that can still be restored (own record only)"), ("limit" = Option<i64>, Query, description = "Entries per page (0-500, default 50)"), ("offset" = Option<i64>, Query, description = "Entries to skip")),
    summary = "List my entries, newest first, with totals for the filter",
    responses((status = 200, description = "A page of entries", body = EntryPage), SignedOut, Invalid),
)]
pub async fn list_entries(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    authorize(&user, Action::OwnRecord)?;
    let (filter, limit, offset) = parse_list_params(&params)?;
    let page = store::list_entries(
        &state.db,
        user.person_id,
        &filter,
        limit,
        offset,
        state.clock.now(),
    )
    .await?;
    Ok(Json(page).into_response())
}

fn with_etag(status: StatusCode, entry: &Entry) -> Response {
    let mut response = (status, Json(entry)).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("\"{}\"", entry.version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

#[utoipa::path(
    post, path = "/me/entries", tag = "learning", operation_id = "create_entry", request_body = EntryDraft,
    summary = "Record a piece of learning",
    responses((status = 201, description = "The saved entry (Location and ETag headers set)", body = Entry),
        Malformed, SignedOut, Invalid, (status = 415, description = "Not JSON")),
)]
pub async fn create_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(draft): ApiJson<EntryDraft>,
) -> Result<Response, AppError> {
    authorize(&user, Action::OwnRecord)?;
    let entry = draft.validate(state.clock.today())?;
    let saved = store::insert_entry(&state.db, user.person_id, &entry, state.clock.now()).await?;
    tracing::info!(person.id = %user.person_id, entry.id = %saved.id, "entry recorded");
    let mut response = with_etag(StatusCode::CREATED, &saved);
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/me/entries/{}", saved.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// `GET /api/v1/me/entries/{id}` (also finds entries in the bin).
#[utoipa::path(
    get, path = "/me/entries/{id}", tag = "learning", operation_id = "get_entry", params(IdPath),
    summary = "One of my entries (also from the bin)",
    responses((status = 200, description = "The entry; ETag is its version", body = Entry), SignedOut, Hidden),
)]
pub async fn get_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response, AppError> {
    authorize(&user, Action::OwnRecord)?;
    let entry = store::get_entry(&state.db, user.person_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(with_etag(StatusCode::OK, &entry))
}

/// `PUT /api/v1/me/entries/{id}`: replaces the entry if nobody changed it since the client
/// read it (`version` in the body, or `If-Match: "VERSION"`).
#[utoipa::path(
    put, path = "/me/entries/{id}", tag = "learning", operation_id = "update_entry", params(IdPath, ("If-Match" = Option<String>, Header, description = "The version you read, e.g. \"3\" (or send `version` in the body)")), request_body = EntryDraft,
    summary = "Replace an entry, if nobody changed it since you read it",
    responses((status = 200, description = "The saved entry", body = Entry), SignedOut, Hidden, Invalid,
        (status = 409, description = "Changed by someone else first")),
)]
pub async fn update_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    headers: HeaderMap,
    ApiJson(draft): ApiJson<EntryDraft>,
) -> Result<Response, AppError> {
    authorize(&user, Action::OwnRecord)?;
    let if_match = headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().trim_matches('"').parse::<i64>().ok());
    let entry = draft.validate(state.clock.today());
    let version = draft.version.or(if_match);
    let (entry, version) = match (entry, version) {
        (Ok(entry), Some(version)) => (entry, version),
        (entry, version) => {
            let mut errors = entry.err().unwrap_or_default();
            if version.is_none() {
                errors.push("version", "Send the version you last read (in the body, or as If-Match), so that nobody's changes are overwritten");
            }
            return Err(AppError::Invalid(errors));
        }
    };
    match store::update_entry(
        &state.db,
        user.person_id,
        id,
        version,
        &entry,
        state.clock.now(),
    )
    .await?
    {
        Update::Saved(saved) => Ok(with_etag(StatusCode::OK, &saved)),
        Update::Conflict(current) => Err(AppError::Conflict {
            message: format!(
                "This entry was changed elsewhere (it is now at version {}, you edited version {version}). Nothing was saved: reload it, then make your change again.",
                current.version
            ),
            current_version: Some(current.version),
        }),
        Update::NotFound => Err(AppError::NotFound),
    }
}

/// `DELETE /api/v1/me/entries/{id}`: moves the entry to the bin, restorable for 30 days.
#[utoipa::path(
    delete, path = "/me/entries/{id}", tag = "learning", operation_id = "delete_entry", params(IdPath),
    summary = "Move an entry to the bin (restorable for 30 days)",
    responses((status = 200, description = "The entry, with deleted_at", body = Entry), SignedOut, Hidden),
)]
pub async fn delete_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response, AppError> {
    to_or_from_bin(&state, &user, id, Bin::Put).await
}

/// `POST /api/v1/me/entries/{id}/restore`: undoes a delete within 30 days.
#[utoipa::path(
    post, path = "/me/entries/{id}/restore", tag = "learning", operation_id = "restore_entry", params(IdPath),
    summary = "Take an entry out of the bin",
    responses((status = 200, description = "The restored entry", body = Entry), SignedOut, Hidden),
)]
pub async fn restore_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response, AppError> {
    to_or_from_bin(&state, &user, id, Bin::TakeOut).await
}

enum Bin {
    Put,
    TakeOut,
}

/// Moves one of the person's entries into the bin or out of it, and answers with it.
async fn to_or_from_bin(
    state: &AppState,
    user: &CurrentUser,
    id: uuid::Uuid,
    bin: Bin,
) -> Result<Response, AppError> {
    authorize(user, Action::OwnRecord)?;
    let (person, now) = (user.person_id, state.clock.now());
    let moved = match bin {
        Bin::Put => store::delete_entry(&state.db, person, id, now).await?,
        Bin::TakeOut => store::restore_entry(&state.db, person, id, now).await?,
    };
    if !moved {
        return Err(AppError::NotFound);
    }
    let entry = store::get_entry(&state.db, person, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(with_etag(StatusCode::OK, &entry))
}

/// `POST /api/v1/me/entries/{id}/evidence` (multipart, one part named `file`).
#[utoipa::path(
    post, path = "/me/entries/{id}/evidence", tag = "learning", operation_id = "upload_evidence", params(IdPath),
    summary = "Attach an evidence file (at most 20 MB; PDF, images, text or office documents, checked by content)",
    request_body(content = super::evidence::EvidenceUpload, content_type = "multipart/form-data"),
    responses((status = 201, description = "The stored file", body = EvidenceFile), SignedOut, Hidden,
        Invalid, (status = 413, description = "Too large")),
)]
pub async fn upload_evidence(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let file = store_evidence(&state, &user, id, multipart).await?;
    Ok((StatusCode::CREATED, Json(file)).into_response())
}

/// `GET /api/v1/me/entries/{id}/evidence/{evidence_id}`: always a download, never rendered
/// inline, so that an uploaded file cannot run as a page of ours.
#[utoipa::path(
    get, path = "/me/entries/{id}/evidence/{evidence_id}", tag = "learning", operation_id = "download_evidence", params(IdPath, ("evidence_id" = uuid::Uuid, Path, description = "An id (UUID)")),
    summary = "Download an evidence file (always as an attachment)",
    responses((status = 200, description = "The file's bytes, as a download", body = [u8], content_type = "application/octet-stream"),
        SignedOut, Hidden),
)]
pub async fn download_evidence(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, evidence_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    authorize(&user, Action::OwnRecord)?;
    let file = store::get_evidence(
        &state.db,
        user.person_id,
        parse_id(&id)?,
        parse_id(&evidence_id)?,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let bytes = state.evidence.read(file.id).await?;
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_fallback(&file.filename),
        percent_encode(&file.filename)
    );
    let headers = [
        (header::CONTENT_TYPE, file.content_type.clone()),
        (header::CONTENT_DISPOSITION, disposition),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        (
            header::CONTENT_SECURITY_POLICY,
            "sandbox; default-src 'none'".to_owned(),
        ),
        (header::CACHE_CONTROL, "private, no-store".to_owned()),
    ];
    Ok((headers, bytes).into_response())
}

#[utoipa::path(
    delete, path = "/me/entries/{id}/evidence/{evidence_id}", tag = "learning", operation_id = "delete_evidence", params(IdPath, ("evidence_id" = uuid::Uuid, Path, description = "An id (UUID)")),
    summary = "Remove an evidence file",
    responses((status = 204, description = "Removed"), SignedOut, Hidden),
)]
pub async fn delete_evidence(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, evidence_id)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    authorize(&user, Action::OwnRecord)?;
    let entry_id = parse_id(&id)?;
    let file = store::get_evidence(&state.db, user.person_id, entry_id, parse_id(&evidence_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    store::delete_evidence(&state.db, entry_id, file.id).await?;
    state.evidence.remove(file.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn ascii_fallback(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// RFC 5987 encoding for `filename*`.
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_entries, create_entry))
        .routes(routes!(get_entry, update_entry, delete_entry))
        .routes(routes!(restore_entry))
        .routes(routes!(list_person_entries))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_evidence))
                .layer(DefaultBodyLimit::max(crate::web::MAX_UPLOAD_BODY)),
        )
        .routes(routes!(download_evidence, delete_evidence))
}

/// `GET /api/v1/people/{id}/entries`: the same filters as `/api/v1/me/entries`, read-only.
#[utoipa::path(
    get, path = "/people/{id}/entries", tag = "people", operation_id = "list_person_entries", params(IdPath, ("from" = Option<time::Date>, Query, description = "Entries on or after this date"), ("to" = Option<time::Date>, Query, description = "Entries on or before this date"), ("kind" = Option<String>, Query, description = "One kind of learning"), ("topic" = Option<String>, Query, description = "A topic id or free tag"), ("element" = Option<String>, Query, description = "A framework element id"), ("has_reflection" = Option<bool>, Query, description = "Only entries with (true) or without (false) a reflection"), ("peer_reflection" = Option<bool>, Query, description = "Only entries discussed with a peer (true) or not (false)"), ("q" = Option<String>, Query, description = "Words to find in titles and reflections (case-insensitive)"), ("deleted" = Option<bool>, Query, description = "The bin: deleted entries that can still be restored (own record only)"), ("limit" = Option<i64>, Query, description = "Entries per page (0-500, default 50)"), ("offset" = Option<i64>, Query, description = "Entries to skip")),
    summary = "Another person's entries, read-only, with the same filters",
    responses((status = 200, description = "A page of entries", body = EntryPage), SignedOut, Hidden, Invalid),
)]
pub async fn list_person_entries(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let facts = crate::authz::facts(&state.db, id, state.clock.today()).await?;
    authorize(&user, Action::ReadRecordOf(&facts))?;
    let (filter, limit, offset) = parse_list_params(&params)?;
    if filter.deleted && facts.person_id != user.person_id {
        return Err(AppError::field(
            "deleted",
            "Only the record's owner can see their bin",
        ));
    }
    let page = crate::learning::store::list_entries(
        &state.db,
        facts.person_id,
        &filter,
        limit,
        offset,
        state.clock.now(),
    )
    .await?;
    Ok(Json(page).into_response())
}
