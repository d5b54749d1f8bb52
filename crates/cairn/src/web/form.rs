//! Forms read as name–value pairs, for pages whose field names are not fixed (a checkbox per
//! person, a rating per element, a comment per goal).

/// The first value sent for `key`, or "" when there is none.
pub fn field<'a>(form: &'a [(String, String)], key: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v.as_str())
}

/// Every value sent for `key` (checkboxes), in order.
pub fn all(form: &[(String, String)], key: &str) -> Vec<String> {
    form.iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_found_by_name() {
        let form = vec![
            ("csrf".to_owned(), "t".to_owned()),
            ("attendees".to_owned(), "a".to_owned()),
            ("attendees".to_owned(), "b".to_owned()),
        ];
        assert_eq!(field(&form, "csrf"), "t");
        assert_eq!(field(&form, "missing"), "");
        assert_eq!(all(&form, "attendees"), ["a", "b"]);
    }
}
