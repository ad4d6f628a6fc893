//! The cover: the uploaded image, or one generated from the title, subtitle, editors and year
//! (an SVG for the EPUB; the PDF typesets the same design as text, see `pdf::document`).

use crate::xhtml::esc;
use crate::{CoverImage, Edition};

/// The cover's background and text colours (white on this blue passes WCAG's 4.5:1).
pub(crate) const BACKGROUND: &str = "#1d4e6e";
pub(crate) const INK: &str = "#ffffff";

/// An uploaded cover that can be read: the cover, its format, its image decoded.
pub(crate) type Uploaded<'a> = (&'a CoverImage, image::ImageFormat, image::DynamicImage);

/// The uploaded cover, its format and the image decoded, if it can be read: an image that
/// cannot (its header passed the upload's check, its data is broken) gives way to the generated
/// cover in both files rather than failing the build.
pub(crate) fn uploaded(edition: &Edition) -> Option<Uploaded<'_>> {
    let cover = edition.cover.as_ref()?;
    let format = match cover.mime.as_str() {
        "image/jpeg" => image::ImageFormat::Jpeg,
        "image/png" => image::ImageFormat::Png,
        "image/webp" => image::ImageFormat::WebP,
        _ => return None,
    };
    let decoded = image::load_from_memory_with_format(&cover.bytes, format).ok()?;
    Some((cover, format, decoded))
}

/// The cover as the EPUB carries it: its file name in `EPUB/`, media type and bytes. An
/// uploaded WebP becomes a PNG, since WebP is not a core media type of EPUB 3.2 (which Debian's
/// EPUBCheck checks against).
pub(crate) fn epub_cover(edition: &Edition, uploaded: Option<Uploaded>) -> (&'static str, &'static str, Vec<u8>) {
    let generated = || ("cover.svg", "image/svg+xml", generated_svg(edition).into_bytes());
    match uploaded {
        Some((cover, image::ImageFormat::Jpeg, _)) => ("cover.jpg", "image/jpeg", cover.bytes.clone()),
        Some((cover, image::ImageFormat::Png, _)) => ("cover.png", "image/png", cover.bytes.clone()),
        Some((_, _, decoded)) => {
            let mut png = std::io::Cursor::new(Vec::new());
            match decoded.write_to(&mut png, image::ImageFormat::Png) {
                Ok(()) => ("cover.png", "image/png", png.into_inner()),
                Err(_) => generated(),
            }
        }
        None => generated(),
    }
}

/// The cover's text alternative: the uploaded image's alt text, or what the generated cover says.
pub(crate) fn alt(edition: &Edition, uploaded: Option<&CoverImage>) -> String {
    match uploaded {
        Some(cover) if !cover.alt.trim().is_empty() => cover.alt.clone(),
        _ => generated_lines(edition).into_iter().map(|(_, line)| line).collect::<Vec<_>>().join(". "),
    }
}

/// What the generated cover says, line by line, each with its role: the title, the subtitle,
/// the editors, the year.
pub(crate) fn generated_lines(edition: &Edition) -> Vec<(Line, String)> {
    let mut lines = vec![(Line::Title, edition.title.clone())];
    if let Some(subtitle) = edition.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        lines.push((Line::Subtitle, subtitle.to_owned()));
    }
    if !edition.editors.is_empty() {
        lines
            .push((Line::Editors, format!("{} {}", edition.labels.get("ebook-edited-by"), edition.editors.join(", "))));
    }
    lines.push((Line::Year, edition.year.to_string()));
    lines
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Line {
    Title,
    Subtitle,
    Editors,
    Year,
}

const WIDTH: usize = 600;
const HEIGHT: usize = 900;

/// The generated cover as an SVG image (2:3), its text wrapped to the width.
pub(crate) fn generated_svg(edition: &Edition) -> String {
    let mut body = String::new();
    let mut y = 260;
    for (line, text) in generated_lines(edition) {
        let (size, weight, chars_per_line) = match line {
            Line::Title => (46, "bold", 20),
            Line::Subtitle => (28, "normal", 32),
            Line::Editors => (22, "normal", 42),
            Line::Year => (26, "bold", 42),
        };
        if line == Line::Year {
            y = y.max(HEIGHT - 110);
        } else if line != Line::Title {
            y += size;
        }
        for row in wrap(&text, chars_per_line) {
            body.push_str(&format!(
                "<text x=\"{}\" y=\"{y}\" font-size=\"{size}\" font-weight=\"{weight}\" text-anchor=\"middle\">{}</text>\n",
                WIDTH / 2,
                esc(&row)
            ));
            y += size * 5 / 4;
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\">\n\
<title>{}</title>\n\
<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{BACKGROUND}\"/>\n\
<rect x=\"40\" y=\"40\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"2\"/>\n\
<g fill=\"{INK}\" font-family=\"Noto Serif, serif\">\n{body}</g>\n</svg>\n",
        esc(&alt(edition, None)),
        WIDTH - 80,
        HEIGHT - 80,
    )
}

/// `text` cut into rows of at most `width` characters at spaces; a longer word is cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut rows: Vec<String> = Vec::new();
    let mut row = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !row.is_empty() {
                rows.push(std::mem::take(&mut row));
            }
            rows.push(word.drain(..width).collect());
        }
        let word: String = word.into_iter().collect();
        if !row.is_empty() && row.chars().count() + 1 + word.chars().count() > width {
            rows.push(std::mem::take(&mut row));
        }
        if !row.is_empty() {
            row.push(' ');
        }
        row.push_str(&word);
    }
    if !row.is_empty() {
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("Buone pratiche delle reti territoriali", 20), ["Buone pratiche delle", "reti territoriali"]);
        assert_eq!(wrap(&"a".repeat(25), 10), ["a".repeat(10), "a".repeat(10), "a".repeat(5)]);
        assert_eq!(wrap("  ", 10), Vec::<String>::new());
    }
}
