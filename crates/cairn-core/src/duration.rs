//! Calendar durations (`P3Y`, `P18M`, `P2W`, `P30D`) and date arithmetic that clamps to the
//! end of the month, as regulators count: 2020-02-29 + P3Y = 2023-02-28.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;
use time::{Date, Month};

/// An ISO 8601 duration in whole years, months and days (weeks are read as 7 days).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CalendarDuration {
    pub years: u32,
    pub months: u32,
    pub days: u32,
}

/// Why a text is not a calendar duration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a duration: write years, months, weeks or days in ISO 8601 form, such as P3Y, P18M, P2W or P30D"
)]
pub struct DurationError(pub String);

impl CalendarDuration {
    pub const fn days(days: u32) -> Self {
        Self {
            years: 0,
            months: 0,
            days,
        }
    }
    pub const fn months(months: u32) -> Self {
        Self {
            years: 0,
            months,
            days: 0,
        }
    }
    pub const fn years(years: u32) -> Self {
        Self {
            years,
            months: 0,
            days: 0,
        }
    }
    pub fn is_zero(&self) -> bool {
        self.years == 0 && self.months == 0 && self.days == 0
    }
    /// `date` moved forward by this duration: years and months first (clamping the day to
    /// the month's last), then days. `None` past the calendar's end.
    pub fn after(&self, date: Date) -> Option<Date> {
        let months = i64::from(self.years) * 12 + i64::from(self.months);
        add_months(date, months)?.checked_add(time::Duration::days(i64::from(self.days)))
    }
    /// `date` moved back by this duration, clamping the same way.
    pub fn before(&self, date: Date) -> Option<Date> {
        let months = i64::from(self.years) * 12 + i64::from(self.months);
        add_months(date, -months)?.checked_sub(time::Duration::days(i64::from(self.days)))
    }
}

/// `date` plus a number of calendar months, clamped to the last day of the target month.
pub fn add_months(date: Date, months: i64) -> Option<Date> {
    let index = i64::from(date.year()) * 12 + i64::from(date.month() as u8) - 1 + months;
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).ok()
}

impl FromStr for CalendarDuration {
    type Err = DurationError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || DurationError(text.to_owned());
        let rest = text.strip_prefix('P').ok_or_else(error)?;
        if rest.is_empty() {
            return Err(error());
        }
        let mut duration = CalendarDuration::default();
        let mut number = String::new();
        let mut last_unit = 0;
        for c in rest.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            // Units must come in order and each once: Y, M, W, D.
            let order = match c {
                'Y' => 1,
                'M' => 2,
                'W' => 3,
                'D' => 4,
                _ => return Err(error()),
            };
            if number.is_empty() || order <= last_unit {
                return Err(error());
            }
            last_unit = order;
            let value: u32 = number.parse().map_err(|_| error())?;
            number.clear();
            match c {
                'Y' => duration.years = value,
                'M' => duration.months = value,
                'W' => duration.days += value.checked_mul(7).ok_or_else(error)?,
                _ => duration.days = duration.days.checked_add(value).ok_or_else(error)?,
            }
        }
        if !number.is_empty()
            || duration.years > 1000
            || duration.months > 12_000
            || duration.days > 400_000
        {
            return Err(error());
        }
        Ok(duration)
    }
}

impl fmt::Display for CalendarDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("P")?;
        if self.years > 0 {
            write!(f, "{}Y", self.years)?;
        }
        if self.months > 0 {
            write!(f, "{}M", self.months)?;
        }
        if self.days > 0 || self.is_zero() {
            write!(f, "{}D", self.days)?;
        }
        Ok(())
    }
}

impl Serialize for CalendarDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CalendarDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn adding_years_to_a_leap_day_clamps_to_february_28() {
        let p3y: CalendarDuration = "P3Y".parse().expect("parses");
        assert_eq!(
            p3y.after(date!(2020 - 02 - 29)),
            Some(date!(2023 - 02 - 28))
        );
        assert_eq!(
            p3y.after(date!(2021 - 02 - 28)),
            Some(date!(2024 - 02 - 28))
        );
    }

    #[test]
    fn adding_months_clamps_to_the_end_of_the_month() {
        assert_eq!(
            add_months(date!(2024 - 01 - 31), 1),
            Some(date!(2024 - 02 - 29))
        );
        assert_eq!(
            add_months(date!(2024 - 08 - 31), 18),
            Some(date!(2026 - 02 - 28))
        );
        assert_eq!(
            add_months(date!(2024 - 03 - 31), -1),
            Some(date!(2024 - 02 - 29))
        );
    }

    #[test]
    fn parses_the_durations_policies_use() {
        let cases = [
            ("P1Y", (1, 0, 0)),
            ("P18M", (0, 18, 0)),
            ("P2W", (0, 0, 14)),
            ("P0D", (0, 0, 0)),
            ("P1Y2M3D", (1, 2, 3)),
        ];
        for (text, (years, months, days)) in cases {
            assert_eq!(
                text.parse(),
                Ok(CalendarDuration {
                    years,
                    months,
                    days
                }),
                "{text}"
            );
        }
    }

    #[test]
    fn refuses_impossible_durations() {
        for text in [
            "", "P", "3Y", "P3", "PY", "P1M1Y", "P1H", "PT1H", "P-1Y", "P1.5Y", "P99999Y",
        ] {
            assert!(
                text.parse::<CalendarDuration>().is_err(),
                "{text} should be refused"
            );
        }
    }
}
