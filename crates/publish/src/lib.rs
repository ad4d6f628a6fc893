//! EPUB 3 and PDF editions of the e-book, and the SVG charts shared by web, PDF and e-book.
//!
//! The writers are pure: an [`Edition`] in, the bytes of a file out. Reading practices from the
//! database and storing the built files is the caller's business (CLI, jobs).

mod epub;
mod xhtml;

pub use epub::write_epub;
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
    pub chapters: Vec<Chapter>,
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
