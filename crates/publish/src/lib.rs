//! EPUB 3 and PDF editions of the e-book, the funder report's PDF, and the SVG charts shared by
//! web, PDF and e-book.
//!
//! The writers are pure: an [`Edition`] in, the bytes of a file out. Reading practices from the
//! database and storing the built files is the caller's business (CLI, jobs).

mod chart;
mod cover;
mod epub;
mod fonts;
mod labels;
mod pdf;
mod report;
mod xhtml;

pub use epub::write_epub;
pub use labels::Labels;
pub use pdf::{PdfError, write_pdf, write_report_pdf};
pub use report::{Report, ReportBar, ReportBlock, ReportChart, ReportSection, ReportTable};
pub use reti_domain::practices::PracticeTexts;

/// One edition of the e-book, with everything the file says.
#[derive(Debug, Clone)]
pub struct Edition {
    /// Stable across rebuilds of the same edition: it becomes `dc:identifier` (`urn:uuid:`).
    pub identifier: uuid::Uuid,
    /// When this version was built: `dcterms:modified`.
    pub modified: time::OffsetDateTime,
    pub title: String,
    pub subtitle: Option<String>,
    pub year: i32,
    pub editors: Vec<String>,
    /// For example "CC BY 4.0".
    pub licence: String,
    pub introduction_markdown: String,
    /// A summary in English for readers without Italian, printed after the introduction and
    /// marked as English; empty for none.
    pub english_summary_markdown: String,
    /// The uploaded cover; without one the writers generate it from the title page's text.
    pub cover: Option<CoverImage>,
    pub chapters: Vec<Chapter>,
    /// The words printed around the content, from the caller's locale files.
    pub labels: Labels,
}

/// An uploaded cover image: JPEG, PNG or WebP, with its text alternative.
#[derive(Debug, Clone)]
pub struct CoverImage {
    pub mime: String,
    pub bytes: Vec<u8>,
    pub alt: String,
}

#[derive(Debug, Clone)]
pub struct Chapter {
    pub title: String,
    pub introduction_markdown: String,
    pub practices: Vec<PracticeDoc>,
}

/// A published practice as the e-book prints it: the fields of the template.
#[derive(Debug, Clone, Default)]
pub struct PracticeDoc {
    pub title: String,
    pub network: Option<String>,
    /// Municipality names, in the practice's order.
    pub territories: Vec<String>,
    pub action_line: Option<i64>,
    pub theme: String,
    pub year: Option<i64>,
    pub texts: PracticeTexts,
}

impl Edition {
    /// Every string the edition prints, for choosing the fonts it needs.
    pub(crate) fn strings(&self) -> impl Iterator<Item = &str> {
        let front = [
            self.title.as_str(),
            self.subtitle.as_deref().unwrap_or(""),
            &self.licence,
            &self.introduction_markdown,
            &self.english_summary_markdown,
        ];
        front.into_iter().chain(self.editors.iter().map(String::as_str)).chain(self.chapters.iter().flat_map(
            |chapter| {
                [chapter.title.as_str(), &chapter.introduction_markdown].into_iter().chain(
                    chapter.practices.iter().flat_map(|practice| {
                        [practice.title.as_str(), practice.network.as_deref().unwrap_or(""), &practice.theme]
                            .into_iter()
                            .chain(practice.territories.iter().map(String::as_str))
                            .chain(practice.texts.fields().into_iter().map(|(_, text)| text))
                    }),
                )
            },
        ))
    }
}

/// A file name for an edition: lower-case ASCII letters and digits joined by dashes.
pub fn slug(title: &str) -> String {
    let folded = reti_domain::text::fold(title);
    let words: Vec<&str> = folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let slug = words.join("-");
    if slug.is_empty() {
        "ebook".into()
    } else {
        slug.chars().take(80).collect::<String>().trim_end_matches('-').into()
    }
}
