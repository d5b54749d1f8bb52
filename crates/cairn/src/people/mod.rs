//! Organisations, their teams, people, their employment, registrations and roles.
//!
//! A person's record belongs to the person; an organisation sees it only while it employs
//! them (see `authz`).

pub mod api;
pub mod import;
pub mod invitation;
pub mod pages;
pub mod service;
pub mod store;

pub use cairn_core::status::InvitationStatus;
use serde::Serialize;
use time::Date;
use uuid::Uuid;

/// An employer: a local authority, partnership, NHS board, third-sector or private provider.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Organisation {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
}

/// A team within an organisation, in a service and a locality.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Team {
    pub id: Uuid,
    pub org_id: Uuid,
    pub name: String,
    pub service: String,
    pub locality: String,
    /// Where the team is based: a town id from cairn-core's places.
    pub town: Option<String>,
}

/// A person as others see them (never their password hash).
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Person {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_year: Option<i64>,
}

/// A spell of employment.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Employment {
    pub id: Uuid,
    pub org_id: Uuid,
    pub org_name: String,
    pub team_id: Option<Uuid>,
    pub team_name: Option<String>,
    pub job_role: String,
    pub start_date: Date,
    pub end_date: Option<Date>,
    /// Contracted hours per week, in ten-thousandths of an hour (see `cairn_core::Hours`).
    #[serde(serialize_with = "serialize_units")]
    pub hours_per_week: i64,
}

fn serialize_units<S: serde::Serializer>(units: &i64, serializer: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&cairn_core::Hours::from_units(*units), serializer)
}

impl Employment {
    /// Whether this employment is current on `day` (the end date is the last day worked).
    pub fn is_current(&self, day: Date) -> bool {
        self.start_date <= day && self.end_date.is_none_or(|end| end >= day)
    }
}

/// A registration with a regulator.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Registration {
    pub id: Uuid,
    pub register: String,
    pub part: String,
    #[serde(rename = "start")]
    pub start_date: Date,
    pub first: bool,
}

/// What must be given to create a person.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub email: cairn_core::Email,
    pub name: String,
    pub password_hash: Option<String>,
    pub birth_year: Option<i64>,
    pub employment: Option<NewEmployment>,
    pub registrations: Vec<NewRegistration>,
    pub roles: Vec<(Uuid, String)>,
}

/// A new spell of employment.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, Serialize, utoipa::ToSchema)]
pub struct NewEmployment {
    pub org_id: Uuid,
    pub team_id: Option<Uuid>,
    pub job_role: String,
    pub start_date: Date,
    pub end_date: Option<Date>,
    pub hours_per_week: cairn_core::Hours,
}

/// A new registration.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, Serialize, utoipa::ToSchema)]
pub struct NewRegistration {
    pub register: String,
    pub part: String,
    pub start_date: Date,
    pub first: bool,
}

impl Registration {
    /// "Scottish Social Services Council: Social worker, from 1 March 2020, first registration".
    pub fn describe(&self) -> String {
        use cairn_core::vocabulary::{REGISTER_PARTS, REGISTERS, label};
        let register = label(REGISTERS, &self.register).unwrap_or(&self.register);
        let part = label(REGISTER_PARTS, &self.part).unwrap_or(&self.part);
        let first = if self.first {
            ", first registration"
        } else {
            ""
        };
        format!(
            "{register}: {part}, from {}{first}",
            cairn_core::long_date(self.start_date)
        )
    }
}

/// What an organisation offers someone it does not employ yet: the feed row, kept until the
/// person accepts (then it is applied) or declines.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, Serialize, utoipa::ToSchema)]
pub struct Offer {
    /// The name the organisation knows them by (the person's own name is never changed).
    pub name: String,
    pub employment: NewEmployment,
    pub registrations: Vec<NewRegistration>,
    /// Roles in the inviting organisation.
    pub roles: Vec<String>,
    pub supervisor_email: Option<String>,
}

/// An invitation to be employed by an organisation, as the person and the organisation see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Invitation {
    pub id: Uuid,
    pub org_id: Uuid,
    pub org_name: String,
    pub person_id: Uuid,
    pub email: String,
    pub offer: Offer,
    pub status: InvitationStatus,
    pub created_at: time::OffsetDateTime,
}
