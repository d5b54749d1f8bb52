//! Evidence files are recognised by their content, never by their name: a file called
//! `cert.pdf` that is really an executable is refused.

/// The most bytes one evidence file may have (20 MB).
pub const MAX_EVIDENCE_BYTES: usize = 20 * 1024 * 1024;

/// The most bytes of evidence one person may keep in all (1 GB): room for years of
/// certificates and photos, not for a shared drive.
pub const MAX_EVIDENCE_BYTES_PER_PERSON: i64 = 1024 * 1024 * 1024;

/// What people attach as evidence, described in words for error messages.
pub const ACCEPTED: &str = "PDF, PNG, JPEG, GIF, WebP or HEIC images, plain text, or Word, Excel, PowerPoint or OpenDocument files";

/// The media type of `bytes`, when it is a kind of file cairn accepts as evidence.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"%PDF-") {
        Some("application/pdf")
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if starts(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.len() >= 12
        && &bytes[4..8] == b"ftyp"
        && matches!(&bytes[8..12], b"heic" | b"heix" | b"mif1" | b"msf1")
    {
        Some("image/heic")
    } else if starts(b"PK\x03\x04") {
        office_type(bytes)
    } else if is_plain_text(bytes) {
        Some("text/plain; charset=utf-8")
    } else {
        None
    }
}

/// UTF-8 with no control characters but line breaks and tabs.
fn is_plain_text(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|text| {
        !text.is_empty()
            && !text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
    })
}

/// Office Open XML and OpenDocument files are zip archives; look for their marker entries
/// rather than accepting any zip.
fn office_type(bytes: &[u8]) -> Option<&'static str> {
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if starts_with_mimetype(bytes, b"application/vnd.oasis.opendocument.text") {
        Some("application/vnd.oasis.opendocument.text")
    } else if starts_with_mimetype(bytes, b"application/vnd.oasis.opendocument.spreadsheet") {
        Some("application/vnd.oasis.opendocument.spreadsheet")
    } else if contains(b"[Content_Types].xml") {
        if contains(b"word/") {
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        } else if contains(b"xl/") {
            Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        } else if contains(b"ppt/") {
            Some("application/vnd.openxmlformats-officedocument.presentationml.presentation")
        } else {
            None
        }
    } else {
        None
    }
}

/// OpenDocument stores an uncompressed `mimetype` entry first; its content follows the
/// 30-byte local header and the 8-byte name.
fn starts_with_mimetype(bytes: &[u8], mimetype: &[u8]) -> bool {
    bytes.len() > 38 + mimetype.len()
        && &bytes[30..38] == b"mimetype"
        && bytes[38..].starts_with(mimetype)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_files_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some("image/png"));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0"), Some("image/jpeg"));
        assert_eq!(
            sniff("Notes from the session".as_bytes()),
            Some("text/plain; charset=utf-8")
        );
    }

    #[test]
    fn refuses_executables_and_bare_archives_whatever_their_name() {
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), None);
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01"), None);
        assert_eq!(sniff(b"PK\x03\x04 random.zip content"), None);
        assert_eq!(sniff(b""), None);
    }
}
