//! Supervision as it is recorded: a session held on a day, for a while, with its attendees,
//! the balance of its agenda, the actions agreed (each with an owner and a due date) and, for
//! a session between two people, private notes. And when the next one is due.

use crate::entry::{EARLIEST_DATE, parse_iso_date};
use crate::field::FieldErrors;
use crate::vocabulary::{self, Term};
use serde::Deserialize;
use time::{Date, Duration};
use uuid::Uuid;

crate::stored_id! {
    /// The kinds of supervision session.
    pub enum SessionKind ("the kinds of supervision") {
        Individual = "individual", "Individual";
        Group = "group", "Group";
        /// Recorded by one colleague; counts for the others once they confirm it.
        Peer = "peer", "Peer";
    }
}

/// The kinds of supervision session, as the vocabulary's terms.
pub const SESSION_KINDS: &[Term] = SessionKind::TERMS;

/// The parts of an agenda whose balance is recorded, in percent of the session.
pub const AGENDA: &[Term] = &[
    ("case_management", "Case management"),
    ("reflection", "Reflection on practice"),
    ("professional_development", "Professional development"),
    ("wellbeing", "Wellbeing"),
];

/// How often supervision is due unless the organisation says otherwise: every two weeks in a
/// newly qualified worker's first year, monthly after.
pub const DEFAULT_NQSW_EVERY_DAYS: i64 = 14;
pub const DEFAULT_EVERY_DAYS: i64 = 30;

/// An action as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionDraft {
    #[schema(required, max_length = 500)]
    pub description: Option<String>,
    #[schema(required)]
    pub owner: Option<Uuid>,
    #[schema(required, value_type = String, format = Date)]
    pub due_on: Option<String>,
}

/// A session as sent (JSON or the form); unknown fields are refused.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SupervisionInput)]
pub struct SessionDraft {
    /// Not in the future.
    #[schema(required, value_type = String, format = Date)]
    pub held_on: Option<String>,
    #[schema(required, minimum = 5, maximum = 600)]
    pub duration_minutes: Option<i64>,
    #[schema(required, value_type = crate::wire::SupervisionKindId)]
    pub kind: Option<String>,
    /// People you supervise (for peer supervision: colleagues).
    #[serde(default)]
    #[schema(required)]
    pub attendees: Vec<Uuid>,
    /// Percent of the session for each part of [`AGENDA`], summing to 100.
    #[serde(default)]
    #[schema(required, value_type = crate::wire::Agenda)]
    pub agenda: std::collections::BTreeMap<String, i64>,
    #[serde(default)]
    #[schema(max_length = 20000)]
    pub notes: String,
    /// Individual sessions only; seen by the two people only.
    #[serde(default)]
    #[schema(max_length = 20000)]
    pub private_notes: String,
    #[serde(default)]
    pub actions: Vec<ActionDraft>,
    /// Add the session to each attendee's learning record (kind supervision).
    #[serde(default)]
    pub add_to_records: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAction {
    pub description: String,
    pub owner: Uuid,
    pub due_on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSession {
    pub held_on: Date,
    pub duration_minutes: i64,
    pub kind: SessionKind,
    pub attendees: Vec<Uuid>,
    /// Percent for each part of [`AGENDA`], in its order.
    pub agenda: [i64; 4],
    pub notes: String,
    pub private_notes: String,
    pub actions: Vec<ValidAction>,
    pub add_to_records: bool,
}

const MAX_NOTES: usize = 20_000;

impl SessionDraft {
    /// Checks every field, naming each problem. `supervisor` records the session; `today`
    /// bounds when it can have been held.
    pub fn validate(&self, supervisor: Uuid, today: Date) -> Result<ValidSession, FieldErrors> {
        let mut errors = FieldErrors::default();
        let held_on = match self.held_on.as_deref().map(parse_iso_date) {
            Some(Some(day)) if day > today => {
                errors.push(
                    "held_on",
                    "A session in the future cannot be recorded as held: record it on the day",
                );
                None
            }
            Some(Some(day)) if day < EARLIEST_DATE => {
                errors.push("held_on", "must be on or after 1950-01-01");
                None
            }
            Some(Some(day)) => Some(day),
            _ => {
                errors.push("held_on", "Enter the day it was held, such as 2026-11-20");
                None
            }
        };
        let duration_minutes = match self.duration_minutes {
            Some(minutes) if (5..=600).contains(&minutes) => minutes,
            _ => {
                errors.push(
                    "duration_minutes",
                    "Enter how long it lasted: 5 to 600 minutes",
                );
                0
            }
        };
        let kind = SessionKind::checked(self.kind.as_deref().unwrap_or_default());
        if let Err(message) = &kind {
            errors.push("kind", message.clone());
        }
        let mut attendees: Vec<Uuid> = Vec::new();
        for person in &self.attendees {
            if *person != supervisor && !attendees.contains(person) {
                attendees.push(*person);
            }
        }
        if attendees.is_empty() {
            errors.push("attendees", "Choose who was supervised");
        } else if kind == Ok(SessionKind::Individual) && attendees.len() > 1 {
            errors.push(
                "attendees",
                "An individual session is with one person: choose group for more",
            );
        }
        let mut agenda = [0; 4];
        for (name, percent) in &self.agenda {
            match AGENDA.iter().position(|(id, _)| id == name) {
                Some(i) if (0..=100).contains(percent) => agenda[i] = *percent,
                Some(_) => errors.push(format!("agenda.{name}"), "must be a percentage, 0 to 100"),
                None => errors.push(
                    format!("agenda.{name}"),
                    "is not part of the agenda; use case_management, reflection, professional_development or wellbeing",
                ),
            }
        }
        if agenda.iter().sum::<i64>() != 100 {
            errors.push(
                "agenda",
                format!(
                    "The balance of the agenda must add up to 100 %; it adds up to {} %",
                    agenda.iter().sum::<i64>()
                ),
            );
        }
        if self.notes.chars().count() > MAX_NOTES {
            errors.push("notes", "must be at most 20,000 characters");
        }
        let private_notes = self.private_notes.trim().to_owned();
        if private_notes.chars().count() > MAX_NOTES {
            errors.push("private_notes", "must be at most 20,000 characters");
        }
        if !private_notes.is_empty() && kind.as_ref().is_ok_and(|k| *k != SessionKind::Individual) {
            errors.push(
                "private_notes",
                "Private notes are kept only for an individual session, between its two people",
            );
        }
        let mut actions = Vec::new();
        for (i, action) in self.actions.iter().enumerate() {
            let field = |name: &str| format!("actions[{i}].{name}");
            let description = action.description.as_deref().unwrap_or_default().trim();
            if description.is_empty() || description.chars().count() > 500 {
                errors.push(
                    field("description"),
                    "Say what will be done, up to 500 characters",
                );
            }
            let owner = match action.owner {
                Some(owner) if owner == supervisor || attendees.contains(&owner) => Some(owner),
                Some(_) => {
                    errors.push(field("owner"), "The owner must be someone at the session");
                    None
                }
                None => {
                    errors.push(
                        field("owner"),
                        "Every action needs an owner: who will do it?",
                    );
                    None
                }
            };
            let due_on = match action.due_on.as_deref().map(parse_iso_date) {
                Some(Some(due)) if held_on.is_some_and(|held| due < held) => {
                    errors.push(
                        field("due_on"),
                        "must be on or after the day of the session",
                    );
                    None
                }
                Some(Some(due)) => Some(due),
                _ => {
                    errors.push(field("due_on"), "Enter when it is due, such as 2026-12-18");
                    None
                }
            };
            if let (Some(owner), Some(due_on)) = (owner, due_on) {
                actions.push(ValidAction {
                    description: description.to_owned(),
                    owner,
                    due_on,
                });
            }
        }
        let (Some(held_on), Ok(kind)) = (held_on.filter(|_| errors.is_empty()), kind) else {
            return Err(errors);
        };
        Ok(ValidSession {
            held_on,
            duration_minutes,
            kind,
            attendees,
            agenda,
            notes: self.notes.trim().to_owned(),
            private_notes,
            actions,
            add_to_records: self.add_to_records,
        })
    }
}

/// A team learning session as sent: what was learnt together, when, for how long, and who
/// took part.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamSessionDraft {
    #[schema(required, max_length = 200)]
    pub title: Option<String>,
    #[schema(required, value_type = String, format = Date)]
    pub held_on: Option<String>,
    #[schema(required, value_type = crate::wire::Decimal)]
    pub hours: Option<serde_json::Value>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub description: String,
    #[serde(default)]
    #[schema(required)]
    pub attendees: Vec<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidTeamSession {
    pub title: String,
    pub held_on: Date,
    pub hours: crate::Hours,
    pub topics: Vec<String>,
    pub description: String,
    pub attendees: Vec<Uuid>,
}

impl TeamSessionDraft {
    pub fn validate(&self, leader: Uuid, today: Date) -> Result<ValidTeamSession, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = self.title.as_deref().unwrap_or_default().trim().to_owned();
        if title.is_empty() || title.chars().count() > 200 {
            errors.push("title", "Say what the team learnt, 1 to 200 characters");
        }
        let held_on = match self.held_on.as_deref().map(parse_iso_date) {
            Some(Some(day)) if day > today => {
                errors.push(
                    "held_on",
                    "A session in the future cannot be recorded as held",
                );
                None
            }
            Some(Some(day)) if day >= EARLIEST_DATE => Some(day),
            _ => {
                errors.push("held_on", "Enter the day it was held, such as 2026-11-20");
                None
            }
        };
        let hours = match self
            .hours
            .as_ref()
            .map(|v| serde_json::from_value::<crate::Hours>(v.clone()))
        {
            Some(Ok(hours))
                if hours > crate::Hours::ZERO && hours <= crate::Hours::from_whole(24) =>
            {
                hours
            }
            _ => {
                errors.push("hours", "must be more than 0 and at most 24, such as 1.5");
                crate::Hours::ZERO
            }
        };
        let mut topics = Vec::new();
        for (i, topic) in self.topics.iter().enumerate() {
            match vocabulary::slug(topic) {
                Ok(slug) => topics.push(slug),
                Err(message) => errors.push(format!("topics[{i}]"), message),
            }
        }
        if self.description.chars().count() > 5_000 {
            errors.push("description", "must be at most 5,000 characters");
        }
        let mut attendees: Vec<Uuid> = Vec::new();
        for person in &self.attendees {
            if *person != leader && !attendees.contains(person) {
                attendees.push(*person);
            }
        }
        if attendees.is_empty() {
            errors.push("attendees", "Choose who took part");
        }
        let Some(held_on) = held_on.filter(|_| errors.is_empty()) else {
            return Err(errors);
        };
        Ok(ValidTeamSession {
            title,
            held_on,
            hours,
            topics,
            description: self.description.trim().to_owned(),
            attendees,
        })
    }
}

/// When someone's next supervision is due: `every_days` after the later of their last one
/// and the day their job began (a session at an earlier job does not make a new starter
/// overdue on their first day).
pub fn next_due(last_held: Option<Date>, started: Date, every_days: i64) -> Date {
    last_held.map_or(started, |last| last.max(started)) + Duration::days(every_days)
}

/// How long "newly qualified" lasts: the first year of a first registration.
pub const FIRST_YEAR_DAYS: i64 = 365;

/// The earliest start of a first registration that is still in its first year on `today`
/// (a registration that began after this day makes its holder newly qualified).
pub fn first_year_began_after(today: Date) -> Date {
    today - Duration::days(FIRST_YEAR_DAYS)
}

/// Whether someone is newly qualified on `today`: one of their registrations (given as
/// `(first, start_date)`) is their first and began less than a year ago.
pub fn newly_qualified(registrations: impl IntoIterator<Item = (bool, Date)>, today: Date) -> bool {
    let after = first_year_began_after(today);
    registrations
        .into_iter()
        .any(|(first, start)| first && start > after)
}

/// How often an organisation wants supervision held, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frequency {
    /// For the newly qualified, in their first registered year.
    pub newly_qualified_every: i64,
    /// For everyone else.
    pub every: i64,
}

impl Frequency {
    /// The interval that applies to a person.
    pub fn every_days(self, newly_qualified: bool) -> i64 {
        if newly_qualified {
            self.newly_qualified_every
        } else {
            self.every
        }
    }

    /// When a person's next supervision is due: from their last one, or from the day their
    /// job began when they have had none, at the interval that applies to them.
    pub fn next_due(self, last_held: Option<Date>, started: Date, newly_qualified: bool) -> Date {
        next_due(last_held, started, self.every_days(newly_qualified))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn draft(value: serde_json::Value) -> SessionDraft {
        serde_json::from_value(value).expect("draft")
    }

    #[test]
    fn the_newly_qualified_are_in_the_first_year_of_a_first_registration() {
        let today = date!(2026 - 11 - 23);
        assert!(newly_qualified([(true, date!(2026 - 01 - 05))], today));
        assert!(
            !newly_qualified([(true, date!(2025 - 11 - 23))], today),
            "a year to the day is over"
        );
        assert!(newly_qualified([(true, date!(2025 - 11 - 24))], today));
        assert!(
            !newly_qualified([(false, date!(2026 - 10 - 01))], today),
            "a returning worker's new registration is not a first"
        );
        assert!(!newly_qualified([], today));
        let often = Frequency {
            newly_qualified_every: 14,
            every: 30,
        };
        let started = date!(2026 - 11 - 01);
        assert_eq!(often.next_due(None, started, true), date!(2026 - 11 - 15));
        assert_eq!(
            often.next_due(Some(date!(2026 - 11 - 10)), started, false),
            date!(2026 - 12 - 10)
        );
    }

    #[test]
    fn a_good_session_passes_and_the_supervisor_is_not_an_attendee() {
        let (supervisor, ann) = (Uuid::now_v7(), Uuid::now_v7());
        let valid = draft(serde_json::json!({
            "held_on": "2026-11-20", "duration_minutes": 90, "kind": "individual",
            "attendees": [ann, supervisor],
            "agenda": {"case_management": 40, "reflection": 30, "professional_development": 20, "wellbeing": 10},
            "private_notes": "Talked about the move.",
            "actions": [{"description": "Book court skills", "owner": ann, "due_on": "2026-12-18"}]
        }))
        .validate(supervisor, date!(2026 - 11 - 23))
        .expect("valid");
        assert_eq!(valid.attendees, vec![ann]);
        assert_eq!(valid.agenda, [40, 30, 20, 10]);
        assert_eq!(valid.actions[0].owner, ann);
    }

    #[test]
    fn every_problem_is_named() {
        let (supervisor, ann, bob, stranger) = (
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
        );
        let errors = draft(serde_json::json!({
            "held_on": "2026-12-01", "duration_minutes": 0, "kind": "individual",
            "attendees": [ann, bob], "agenda": {"case_management": 50, "gossip": 10},
            "actions": [{"description": "Read the policy", "due_on": "2026-12-18"},
                        {"description": "x", "owner": stranger, "due_on": "soon"}]
        }))
        .validate(supervisor, date!(2026 - 11 - 23))
        .expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        for field in [
            "held_on",
            "duration_minutes",
            "attendees",
            "agenda.gossip",
            "agenda",
            "actions[0].owner",
            "actions[1].owner",
            "actions[1].due_on",
        ] {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
    }

    #[test]
    fn private_notes_only_between_two_people() {
        let (supervisor, ann, bob) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let errors = draft(serde_json::json!({
            "held_on": "2026-11-20", "duration_minutes": 60, "kind": "group", "attendees": [ann, bob],
            "agenda": {"reflection": 100}, "private_notes": "Not for a group"
        }))
        .validate(supervisor, date!(2026 - 11 - 23))
        .expect_err("invalid");
        assert_eq!(errors.0[0].field, "private_notes");
    }

    #[test]
    fn a_team_session_needs_a_title_a_past_day_hours_and_people() {
        let leader = Uuid::now_v7();
        let errors = TeamSessionDraft {
            held_on: Some("2026-12-01".into()),
            hours: Some(serde_json::json!(0)),
            attendees: vec![leader],
            ..Default::default()
        }
        .validate(leader, date!(2026 - 11 - 23))
        .expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "held_on", "hours", "attendees"]);
    }

    #[test]
    fn the_next_session_is_due_from_the_last() {
        assert_eq!(
            next_due(Some(date!(2026 - 11 - 01)), date!(2020 - 01 - 01), 14),
            date!(2026 - 11 - 15)
        );
        assert_eq!(
            next_due(None, date!(2026 - 11 - 01), 30),
            date!(2026 - 12 - 01)
        );
        // A session at an earlier job: the count starts from the new job.
        assert_eq!(
            next_due(Some(date!(2025 - 06 - 01)), date!(2026 - 11 - 01), 30),
            date!(2026 - 12 - 01)
        );
    }
}
