//! The record in the browser: My record (filters, search, paging), an entry's page (change,
//! bin, undo, evidence) and another person's record, read-only.

use super::evidence::store_evidence;
use super::params::parse_list_params;
use super::store::{self, Update};
use super::views::{CaptureForm, CaptureSubmission, ElementChoices, EntryLine};
use super::{Entry, EntryFilter};
use crate::app::AppState;
use crate::auth::CheckedForm;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::PageIdPath;
use crate::web::page::{Chrome, FormErrors, long_date, render};
use crate::web::{AppError, PageError};
use askama::Template;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use cairn_core::vocabulary;
use std::collections::HashMap;
use uuid::Uuid;

/// `POST /entries/{id}/evidence` from the entry page (a multipart form).
pub async fn upload_evidence_page(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(entry_id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    // The form's token travels in the query string, so it is checked before the body is read.
    if !crate::web::csrf::tokens_match(&user.csrf, params.get("csrf").map_or("", String::as_str)) {
        return Err(AppError::Forbidden.into());
    }
    match store_evidence(&state, &user, entry_id, multipart).await {
        Ok(_) => Ok(Redirect::to(&format!("/entries/{entry_id}?uploaded")).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::PayloadTooLarge(_))) => {
            let entry = store::get_entry(&state.db, user.person_id, entry_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let errors = FormErrors::one("file", error.detail());
            let page = entry_page(
                &state,
                &user,
                &entry,
                CaptureForm::from_entry(&entry),
                errors,
                None,
            )
            .await?;
            Ok((error.status(), render(&page)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "learning/record.html")]
struct RecordPage {
    chrome: Chrome,
    errors: FormErrors,
    q: String,
    from: String,
    to: String,
    kind: String,
    topic: String,
    has_reflection: String,
    peer_reflection: String,
    kinds: Vec<(&'static str, &'static str)>,
    topics: Vec<(&'static str, &'static str)>,
    total: i64,
    total_hours: String,
    entries: Vec<EntryLine>,
    query: String,
    previous_page: Option<i64>,
    next_page: Option<i64>,
}

/// Entries per page of My record.
const RECORD_PAGE: i64 = 50;

/// `GET /record`: my whole record, newest first, with filters, search and totals.
pub async fn show_record(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(mut params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    // Empty form fields mean "any"; only the list's own parameters are passed on.
    params.retain(|_, v| !v.trim().is_empty());
    params.insert("limit".into(), RECORD_PAGE.to_string());
    let (filter, errors) = match parse_list_params(&params) {
        Ok((filter, _, _)) => (filter, FormErrors::default()),
        Err(AppError::Invalid(errors)) => (EntryFilter::default(), FormErrors::from(errors)),
        Err(other) => return Err(other.into()),
    };
    let offset = params
        .get("offset")
        .and_then(|o| o.parse::<i64>().ok())
        .unwrap_or(0)
        .max(0);
    let page = store::list_entries(
        &state.db,
        user.person_id,
        &filter,
        RECORD_PAGE,
        offset,
        state.clock.now(),
    )
    .await?;
    let value = |key: &str| params.get(key).cloned().unwrap_or_default();
    let mut query = String::new();
    for key in [
        "q",
        "from",
        "to",
        "kind",
        "topic",
        "has_reflection",
        "peer_reflection",
    ] {
        if let Some(v) = params.get(key) {
            query.push_str(&format!(
                "{key}={}&",
                form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
            ));
        }
    }
    let entries = page.entries.iter().map(EntryLine::from_entry).collect();
    let view = RecordPage {
        chrome: user.chrome(),
        errors,
        q: value("q"),
        from: value("from"),
        to: value("to"),
        kind: value("kind"),
        topic: value("topic"),
        has_reflection: value("has_reflection"),
        peer_reflection: value("peer_reflection"),
        kinds: vocabulary::KINDS.to_vec(),
        topics: vocabulary::TOPICS.to_vec(),
        total: page.total,
        total_hours: page.total_hours.to_string(),
        entries,
        query,
        previous_page: (offset > 0).then(|| (offset - RECORD_PAGE).max(0)),
        next_page: (offset + RECORD_PAGE < page.total).then_some(offset + RECORD_PAGE),
    };
    Ok(render(&view))
}

#[derive(Template)]
#[template(path = "learning/entry.html")]
struct EntryPage {
    chrome: Chrome,
    heading: String,
    id: Uuid,
    notice: Option<&'static str>,
    deleted: bool,
    restore_until: String,
    /// (id, file name, size in words) of each evidence file.
    evidence: Vec<(String, String, String)>,
    version: String,
    form: CaptureForm,
    errors: FormErrors,
    open_details: bool,
    today: String,
    kinds: Vec<(&'static str, &'static str)>,
    recent_titles: Vec<String>,
    topic_suggestions: Vec<String>,
    elements: ElementChoices,
}

fn size_words(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{} KB", b / 1024),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

async fn entry_page(
    state: &AppState,
    user: &CurrentUser,
    entry: &Entry,
    form: CaptureForm,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> Result<EntryPage, AppError> {
    let elements = ElementChoices::for_person(state, user.person_id, &form.elements).await?;
    let restore_until = entry
        .deleted_at
        .map(|at| long_date((at + time::Duration::days(super::UNDO_DAYS)).date()))
        .unwrap_or_default();
    Ok(EntryPage {
        chrome: user.chrome(),
        heading: entry.title.clone(),
        id: entry.id,
        notice,
        deleted: entry.deleted_at.is_some(),
        restore_until,
        evidence: entry
            .evidence
            .iter()
            .map(|f| (f.id.to_string(), f.filename.clone(), size_words(f.size)))
            .collect(),
        version: form.version.clone(),
        form,
        errors,
        open_details: true,
        today: state.clock.today().to_string(),
        kinds: vocabulary::KINDS.to_vec(),
        recent_titles: Vec::new(),
        topic_suggestions: vocabulary::TOPICS
            .iter()
            .map(|(_, label)| (*label).to_owned())
            .collect(),
        elements,
    })
}

/// `GET /entries/{id}`: one entry, to read and change.
pub async fn show_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let entry = store::get_entry(&state.db, user.person_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let notice = if params.contains_key("saved") {
        Some("Your changes are saved.")
    } else if params.contains_key("uploaded") {
        Some("The file is attached.")
    } else if params.contains_key("restored") {
        Some("The entry is back in your record.")
    } else {
        None
    };
    Ok(render(
        &entry_page(
            &state,
            &user,
            &entry,
            CaptureForm::from_entry(&entry),
            FormErrors::default(),
            notice,
        )
        .await?,
    ))
}

/// `POST /entries/{id}`: saves changes unless someone saved first; then the person's changes
/// come back unsaved, with the newer version noted, so that nothing is silently overwritten.
pub async fn save_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    CheckedForm(CaptureSubmission(mut form)): CheckedForm<CaptureSubmission>,
) -> Result<Response, PageError> {
    let current = store::get_entry(&state.db, user.person_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let version: i64 = form.version.parse().unwrap_or(current.version);
    let entry = match form.to_draft().validate(state.clock.today()) {
        Ok(entry) => entry,
        Err(errors) => {
            let page = entry_page(&state, &user, &current, form, errors.into(), None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response());
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
        Update::Saved(_) => Ok(Redirect::to(&format!("/entries/{id}?saved")).into_response()),
        Update::Conflict(newer) => {
            form.version = newer.version.to_string();
            let message = "This entry was changed in another tab or on another device after you opened it. \
                           Your changes below are not saved yet: check them, then save again to replace the other version.";
            let errors = FormErrors::one("title", message);
            let page = entry_page(&state, &user, &newer, form, errors, None).await?;
            Ok((StatusCode::CONFLICT, render(&page)).into_response())
        }
        Update::NotFound => Err(AppError::NotFound.into()),
    }
}

/// `POST /entries/{id}/delete`: to the bin; the entry page then offers Undo.
pub async fn delete_entry_page(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    CheckedForm(_form): CheckedForm<crate::web::csrf::CsrfForm>,
) -> Result<Response, PageError> {
    // Pressed twice, the entry is already in the bin: its page says so. Someone else's, or
    // none at all, is not found.
    if !store::delete_entry(&state.db, user.person_id, id, state.clock.now()).await?
        && store::get_entry(&state.db, user.person_id, id)
            .await?
            .is_none()
    {
        return Err(AppError::NotFound.into());
    }
    Ok(Redirect::to(&format!("/entries/{id}")).into_response())
}

/// `POST /entries/{id}/restore`: undo a delete.
pub async fn restore_entry_page(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
    CheckedForm(_form): CheckedForm<crate::web::csrf::CsrfForm>,
) -> Result<Response, PageError> {
    if !store::restore_entry(&state.db, user.person_id, id, state.clock.now()).await? {
        return Err(AppError::NotFound.into());
    }
    Ok(Redirect::to(&format!("/entries/{id}?restored")).into_response())
}

/// This feature's pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/record", get(show_record))
        .route("/people/{id}", get(show_person_record))
        .route("/record.csv", get(super::export::export_record_csv))
        .route("/record.pdf", get(super::export::export_record_pdf))
        .route("/entries/{id}", get(show_entry).post(save_entry))
        .route("/entries/{id}/delete", post(delete_entry_page))
        .route(
            "/entries/{id}/evidence",
            post(upload_evidence_page).layer(DefaultBodyLimit::max(crate::web::MAX_UPLOAD_BODY)),
        )
        .route("/entries/{id}/restore", post(restore_entry_page))
}

struct ReadOnlyEntry {
    title: String,
    when: String,
    kind: String,
    hours: String,
    reflection: Vec<(&'static str, String)>,
}

#[derive(askama::Template)]
#[template(path = "people/record.html")]
struct PersonRecordPage {
    chrome: crate::web::page::Chrome,
    name: String,
    total: i64,
    total_hours: String,
    entries: Vec<ReadOnlyEntry>,
}

/// `GET /people/{id}`: another person's record, read-only, for those allowed to see it.
pub async fn show_person_record(
    State(state): State<AppState>,
    user: CurrentUser,
    PageIdPath(id): PageIdPath,
) -> Result<Response, crate::web::PageError> {
    let facts = crate::authz::facts(&state.db, id, state.clock.today()).await?;
    authorize(&user, Action::ReadRecordOf(&facts))?;
    let person = crate::people::service::get_person(&state.db, facts.person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = crate::learning::store::list_entries(
        &state.db,
        facts.person_id,
        &Default::default(),
        200,
        0,
        state.clock.now(),
    )
    .await?;
    let entries = page
        .entries
        .iter()
        .map(|e| {
            let reflection = [
                ("What happened:", &e.reflection),
                ("So what:", &e.reflection_so_what),
                ("Now what:", &e.reflection_now_what),
            ]
            .into_iter()
            .filter_map(|(prompt, text)| text.clone().map(|t| (prompt, t)))
            .collect();
            ReadOnlyEntry {
                title: e.title.clone(),
                when: cairn_core::long_date(e.date),
                kind: cairn_core::vocabulary::label(cairn_core::vocabulary::KINDS, &e.kind)
                    .unwrap_or("Other")
                    .to_owned(),
                hours: e.hours.words(),
                reflection,
            }
        })
        .collect();
    let view = PersonRecordPage {
        chrome: user.chrome(),
        name: person.name,
        total: page.total,
        total_hours: page.total_hours.to_string(),
        entries,
    };
    Ok(crate::web::page::render(&view))
}
