//! Learning opportunities as an organisation describes them: checked at the edge, every
//! problem named by field, before anything is stored.

use crate::field::FieldErrors;
use crate::hours::Hours;
use crate::vocabulary::{self, LOCALITIES, Term};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

/// What an opportunity is.
pub const OPPORTUNITY_KINDS: &[Term] = &[
    ("course", "Course"),
    ("e-learning", "E-learning"),
    ("bite-size", "Bite-size (about 7 minutes)"),
    ("micro-credential", "Micro-credential"),
    ("conference", "Conference"),
    ("pq-programme", "PQ award programme"),
];

/// How it is delivered.
pub const MODES: &[Term] = &[
    ("in-person", "In person"),
    ("online", "Online"),
    ("blended", "Blended"),
];

/// Who may book.
pub const VISIBILITIES: &[Term] = &[
    ("own", "Our own staff"),
    ("partners", "Our staff and named partner organisations"),
    ("everyone", "Everyone"),
];

/// The kind of learning entry that attending creates.
pub fn entry_kind(opportunity_kind: &str) -> &'static str {
    match opportunity_kind {
        "e-learning" => "e-learning",
        "bite-size" => "bite-size",
        "conference" => "conference",
        "micro-credential" | "pq-programme" => "qualification",
        _ => "course",
    }
}

/// An opportunity as sent (JSON); unknown fields are refused.
#[derive(Debug, Clone, Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OpportunityInput)]
pub struct OpportunityDraft {
    #[schema(required, max_length = 200)]
    pub title: Option<String>,
    #[schema(required, max_length = 200)]
    pub provider: Option<String>,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub description: String,
    #[schema(required, value_type = crate::wire::OpportunityKindId)]
    pub kind: Option<String>,
    #[schema(required, value_type = crate::wire::ModeId)]
    pub mode: Option<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub elements: Vec<String>,
    /// More than 0 and at most 1000.
    #[schema(required, value_type = crate::wire::Decimal)]
    pub hours: Option<serde_json::Value>,
    /// Pounds, 0 or more, as a number or a string with at most two decimals.
    #[schema(value_type = Option<crate::wire::Decimal>)]
    pub cost_per_place: Option<serde_json::Value>,
    #[schema(value_type = Option<crate::wire::VisibilityId>, default = "own")]
    pub visibility: Option<String>,
    /// Organisations that may book, when visibility is partners.
    #[serde(default)]
    pub partners: Vec<Uuid>,
    /// Manager approval before a place is taken: 0 (none), 1 (line manager) or 2 (line
    /// manager, then the employer's learning and development lead).
    #[schema(minimum = 0, maximum = 2, default = 0)]
    pub approval_stages: Option<i64>,
    /// Cancelling a place fewer than this many days before it starts still incurs the fee.
    #[schema(minimum = 0, maximum = 365, default = 0)]
    pub cancel_notice_days: Option<i64>,
    /// Days after the session when the supervisor is asked what has changed in practice.
    #[schema(minimum = 7, maximum = 730, default = 90)]
    pub follow_up_days: Option<i64>,
    #[serde(default)]
    pub sessions: Vec<SessionDraft>,
}

/// One run of an opportunity.
#[derive(Debug, Clone, Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SessionInput)]
pub struct SessionDraft {
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(required)]
    pub starts_at: Option<OffsetDateTime>,
    /// After `starts_at`.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(required)]
    pub ends_at: Option<OffsetDateTime>,
    #[schema(max_length = 200)]
    pub venue: Option<String>,
    #[schema(value_type = Option<crate::wire::LocalityId>)]
    pub locality: Option<String>,
    /// An https:// address.
    pub online_link: Option<String>,
    /// A town id from cairn's gazetteer (such as kirkwall or inverness), used for distance.
    pub town: Option<String>,
    #[schema(required, minimum = 1, maximum = 10000)]
    pub capacity: Option<i64>,
}

/// A checked opportunity.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidOpportunity {
    pub title: String,
    pub provider: String,
    pub description: String,
    pub kind: String,
    pub mode: String,
    pub topics: Vec<String>,
    pub elements: Vec<String>,
    pub hours: Hours,
    pub cost_pence: i64,
    pub visibility: String,
    pub partners: Vec<Uuid>,
    pub rules: BookingRules,
    pub sessions: Vec<ValidSession>,
}

/// How booking an opportunity works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingRules {
    pub approval_stages: i64,
    pub cancel_notice_days: i64,
    pub follow_up_days: i64,
}

impl Default for BookingRules {
    fn default() -> Self {
        BookingRules {
            approval_stages: 0,
            cancel_notice_days: 0,
            follow_up_days: 90,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidSession {
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub venue: Option<String>,
    pub locality: Option<String>,
    pub online_link: Option<String>,
    pub town: Option<String>,
    pub capacity: i64,
}

/// At most this many places in one session.
pub const MAX_CAPACITY: i64 = 10_000;

fn text(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    max: usize,
    what: &str,
) -> String {
    let value = value.map(str::trim).unwrap_or_default();
    let length = value.chars().count();
    if length == 0 || length > max {
        errors.push(field, format!("Enter {what}, 1 to {max} characters"));
    }
    value.to_owned()
}

fn term(errors: &mut FieldErrors, field: &str, value: Option<&str>, terms: &[Term]) -> String {
    let value = value.unwrap_or_default();
    if let Err(message) = vocabulary::check(terms, value) {
        errors.push(field, message);
    }
    value.to_owned()
}

/// Pounds with at most two decimals, as whole pence; never negative.
pub fn parse_pounds(value: &serde_json::Value) -> Result<i64, String> {
    let text = match value {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.trim().trim_start_matches('£').to_owned(),
        _ => String::new(),
    };
    const ACCEPTED: &str = "must be an amount in pounds of 0 or more, such as 120 or 85.50";
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || fraction.len() > 2
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || whole.len() > 9
    {
        return Err(ACCEPTED.to_owned());
    }
    let whole: i64 = whole.parse().map_err(|_| ACCEPTED.to_owned())?;
    let pence: i64 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| ACCEPTED.to_owned())?;
    Ok(whole * 100 + pence)
}

impl OpportunityDraft {
    /// Checks every field and reports all problems at once.
    pub fn validate(&self) -> Result<ValidOpportunity, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = text(&mut errors, "title", self.title.as_deref(), 200, "a title");
        let provider = text(
            &mut errors,
            "provider",
            self.provider.as_deref(),
            200,
            "who provides it",
        );
        if self.description.chars().count() > 5_000 {
            errors.push("description", "must be at most 5,000 characters");
        }
        let kind = term(&mut errors, "kind", self.kind.as_deref(), OPPORTUNITY_KINDS);
        let mode = term(&mut errors, "mode", self.mode.as_deref(), MODES);
        let visibility = term(
            &mut errors,
            "visibility",
            self.visibility.as_deref().or(Some("own")),
            VISIBILITIES,
        );
        if visibility == "partners" && self.partners.is_empty() {
            errors.push("partners", "Name at least one partner organisation");
        }
        let mut topics = Vec::new();
        for (i, topic) in self.topics.iter().enumerate() {
            match vocabulary::slug(topic) {
                Ok(slug) => topics.push(slug),
                Err(message) => errors.push(format!("topics[{i}]"), message),
            }
        }
        let mut elements = Vec::new();
        for (i, element) in self.elements.iter().enumerate() {
            match vocabulary::slug(element) {
                Ok(slug) => elements.push(slug),
                Err(message) => errors.push(format!("elements[{i}]"), message),
            }
        }
        let hours = match self
            .hours
            .as_ref()
            .map(|v| serde_json::from_value::<Hours>(v.clone()).map_err(|e| e.to_string()))
        {
            Some(Ok(hours)) if hours > Hours::ZERO && hours <= Hours::from_whole(1000) => hours,
            Some(Err(message)) => {
                errors.push("hours", message);
                Hours::ZERO
            }
            _ => {
                errors.push("hours", "must be more than 0 and at most 1000");
                Hours::ZERO
            }
        };
        let cost_pence = match self.cost_per_place.as_ref().map(parse_pounds) {
            None => 0,
            Some(Ok(pence)) => pence,
            Some(Err(message)) => {
                errors.push("cost_per_place", message);
                0
            }
        };
        let mut whole =
            |field: &str, value: Option<i64>, default: i64, range: (i64, i64), what: &str| {
                let value = value.unwrap_or(default);
                if (range.0..=range.1).contains(&value) {
                    value
                } else {
                    errors.push(field, format!("must be {what}, {} to {}", range.0, range.1));
                    default
                }
            };
        let defaults = BookingRules::default();
        let rules = BookingRules {
            approval_stages: whole(
                "approval_stages",
                self.approval_stages,
                defaults.approval_stages,
                (0, 2),
                "the number of approval stages",
            ),
            cancel_notice_days: whole(
                "cancel_notice_days",
                self.cancel_notice_days,
                defaults.cancel_notice_days,
                (0, 365),
                "a whole number of days",
            ),
            follow_up_days: whole(
                "follow_up_days",
                self.follow_up_days,
                defaults.follow_up_days,
                (7, 730),
                "a whole number of days",
            ),
        };
        let mut sessions = Vec::new();
        for (i, session) in self.sessions.iter().enumerate() {
            if let Some(valid) = session.validate(&format!("sessions[{i}]"), &mut errors) {
                sessions.push(valid);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidOpportunity {
            title,
            provider,
            description: self.description.trim().to_owned(),
            kind,
            mode,
            topics,
            elements,
            hours,
            cost_pence,
            visibility,
            partners: self.partners.clone(),
            rules,
            sessions,
        })
    }
}

impl SessionDraft {
    /// Checks the session; its problems are named under `at` (e.g. `sessions[1].capacity`).
    pub fn validate(&self, at: &str, errors: &mut FieldErrors) -> Option<ValidSession> {
        let before = errors.0.len();
        let field = |name: &str| format!("{at}.{name}");
        let starts_at = self.starts_at;
        let ends_at = self.ends_at;
        if starts_at.is_none() {
            errors.push(
                field("starts_at"),
                "Enter when it starts, such as 2027-03-01T09:30:00Z",
            );
        }
        if ends_at.is_none() {
            errors.push(
                field("ends_at"),
                "Enter when it ends, such as 2027-03-01T16:30:00Z",
            );
        }
        if let (Some(starts), Some(ends)) = (starts_at, ends_at)
            && ends <= starts
        {
            errors.push(field("ends_at"), "must be after it starts");
        }
        let capacity = match self.capacity {
            Some(n) if (1..=MAX_CAPACITY).contains(&n) => n,
            _ => {
                errors.push(
                    field("capacity"),
                    format!("must be a whole number of places from 1 to {MAX_CAPACITY}"),
                );
                0
            }
        };
        let locality = self.locality.clone().filter(|l| !l.is_empty());
        if let Some(locality) = &locality
            && let Err(message) = vocabulary::check(LOCALITIES, locality)
        {
            errors.push(field("locality"), message);
        }
        let online_link = self
            .online_link
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty());
        if let Some(link) = online_link
            && (!link.starts_with("https://")
                || link.len() > 500
                || link.contains(char::is_whitespace))
        {
            errors.push(field("online_link"), "must be an https:// address");
        }
        let venue = self
            .venue
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty());
        if venue.is_some_and(|v| v.chars().count() > 200) {
            errors.push(field("venue"), "must be at most 200 characters");
        }
        let town = self.town.clone().filter(|t| !t.is_empty());
        if let Some(town) = &town
            && let Err(message) = crate::places::check(town)
        {
            errors.push(field("town"), message);
        }
        if errors.0.len() > before {
            return None;
        }
        Some(ValidSession {
            // Kept in UTC so that times compare and sort the same in both databases.
            starts_at: starts_at?.to_offset(time::UtcOffset::UTC),
            ends_at: ends_at?.to_offset(time::UtcOffset::UTC),
            venue: venue.map(str::to_owned),
            locality,
            online_link: online_link.map(str::to_owned),
            town,
            capacity,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn draft(value: serde_json::Value) -> OpportunityDraft {
        serde_json::from_value(value).expect("draft")
    }

    #[test]
    fn a_good_opportunity_passes() {
        let valid = draft(json!({
            "title": "Trauma-informed practice", "provider": "NHS Education for Scotland",
            "kind": "course", "mode": "blended", "topics": ["trauma-informed-practice"],
            "hours": 6, "cost_per_place": "120.5", "visibility": "everyone",
            "sessions": [{"starts_at": "2027-03-01T09:30:00Z", "ends_at": "2027-03-01T16:30:00Z",
                          "venue": "Kirkwall", "locality": "island", "capacity": 12}]
        }))
        .validate()
        .expect("valid");
        assert_eq!(valid.cost_pence, 12050);
        assert_eq!(valid.sessions[0].capacity, 12);
        assert_eq!(valid.rules, BookingRules::default());
    }

    #[test]
    fn session_times_are_kept_in_utc_and_rules_checked() {
        let valid = draft(json!({
            "title": "Court skills", "provider": "SSSC", "kind": "course", "mode": "in-person",
            "hours": 3, "approval_stages": 2, "cancel_notice_days": 7,
            "sessions": [{"starts_at": "2027-06-01T09:30:00+01:00", "ends_at": "2027-06-01T12:30:00+01:00",
                          "town": "kirkwall", "capacity": 12}]
        }))
        .validate()
        .expect("valid");
        assert_eq!(valid.sessions[0].starts_at.offset(), time::UtcOffset::UTC);
        assert_eq!(valid.sessions[0].starts_at.hour(), 8);
        assert_eq!(valid.rules.approval_stages, 2);
        let errors = draft(
            json!({"approval_stages": 3, "cancel_notice_days": -1, "follow_up_days": 1,
                                  "sessions": [{"town": "atlantis"}]}),
        )
        .validate()
        .expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        for field in [
            "approval_stages",
            "cancel_notice_days",
            "follow_up_days",
            "sessions[0].town",
        ] {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
    }

    #[test]
    fn every_problem_is_named_by_field() {
        let errors = draft(json!({
            "title": "", "kind": "lecture", "mode": "online", "hours": -1,
            "cost_per_place": -5, "visibility": "partners",
            "sessions": [{"starts_at": "2027-03-01T16:30:00Z", "ends_at": "2027-03-01T09:30:00Z",
                          "capacity": -3, "online_link": "http://x"}]
        }))
        .validate()
        .expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        for field in [
            "title",
            "provider",
            "kind",
            "hours",
            "cost_per_place",
            "partners",
            "sessions[0].ends_at",
            "sessions[0].capacity",
            "sessions[0].online_link",
        ] {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
    }

    #[test]
    fn pounds_are_exact_and_never_negative() {
        assert_eq!(parse_pounds(&json!(0)), Ok(0));
        assert_eq!(parse_pounds(&json!("£85.5")), Ok(8550));
        assert_eq!(parse_pounds(&json!(0.1)), Ok(10));
        for bad in [
            json!(-1),
            json!("1.234"),
            json!("ten"),
            json!(null),
            json!(""),
        ] {
            assert!(parse_pounds(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn attending_makes_the_matching_kind_of_entry() {
        assert_eq!(entry_kind("pq-programme"), "qualification");
        assert_eq!(entry_kind("course"), "course");
        for (kind, _) in OPPORTUNITY_KINDS {
            assert!(vocabulary::check(vocabulary::KINDS, entry_kind(kind)).is_ok());
        }
    }
}

crate::stored_id! {
    /// Where a booking stands. Stored and sent as its id (`booked`); parsed once when read.
    pub enum BookingStatus ("a booking status") {
        Pending = "pending", "Waiting for approval";
        Refused = "refused", "Not approved";
        Booked = "booked", "Booked";
        Waiting = "waiting", "On the waiting list";
        Cancelled = "cancelled", "Cancelled";
        Attended = "attended", "Attended";
        Absent = "absent", "Absent";
    }
}

impl BookingStatus {
    /// Whether the person can still give it up (before the session starts).
    pub fn cancellable(self) -> bool {
        matches!(
            self,
            BookingStatus::Booked | BookingStatus::Waiting | BookingStatus::Pending
        )
    }

    /// Whether the person had a place, so attendance can be marked.
    pub fn had_a_place(self) -> bool {
        matches!(
            self,
            BookingStatus::Booked | BookingStatus::Attended | BookingStatus::Absent
        )
    }
}

#[cfg(test)]
mod booking_status_tests {
    use super::BookingStatus;

    #[test]
    fn the_stored_ids_stay_as_they_were() {
        let ids: Vec<&str> = BookingStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            ids,
            [
                "pending",
                "refused",
                "booked",
                "waiting",
                "cancelled",
                "attended",
                "absent"
            ]
        );
        assert!("lost".parse::<BookingStatus>().is_err());
    }
}
