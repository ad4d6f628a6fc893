//! The PDF writer: an [`Edition`] as typst markup, typeset by the `typst` crate embedded in the
//! binary and exported by `typst-pdf` (decision 0042).
//!
//! Nothing is read from the disk or the network: the one source file is generated in memory, the
//! fonts are the ones built into the binary ([`crate::fonts`]). Every string of the edition
//! reaches the markup as a typst string literal, so practice text can never become typst code.

mod document;
mod markdown;
mod report;

use crate::fonts::FONTS;
use crate::{Edition, Report};
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

/// Why an edition could not become a PDF. Generated markup that typst rejects is a bug in this
/// crate, never a fault of the practice text; the message says what typst reported.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("typesetting the edition failed: {0}")]
    Typeset(String),
    #[error("writing the PDF failed: {0}")]
    Export(String),
}

/// The PDF file of `edition`: cover, title page with editors and licence, table of contents with
/// page numbers, running headers, bookmarks, tagged structure, Italian as the document language.
pub fn write_pdf(edition: &Edition) -> Result<Vec<u8>, PdfError> {
    let uploaded = crate::cover::uploaded(edition).map(|(cover, format, _)| {
        let file = match format {
            image::ImageFormat::Jpeg => "cover.jpg",
            image::ImageFormat::WebP => "cover.webp",
            _ => "cover.png",
        };
        (file, cover)
    });
    let alt = uploaded.map(|(_, cover)| crate::cover::alt(edition, Some(cover))).unwrap_or_default();
    let markup = document::markup(edition, uploaded.map(|(file, _)| (file, alt.as_str())));
    let cover = uploaded.map(|(file, cover)| (file, Bytes::new(cover.bytes.clone())));
    typeset(EditionWorld { source: Source::detached(markup), cover }, edition.identifier.to_string())
}

/// The PDF file of a funder report (decision 0045): title page with programme and period, table
/// of contents, the narrative, the indicators against their targets, the charts drawn by typst
/// itself (so their labels and figures are text), and a table per network.
pub fn write_report_pdf(report: &Report) -> Result<Vec<u8>, PdfError> {
    typeset(
        EditionWorld { source: Source::detached(report::markup(report)), cover: None },
        report.identifier.to_string(),
    )
}

/// Compiles the typst source of `world` and exports it; `ident` is the PDF's stable identifier.
fn typeset(world: EditionWorld, ident: String) -> Result<Vec<u8>, PdfError> {
    let compiled = typst::compile::<PagedDocument>(&world).output;
    let result = compiled.map_err(|errors| PdfError::Typeset(messages(&errors))).and_then(|document| {
        let options = PdfOptions { ident: Smart::Custom(ident), ..PdfOptions::default() };
        typst_pdf::pdf(&document, &options).map_err(|errors| PdfError::Export(messages(&errors)))
    });
    // typst memoises layout work across compilations; one document's cache helps no other.
    typst::comemo::evict(0);
    result
}

fn messages(errors: &[SourceDiagnostic]) -> String {
    errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; ")
}

/// The standard library and the fonts, shared by every build.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONTS.iter().filter_map(|f| Font::new(Bytes::new(f.bytes), 0)).collect();
    Shared {
        library: LazyHash::new(Library::builder().build()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// A typst world with one in-memory source file, the uploaded cover and the embedded fonts: no
/// other files, no packages, no clock (the edition's dates are written into the markup).
struct EditionWorld {
    source: Source,
    /// The cover's file name and bytes.
    cover: Option<(&'static str, Bytes)>,
}

impl World for EditionWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }

    fn main(&self) -> FileId {
        self.source.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.source.id() {
            Ok(self.source.clone())
        } else {
            Err(FileError::NotFound(id.vpath().get_without_slash().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        match &self.cover {
            Some((name, bytes)) if id.vpath().get_without_slash() == *name => Ok(bytes.clone()),
            _ => Err(FileError::NotFound(id.vpath().get_without_slash().into())),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }

    fn today(&self, _: Option<Duration>) -> Option<Datetime> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_font_loads() {
        assert_eq!(SHARED.fonts.len(), FONTS.len());
        for font in &FONTS {
            assert!(
                SHARED.book.contains_family(&font.family.to_lowercase()),
                "{} is not in the font book",
                font.family
            );
        }
    }
}
