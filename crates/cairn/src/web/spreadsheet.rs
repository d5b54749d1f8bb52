//! The one CSV writer every export uses (pages, API, command line): spreadsheet-safe. A cell
//! a spreadsheet would read as a formula (starting `=`, `+`, `-`, `@`, TAB or CR) is written
//! with a leading `'`, so it shows as the text it is; numbers stay numbers. Titles and
//! reflections are typed by people, and a record is opened by others in Excel.

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
}
