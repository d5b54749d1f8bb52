//! What a place on a course costs the employer: the fee, travel, accommodation and the
//! backfill of the person's hours while they are away. Money is whole pence, never floats.

use crate::catalogue::parse_pounds;
use crate::field::FieldErrors;
use crate::hours::{Hours, SCALE};
use serde::Deserialize;

/// A booking's costs as sent (form or JSON); unknown fields are refused.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CostsInput)]
pub struct BookingCostDraft {
    /// Pounds; empty or absent means the opportunity's cost per place (only L&D leads and
    /// administrators change it).
    #[schema(value_type = Option<crate::wire::Pounds>)]
    pub fee: Option<serde_json::Value>,
    #[schema(value_type = Option<crate::wire::Pounds>)]
    pub travel: Option<serde_json::Value>,
    #[schema(value_type = Option<crate::wire::Pounds>)]
    pub accommodation: Option<serde_json::Value>,
    /// Hours of the person's work covered by someone else.
    #[schema(value_type = Option<crate::wire::Decimal>)]
    pub backfill_hours: Option<serde_json::Value>,
    /// Pounds per backfill hour.
    #[schema(value_type = Option<crate::wire::Pounds>)]
    pub backfill_rate: Option<serde_json::Value>,
}

/// Checked costs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BookingCost {
    /// None: the opportunity's cost per place.
    pub fee_pence: Option<i64>,
    pub travel_pence: i64,
    pub accommodation_pence: i64,
    pub backfill_hours: Hours,
    pub backfill_rate_pence: i64,
}

fn blank(value: &serde_json::Value) -> bool {
    value.is_null() || value.as_str().is_some_and(|s| s.trim().is_empty())
}

impl BookingCostDraft {
    pub fn validate(&self) -> Result<BookingCost, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut pence = |field: &str, value: &Option<serde_json::Value>| -> Option<i64> {
            match value.as_ref().filter(|v| !blank(v)).map(parse_pounds) {
                None => None,
                Some(Ok(pence)) => Some(pence),
                Some(Err(message)) => {
                    errors.push(field, message);
                    None
                }
            }
        };
        let fee_pence = pence("fee", &self.fee);
        let travel_pence = pence("travel", &self.travel).unwrap_or(0);
        let accommodation_pence = pence("accommodation", &self.accommodation).unwrap_or(0);
        let backfill_rate_pence = pence("backfill_rate", &self.backfill_rate).unwrap_or(0);
        let backfill_hours = match self.backfill_hours.as_ref().filter(|v| !blank(v)) {
            None => Hours::ZERO,
            Some(value) => match serde_json::from_value::<Hours>(value.clone()) {
                Ok(hours) if hours >= Hours::ZERO && hours <= Hours::from_whole(1000) => hours,
                _ => {
                    errors.push("backfill_hours", "must be a number of hours from 0 to 1000");
                    Hours::ZERO
                }
            },
        };
        errors.into_result(|| BookingCost {
            fee_pence,
            travel_pence,
            accommodation_pence,
            backfill_hours,
            backfill_rate_pence,
        })
    }
}

impl BookingCost {
    /// Backfill in whole pence, rounded half up.
    pub fn backfill_pence(&self) -> i64 {
        let exact = i128::from(self.backfill_hours.units()) * i128::from(self.backfill_rate_pence);
        ((exact + i128::from(SCALE) / 2) / i128::from(SCALE)) as i64
    }

    /// Everything the place costs, given the opportunity's cost per place.
    pub fn total_pence(&self, cost_per_place: i64) -> i64 {
        self.fee_pence.unwrap_or(cost_per_place)
            + self.travel_pence
            + self.accommodation_pence
            + self.backfill_pence()
    }
}

/// Pence as pounds, exactly ("120.50"; "-3.05").
pub fn pounds(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", pence.abs() / 100, pence.abs() % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn draft(value: serde_json::Value) -> BookingCostDraft {
        serde_json::from_value(value).expect("draft")
    }

    #[test]
    fn a_place_costs_its_parts_exactly() {
        let cost = draft(
            json!({"travel": "86.40", "accommodation": 95, "backfill_hours": "7.5",
                                "backfill_rate": "21.33"}),
        )
        .validate()
        .expect("valid");
        assert_eq!(cost.fee_pence, None);
        // 7.5 × £21.33 = £159.975, rounded to £159.98.
        assert_eq!(cost.backfill_pence(), 15998);
        assert_eq!(cost.total_pence(12000), 12000 + 8640 + 9500 + 15998);
        let waived = draft(json!({"fee": "0"})).validate().expect("valid");
        assert_eq!(waived.total_pence(12000), 0);
    }

    #[test]
    fn blank_is_nothing_and_bad_is_named() {
        assert_eq!(
            draft(json!({"fee": "", "travel": null})).validate(),
            Ok(BookingCost::default())
        );
        let errors = draft(json!({"fee": "-1", "travel": "lots", "backfill_hours": -2}))
            .validate()
            .expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["fee", "travel", "backfill_hours"]);
    }

    #[test]
    fn pounds_print_exactly() {
        assert_eq!(pounds(12050), "120.50");
        assert_eq!(pounds(5), "0.05");
        assert_eq!(pounds(-305), "-3.05");
    }
}
