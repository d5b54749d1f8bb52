//! What the API's operations have in common, for their `#[utoipa::path]` descriptions: the
//! id in the path ([`super::IdPath`]), and the problems many of them may answer with.

use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required};

impl utoipa::IntoParams for super::IdPath {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let uuid = ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)));
        vec![
            ParameterBuilder::new()
                .name("id")
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some("An id (UUID)"))
                .schema(Some(uuid))
                .build(),
        ]
    }
}

/// Declares a set of problem answers that operations share: each status with what it means.
/// `problems!(Name: "404" => "Not found", "409" => "Already decided")` makes a type to name
/// in an operation's `responses(...)`.
macro_rules! problems {
    ($name:ident: $($status:literal => $description:literal),+ $(,)?) => {
        #[doc = concat!("Problem answers:", $(" `", $status, "` ", $description, ";"),+)]
        pub struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> std::collections::BTreeMap<
                String,
                utoipa::openapi::RefOr<utoipa::openapi::response::Response>,
            > {
                std::collections::BTreeMap::from([$((
                    $status.to_owned(),
                    utoipa::openapi::RefOr::T(
                        utoipa::openapi::ResponseBuilder::new()
                            .description($description)
                            .content(
                                "application/problem+json",
                                utoipa::openapi::ContentBuilder::new()
                                    .schema(Some(utoipa::openapi::Ref::from_schema_name("Problem")))
                                    .build(),
                            )
                            .build(),
                    ),
                )),+])
            }
        }
    };
}
pub(crate) use problems;

problems!(Malformed: "400" => "The request is malformed (an id that is not a UUID, say)");
problems!(SignedOut: "401" => "Not signed in, or the token has expired");
problems!(Hidden: "404" => "Not found, or not yours to see");
problems!(Invalid: "422" => "Some fields are not valid; each is named in `errors`");
problems!(NotPermitted: "403" => "Not permitted to you in this organisation (your roles do not allow it)");

/// Every error the API answers with is a [`super::Problem`]: an operation's own problems are
/// written with their status and meaning only, and get the problem body here.
pub fn every_error_is_a_problem(document: &mut utoipa::openapi::OpenApi) {
    for item in document.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            for (status, response) in operation.responses.responses.iter_mut() {
                if let RefOr::T(response) = response
                    && (status.starts_with('4') || status.starts_with('5'))
                    && response.content.is_empty()
                {
                    let problem = ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build();
                    response
                        .content
                        .insert("application/problem+json".to_owned(), RefOr::T(problem));
                }
            }
        }
    }
}
