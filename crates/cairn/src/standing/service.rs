//! What other features may call in standing: the person's declarations (the portable record
//! carries them).

pub use super::declarations::for_person as declarations_of;
