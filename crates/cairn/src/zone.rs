//! Local time. Instants are stored in UTC; people type and read times in the zone their
//! organisations work in (Europe/London unless `CAIRN_TIME_ZONE` names another), and "today"
//! is the date there: learning recorded at 00:30 on a summer night is today's, not yesterday's,
//! and a session typed as 09:30 in June is 08:30 UTC. The tz database is built into the binary.

use std::sync::OnceLock;
use time::{Date, OffsetDateTime, Time, UtcOffset};

/// The zone when none is configured.
pub const DEFAULT: &str = "Europe/London";

static ZONE: OnceLock<Zone> = OnceLock::new();

/// A time zone of the tz database.
#[derive(Debug, Clone)]
pub struct Zone {
    name: String,
    tz: jiff::tz::TimeZone,
}

impl Zone {
    /// The zone of that tz database name ("Europe/London"), or what is accepted.
    pub fn named(name: &str) -> anyhow::Result<Self> {
        let tz = jiff::tz::TimeZone::get(name).map_err(|_| {
            anyhow::anyhow!(
                "--time-zone (CAIRN_TIME_ZONE): \u{201c}{name}\u{201d} is not a time zone of the tz \
                 database; write one such as Europe/London or Europe/Dublin"
            )
        })?;
        Ok(Self {
            name: name.to_owned(),
            tz,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// How far the zone is from UTC at `at` (an hour ahead in a British summer).
    pub fn offset_at(&self, at: OffsetDateTime) -> UtcOffset {
        jiff::Timestamp::from_second(at.unix_timestamp())
            .ok()
            .and_then(|ts| UtcOffset::from_whole_seconds(self.tz.to_offset(ts).seconds()).ok())
            .unwrap_or(UtcOffset::UTC)
    }

    /// The instant as the zone's clocks show it.
    pub fn local(&self, at: OffsetDateTime) -> OffsetDateTime {
        at.to_offset(self.offset_at(at))
    }

    /// The date in the zone at `at`.
    pub fn date(&self, at: OffsetDateTime) -> Date {
        self.local(at).date()
    }

    /// The instant (in UTC) that the zone's clocks show as `time` on `date`. A time the clocks
    /// skip in spring (01:30 on the last Sunday of March) is read as the same time after the
    /// change (02:30 summer time); one they show twice in autumn, as the first.
    pub fn instant(&self, date: Date, time: Time) -> Option<OffsetDateTime> {
        let civil = jiff::civil::date(
            i16::try_from(date.year()).ok()?,
            i8::try_from(u8::from(date.month())).ok()?,
            i8::try_from(date.day()).ok()?,
        )
        .at(
            i8::try_from(time.hour()).ok()?,
            i8::try_from(time.minute()).ok()?,
            i8::try_from(time.second()).ok()?,
            0,
        );
        let zoned = civil.to_zoned(self.tz.clone()).ok()?;
        OffsetDateTime::from_unix_timestamp(zoned.timestamp().as_second()).ok()
    }
}

/// The instant the zone's clocks show `time` on `date`; midnight when the time does not exist
/// there (a time in the spring gap is read as after it, so this is only for times of day that
/// were themselves computed, such as the demo's 09:30).
pub fn at(date: Date, time: Time) -> OffsetDateTime {
    current()
        .instant(date, time)
        .unwrap_or_else(|| date.midnight().assume_utc())
}

/// The instant the day begins in the zone: where a day's range of instants starts.
pub fn midnight(date: Date) -> OffsetDateTime {
    at(date, Time::MIDNIGHT)
}

/// Sets the zone for the life of the process (once, at start-up; later calls keep the first).
pub fn configure(zone: Zone) {
    let _ = ZONE.set(zone);
}

/// The zone times are entered and shown in.
pub fn current() -> &'static Zone {
    ZONE.get_or_init(|| Zone::named(DEFAULT).expect("Europe/London is in the built-in tz database"))
}

/// `at` as the zone's clocks show it.
pub fn local(at: OffsetDateTime) -> OffsetDateTime {
    current().local(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime, time};

    #[test]
    fn london_is_utc_in_winter_and_an_hour_ahead_in_summer() {
        let london = Zone::named("Europe/London").expect("zone");
        assert_eq!(london.local(datetime!(2027-01-15 09:30 UTC)).hour(), 9);
        assert_eq!(london.local(datetime!(2027-06-15 08:30 UTC)).hour(), 9);
        assert_eq!(
            london.instant(date!(2027 - 06 - 15), time!(09:30)),
            Some(datetime!(2027-06-15 08:30 UTC))
        );
        assert_eq!(
            london.instant(date!(2027 - 01 - 15), time!(09:30)),
            Some(datetime!(2027-01-15 09:30 UTC))
        );
        // Half past midnight in summer is already tomorrow in London.
        assert_eq!(
            london.date(datetime!(2027-06-14 23:30 UTC)),
            date!(2027 - 06 - 15)
        );
    }

    #[test]
    fn times_across_both_clock_changes() {
        let london = Zone::named("Europe/London").expect("zone");
        // 28 March 2027: clocks go forward at 01:00 UTC; 01:30 does not happen in London.
        assert_eq!(
            london.instant(date!(2027 - 03 - 28), time!(00:30)),
            Some(datetime!(2027-03-28 00:30 UTC))
        );
        assert_eq!(
            london.instant(date!(2027 - 03 - 28), time!(01:30)),
            Some(datetime!(2027-03-28 01:30 UTC)),
            "the skipped half hour is read as 02:30 summer time"
        );
        assert_eq!(
            london.instant(date!(2027 - 03 - 28), time!(09:30)),
            Some(datetime!(2027-03-28 08:30 UTC))
        );
        // 31 October 2027: clocks go back at 01:00 UTC; 01:30 happens twice, the first counts.
        assert_eq!(
            london.instant(date!(2027 - 10 - 31), time!(01:30)),
            Some(datetime!(2027-10-31 00:30 UTC))
        );
        assert_eq!(
            london.instant(date!(2027 - 10 - 31), time!(09:30)),
            Some(datetime!(2027-10-31 09:30 UTC))
        );
        assert_eq!(london.local(datetime!(2027-10-30 23:30 UTC)).hour(), 0);
        assert_eq!(london.local(datetime!(2027-10-31 23:30 UTC)).hour(), 23);
    }

    #[test]
    fn an_unknown_zone_is_refused_with_what_is_accepted() {
        let error = Zone::named("Europe/Skye").expect_err("no such zone");
        assert!(error.to_string().contains("Europe/London"), "{error}");
    }
}
