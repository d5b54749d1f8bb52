//! Evidence files on disk: inside the data folder, outside any web root, named by their id
//! (never by the name the person gave), written whole or not at all.

use super::EvidenceFile;
use super::store;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::AppError;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use sha2::{Digest, Sha256};

use uuid::Uuid;

/// Describes an upload after checking its content: the type comes from the bytes, the
/// name is reduced to a safe base name.
pub fn describe(entry_id: Uuid, filename: &str, bytes: &[u8]) -> Result<EvidenceFile, String> {
    if bytes.len() > cairn_core::evidence::MAX_EVIDENCE_BYTES {
        return Err("The file is larger than 20 MB".to_owned());
    }
    let content_type = cairn_core::evidence::sniff(bytes).ok_or_else(|| {
        format!(
            "This kind of file cannot be kept as evidence. Upload {}",
            cairn_core::evidence::ACCEPTED
        )
    })?;
    Ok(EvidenceFile {
        id: Uuid::now_v7(),
        entry_id,
        filename: safe_filename(filename),
        content_type: content_type.to_owned(),
        size: bytes.len() as i64,
        sha256: format!("{:x}", Sha256::digest(bytes)),
    })
}

/// The last path component, without control characters or quotes, at most 200 characters.
pub fn safe_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';'))
        .take(200)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() {
        "evidence".to_owned()
    } else {
        cleaned
    }
}

/// The most files one entry may carry.
pub const MAX_FILES_PER_ENTRY: i64 = 20;

/// The multipart body of an evidence upload: one part named `file`.
#[derive(utoipa::ToSchema)]
pub struct EvidenceUpload {
    /// PDF, an image, a Word or OpenDocument file or plain text; at most 10 MB.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Checks and stores one uploaded file for one of the person's entries (the API and the
/// entry page share it). Nothing is stored unless everything about the file is right.
pub async fn store_evidence(
    state: &AppState,
    user: &CurrentUser,
    entry_id: Uuid,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<super::EvidenceFile, AppError> {
    authorize(user, Action::OwnRecord)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_their_paths_and_tricks() {
        assert_eq!(safe_filename("C:\\Users\\ann\\cert.pdf"), "cert.pdf");
        assert_eq!(safe_filename("../../etc/passwd"), "passwd");
        assert_eq!(safe_filename("a\"b;c\n.pdf"), "abc.pdf");
        assert_eq!(safe_filename(".."), "evidence");
    }

    #[test]
    fn the_type_comes_from_the_content() {
        let id = Uuid::now_v7();
        assert_eq!(
            describe(id, "photo.pdf", b"\x89PNG\r\n\x1a\n").map(|f| f.content_type),
            Ok("image/png".to_owned())
        );
        assert!(describe(id, "cert.pdf", b"MZ\x90\x00").is_err());
    }
}
