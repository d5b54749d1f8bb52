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
    /// A whole-day event on the day of `starts_at` (a due date), not a timed one.
    pub all_day: bool,
}

/// A whole calendar, with CRLF line ends.
pub fn calendar(name: &str, events: &[Event]) -> String {
    let mut out = String::new();
    let mut line = |text: String| fold(&text, &mut out);
    header(&mut line, "PUBLISH");
    line(format!("X-WR-CALNAME:{}", escape(name)));
    for event in events {
        event_lines(&mut line, event, &[]);
    }
    line("END:VCALENDAR".into());
    out
}

/// What an invitation asks of the attendee's calendar (RFC 5546).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Add or update the event.
    Request,
    /// Remove it.
    Cancel,
}

/// Someone named in an invitation.
#[derive(Debug, Clone)]
pub struct Party {
    pub name: String,
    pub email: String,
}

/// An invitation to one event for one attendee, which calendar applications add, update
/// (a higher `sequence` under the same UID) or remove.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub event: Event,
    pub method: Method,
    pub sequence: i64,
    pub organizer: Party,
    pub attendee: Party,
}

/// A mailto: address as a CAL-ADDRESS, and the CN parameter quoted (RFC 5545, 3.2.2).
fn party(property: &str, params: &str, who: &Party) -> String {
    let name: String = who
        .name
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    format!("{property};CN=\"{name}\"{params}:mailto:{}", who.email)
}

pub fn invitation(invite: &Invitation) -> String {
    let mut out = String::new();
    let mut line = |text: String| fold(&text, &mut out);
    let (method, status, partstat) = match invite.method {
        Method::Request => ("REQUEST", "CONFIRMED", "ACCEPTED"),
        Method::Cancel => ("CANCEL", "CANCELLED", "DECLINED"),
    };
    header(&mut line, method);
    event_lines(
        &mut line,
        &invite.event,
        &[
            format!("SEQUENCE:{}", invite.sequence),
            format!("STATUS:{status}"),
            party("ORGANIZER", "", &invite.organizer),
            party(
                "ATTENDEE",
                &format!(";ROLE=REQ-PARTICIPANT;PARTSTAT={partstat}"),
                &invite.attendee,
            ),
        ],
    );
    line("END:VCALENDAR".into());
    out
}

fn header(line: &mut impl FnMut(String), method: &str) {
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//cairn//learning record//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line(format!("METHOD:{method}"));
}

fn event_lines(line: &mut impl FnMut(String), event: &Event, extra: &[String]) {
    line("BEGIN:VEVENT".into());
    line(format!("UID:{}", escape(&event.uid)));
    line(format!("DTSTAMP:{}", utc(event.stamp)));
    if event.all_day {
        let day = event.starts_at.date();
        line(format!("DTSTART;VALUE=DATE:{}", date(day)));
        // DTEND of a whole day is the next day, not included (RFC 5545, 3.6.1).
        line(format!(
            "DTEND;VALUE=DATE:{}",
            date(day.next_day().unwrap_or(day))
        ));
    } else {
        line(format!("DTSTART:{}", utc(event.starts_at)));
        line(format!("DTEND:{}", utc(event.ends_at)));
    }
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
    for text in extra {
        line(text.clone());
    }
    line("END:VEVENT".into());
}

/// `20270301`
fn date(day: time::Date) -> String {
    format!(
        "{:04}{:02}{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
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
            all_day: false,
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

    #[test]
    fn a_due_date_is_a_whole_day() {
        let event = Event {
            uid: "due@cairn".into(),
            starts_at: datetime!(2026-12-31 00:00 UTC),
            ends_at: datetime!(2026-12-31 00:00 UTC),
            summary: "Supervision due".into(),
            description: None,
            location: None,
            url: None,
            stamp: datetime!(2026-11-22 12:00 UTC),
            all_day: true,
        };
        let text = calendar("Due", &[event]);
        assert!(text.contains("DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n"));
    }

    #[test]
    fn an_invitation_names_organiser_and_attendee_and_can_be_withdrawn() {
        let event = Event {
            uid: "booking-1@cairn".into(),
            starts_at: datetime!(2027-03-01 09:30 UTC),
            ends_at: datetime!(2027-03-01 16:30 UTC),
            summary: "Court skills".into(),
            description: None,
            location: None,
            url: None,
            stamp: datetime!(2026-11-22 12:00 UTC),
            all_day: false,
        };
        let mut invite = Invitation {
            event,
            method: Method::Request,
            sequence: 0,
            organizer: Party {
                name: "Highland \"L&D\"".into(),
                email: "ld@highland.example".into(),
            },
            attendee: Party {
                name: "Ailsa Ross".into(),
                email: "ailsa@highland.example".into(),
            },
        };
        let text = invitation(&invite);
        assert!(text.contains("METHOD:REQUEST\r\n"));
        assert!(text.contains("ORGANIZER;CN=\"Highland L&D\":mailto:ld@highland.example\r\n"));
        assert!(text.contains("PARTSTAT=ACCEPTED"));
        invite.method = Method::Cancel;
        invite.sequence = 1;
        let text = invitation(&invite);
        assert!(text.contains("METHOD:CANCEL\r\n") && text.contains("STATUS:CANCELLED\r\n"));
        assert!(text.contains("SEQUENCE:1\r\n"));
    }
}
