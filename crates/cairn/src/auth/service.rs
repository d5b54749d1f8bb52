//! What other features may call in auth: the reads and writes they need, given the
//! database (or an open transaction) and the clock's today. Behind this face the store may
//! change freely.

pub use super::calendar_token::token_of as calendar_token_of;
pub use super::store::role_grant;
