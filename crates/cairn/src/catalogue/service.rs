//! What other features may call in catalogue: the reads and writes they need, given the
//! database (or an open transaction) and the clock's today. Behind this face the store may
//! change freely.

pub use super::store::{booking, bookings_of, get_booking, get_opportunity, offered_by};
