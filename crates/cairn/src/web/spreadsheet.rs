//! CSV as spreadsheets make it. Reading: the one way every import (people, plans) reads a
//! file saved by Excel, Numbers or LibreOffice. Writing: the one CSV writer every export uses
//! (pages, API, command line), spreadsheet-safe. A cell a spreadsheet would read as a formula
//! (starting `=`, `+`, `-`, `@`, TAB or CR) is written with a leading `'`, so it shows as the
//! text it is; numbers stay numbers. Titles and reflections are typed by people, and a record
//! is opened by others in Excel.

use std::io::Write;

/// A `csv::Writer` that neutralises formula cells.
pub struct SafeCsv<W: Write> {
    inner: csv::Writer<W>,
}

/// A spreadsheet-safe CSV writer over `out`.
pub fn writer<W: Write>(out: W) -> SafeCsv<W> {
    SafeCsv {
        inner: csv::Writer::from_writer(out),
    }
}

/// The cell as a spreadsheet should show it.
pub fn safe_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

impl<W: Write> SafeCsv<W> {
    /// Writes one row.
    pub fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.inner.write_record(
            record
                .into_iter()
                .map(|cell| safe_cell(cell.as_ref()).into_owned()),
        )
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }

    /// The written output, once flushed.
    pub fn into_inner(self) -> std::io::Result<W> {
        self.inner.into_inner().map_err(|e| e.into_error())
    }
}

/// A CSV file as a spreadsheet saves it, made ready for `csv`: without the byte-order mark
/// Excel writes, with every line ending (`\r\n`, a lone `\r`) made `\n` (the `csv` crate
/// counts lines by `\n` only, so after `\r\n` it reported the line before), and with the
/// separator the header row uses: `,`, or `;` where a locale writes decimal commas.
pub struct SpreadsheetCsv {
    pub text: String,
    pub separator: u8,
}

impl SpreadsheetCsv {
    pub fn new(text: &str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let header = text.lines().next().unwrap_or_default();
        let count = |c: char| header.chars().filter(|h| *h == c).count();
        let separator = if count(';') > count(',') { b';' } else { b',' };
        Self { text, separator }
    }

    /// A reader of the file, trimming every cell and allowing short rows (each caller says
    /// which columns a row lacks).
    pub fn reader(&self) -> csv::Reader<&[u8]> {
        csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .delimiter(self.separator)
            .from_reader(self.text.as_bytes())
    }
}

/// A date as a spreadsheet writes one: `2026-05-31`, or UK day-first `31/05/2026` and
/// `31/5/2026` (also with `-` or `.` between).
pub fn parse_date(text: &str) -> Option<time::Date> {
    let text = text.trim();
    if let Some(date) = cairn_core::entry::parse_iso_date(text) {
        return Some(date);
    }
    let parts: Vec<&str> = text.split(['/', '.', '-']).collect();
    let [day, month, year] = parts[..] else {
        return None;
    };
    let number = |part: &str, most: usize| -> Option<u16> {
        (!part.is_empty() && part.len() <= most && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    };
    if year.len() != 4 {
        return None;
    }
    let month = time::Month::try_from(u8::try_from(number(month, 2)?).ok()?).ok()?;
    time::Date::from_calendar_date(
        i32::from(number(year, 4)?),
        month,
        u8::try_from(number(day, 2)?).ok()?,
    )
    .ok()
}

/// What a date cell accepts, for messages.
pub const DATE_FORMATS: &str = "a date such as 2026-05-31 or 31/05/2026";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://evil\")",
                "'=HYPERLINK(\"http://evil\")",
            ),
            ("+44 1234", "'+44 1234"),
            ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-2.5", "-2.5"),
            ("Court skills", "Court skills"),
            ("", ""),
        ] {
            assert_eq!(safe_cell(cell), written, "{cell:?}");
        }
        let mut out = writer(Vec::new());
        out.write_record(["=1+1", "ok"]).expect("write");
        let text = String::from_utf8(out.into_inner().expect("bytes")).expect("utf8");
        assert_eq!(text, "'=1+1,ok\n");
    }

    /// The line each record starts on, as the reader reports it.
    fn lines_of(file: &str) -> Vec<(u64, Vec<String>)> {
        let file = SpreadsheetCsv::new(file);
        let mut reader = file.reader();
        reader
            .records()
            .map(|r| {
                let r = r.expect("a record");
                let line = r.position().expect("a position").line();
                (line, r.iter().map(str::to_owned).collect())
            })
            .collect()
    }

    #[test]
    fn line_numbers_are_right_whatever_ends_the_lines() {
        let expected = vec![
            (2, vec!["a".to_owned(), "1".to_owned()]),
            (3, vec!["b".to_owned(), "2".to_owned()]),
            (4, vec!["c".to_owned(), "3".to_owned()]),
        ];
        for ending in ["\n", "\r\n", "\r"] {
            let file = ["name,n", "a,1", "b,2", "c,3", ""].join(ending);
            assert_eq!(lines_of(&file), expected, "lines ended by {ending:?}");
            let with_bom = format!("\u{feff}{file}");
            assert_eq!(lines_of(&with_bom), expected, "with a BOM, {ending:?}");
        }
        // A quoted cell over two lines: the next record is on the line after both.
        let file = "name,n\r\n\"two\r\nlines\",1\r\nc,3\r\n";
        let lines: Vec<u64> = lines_of(file).into_iter().map(|(l, _)| l).collect();
        assert_eq!(lines, vec![2, 4]);
    }

    #[test]
    fn a_semicolon_header_makes_semicolons_the_separator() {
        let read = lines_of("name;hours\r\nAsha;7,5\r\n");
        assert_eq!(read, vec![(2, vec!["Asha".to_owned(), "7,5".to_owned()])]);
        assert_eq!(SpreadsheetCsv::new("a,b;c,d\n").separator, b',');
    }

    #[test]
    fn dates_are_read_as_uk_spreadsheets_write_them() {
        use time::macros::date;
        for (text, expected) in [
            ("2026-05-31", Some(date!(2026 - 05 - 31))),
            ("31/05/2026", Some(date!(2026 - 05 - 31))),
            ("1/5/2026", Some(date!(2026 - 05 - 01))),
            (" 01.05.2026 ", Some(date!(2026 - 05 - 01))),
            ("31-05-2026", Some(date!(2026 - 05 - 31))),
            ("31/13/2026", None),
            ("30/02/2026", None),
            ("31/05/26", None),
            ("05/31/2026", None),
            ("next week", None),
            ("", None),
        ] {
            assert_eq!(parse_date(text), expected, "{text:?}");
        }
    }
}
