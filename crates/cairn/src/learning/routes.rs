//! The learning record's routes: the JSON API under `/api/v1/me/entries` and the home page.

use super::evidence::describe;
use super::store::{self, Update};
use super::{Entry, EntryFilter};
use crate::app::AppState;
use crate::auth::{CurrentUser, MaybeUser};
use crate::authz::{Action, authorize};
use crate::web::page::{Chrome, FormErrors, long_date, render};
use crate::web::parse_id;
use crate::web::{ApiJson, AppError, PageError};
use askama::Template;
use axum::Form;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Json, Redirect, Response};
use cairn_core::entry::parse_iso_date;
use cairn_core::{EntryDraft, FieldErrors, vocabulary};
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

/// The most entries one page of the API returns.
pub const MAX_LIMIT: i64 = 500;
const DEFAULT_LIMIT: i64 = 50;

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

/// Reads the list's query string, naming each bad parameter.
pub fn parse_list_params(
    params: &HashMap<String, String>,
) -> Result<(EntryFilter, i64, i64), AppError> {
    const KNOWN: &[&str] = &[
        "from",
        "to",
        "kind",
        "topic",
        "element",
        "has_reflection",
        "peer_reflection",
        "q",
        "deleted",
        "limit",
        "offset",
    ];
    let mut errors = FieldErrors::default();
    for key in params.keys().filter(|k| !KNOWN.contains(&k.as_str())) {
        errors.push(
            key.as_str(),
            format!("is not a filter; use one of: {}", KNOWN.join(", ")),
        );
    }
    let value = |key: &str| params.get(key).map(|v| v.trim()).filter(|v| !v.is_empty());
    let mut date = |key: &str| {
        value(key).and_then(|text| {
            let parsed = parse_iso_date(text);
            if parsed.is_none() {
                errors.push(key, format!("`{text}` is not a date: write YYYY-MM-DD"));
            }
            parsed
        })
    };
    let from = date("from");
    let to = date("to");
    let mut flag = |key: &str| match value(key) {
        None => None,
        // Only the documented spellings: `deleted=yes` is not quietly read as the bin.
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(other) => {
            errors.push(key, format!("`{other}` must be true or false"));
            None
        }
    };
    let has_reflection = flag("has_reflection");
    let peer_reflection = flag("peer_reflection");
    let deleted = flag("deleted").unwrap_or(false);
    let mut number = |key: &str, default: i64, max: i64| match value(key).map(str::parse::<i64>) {
        None => default,
        Some(Ok(n)) if (0..=max).contains(&n) => n,
        Some(_) => {
            errors.push(key, format!("must be a whole number from 0 to {max}"));
            default
        }
    };
    let limit = number("limit", DEFAULT_LIMIT, MAX_LIMIT);
    let offset = number("offset", 0, i64::MAX / 2);
    let kind = value("kind").map(str::to_owned);
    if let Some(kind) = &kind
        && let Err(message) = vocabulary::check(vocabulary::KINDS, kind)
    {
        errors.push("kind", message);
    }
    let slug = |key: &str, errors: &mut FieldErrors| {
        value(key).and_then(|text| match vocabulary::slug(text) {
            Ok(slug) => Some(slug),
            Err(message) => {
                errors.push(key, message);
                None
            }
        })
    };
    let topic = slug("topic", &mut errors);
    let element = slug("element", &mut errors);
    let text = value("q").map(|q| q.chars().take(200).collect());
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let filter = EntryFilter {
        from,
        to,
        kind,
        topic,
        element,
        has_reflection,
        peer_reflection,
        text,
        deleted,
    };
    Ok((filter, limit, offset))
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
    authorize(&user, Action::OwnRecord)?;
    let id = parse_id(&id)?;
    if !store::delete_entry(&state.db, user.person_id, id, state.clock.now()).await? {
        return Err(AppError::NotFound);
    }
    let entry = store::get_entry(&state.db, user.person_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(with_etag(StatusCode::OK, &entry))
}

/// `POST /api/v1/me/entries/{id}/restore`: undoes a delete within 30 days.
pub async fn restore_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    authorize(&user, Action::OwnRecord)?;
    let id = parse_id(&id)?;
    if !store::restore_entry(&state.db, user.person_id, id, state.clock.now()).await? {
        return Err(AppError::NotFound);
    }
    let entry = store::get_entry(&state.db, user.person_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(with_etag(StatusCode::OK, &entry))
}

/// The most files one entry may carry.
pub const MAX_FILES_PER_ENTRY: i64 = 20;

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

/// Checks and stores one uploaded file for one of the person's entries (the API and the
/// entry page share it). Nothing is stored unless everything about the file is right.
async fn store_evidence(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<super::EvidenceFile, AppError> {
    authorize(user, Action::OwnRecord)?;
    let entry_id = parse_id(id)?;
    let entry = store::get_entry(&state.db, user.person_id, entry_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if entry.deleted_at.is_some() {
        return Err(AppError::NotFound);
    }
    if store::count_evidence(&state.db, entry_id).await? >= MAX_FILES_PER_ENTRY {
        return Err(AppError::field(
            "file",
            format!("An entry can have at most {MAX_FILES_PER_ENTRY} files"),
        ));
    }
    // Only once the entry is known to be theirs is the body's shape worth reporting.
    let mut multipart = multipart.map_err(|_| {
        AppError::field(
            "file",
            "Send the file as multipart/form-data, in a part named `file`",
        )
    })?;
    let too_large = || {
        AppError::PayloadTooLarge("The file is larger than 20 MB. Upload a smaller file, or a photo at a lower resolution.".into())
    };
    let mut upload = None;
    while let Some(field) = multipart.next_field().await.map_err(|_| too_large())? {
        if field.name() == Some("file") {
            let filename = field.file_name().unwrap_or("evidence").to_owned();
            let bytes = field.bytes().await.map_err(|_| too_large())?;
            upload = Some((filename, bytes));
        }
    }
    let Some((filename, bytes)) = upload else {
        return Err(AppError::field(
            "file",
            "Choose a file to upload (a multipart part named `file`)",
        ));
    };
    let file = describe(entry_id, &filename, &bytes).map_err(|message| {
        if bytes.len() > cairn_core::evidence::MAX_EVIDENCE_BYTES {
            too_large()
        } else {
            AppError::field("file", message)
        }
    })?;
    let kept = store::evidence_bytes_of(&state.db, user.person_id).await?;
    if kept + file.size > cairn_core::evidence::MAX_EVIDENCE_BYTES_PER_PERSON {
        let mb = |bytes: i64| (bytes + 1024 * 1024 - 1) / (1024 * 1024);
        return Err(AppError::field(
            "file",
            format!(
                "Your evidence files already take {} MB of the {} MB each person can keep, and this one ({} MB) would go over. Remove files you no longer need from older entries, then upload it again.",
                mb(kept),
                mb(cairn_core::evidence::MAX_EVIDENCE_BYTES_PER_PERSON),
                mb(file.size)
            ),
        ));
    }
    state.evidence.write(file.id, &bytes).await?;
    if let Err(error) = store::insert_evidence(&state.db, &file, state.clock.now()).await {
        // Keep disk and database in step: no orphaned bytes.
        let _ = state.evidence.remove(file.id).await;
        return Err(error.into());
    }
    tracing::info!(person.id = %user.person_id, entry.id = %entry_id, evidence.id = %file.id, evidence.size = file.size, "evidence stored");
    Ok(file)
}

/// `POST /entries/{id}/evidence` from the entry page (a multipart form).
pub async fn upload_evidence_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let entry_id = parse_id(&id)?;
    // The form's token travels in the query string, so it is checked before the body is read.
    if !crate::web::csrf::tokens_match(&user.csrf, params.get("csrf").map_or("", String::as_str)) {
        return Err(AppError::Forbidden.into());
    }
    match store_evidence(&state, &user, &id, multipart).await {
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
            );
            Ok((error.status(), render(&page)).into_response())
        }
        Err(other) => Err(other.into()),
    }
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

impl EntryLine {
    /// One line of a list of entries (home page, My record).
    fn from_entry(e: &Entry) -> Self {
        EntryLine {
            id: e.id.to_string(),
            title: e.title.clone(),
            date: e.date.to_string(),
            date_label: long_date(e.date),
            kind_label: vocabulary::label(vocabulary::KINDS, &e.kind)
                .unwrap_or("Other")
                .to_owned(),
            hours: e.hours.to_string(),
            has_reflection: e.has_reflection(),
        }
    }
}

/// One entry as the home page and My record list it.
struct EntryLine {
    id: String,
    title: String,
    date: String,
    date_label: String,
    kind_label: String,
    hours: String,
    has_reflection: bool,
}

#[derive(Template)]
#[template(path = "learning/home.html")]
struct HomePage {
    chrome: Chrome,
    standing: crate::standing::pages::StandingSection,
    year: i32,
    count_this_year: i64,
    hours_this_year: String,
    entries: Vec<EntryLine>,
    // Quick capture.
    form: CaptureForm,
    errors: FormErrors,
    saved_title: Option<String>,
    today: String,
    kinds: Vec<(&'static str, &'static str)>,
    recent_titles: Vec<String>,
    topic_suggestions: Vec<String>,
    open_details: bool,
    /// Notifications not yet seen (e.g. a place came free), newest first.
    /// Unread notifications: (message, where to act on it).
    unread: Vec<(String, String)>,
    /// What is due, in the areas the person chose (the first five).
    due: Vec<crate::reminders::Reminder>,
}

/// The quick capture form as typed; every value comes back if something is wrong.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaptureForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    topics: String,
    #[serde(default)]
    reflection: String,
    #[serde(default)]
    reflection_so_what: String,
    #[serde(default)]
    reflection_now_what: String,
    peer_reflection: Option<String>,
    #[serde(default)]
    peer_name: String,
    /// On the entry page: the version the person opened.
    #[serde(default)]
    version: String,
}

impl CaptureForm {
    /// The form filled in from a stored entry, for changing it.
    fn from_entry(entry: &Entry) -> Self {
        let topics: Vec<String> = entry
            .topics
            .iter()
            .map(|t| {
                vocabulary::label(vocabulary::TOPICS, t).map_or_else(|| t.clone(), str::to_owned)
            })
            .collect();
        CaptureForm {
            csrf: String::new(),
            date: entry.date.to_string(),
            title: entry.title.clone(),
            hours: entry.hours.to_string(),
            kind: entry.kind.clone(),
            topics: topics.join(", "),
            reflection: entry.reflection.clone().unwrap_or_default(),
            reflection_so_what: entry.reflection_so_what.clone().unwrap_or_default(),
            reflection_now_what: entry.reflection_now_what.clone().unwrap_or_default(),
            peer_reflection: entry.peer_reflection.then(|| "yes".to_owned()),
            peer_name: entry.peer_name.clone().unwrap_or_default(),
            version: entry.version.to_string(),
        }
    }

    fn peer(&self) -> bool {
        self.peer_reflection.is_some()
    }
    /// Whether anything beyond the three quick fields was filled in (then the details stay open).
    fn has_details(&self) -> bool {
        !(self.topics.is_empty()
            && self.reflection.is_empty()
            && self.reflection_so_what.is_empty()
            && self.reflection_now_what.is_empty())
            || self.peer()
            || (!self.kind.is_empty() && self.kind != "other")
    }
    /// The entry as the API would receive it. Topics typed as their labels become their ids.
    fn to_draft(&self) -> EntryDraft {
        let topics = vocabulary::ids_from_typed(&self.topics, &[vocabulary::TOPICS]);
        let text = |s: &str| Some(s.to_owned()).filter(|s| !s.trim().is_empty());
        EntryDraft {
            date: Some(self.date.clone()),
            title: Some(self.title.clone()),
            kind: text(&self.kind),
            hours: Some(serde_json::Value::String(self.hours.clone())),
            topics,
            reflection: text(&self.reflection),
            reflection_so_what: text(&self.reflection_so_what),
            reflection_now_what: text(&self.reflection_now_what),
            peer_reflection: self.peer(),
            peer_name: text(&self.peer_name),
            ..EntryDraft::default()
        }
    }
}

/// `GET /`: the signed-in person's record at a glance, with quick capture first.
pub async fn show_home(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let Some(user) = user else {
        return Ok(Redirect::to("/sign-in").into_response());
    };
    // What the last form did, said back once.
    let notice = if params.contains_key("declared") {
        Some("Your declaration was sent.")
    } else if params.contains_key("verified") {
        Some("The declaration is verified.")
    } else if params.contains_key("returned") {
        Some("The declaration was returned with your comment.")
    } else {
        None
    };
    let saved_title = match params.get("saved").and_then(|id| Uuid::parse_str(id).ok()) {
        Some(id) => store::get_entry(&state.db, user.person_id, id)
            .await?
            .map(|e| e.title),
        None => None,
    };
    let page = home_page(
        &state,
        &user,
        CaptureForm::default(),
        FormErrors::default(),
        saved_title,
        notice,
    )
    .await?;
    Ok(render(&page))
}

async fn home_page(
    state: &AppState,
    user: &CurrentUser,
    mut form: CaptureForm,
    errors: FormErrors,
    saved_title: Option<String>,
    notice: Option<&'static str>,
) -> Result<HomePage, AppError> {
    let now = state.clock.now();
    let today = state.clock.today();
    if form.date.is_empty() {
        form.date = today.to_string();
    }
    // The details stay folded until used: "other" is the kind nobody has to choose.
    if form.kind.is_empty() {
        form.kind = "other".to_owned();
    }
    let year_start = today.replace_ordinal(1).map_err(anyhow::Error::from)?;
    let (count_this_year, hours_this_year) =
        store::totals_between(&state.db, user.person_id, year_start, today, now).await?;
    let latest = store::list_entries(
        &state.db,
        user.person_id,
        &EntryFilter::default(),
        50,
        0,
        now,
    )
    .await?;
    let mut recent_titles: Vec<String> = Vec::new();
    let mut recent_topics: Vec<String> = Vec::new();
    for entry in &latest.entries {
        if recent_titles.len() < 10 && !recent_titles.contains(&entry.title) {
            recent_titles.push(entry.title.clone());
        }
        for topic in &entry.topics {
            let label = vocabulary::label(vocabulary::TOPICS, topic)
                .map_or_else(|| topic.clone(), str::to_owned);
            if !recent_topics.contains(&label) {
                recent_topics.push(label);
            }
        }
    }
    // Recently used topics first, then the rest of the managed vocabulary.
    let mut topic_suggestions = recent_topics;
    for (_, label) in vocabulary::TOPICS {
        if !topic_suggestions.iter().any(|t| t == label) {
            topic_suggestions.push((*label).to_owned());
        }
    }
    let entries = latest
        .entries
        .iter()
        .take(10)
        .map(EntryLine::from_entry)
        .collect();
    let standing = crate::standing::pages::standing_section(state, user, notice).await?;
    // Requirements have their own section on this page; the rest of what is due shows here.
    let mut choices = crate::reminders::store::preferences(&state.db, user.person_id).await?;
    choices.requirements = false;
    let due = crate::reminders::due_for(state, user.person_id, &choices)
        .await?
        .into_iter()
        .take(5)
        .collect();
    let unread = crate::catalogue::store::notifications_of(&state.db, user.person_id)
        .await?
        .into_iter()
        .filter(|n| n.read_at.is_none())
        .take(5)
        .map(|n| (n.message, n.link.unwrap_or_else(|| "/bookings".to_owned())))
        .collect();
    Ok(HomePage {
        unread,
        due,
        chrome: user.chrome(),
        standing,
        year: today.year(),
        count_this_year,
        hours_this_year: hours_this_year.to_string(),
        entries,
        form,
        errors,
        saved_title,
        today: today.to_string(),
        kinds: vocabulary::KINDS.to_vec(),
        recent_titles,
        topic_suggestions,
        open_details: false,
    })
}

/// `POST /entries`: quick capture. One request; back on the home page, ready for the next.
pub async fn capture_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<CaptureForm>,
) -> Result<Response, PageError> {
    if !crate::web::csrf::tokens_match(&user.csrf, &form.csrf) {
        return Err(AppError::Forbidden.into());
    }
    match form.to_draft().validate(state.clock.today()) {
        Ok(entry) => {
            let saved =
                store::insert_entry(&state.db, user.person_id, &entry, state.clock.now()).await?;
            tracing::info!(person.id = %user.person_id, entry.id = %saved.id, "entry recorded");
            Ok(Redirect::to(&format!("/?saved={}", saved.id)).into_response())
        }
        Err(errors) => {
            // Topic errors are reported against the one field the form has for them.
            let errors = cairn_core::FieldErrors(
                errors
                    .0
                    .into_iter()
                    .map(|e| {
                        if e.field.starts_with("topics[") {
                            cairn_core::FieldError::new("topics", e.message)
                        } else {
                            e
                        }
                    })
                    .collect(),
            );
            let page = home_page(&state, &user, form, errors.into(), None, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
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
}

fn size_words(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{} KB", b / 1024),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

fn entry_page(
    state: &AppState,
    user: &CurrentUser,
    entry: &Entry,
    form: CaptureForm,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> EntryPage {
    let restore_until = entry
        .deleted_at
        .map(|at| long_date((at + time::Duration::days(super::UNDO_DAYS)).date()))
        .unwrap_or_default();
    EntryPage {
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
    }
}

/// `GET /entries/{id}`: one entry, to read and change.
pub async fn show_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let entry = store::get_entry(&state.db, user.person_id, parse_id(&id)?)
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
    Ok(render(&entry_page(
        &state,
        &user,
        &entry,
        CaptureForm::from_entry(&entry),
        FormErrors::default(),
        notice,
    )))
}

/// `POST /entries/{id}`: saves changes unless someone saved first; then the person's changes
/// come back unsaved, with the newer version noted, so that nothing is silently overwritten.
pub async fn save_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(mut form): Form<CaptureForm>,
) -> Result<Response, PageError> {
    if !crate::web::csrf::tokens_match(&user.csrf, &form.csrf) {
        return Err(AppError::Forbidden.into());
    }
    let id = parse_id(&id)?;
    let current = store::get_entry(&state.db, user.person_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let version: i64 = form.version.parse().unwrap_or(current.version);
    let entry = match form.to_draft().validate(state.clock.today()) {
        Ok(entry) => entry,
        Err(errors) => {
            let page = entry_page(&state, &user, &current, form, errors.into(), None);
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
            let page = entry_page(&state, &user, &newer, form, errors, None);
            Ok((StatusCode::CONFLICT, render(&page)).into_response())
        }
        Update::NotFound => Err(AppError::NotFound.into()),
    }
}

/// The delete and restore forms' field.
#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /entries/{id}/delete`: to the bin; the entry page then offers Undo.
pub async fn delete_entry_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<TokenForm>,
) -> Result<Response, PageError> {
    if !crate::web::csrf::tokens_match(&user.csrf, &form.csrf) {
        return Err(AppError::Forbidden.into());
    }
    let id = parse_id(&id)?;
    store::delete_entry(&state.db, user.person_id, id, state.clock.now()).await?;
    Ok(Redirect::to(&format!("/entries/{id}")).into_response())
}

/// `POST /entries/{id}/restore`: undo a delete.
pub async fn restore_entry_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<TokenForm>,
) -> Result<Response, PageError> {
    if !crate::web::csrf::tokens_match(&user.csrf, &form.csrf) {
        return Err(AppError::Forbidden.into());
    }
    let id = parse_id(&id)?;
    if !store::restore_entry(&state.db, user.person_id, id, state.clock.now()).await? {
        return Err(AppError::NotFound.into());
    }
    Ok(Redirect::to(&format!("/entries/{id}?restored")).into_response())
}
