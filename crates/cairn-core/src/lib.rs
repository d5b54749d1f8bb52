//! cairn's pure domain: the values a learning record is made of, checked once at the edge
//! and trusted afterwards, and the portable `cairn-record/1` format. No I/O, no async, no
//! database: everything here is deterministic and tested in isolation.
#![forbid(unsafe_code)]

pub mod catalogue;
pub mod costs;
pub mod duration;
pub mod email;
pub mod entry;
pub mod evaluation;
pub mod evidence;
pub mod field;
pub mod hours;
pub mod ical;
pub mod nqsw;
pub mod places;
pub mod plan;
pub mod record;
pub mod role;
pub mod status;
pub mod stored_id;
pub mod supervision;
pub mod vocabulary;
pub mod wire;

pub use duration::CalendarDuration;
pub use email::Email;
pub use entry::{EntryDraft, ValidEntry};
pub use field::{FieldError, FieldErrors};
pub use hours::Hours;
pub use role::{Role, RoleGrant};
pub mod policy;

/// A date as people write it in the UK: `2 March 2027`.
pub fn long_date(date: time::Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}
