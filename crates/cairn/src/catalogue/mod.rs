//! The shared catalogue: opportunities that organisations offer, their sessions, bookings with
//! a waiting list that moves by itself, attendance that writes the learning entry, and the
//! notifications that tell people what happened.

pub mod api;
pub mod approval;
pub mod pages;
pub mod service;
pub mod shared;
pub mod store;

use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

/// An opportunity with its sessions, as the catalogue shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Opportunity {
    pub id: Uuid,
    pub org_id: Uuid,
    pub title: String,
    pub provider: String,
    pub description: String,
    pub kind: String,
    pub mode: String,
    pub topics: Vec<String>,
    pub elements: Vec<String>,
    pub hours: cairn_core::Hours,
    /// Pounds, exact (e.g. "120.50").
    pub cost_per_place: String,
    pub visibility: String,
    pub partners: Vec<Uuid>,
    #[serde(skip)]
    pub cost_pence: i64,
    /// Manager approvals needed before a place is taken: 0, 1 (line manager) or 2 (then the
    /// employer's learning and development lead).
    pub approval_stages: i64,
    /// Cancelling fewer than this many days before the start still incurs the fee.
    pub cancel_notice_days: i64,
    /// Days after the session when the supervisor is asked what changed in practice.
    pub follow_up_days: i64,
    pub sessions: Vec<Session>,
}

impl Opportunity {
    /// Whether someone employed by `orgs` may see and book it.
    pub fn open_to(&self, orgs: &[Uuid]) -> bool {
        match self.visibility.as_str() {
            "everyone" => true,
            "partners" => orgs
                .iter()
                .any(|org| *org == self.org_id || self.partners.contains(org)),
            _ => orgs.contains(&self.org_id),
        }
    }
}

/// One run of an opportunity, with how full it is.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Session {
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub starts_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub ends_at: OffsetDateTime,
    pub venue: Option<String>,
    pub locality: Option<String>,
    pub online_link: Option<String>,
    /// Town id (cairn-core's places).
    pub town: Option<String>,
    pub capacity: i64,
    pub booked: i64,
    pub waiting: i64,
}

/// Where a person's booking stands.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Booking {
    pub id: Uuid,
    pub session_id: Uuid,
    pub opportunity_id: Uuid,
    pub title: String,
    #[serde(with = "time::serde::rfc3339")]
    pub starts_at: OffsetDateTime,
    pub status: BookingStatus,
    /// Place on the waiting list (1 is next), when waiting.
    pub position: Option<i64>,
    /// The approval stage it waits for (1 line manager, 2 learning and development), when
    /// pending.
    pub awaiting_stage: Option<i64>,
    pub approval_stages: i64,
    /// Cancelled inside the notice: the fee is still owed.
    pub late_cancellation: bool,
    /// The manager who put the person forward.
    pub nominated_by: Option<Uuid>,
    pub entry_id: Option<Uuid>,
}

pub use cairn_core::catalogue::BookingStatus;
pub use cairn_core::costs::pounds;

impl Booking {
    /// Where the booking stands, in words for the person.
    pub fn status_words(&self) -> String {
        use BookingStatus as S;
        match (self.status, self.position, self.awaiting_stage) {
            (S::Booked, _, _) => "You have a place".to_owned(),
            (S::Waiting, Some(p), _) => format!("You are number {p} on the waiting list"),
            (S::Waiting, None, _) => "You are on the waiting list".to_owned(),
            (S::Pending, _, Some(1)) => "Waiting for your line manager's approval".to_owned(),
            (S::Pending, _, _) => "Waiting for learning and development's approval".to_owned(),
            (S::Refused, _, _) => "Not approved".to_owned(),
            (S::Cancelled, _, _) if self.late_cancellation => {
                "Cancelled late: the fee is still charged".to_owned()
            }
            (S::Cancelled, _, _) => "Cancelled".to_owned(),
            (S::Attended, _, _) => "You attended: it is in your record".to_owned(),
            (S::Absent, _, _) => "Marked absent".to_owned(),
        }
    }

    /// Whether the person can still cancel it (before the session starts).
    pub fn cancellable(&self) -> bool {
        self.status.cancellable()
    }
}
