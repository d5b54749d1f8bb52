//! The policies that ship inside the binary, one TOML file each in `policies/`.

use super::{Policy, parse_policy};

/// The built-in policy files: (file name, text).
pub const FILES: &[(&str, &str)] = &[
    (
        "sssc-prtl-social-worker.toml",
        include_str!("../../policies/sssc-prtl-social-worker.toml"),
    ),
    (
        "sssc-prtl-nqsw.toml",
        include_str!("../../policies/sssc-prtl-nqsw.toml"),
    ),
    (
        "sssc-cpl-2024-social-care.toml",
        include_str!("../../policies/sssc-cpl-2024-social-care.toml"),
    ),
    (
        "sssc-cpl-2024-social-worker.toml",
        include_str!("../../policies/sssc-cpl-2024-social-worker.toml"),
    ),
    ("swe-cpd.toml", include_str!("../../policies/swe-cpd.toml")),
    (
        "scw-social-worker.toml",
        include_str!("../../policies/scw-social-worker.toml"),
    ),
    (
        "scw-care-worker.toml",
        include_str!("../../policies/scw-care-worker.toml"),
    ),
    (
        "niscc-social-worker.toml",
        include_str!("../../policies/niscc-social-worker.toml"),
    ),
    (
        "niscc-care-worker.toml",
        include_str!("../../policies/niscc-care-worker.toml"),
    ),
    (
        "nmc-revalidation.toml",
        include_str!("../../policies/nmc-revalidation.toml"),
    ),
];

/// Every built-in policy, parsed. They are checked by a test, so parsing cannot fail in use;
/// a broken one is left out rather than stopping the program.
/// Parsed once per process: every standing request and report evaluates them.
pub fn all() -> Vec<Policy> {
    static PARSED: std::sync::LazyLock<Vec<Policy>> = std::sync::LazyLock::new(|| {
        FILES
            .iter()
            .filter_map(|(file, text)| parse_policy(file, text).ok())
            .collect()
    });
    PARSED.clone()
}

/// The built-in policy with this id.
pub fn find(id: &str) -> Option<Policy> {
    all().into_iter().find(|p| p.id == id)
}

/// The file text of the built-in policy with this id.
pub fn text_of(id: &str) -> Option<&'static str> {
    FILES
        .iter()
        .find(|(file, _)| file.trim_end_matches(".toml") == id)
        .map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_policy_parses_and_is_named_after_its_file() {
        for (file, text) in FILES {
            let policy = parse_policy(file, text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(format!("{}.toml", policy.id), *file);
            assert!(policy.source.is_some(), "{file} names its source");
        }
        assert_eq!(all().len(), FILES.len());
    }
}
