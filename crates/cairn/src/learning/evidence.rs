//! Evidence files on disk: inside the data folder, outside any web root, named by their id
//! (never by the name the person gave), written whole or not at all.

use super::EvidenceFile;
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
