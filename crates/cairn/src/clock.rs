//! The time of day, injectable so that tests can fix "today".

use time::{Date, OffsetDateTime};

/// Where the application reads the time from.
#[derive(Clone, Copy, Debug, Default)]
pub enum Clock {
    /// The system clock, in UTC.
    #[default]
    System,
    /// Always this instant (tests).
    Fixed(OffsetDateTime),
}

impl Clock {
    /// Now, in UTC, to the microsecond (both databases keep microseconds).
    pub fn now(&self) -> OffsetDateTime {
        let now = match self {
            Clock::System => OffsetDateTime::now_utc(),
            Clock::Fixed(instant) => *instant,
        };
        now.replace_nanosecond(now.nanosecond() / 1000 * 1000)
            .unwrap_or(now)
    }
    /// Today's date where people are (crate::zone): learning "happened today" is judged
    /// against it, and so is every deadline.
    pub fn today(&self) -> Date {
        crate::zone::current().date(self.now())
    }
}
