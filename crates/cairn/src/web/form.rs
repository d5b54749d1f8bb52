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

/// The CSV file uploaded as the multipart field `file`: its name and text, or what is wrong
/// with the upload, in words for the person.
pub async fn read_csv_upload(
    multipart: Result<
        axum::extract::multipart::Multipart,
        axum::extract::multipart::MultipartRejection,
    >,
    max_bytes: usize,
) -> Result<(String, String), String> {
    const CHOOSE: &str = "Choose the CSV file to import";
    let mut multipart = multipart.map_err(|_| CHOOSE.to_owned())?;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() != Some("file") {
            continue;
        }
        let filename = field.file_name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(|_| {
            format!(
                "The file could not be read; it must be under {} MB",
                max_bytes / 1024 / 1024
            )
        })?;
        if bytes.is_empty() {
            return Err(CHOOSE.to_owned());
        }
        let text = String::from_utf8(bytes.to_vec())
            .map_err(|_| "The file must be a CSV file saved as UTF-8 text".to_owned())?;
        return Ok((filename, text));
    }
    Err(CHOOSE.to_owned())
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
