//! Text that every part can carry: NUL and the other C0 control characters (but TAB, LF and
//! CR) are refused at the door, in query parameters, paths, form fields and JSON strings,
//! with a 422 naming the field. PostgreSQL cannot store NUL at all, and a control character
//! stored on SQLite would later break exports (PDF, CSV) of that person's record.
//!
//! Uploaded files are checked where they are read (the CSV imports name the line and column;
//! evidence is kept as bytes).

use crate::web::{AppError, PageError};
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest body read here (the record import's limit): a larger one is refused by the
/// route's own limit in any case.
const MAX_CHECKED_BODY: usize = 50 * 1024 * 1024;

/// The first character no text field may hold: C0 controls but TAB, LF and CR.
pub fn forbidden_char(text: &str) -> Option<char> {
    text.chars()
        .find(|c| c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r') && *c != '\u{7f}')
}

/// The sentence for a field holding `c`.
pub fn message(c: char) -> String {
    format!(
        "contains a control character (U+{:04X}) that cannot be stored: remove it and send again",
        u32::from(c)
    )
}

/// The layer: checks the request's path, query and (form or JSON) body.
pub async fn refuse_control_characters(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let refuse = |field: String, c: char| -> Response {
        let error = AppError::field(&field, format!("{field} {}", message(c)));
        if is_api {
            error.into_response()
        } else {
            PageError(error).into_response()
        }
    };
    if let Some(c) = path_control(request.uri().path()) {
        return refuse("path".to_owned(), c);
    }
    if let Some(query) = request.uri().query()
        && let Some((name, c)) = pairs_control(query.as_bytes())
    {
        return refuse(name, c);
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let is_json = content_type.starts_with("application/json") || content_type.contains("+json");
    if !is_form && !is_json {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes: Bytes = match to_bytes(body, MAX_CHECKED_BODY).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return AppError::PayloadTooLarge("The request body is too large".into())
                .into_response();
        }
    };
    let found = if is_form {
        pairs_control(&bytes)
    } else {
        json_control(&bytes)
    };
    if let Some((field, c)) = found {
        return refuse(field, c);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// A control character in the path, written percent-encoded (a raw one is no URI at all).
fn path_control(path: &str) -> Option<char> {
    let bytes = path.as_bytes();
    bytes.windows(3).find_map(|w| {
        if w[0] != b'%' {
            return None;
        }
        let hex = std::str::from_utf8(&w[1..]).ok()?;
        let value = u8::from_str_radix(hex, 16).ok()?;
        (value < 0x20).then(|| char::from(value))
    })
}

/// The first name or value of urlencoded pairs holding a forbidden character.
fn pairs_control(encoded: &[u8]) -> Option<(String, char)> {
    form_urlencoded::parse(encoded).find_map(|(name, value)| {
        forbidden_char(&name)
            .or_else(|| forbidden_char(&value))
            .map(|c| (name.chars().filter(|c| !c.is_control()).collect(), c))
    })
}

/// The JSON path of the first string (or key) holding a forbidden character. A body that is
/// not JSON is left for the route to refuse, with its own message.
fn json_control(bytes: &[u8]) -> Option<(String, char)> {
    // Without a backslash there is no escape, and a raw control character is not JSON.
    if !bytes.contains(&b'\\') {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    find_in(&value, &mut String::new())
}

fn find_in(value: &serde_json::Value, path: &mut String) -> Option<(String, char)> {
    use serde_json::Value;
    match value {
        Value::String(text) => forbidden_char(text).map(|c| (field_name(path), c)),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            let found = find_in(item, path);
            path.truncate(len);
            found
        }),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.extend(key.chars().filter(|c| !c.is_control()));
            let found = forbidden_char(key)
                .map(|c| (field_name(path), c))
                .or_else(|| find_in(item, path));
            path.truncate(len);
            found
        }),
        _ => None,
    }
}

fn field_name(path: &str) -> String {
    if path.is_empty() {
        "body".to_owned()
    } else {
        path.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_newline_and_return_are_text_other_controls_are_not() {
        assert_eq!(forbidden_char("line one\r\n\tline two"), None);
        assert_eq!(forbidden_char("caf\u{e9} \u{1F600}"), None);
        for c in [
            '\u{0}', '\u{1}', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\u{1f}',
        ] {
            assert_eq!(forbidden_char(&format!("a{c}b")), Some(c), "{c:?}");
        }
    }

    #[test]
    fn each_place_names_its_field() {
        assert_eq!(path_control("/calendar/%00.ics"), Some('\u{0}'));
        assert_eq!(path_control("/calendar/%2500.ics"), None);
        assert_eq!(path_control("/record/caf%C3%A9"), None);
        assert_eq!(
            pairs_control(b"q=ok&as_of=2026%0001"),
            Some(("as_of".to_owned(), '\u{0}'))
        );
        assert_eq!(pairs_control(b"reflection=a%0D%0Ab"), None);
        assert_eq!(
            json_control(br#"{"title":"ok","entries":[{"title":"a\u0000"}]}"#),
            Some(("entries[0].title".to_owned(), '\u{0}'))
        );
        assert_eq!(
            json_control(br#"{"notes":"a\fb"}"#),
            Some(("notes".to_owned(), '\u{c}'))
        );
        assert_eq!(json_control(br#"{"notes":"a\nb\tc"}"#), None);
        assert_eq!(
            json_control(br#"["\u0001"]"#),
            Some(("[0]".to_owned(), '\u{1}'))
        );
    }
}
