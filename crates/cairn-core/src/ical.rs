//! iCalendar (RFC 5545) text: events with escaped text and folded lines, so that any calendar
//! application reads the feed.

use time::OffsetDateTime;

/// One event.
#[derive(Debug, Clone)]
pub struct Event {
    /// Stable across updates, so calendars replace rather than duplicate.
    pub uid: String,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub url: Option<String>,
    /// When this version of the event was made (DTSTAMP).
    pub stamp: OffsetDateTime,
}

/// A whole calendar, with CRLF line ends.
pub fn calendar(name: &str, events: &[Event]) -> String {
    let mut out = String::new();
    let mut line = |text: String| fold(&text, &mut out);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//cairn//learning record//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape(name)));
    for event in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape(&event.uid)));
        line(format!("DTSTAMP:{}", utc(event.stamp)));
        line(format!("DTSTART:{}", utc(event.starts_at)));
        line(format!("DTEND:{}", utc(event.ends_at)));
        line(format!("SUMMARY:{}", escape(&event.summary)));
        if let Some(description) = &event.description {
            line(format!("DESCRIPTION:{}", escape(description)));
        }
        if let Some(location) = &event.location {
            line(format!("LOCATION:{}", escape(location)));
        }
        if let Some(url) = &event.url {
            line(format!("URL:{url}"));
        }
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

/// `20270301T093000Z`
fn utc(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// TEXT values: backslash, semicolon, comma and newline escaped (RFC 5545, 3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Lines longer than 75 octets are folded: CRLF then a space, never inside a character.
fn fold(line: &str, out: &mut String) {
    let mut used = 0;
    for c in line.chars() {
        let width = c.len_utf8();
        if used + width > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += width;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_calendar_has_escaped_text_and_folded_lines() {
        let event = Event {
            uid: "b1@cairn".into(),
            starts_at: datetime!(2027-03-01 09:30 UTC),
            ends_at: datetime!(2027-03-01 16:30 UTC),
            summary: "Court skills; giving evidence, day 1".into(),
            description: Some(format!("Line one\nLine two {}", "é".repeat(60))),
            location: Some("Kirkwall, Orkney".into()),
            url: None,
            stamp: datetime!(2026-11-22 12:00 UTC),
        };
        let text = calendar("My learning", &[event]);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.contains("DTSTART:20270301T093000Z\r\n"));
        assert!(text.contains("SUMMARY:Court skills\\; giving evidence\\, day 1\r\n"));
        assert!(text.contains("DESCRIPTION:Line one\\nLine two"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        let unfolded = text.replace("\r\n ", "");
        assert!(
            unfolded.contains(&"é".repeat(60)),
            "folding never splits a character"
        );
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }
}
