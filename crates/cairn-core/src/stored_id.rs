//! Closed sets of states (a booking's status, a goal's, a kind of supervision) as enums: stored
//! in SQL and sent in JSON as their ids, parsed once where they are read, so that code
//! compares variants and never strings.

/// A stored or received id that is not one of its set's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{id}` is not {what}")]
pub struct UnknownId {
    /// What the set is, with its article: "a booking status".
    pub what: &'static str,
    pub id: String,
}

/// Declares an enum whose variants are stored and sent as ids, each with the label people
/// read: `ALL`, `TERMS` (for the vocabulary's checks and select boxes), `as_str`, `label`,
/// `Display`, `FromStr` and `TryFrom<String>` (for `#[sqlx(try_from = "String")]`), serde as
/// the id, and an OpenAPI schema listing the ids.
#[macro_export]
macro_rules! stored_id {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($what:literal) {
            $($(#[$variant_meta:meta])* $variant:ident = $id:literal, $label:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const TERMS: &'static [$crate::vocabulary::Term] = &[$(($id, $label)),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $id,)+
                }
            }

            /// The id as typed, or the vocabulary's message naming what is accepted.
            pub fn checked(id: &str) -> Result<Self, String> {
                $crate::vocabulary::check(Self::TERMS, id)?;
                Ok(id.parse().expect("a checked id parses"))
            }

            /// What people read.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::stored_id::UnknownId;

            fn from_str(id: &str) -> Result<Self, Self::Err> {
                match id {
                    $($id => Ok($name::$variant),)+
                    _ => Err($crate::stored_id::UnknownId { what: $what, id: id.to_owned() }),
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::stored_id::UnknownId;

            fn try_from(id: String) -> Result<Self, Self::Error> {
                id.parse()
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let id = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                id.parse().map_err(::serde::de::Error::custom)
            }
        }

        impl ::utoipa::PartialSchema for $name {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                ::utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(::utoipa::openapi::schema::Type::String)
                    .description(Some(concat!("One of the ids of ", $what)))
                    .enum_values(Some([$($id),+]))
                    .into()
            }
        }

        impl ::utoipa::ToSchema for $name {}
    };
}

#[cfg(test)]
mod tests {
    stored_id! {
        /// A test set.
        enum Light ("a light") {
            Red = "red", "Stop";
            Amber = "amber", "Get ready";
            Green = "green", "Go";
        }
    }

    #[test]
    fn every_variant_round_trips_through_its_id_in_text_and_json() {
        for light in Light::ALL {
            assert_eq!(light.as_str().parse::<Light>(), Ok(*light));
            assert_eq!(Light::try_from(light.as_str().to_owned()), Ok(*light));
            let json = serde_json::to_value(light).expect("json");
            assert_eq!(json, serde_json::json!(light.as_str()));
            assert_eq!(serde_json::from_value::<Light>(json).expect("back"), *light);
        }
        assert_eq!(Light::TERMS[1], ("amber", "Get ready"));
        assert_eq!(Light::Green.label(), "Go");
    }

    #[test]
    fn an_unknown_id_names_the_set() {
        let error = "blue".parse::<Light>().expect_err("not a light");
        assert_eq!(error.to_string(), "`blue` is not a light");
        assert!(serde_json::from_str::<Light>("\"blue\"").is_err());
        assert_eq!(Light::checked("red"), Ok(Light::Red));
        assert_eq!(
            Light::checked("blue"),
            Err("`blue` is not one of: red, amber, green".to_owned())
        );
    }
}
