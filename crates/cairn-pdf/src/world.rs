//! The smallest Typst world that cairn needs: one template, one data file, fonts built into
//! the binary (no system fonts, no packages, no network), and no clock (the caller prints the
//! date it means).

use crate::PdfError;
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| unreachable!("a fixed, valid path"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

static MAIN: LazyLock<FileId> = LazyLock::new(|| file_id("/main.typ"));
static DATA: LazyLock<FileId> = LazyLock::new(|| file_id("/data.json"));

struct DocumentWorld {
    main: Source,
    data: Bytes,
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        *MAIN
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == *MAIN {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *DATA {
            Ok(self.data.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

fn describe(diagnostics: &[SourceDiagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Typesets `template` with `data` as /data.json, into tagged PDF (PDF/UA-1).
pub fn typeset(template: &str, data: Vec<u8>) -> Result<Vec<u8>, PdfError> {
    let world = DocumentWorld {
        main: Source::new(*MAIN, template.to_owned()),
        data: Bytes::new(data),
    };
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| PdfError::Typeset(describe(&errors)))?;
    let standards = typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::Ua_1])
        .map_err(|error| PdfError::Typeset(format!("{error:?}")))?;
    let options = typst_pdf::PdfOptions {
        standards,
        ..Default::default()
    };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors| PdfError::Typeset(describe(&errors)))?;
    // Typst remembers intermediate results between runs; a server makes many different
    // documents, so keep only what recent runs used.
    typst::comemo::evict(10);
    Ok(pdf)
}
