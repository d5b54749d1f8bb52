//! Hours of learning as an exact decimal.
//!
//! Regulators count hours to the tenth or quarter, and 900 entries of 0.1 h must make
//! exactly 90 h, so hours are never binary floats: they are held as whole ten-thousandths
//! of an hour. (Whole minutes, the first idea, cannot hold 0.01 h, which people do type.)

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Sub};
use std::str::FromStr;

/// Ten-thousandths of an hour in one hour.
pub const SCALE: i64 = 10_000;
const DECIMALS: usize = 4;

/// An exact, non-negative-or-negative decimal number of hours with up to four decimal places.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hours(i64);

/// Why a text is not a number of hours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    #[error("must be a number such as 1, 1.5 or 0.25")]
    NotANumber,
    #[error("may have at most {DECIMALS} decimal places")]
    TooPrecise,
    #[error("is too large")]
    TooLarge,
}

impl Hours {
    pub const ZERO: Hours = Hours(0);

    /// From whole ten-thousandths of an hour (the stored form).
    pub const fn from_units(units: i64) -> Self {
        Hours(units)
    }
    /// The hours as people say them: "1 hour", "2.5 hours", and under an hour in minutes
    /// ("8 minutes" for bite-size learning, rounded to the nearest minute, at least 1).
    pub fn words(self) -> String {
        if self.0 > 0 && self.0 < SCALE {
            let minutes = ((self.0 * 60 + SCALE / 2) / SCALE).max(1);
            return if minutes == 1 {
                "1 minute".to_owned()
            } else if minutes == 60 {
                "1 hour".to_owned()
            } else {
                format!("{minutes} minutes")
            };
        }
        if self.0 == SCALE {
            "1 hour".to_owned()
        } else {
            format!("{self} hours")
        }
    }

    /// The stored form: whole ten-thousandths of an hour.
    pub const fn units(self) -> i64 {
        self.0
    }
    pub const fn from_whole(hours: i64) -> Self {
        Hours(hours * SCALE)
    }
    /// Exact conversion of a JSON or TOML float: its shortest decimal form is what the
    /// person wrote (0.1 stays 0.1), so it is parsed from that text, never by multiplying.
    pub fn from_f64(value: f64) -> Result<Self, HoursError> {
        if !value.is_finite() {
            return Err(HoursError::NotANumber);
        }
        format!("{value}").parse()
    }
    pub fn is_positive(self) -> bool {
        self.0 > 0
    }
    /// For display and ratios only, never for sums.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / SCALE as f64
    }
    pub fn saturating_sub(self, other: Hours) -> Hours {
        Hours((self.0 - other.0).max(0))
    }
}

impl FromStr for Hours {
    type Err = HoursError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        if (whole.is_empty() && fraction.is_empty())
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(HoursError::NotANumber);
        }
        let fraction = fraction.trim_end_matches('0');
        if fraction.len() > DECIMALS {
            return Err(HoursError::TooPrecise);
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| HoursError::TooLarge)?
        };
        let mut fraction_units: i64 = 0;
        for (i, b) in fraction.bytes().enumerate() {
            fraction_units += i64::from(b - b'0') * 10_i64.pow((DECIMALS - 1 - i) as u32);
        }
        let units = whole
            .checked_mul(SCALE)
            .and_then(|w| w.checked_add(fraction_units))
            .ok_or(HoursError::TooLarge)?;
        Ok(Hours(if negative { -units } else { units }))
    }
}

impl fmt::Display for Hours {
    /// The shortest exact form: `90`, `12.5`, `0.25`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = abs / SCALE as u64;
        let fraction = abs % SCALE as u64;
        if fraction == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let digits = format!("{fraction:0DECIMALS$}");
            write!(f, "{sign}{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

impl Add for Hours {
    type Output = Hours;
    fn add(self, other: Hours) -> Hours {
        Hours(self.0 + other.0)
    }
}

impl Sub for Hours {
    type Output = Hours;
    fn sub(self, other: Hours) -> Hours {
        Hours(self.0 - other.0)
    }
}

impl Sum for Hours {
    fn sum<I: Iterator<Item = Hours>>(iter: I) -> Hours {
        Hours(iter.map(|h| h.0).sum())
    }
}

impl Serialize for Hours {
    /// A JSON number whose shortest form is the exact decimal (12.5, 0.1).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 % SCALE == 0 {
            serializer.serialize_i64(self.0 / SCALE)
        } else {
            serializer.serialize_f64(self.as_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Hours {
    /// Accepts a JSON number or a decimal string ("12.5").
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Hours;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number of hours such as 1.5, or a decimal string")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Hours, E> {
                v.checked_mul(SCALE)
                    .map(Hours)
                    .ok_or_else(|| E::custom(HoursError::TooLarge))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Hours, E> {
                i64::try_from(v)
                    .ok()
                    .and_then(|v| v.checked_mul(SCALE))
                    .map(Hours)
                    .ok_or_else(|| E::custom(HoursError::TooLarge))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Hours, E> {
                Hours::from_f64(v).map_err(E::custom)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Hours, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn hours_read_as_people_say_them() {
        let words = |text: &str| text.parse::<Hours>().expect("hours").words();
        assert_eq!(words("1"), "1 hour");
        assert_eq!(words("2.5"), "2.5 hours");
        assert_eq!(words("0.125"), "8 minutes");
        assert_eq!(words("0.25"), "15 minutes");
        assert_eq!(words("0.01"), "1 minute");
        assert_eq!(words("0.999"), "1 hour");
        assert_eq!(words("0"), "0 hours");
        assert_eq!(words("37.5"), "37.5 hours");
    }

    use super::*;

    #[test]
    fn parses_and_prints_exact_decimals() {
        for (text, shown) in [
            ("1", "1"),
            ("1.5", "1.5"),
            ("0.25", "0.25"),
            (".5", "0.5"),
            ("12.50", "12.5"),
            ("0.0001", "0.0001"),
        ] {
            assert_eq!(
                text.parse::<Hours>().map(|h| h.to_string()),
                Ok(shown.to_owned()),
                "{text}"
            );
        }
    }

    #[test]
    fn refuses_what_is_not_an_exact_small_decimal() {
        assert_eq!("".parse::<Hours>(), Err(HoursError::NotANumber));
        assert_eq!("1,5".parse::<Hours>(), Err(HoursError::NotANumber));
        assert_eq!("abc".parse::<Hours>(), Err(HoursError::NotANumber));
        assert_eq!("0.00001".parse::<Hours>(), Err(HoursError::TooPrecise));
        assert_eq!(
            "99999999999999999999".parse::<Hours>(),
            Err(HoursError::TooLarge)
        );
    }

    #[test]
    fn nine_hundred_tenths_make_exactly_ninety() {
        let tenth: Hours = serde_json::from_str("0.1").expect("parses");
        let total: Hours = std::iter::repeat_n(tenth, 900).sum();
        assert_eq!(total, Hours::from_whole(90));
        assert_eq!(serde_json::to_string(&total).expect("serialises"), "90");
    }

    #[test]
    fn json_numbers_and_strings_round_trip() {
        for text in ["12.5", "0.3", "\"7.25\"", "1000"] {
            let hours: Hours = serde_json::from_str(text).expect("parses");
            let back: Hours =
                serde_json::from_str(&serde_json::to_string(&hours).expect("ser")).expect("de");
            assert_eq!(hours, back);
        }
    }
}
