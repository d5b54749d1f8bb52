//! The learning record in the API: `/api/v1/me/entries` with the bin and evidence files, and
//! another person's entries (read-only, when allowed).

use super::Entry;
use super::evidence::store_evidence;
use super::params::parse_list_params;
use super::store::{self, Update};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::parse_id;
use crate::web::{ApiJson, AppError};
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use cairn_core::EntryDraft;
use std::collections::HashMap;

/// `GET /api/v1/me/entries?from&to&kind&topic&element&has_reflection&peer_reflection&q&deleted&limit&offset`
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

/// `POST /api/v1/me/entries`
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
pub async fn get_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    authorize(&user, Action::OwnRecord)?;
    let entry = store::get_entry(&state.db, user.person_id, parse_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(with_etag(StatusCode::OK, &entry))
}

/// `PUT /api/v1/me/entries/{id}`: replaces the entry if nobody changed it since the client
/// read it (`version` in the body, or `If-Match: "VERSION"`).
pub async fn update_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(draft): ApiJson<EntryDraft>,
) -> Result<Response, AppError> {
    authorize(&user, Action::OwnRecord)?;
    let id = parse_id(&id)?;
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
pub async fn delete_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    to_or_from_bin(&state, &user, &id, Bin::Put).await
}

/// `POST /api/v1/me/entries/{id}/restore`: undoes a delete within 30 days.
pub async fn restore_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    to_or_from_bin(&state, &user, &id, Bin::TakeOut).await
}

enum Bin {
    Put,
    TakeOut,
}

/// Moves one of the person's entries into the bin or out of it, and answers with it.
async fn to_or_from_bin(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    bin: Bin,
) -> Result<Response, AppError> {
    authorize(user, Action::OwnRecord)?;
    let id = parse_id(id)?;
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
pub async fn upload_evidence(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let file = store_evidence(&state, &user, &id, multipart).await?;
    Ok((StatusCode::CREATED, Json(file)).into_response())
}

/// `GET /api/v1/me/entries/{id}/evidence/{evidence_id}`: always a download, never rendered
/// inline, so that an uploaded file cannot run as a page of ours.
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

/// `DELETE /api/v1/me/entries/{id}/evidence/{evidence_id}`
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
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me/entries", get(list_entries).post(create_entry))
        .route(
            "/me/entries/{id}",
            get(get_entry).put(update_entry).delete(delete_entry),
        )
        .route("/me/entries/{id}/restore", post(restore_entry))
        .route("/people/{id}/entries", get(list_person_entries))
        .route(
            "/me/entries/{id}/evidence",
            post(upload_evidence).layer(DefaultBodyLimit::max(crate::web::MAX_UPLOAD_BODY)),
        )
        .route(
            "/me/entries/{id}/evidence/{evidence_id}",
            get(download_evidence).delete(delete_evidence),
        )
}

/// `GET /api/v1/people/{id}/entries`: the same filters as `/api/v1/me/entries`, read-only.
pub async fn list_person_entries(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let facts = crate::authz::facts(&state.db, parse_id(&id)?, state.clock.today()).await?;
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
