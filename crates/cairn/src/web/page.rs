//! Rendering pages: every page extends `templates/base.html` (skip link, landmarks, the
//! signed-in person's navigation) and is rendered through [`render`].

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// What the layout needs to know about who is looking.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    /// The signed-in person's name, when someone is signed in.
    pub name: Option<String>,
    /// The session's CSRF token, for the sign-out form in the header.
    pub csrf: String,
    /// The organisation whose pages the person can open (compliance, policies), if any.
    pub org_id: Option<String>,
    /// Whether the person supervises anyone (the "My team" link).
    pub supervisor: bool,
    /// The organisation the person administers (people, teams, import), if any.
    pub admin_org_id: Option<String>,
    /// The organisation whose learning the person leads (supervision due, the supported year),
    /// if any: L&D leads and administrators.
    pub lead_org_id: Option<String>,
}

/// Renders a template as an HTML response that is never cached by shared caches (pages hold
/// personal data).
pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => {
            let mut response = Html(html).into_response();
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            response
        }
        Err(error) => {
            tracing::error!(error = %error, "a page failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side. Please try again.",
            )
                .into_response()
        }
    }
}

/// A page that says what went wrong and what to do.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub chrome: Chrome,
    pub title: String,
    pub detail: String,
}

/// A form's errors: the summary at its top (each item links to `#field`) and the message
/// beside each field.
#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    pub items: Vec<cairn_core::FieldError>,
}

impl FormErrors {
    /// One error on one field.
    pub fn one(field: &str, message: impl Into<String>) -> Self {
        Self {
            items: vec![cairn_core::FieldError::new(field, message)],
        }
    }
    /// The message for `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl From<cairn_core::FieldErrors> for FormErrors {
    fn from(errors: cairn_core::FieldErrors) -> Self {
        Self { items: errors.0 }
    }
}

pub use cairn_core::long_date;

/// When something happened, as "just now", "4 minutes ago", "3 hours ago" or its date: plain
/// English that no time zone can misread.
pub fn ago(then: time::OffsetDateTime, now: time::OffsetDateTime) -> String {
    let minutes = (now - then).whole_minutes();
    match minutes {
        ..1 => "just now".to_owned(),
        1 => "a minute ago".to_owned(),
        2..60 => format!("{minutes} minutes ago"),
        60..120 => "an hour ago".to_owned(),
        120..1440 => format!("{} hours ago", minutes / 60),
        _ => format!("on {}", cairn_core::long_date(then.date())),
    }
}

/// A date as people write it ("2 December 2026"), for templates (which pass references).
pub fn day(date: &time::Date) -> String {
    long_date(*date)
}

/// A count as people write it: 2,101, not 2101.
pub fn grouped(count: usize) -> String {
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// When something happens, in parts: the day ("Tuesday 3 March 2027"), the start ("09:30")
/// and the end ("16:30", or "4 March 2027 16:30" when it ends on another day). Shown whole
/// as "Tuesday 3 March 2027, 09:30 to 16:30". Times are local ([`crate::zone`]); stored in UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct When {
    pub day: String,
    pub starts: String,
    pub ends: String,
}

impl When {
    pub fn new(starts: time::OffsetDateTime, ends: time::OffsetDateTime) -> Self {
        let (starts, ends) = (crate::zone::local(starts), crate::zone::local(ends));
        let clock = |t: time::OffsetDateTime| format!("{:02}:{:02}", t.hour(), t.minute());
        When {
            day: format!("{} {}", starts.weekday(), long_date(starts.date())),
            starts: clock(starts),
            ends: if ends.date() == starts.date() {
                clock(ends)
            } else {
                format!("{} {}", long_date(ends.date()), clock(ends))
            },
        }
    }
}

impl std::fmt::Display for When {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, {} to {}", self.day, self.starts, self.ends)
    }
}

#[cfg(test)]
mod tests {
    use super::When;

    #[test]
    fn a_time_span_reads_in_parts_and_whole() {
        use time::macros::datetime;
        let one_day = When::new(
            datetime!(2027-03-02 09:30 UTC),
            datetime!(2027-03-02 16:30 UTC),
        );
        assert_eq!(one_day.day, "Tuesday 2 March 2027");
        assert_eq!(one_day.to_string(), "Tuesday 2 March 2027, 09:30 to 16:30");
        let two_days = When::new(
            datetime!(2027-03-02 09:30 UTC),
            datetime!(2027-03-03 12:00 UTC),
        );
        assert_eq!(two_days.ends, "3 March 2027 12:00");
        // In a British summer the stored 08:30 UTC is 09:30 on the clocks people read.
        let summer = When::new(
            datetime!(2027-06-15 08:30 UTC),
            datetime!(2027-06-15 15:30 UTC),
        );
        assert_eq!(summer.to_string(), "Tuesday 15 June 2027, 09:30 to 16:30");
    }

    #[test]
    fn counts_are_grouped_in_thousands() {
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1_000, "1,000"),
            (2_101, "2,101"),
            (100_000, "100,000"),
            (1_234_567, "1,234,567"),
        ] {
            assert_eq!(super::grouped(n), text);
        }
    }
}
