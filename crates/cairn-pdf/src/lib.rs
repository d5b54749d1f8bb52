//! cairn's printable documents, typeset with Typst into tagged PDF (PDF/UA-1, so that screen
//! readers can follow it): a person's learning record, or a filtered part of it, that reads
//! well on paper.
//!
//! The caller prepares every piece of text (dates in words, labels, totals); the template only
//! lays it out. Text from the record reaches Typst as JSON data and is inserted as text, so a
//! title such as `#panic()` prints as written.

mod world;

use serde::Serialize;

/// A learning record, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct RecordDocument {
    /// "Learning record: Ann Example".
    pub title: String,
    pub name: String,
    /// Lines under the title: email, registrations.
    pub about: Vec<String>,
    /// What part of the record this is, when filtered ("Entries from … to …, topic …").
    pub selection: Option<String>,
    /// "12 entries, 34.5 hours".
    pub summary: String,
    /// Further totals, one per line (e.g. hours by kind).
    pub summary_lines: Vec<String>,
    /// "22 November 2026".
    pub generated_on: String,
    /// Said above the entries when they are not all of the selection (a record too large for
    /// one document): which are printed, and how to have the rest.
    pub notice: Option<String>,
    pub entries: Vec<EntryDocument>,
}

/// One entry of the record.
#[derive(Debug, Clone, Serialize)]
pub struct EntryDocument {
    pub title: String,
    /// "3 March 2026 · Course · 6 hours".
    pub meta: String,
    /// Further facts, one per line: topics, framework elements, peer reflection, endorsement.
    pub details: Vec<String>,
    pub reflection: Vec<ReflectionPart>,
}

/// One of the reflection's prompts and what was written.
#[derive(Debug, Clone, Serialize)]
pub struct ReflectionPart {
    /// "What happened".
    pub prompt: String,
    pub paragraphs: Vec<String>,
}

impl ReflectionPart {
    /// A part whose text is split into paragraphs at blank lines (single line breaks join).
    pub fn new(prompt: impl Into<String>, text: &str) -> Self {
        let paragraphs = text
            .replace("\r\n", "\n")
            .split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty())
            .collect();
        Self {
            prompt: prompt.into(),
            paragraphs,
        }
    }
}

/// Why a document could not be made. Either means a fault in cairn, not in the record.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the record could not be prepared for typesetting: {0}")]
    Data(#[from] serde_json::Error),
    #[error("typesetting failed: {0}")]
    Typeset(String),
}

/// The record as a PDF file. Takes tens of milliseconds per page: call it off the async
/// executor (e.g. `spawn_blocking`).
pub fn record_pdf(document: &RecordDocument) -> Result<Vec<u8>, PdfError> {
    let mut data = serde_json::to_value(document)?;
    printable(&mut data);
    world::typeset(
        include_str!("../templates/record.typ"),
        serde_json::to_vec(&data)?,
    )
}

/// Takes out control characters (other than tab and line breaks) from every piece of text:
/// cairn refuses them on the way in, but a record stored before that rule, or imported from
/// elsewhere, may hold them, and a PDF must still be made.
fn printable(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) if text.chars().any(is_unprintable) => {
            text.retain(|c| !is_unprintable(c));
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(printable),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(printable),
        _ => {}
    }
}

fn is_unprintable(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(entries: usize) -> RecordDocument {
        RecordDocument {
            title: "Learning record: Ann Example".into(),
            name: "Ann Example".into(),
            about: vec![
                "ann@example.org".into(),
                "SSSC: Social worker, from 1 March 2020".into(),
            ],
            selection: Some("Entries from 1 January 2026 to 22 November 2026".into()),
            summary: format!("{entries} entries, 12.5 hours"),
            summary_lines: vec!["Course: 6 hours".into()],
            generated_on: "22 November 2026".into(),
            notice: None,
            entries: (0..entries)
                .map(|i| EntryDocument {
                    title: format!("Trauma-informed practice #{i} #panic() $x$ *not bold*"),
                    meta: "3 March 2026 · Course · 6 hours".into(),
                    details: vec!["Topics: Trauma-informed practice".into()],
                    reflection: vec![ReflectionPart::new(
                        "What happened",
                        "A day's course.\n\nIt changed how I open a first visit.",
                    )],
                })
                .collect(),
        }
    }

    #[test]
    fn a_record_becomes_a_tagged_pdf() {
        let pdf = record_pdf(&document(3)).expect("pdf");
        assert!(pdf.starts_with(b"%PDF-"), "a PDF file");
        let text = String::from_utf8_lossy(&pdf);
        assert!(
            text.contains("/StructTreeRoot"),
            "tagged for screen readers"
        );
        assert!(
            text.contains("Learning record: Ann Example"),
            "the title in the metadata"
        );
    }

    #[test]
    fn control_characters_stored_before_they_were_refused_do_not_stop_the_pdf() {
        let mut document = document(2);
        document.entries[0].title = "Fire\u{1}safety\u{0} \u{1b}[31mawareness".into();
        document.entries[1].reflection = vec![ReflectionPart::new("What happened", "a\u{7}b")];
        document.notice = Some("Only\u{8} some entries".into());
        let pdf = record_pdf(&document).expect("a PDF despite the control characters");
        assert!(pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn paragraphs_split_at_blank_lines_only() {
        let part = ReflectionPart::new("So what", "one\ntwo\r\n\r\nthree\n\n\n");
        assert_eq!(part.paragraphs, ["one two", "three"]);
    }
}
