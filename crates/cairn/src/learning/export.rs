//! Exports a person can hand over: the entries My record shows (same filters), as a
//! spreadsheet or as a PDF that reads well on paper.

use super::params::{MAX_LIMIT, parse_list_params};
use super::{Entry, EntryFilter, store};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::web::AppError;
use axum::extract::{Query, State};
use axum::response::Response;
use cairn_core::{Hours, long_date, vocabulary};
use cairn_pdf::{EntryDocument, RecordDocument, ReflectionPart};
use std::collections::HashMap;

/// The most entries one PDF prints (newest first).
pub const MAX_PDF_ENTRIES: usize = 1_000;

/// The filter from the query string and every entry it matches, newest first.
async fn filtered_entries(
    state: &AppState,
    user: &CurrentUser,
    mut params: HashMap<String, String>,
) -> Result<(EntryFilter, Vec<Entry>), AppError> {
    authorize(user, Action::OwnRecord)?;
    params.retain(|key, v| !v.trim().is_empty() && key != "offset" && key != "limit");
    let (filter, _, _) = parse_list_params(&params)?;
    let mut entries = Vec::new();
    let mut offset = 0;
    loop {
        let page = store::list_entries(
            &state.db,
            user.person_id,
            &filter,
            MAX_LIMIT,
            offset,
            state.clock.now(),
        )
        .await?;
        let done = page.entries.len() < MAX_LIMIT as usize;
        entries.extend(page.entries);
        offset += MAX_LIMIT;
        if done {
            break;
        }
    }
    Ok((filter, entries))
}

fn kind_label(kind: &str) -> &'static str {
    vocabulary::label(vocabulary::KINDS, kind).unwrap_or("Other")
}

fn topic_label(topic: &str) -> String {
    vocabulary::label(vocabulary::TOPICS, topic).map_or_else(|| topic.to_owned(), str::to_owned)
}

/// `GET /record.csv?…filters`: every field, reflections included, totals in the last line.
pub async fn export_record_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (_, entries) = filtered_entries(&state, &user, params).await?;
    let mut writer = crate::web::spreadsheet::writer(Vec::new());
    let header = [
        "date",
        "title",
        "kind",
        "hours",
        "topics",
        "elements",
        "what_happened",
        "so_what",
        "now_what",
        "peer_reflection",
        "peer_name",
        "endorsed",
    ];
    writer.write_record(header).map_err(anyhow::Error::from)?;
    let mut total = Hours::ZERO;
    for e in &entries {
        total = total + e.hours;
        writer
            .write_record([
                e.date.to_string(),
                e.title.clone(),
                kind_label(&e.kind).to_owned(),
                e.hours.to_string(),
                e.topics.join("; "),
                e.elements.join("; "),
                e.reflection.clone().unwrap_or_default(),
                e.reflection_so_what.clone().unwrap_or_default(),
                e.reflection_now_what.clone().unwrap_or_default(),
                if e.peer_reflection { "yes" } else { "no" }.to_owned(),
                e.peer_name.clone().unwrap_or_default(),
                if e.endorsed { "yes" } else { "no" }.to_owned(),
            ])
            .map_err(anyhow::Error::from)?;
    }
    let total_line = format!("Total: {} entries", entries.len());
    let mut last = vec![""; header.len()];
    last[1] = &total_line;
    let total_hours = total.to_string();
    last[3] = &total_hours;
    writer.write_record(last).map_err(anyhow::Error::from)?;
    let bytes = writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    let filename = format!("my-learning-{}.csv", state.clock.today());
    Ok(crate::web::download(
        "text/csv; charset=utf-8",
        filename,
        bytes,
    ))
}

/// `GET /record.pdf?…filters`: the record (or the filtered part of it) to print or hand over:
/// name, registrations, totals, each entry with its reflection, and the date it was made.
pub async fn export_record_pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (filter, entries) = filtered_entries(&state, &user, params).await?;
    let person = crate::people::service::get_person(&state.db, user.person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut about = vec![person.email.clone()];
    about.extend(
        crate::people::service::registrations_of(&state.db, user.person_id)
            .await?
            .iter()
            .map(crate::people::Registration::describe),
    );
    let (printed, notice) = pdf_selection(entries.len());
    let document = RecordDocument {
        title: format!("Learning record: {}", person.name),
        name: person.name,
        about,
        selection: describe_selection(&filter),
        summary: summary(&entries),
        summary_lines: hours_by_kind(&entries),
        generated_on: long_date(state.clock.today()),
        notice,
        entries: entries[..printed].iter().map(entry_document).collect(),
    };
    let pdf = tokio::task::spawn_blocking(move || cairn_pdf::record_pdf(&document))
        .await
        .map_err(anyhow::Error::from)?
        .map_err(anyhow::Error::from)?;
    let filename = format!("my-learning-{}.pdf", state.clock.today());
    Ok(crate::web::download("application/pdf", filename, pdf))
}

/// How many of `selected` entries (newest first) a PDF prints, and what it says when that is
/// not all. Typesetting takes milliseconds an entry: a record of many thousands would hold a
/// core for most of a minute, so the PDF prints the newest and says how to have the rest.
fn pdf_selection(selected: usize) -> (usize, Option<String>) {
    let printed = selected.min(MAX_PDF_ENTRIES);
    let notice = (printed < selected).then(|| {
        use crate::web::page::grouped;
        let (printed, selected) = (grouped(printed), grouped(selected));
        format!(
            "This PDF shows the {printed} most recent of the {selected} entries selected (the \
             summary above counts them all). To print the others, choose dates on My record, a \
             year at a time say, and make a PDF of each; or download the spreadsheet, which has \
             every entry."
        )
    });
    (printed, notice)
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn hours_text(hours: Hours) -> String {
    if hours == Hours::from_whole(1) {
        "1 hour".to_owned()
    } else {
        format!("{hours} hours")
    }
}

fn summary(entries: &[Entry]) -> String {
    let total = entries.iter().fold(Hours::ZERO, |sum, e| sum + e.hours);
    format!(
        "{}, {}",
        plural(entries.len(), "entry", "entries"),
        hours_text(total)
    )
}

/// "Course: 12 hours in 3 entries", most hours first.
fn hours_by_kind(entries: &[Entry]) -> Vec<String> {
    let mut by_kind: HashMap<&str, (Hours, usize)> = HashMap::new();
    for e in entries {
        let slot = by_kind
            .entry(kind_label(&e.kind))
            .or_insert((Hours::ZERO, 0));
        slot.0 = slot.0 + e.hours;
        slot.1 += 1;
    }
    let mut lines: Vec<_> = by_kind.into_iter().collect();
    lines.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    lines
        .into_iter()
        .map(|(kind, (hours, count))| {
            format!(
                "{kind}: {} in {}",
                hours_text(hours),
                plural(count, "entry", "entries")
            )
        })
        .collect()
}

/// What part of the record the filter keeps, in words; `None` for the whole record.
fn describe_selection(filter: &EntryFilter) -> Option<String> {
    let mut parts = Vec::new();
    match (filter.from, filter.to) {
        (Some(from), Some(to)) => {
            parts.push(format!("from {} to {}", long_date(from), long_date(to)))
        }
        (Some(from), None) => parts.push(format!("from {}", long_date(from))),
        (None, Some(to)) => parts.push(format!("up to {}", long_date(to))),
        (None, None) => {}
    }
    if let Some(kind) = &filter.kind {
        parts.push(format!("of the kind {}", kind_label(kind)));
    }
    if let Some(topic) = &filter.topic {
        parts.push(format!("on {}", topic_label(topic)));
    }
    if let Some(element) = &filter.element {
        parts.push(format!("towards {}", vocabulary::element_label(element)));
    }
    match filter.has_reflection {
        Some(true) => parts.push("with a reflection".to_owned()),
        Some(false) => parts.push("without a reflection".to_owned()),
        None => {}
    }
    match filter.peer_reflection {
        Some(true) => parts.push("discussed with a peer".to_owned()),
        Some(false) => parts.push("not discussed with a peer".to_owned()),
        None => {}
    }
    if let Some(text) = &filter.text {
        parts.push(format!("mentioning \u{201c}{text}\u{201d}"));
    }
    (!parts.is_empty()).then(|| format!("Part of the record: entries {}.", parts.join(", ")))
}

fn entry_document(entry: &Entry) -> EntryDocument {
    let mut details = Vec::new();
    if !entry.topics.is_empty() {
        let topics: Vec<String> = entry.topics.iter().map(|t| topic_label(t)).collect();
        details.push(format!("Topics: {}", topics.join(", ")));
    }
    if !entry.elements.is_empty() {
        let elements: Vec<String> = entry
            .elements
            .iter()
            .map(|e| vocabulary::element_label(e))
            .collect();
        details.push(format!("Framework elements: {}", elements.join(", ")));
    }
    if entry.peer_reflection {
        details.push(match &entry.peer_name {
            Some(name) => format!("Reflected on with {name}"),
            None => "Reflected on with a peer".to_owned(),
        });
    }
    if entry.endorsed {
        details.push("Endorsed".to_owned());
    }
    if !entry.evidence.is_empty() {
        let files: Vec<&str> = entry.evidence.iter().map(|f| f.filename.as_str()).collect();
        details.push(format!("Evidence: {}", files.join(", ")));
    }
    let reflection = [
        ("What happened", &entry.reflection),
        ("So what", &entry.reflection_so_what),
        ("Now what", &entry.reflection_now_what),
    ]
    .into_iter()
    .filter_map(|(prompt, text)| text.as_deref().map(|t| ReflectionPart::new(prompt, t)))
    .collect();
    EntryDocument {
        title: entry.title.clone(),
        meta: format!(
            "{} · {} · {}",
            long_date(entry.date),
            kind_label(&entry.kind),
            hours_text(entry.hours)
        ),
        details,
        reflection,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_prints_at_most_its_limit_and_says_so() {
        assert_eq!(pdf_selection(0), (0, None));
        assert_eq!(pdf_selection(MAX_PDF_ENTRIES), (MAX_PDF_ENTRIES, None));
        let (printed, notice) = pdf_selection(10_000);
        assert_eq!(printed, MAX_PDF_ENTRIES);
        let notice = notice.expect("a notice");
        assert!(
            notice.contains("the 1,000 most recent of the 10,000 entries"),
            "{notice}"
        );
        assert!(
            notice.contains("spreadsheet"),
            "how to have them all: {notice}"
        );
    }
}
