//! What the API's operations have in common, for their `#[utoipa::path]` descriptions: the
//! id in the path, and the problems any of them may answer with.

use std::collections::BTreeMap;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder, response::Response};

/// The id in an operation's path.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct IdParam {
    /// An id (UUID).
    #[allow(dead_code)]
    id: uuid::Uuid,
}

/// A problem answer that many operations share: its status and what it means.
macro_rules! problem {
    ($name:ident, $status:literal, $description:literal) => {
        #[doc = concat!("Answers `", $status, "`: ", $description, ".")]
        pub struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                let problem = ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build();
                let response = ResponseBuilder::new()
                    .description($description)
                    .content("application/problem+json", problem)
                    .build();
                BTreeMap::from([($status.to_owned(), RefOr::T(response))])
            }
        }
    };
}

problem!(
    Malformed,
    "400",
    "The request is malformed (an id that is not a UUID, say)"
);
problem!(SignedOut, "401", "Not signed in, or the token has expired");
problem!(Hidden, "404", "Not found, or not yours to see");
problem!(
    Invalid,
    "422",
    "Some fields are not valid; each is named in `errors`"
);
