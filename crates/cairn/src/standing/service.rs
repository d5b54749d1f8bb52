//! What other features may call in standing: the person's declarations (the portable record
//! carries them), and keeping a person's standing in the transaction of a write that changes
//! what the rules read.

pub use super::declarations::for_person as declarations_of;
pub use super::kept::move_on;
pub use super::kept::refresh_in as refresh_standing_in;
pub use super::kept::refresh_on as refresh_standing_on;
pub use super::kept::{KeptHeadline, KeptLine, headline as kept_headline, of_person as kept_lines};
