//! Web plumbing shared by every feature: the error type, CSRF, static assets and page layout.

pub mod assets;
pub mod csrf;
pub mod error;
pub mod form;
pub mod json;
pub mod offline;
pub mod openapi;
pub mod page;
pub mod spreadsheet;
pub mod text_guard;

pub use error::{AppError, PageError, Problem};
pub use json::ApiJson;

/// Evidence uploads: the file limit plus room for the multipart envelope.
pub const MAX_UPLOAD_BODY: usize = cairn_core::evidence::MAX_EVIDENCE_BYTES + 64 * 1024;
/// HR feeds and imported records can be large.
pub const MAX_IMPORT_BODY: usize = 50 * 1024 * 1024;

/// A file to download (CSV, PDF, calendar), never cached by a shared cache.
pub fn download(content_type: &str, filename: String, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// An id from a path: anything that is not a UUID names nothing, so it is "not found".
pub fn parse_id(id: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(id).map_err(|_| AppError::NotFound)
}

/// The `{id}` of an API path, parsed (see [`parse_id`]); it documents itself as the path's
/// parameter in the OpenAPI document.
pub struct IdPath(pub uuid::Uuid);

/// The `{id}` of a page's path, parsed: not a UUID is the "not found" page.
pub struct PageIdPath(pub uuid::Uuid);

async fn id_of_path<S: Send + Sync>(
    parts: &mut axum::http::request::Parts,
    state: &S,
) -> Result<uuid::Uuid, AppError> {
    use axum::extract::{FromRequestParts, Path};
    let Path(id) = Path::<String>::from_request_parts(parts, state)
        .await
        .map_err(|_| AppError::NotFound)?;
    parse_id(&id)
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for IdPath {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, AppError> {
        id_of_path(parts, state).await.map(IdPath)
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PageIdPath {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, PageError> {
        Ok(PageIdPath(id_of_path(parts, state).await?))
    }
}

/// The answer when something new was made: its id.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: uuid::Uuid,
}
