//! The entries list's query string (`from`, `to`, `kind`, `topic`, …), checked and named
//! field by field; the API and My record share it.

use super::EntryFilter;
use crate::web::AppError;
use cairn_core::entry::parse_iso_date;
use cairn_core::{FieldErrors, vocabulary};
use std::collections::HashMap;

/// The most entries one page of the API returns.
pub const MAX_LIMIT: i64 = 500;

const DEFAULT_LIMIT: i64 = 50;

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
