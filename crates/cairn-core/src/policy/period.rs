//! Laying out a policy's periods for one registration. A period is `[start, end)`: the start
//! date counts, the end date belongs to the next period.

use super::{Anchor, PeriodSpec};
use crate::hours::Hours;
use serde::Serialize;
use time::Date;

/// One period of a policy for one registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub start: Date,
    pub end: Date,
}

impl Period {
    pub fn contains(&self, day: Date) -> bool {
        self.start <= day && day < self.end
    }
}

impl PeriodSpec {
    /// The length that applies to someone contracted for `hours_per_week` (None: full time).
    pub fn length_for(&self, hours_per_week: Option<Hours>) -> crate::duration::CalendarDuration {
        match (self.length_if_part_time, hours_per_week) {
            (Some(part_time), Some(hours)) if hours < self.part_time_below => part_time,
            _ => self.length,
        }
    }

    /// The first period for a registration starting on `registration_start`.
    fn first(&self, registration_start: Date, hours_per_week: Option<Hours>) -> Option<Period> {
        let length = self.length_for(hours_per_week);
        let start = match self.anchor {
            Anchor::Registration => registration_start,
            Anchor::Fixed { month, day } => {
                // The latest anchor date on or before the registration's start.
                let this_year =
                    Date::from_calendar_date(registration_start.year(), month, day).ok()?;
                if this_year <= registration_start {
                    this_year
                } else {
                    Date::from_calendar_date(registration_start.year() - 1, month, day).ok()?
                }
            }
        };
        let mut period = Period {
            start,
            end: length.after(start)?,
        };
        // Periods that end on or before the registration do not exist for the person.
        while period.end <= registration_start {
            period = Period {
                start: period.end,
                end: length.after(period.end)?,
            };
        }
        Some(period)
    }

    /// The periods in order from the first, one after another (just the one when the policy
    /// does not repeat). They tile the timeline: each starts where the previous one ended.
    /// Lazy, so that a far date costs date arithmetic and no memory.
    pub fn periods(
        &self,
        registration_start: Date,
        hours_per_week: Option<Hours>,
    ) -> impl Iterator<Item = Period> + use<'_> {
        let length = self.length_for(hours_per_week);
        let repeat = self.repeat;
        let first = self.first(registration_start, hours_per_week);
        std::iter::successors(first, move |period: &Period| {
            repeat
                .then(|| length.after(period.end))
                .flatten()
                .map(|end| Period {
                    start: period.end,
                    end,
                })
        })
    }

    /// Every period from the first up to the one containing `until` (or the last, when the
    /// policy does not repeat), in order.
    pub fn periods_until(
        &self,
        registration_start: Date,
        hours_per_week: Option<Hours>,
        until: Date,
    ) -> Vec<Period> {
        let mut periods = Vec::new();
        for period in self.periods(registration_start, hours_per_week) {
            periods.push(period);
            if period.end > until {
                break;
            }
        }
        periods
    }

    /// The periods of a registration that joined the policy on `join` (its start, for one
    /// that began under it): laid out as usual, without those that ended by `join`, and the
    /// one containing `join` starting there.
    pub fn periods_from(
        &self,
        registration_start: Date,
        hours_per_week: Option<Hours>,
        join: Date,
    ) -> impl Iterator<Item = Period> + use<'_> {
        self.periods(registration_start, hours_per_week)
            .skip_while(move |period| period.end <= join)
            .map(move |period| Period {
                start: period.start.max(join),
                end: period.end,
            })
    }

    /// The day a period's learning is due: its end, or with `due = "first-of-month"` the
    /// first day of the month in which it ends.
    pub fn deadline(&self, period: Period) -> Date {
        match self.due {
            super::Due::End => period.end,
            super::Due::FirstOfMonth => period.end.replace_day(1).unwrap_or(period.end),
        }
    }

    /// The period containing `as_of` (if any) and the most recent one that has ended by then.
    pub fn current_and_previous(
        &self,
        registration_start: Date,
        hours_per_week: Option<Hours>,
        as_of: Date,
    ) -> (Option<Period>, Option<Period>) {
        let (mut current, mut previous) = (None, None);
        for period in self.periods(registration_start, hours_per_week) {
            if period.end <= as_of {
                previous = Some(period);
            } else {
                current = period.contains(as_of).then_some(period);
                break;
            }
        }
        (current, previous)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duration::CalendarDuration;
    use time::Month;
    use time::macros::date;

    fn spec(anchor: Anchor, length: CalendarDuration, repeat: bool) -> PeriodSpec {
        PeriodSpec {
            anchor,
            length,
            repeat,
            length_if_part_time: Some(CalendarDuration::months(18)),
            part_time_below: Hours::from_whole(35),
            grace: CalendarDuration::default(),
            due: crate::policy::Due::End,
        }
    }

    #[test]
    fn registration_periods_chain_from_a_leap_day() {
        let s = spec(Anchor::Registration, CalendarDuration::years(3), true);
        let (current, previous) =
            s.current_and_previous(date!(2020 - 02 - 29), None, date!(2024 - 01 - 01));
        assert_eq!(
            previous,
            Some(Period {
                start: date!(2020 - 02 - 29),
                end: date!(2023 - 02 - 28)
            })
        );
        assert_eq!(
            current,
            Some(Period {
                start: date!(2023 - 02 - 28),
                end: date!(2026 - 02 - 28)
            })
        );
    }

    #[test]
    fn part_time_workers_get_the_longer_length() {
        let s = spec(Anchor::Registration, CalendarDuration::months(12), false);
        let (current, _) = s.current_and_previous(
            date!(2024 - 08 - 31),
            Some(Hours::from_whole(20)),
            date!(2025 - 09 - 01),
        );
        assert_eq!(
            current,
            Some(Period {
                start: date!(2024 - 08 - 31),
                end: date!(2026 - 02 - 28)
            })
        );
        let (current, previous) = s.current_and_previous(
            date!(2024 - 08 - 31),
            Some(Hours::from_whole(35)),
            date!(2025 - 09 - 01),
        );
        assert_eq!(
            (current, previous.map(|p| p.end)),
            (None, Some(date!(2025 - 08 - 31)))
        );
    }

    #[test]
    fn fixed_periods_start_on_their_day_and_skip_those_before_registration() {
        let s = spec(
            Anchor::Fixed {
                month: Month::December,
                day: 1,
            },
            CalendarDuration::years(1),
            true,
        );
        let periods = s.periods_until(date!(2023 - 06 - 15), None, date!(2025 - 06 - 01));
        assert_eq!(
            periods[0],
            Period {
                start: date!(2022 - 12 - 01),
                end: date!(2023 - 12 - 01)
            }
        );
        assert_eq!(periods.last().map(|p| p.start), Some(date!(2024 - 12 - 01)));
        // Registered on the anchor day itself: the period starts that day.
        let periods = s.periods_until(date!(2023 - 12 - 01), None, date!(2023 - 12 - 01));
        assert_eq!(periods[0].start, date!(2023 - 12 - 01));
    }
}
