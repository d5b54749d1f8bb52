//! How the core's loose wire values are described in the API document. Drafts take ids and
//! amounts loosely so that each problem is reported against its own field; these say what
//! is accepted: the vocabulary's ids, read from the vocabulary itself, and exact decimals.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, OneOfBuilder, Schema, Type};

/// An id from one of the vocabularies, described as an enumeration of its ids.
macro_rules! vocabulary_id {
    ($name:ident, $terms:path, $what:literal) => {
        #[doc = concat!("One of the ids of ", $what, ".")]
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some(concat!("One of the ids of ", $what)))
                    .enum_values(Some($terms.iter().map(|(id, _)| *id)))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

vocabulary_id!(KindId, crate::vocabulary::KINDS, "the kinds of learning");
vocabulary_id!(LocalityId, crate::vocabulary::LOCALITIES, "the localities");
vocabulary_id!(
    OpportunityKindId,
    crate::catalogue::OPPORTUNITY_KINDS,
    "the kinds of opportunity"
);
vocabulary_id!(
    SupervisionKindId,
    crate::supervision::SESSION_KINDS,
    "the kinds of supervision"
);
vocabulary_id!(
    GoalStatusId,
    crate::plan::GOAL_STATUSES,
    "where a goal stands"
);
vocabulary_id!(ModeId, crate::catalogue::MODES, "the modes of delivery");
vocabulary_id!(
    VisibilityId,
    crate::catalogue::VISIBILITIES,
    "who may see an opportunity"
);

/// An exact decimal, sent as a JSON number or as a string of digits (so that no binary
/// rounding happens on the way).
pub struct Decimal;

impl utoipa::PartialSchema for Decimal {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(r"^[0-9]*\.?[0-9]{0,4}$")),
            )
            .into()
    }
}

impl utoipa::ToSchema for Decimal {}

impl utoipa::PartialSchema for crate::Hours {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Number)
            .description(Some("Hours: an exact decimal, at most 4 places"))
            .into()
    }
}

impl utoipa::ToSchema for crate::Hours {}

impl utoipa::PartialSchema for crate::duration::CalendarDuration {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "A length of time in years, months or days, such as P3Y or P12M",
            ))
            .into()
    }
}

impl utoipa::ToSchema for crate::duration::CalendarDuration {}

/// A supervision session's agenda: the percent of the session spent on each part.
pub struct Agenda;

impl utoipa::PartialSchema for Agenda {
    fn schema() -> RefOr<Schema> {
        let mut object = ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "Percent of the session for each part, adding up to 100",
            ))
            .additional_properties(Some(AdditionalProperties::FreeForm(false)));
        for (id, _) in crate::supervision::AGENDA {
            object = object.property(
                *id,
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(0))
                    .maximum(Some(100)),
            );
        }
        object.into()
    }
}

impl utoipa::ToSchema for Agenda {}

/// An amount of money in pounds: 0 or more, at most two decimals, as a number or a string.
pub struct Pounds;

impl utoipa::PartialSchema for Pounds {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .description(Some("Pounds, 0 or more, at most two decimals"))
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Number)
                    .minimum(Some(0)),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(r"^[0-9]*\.?[0-9]{0,2}$")),
            )
            .into()
    }
}

impl utoipa::ToSchema for Pounds {}
