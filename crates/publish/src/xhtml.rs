//! Text and Markdown as XHTML that an XML parser accepts: every string escaped, characters XML
//! forbids dropped, Markdown rendered by pulldown-cmark with raw HTML as text, images as their
//! alt text (an EPUB may not reach out to remote resources), links only to http, https and
//! mailto, headings moved below the practice's own, and footnotes as EPUB notes.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use std::collections::HashMap;

/// `text` without the characters XML 1.0 cannot carry (most C0 controls, lone surrogates cannot
/// occur in a Rust string, U+FFFE/U+FFFF).
pub fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}'))
        .collect()
}

/// `text` escaped for XML element content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in clean(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A name that may be written right to left (Arabic, Hebrew) isolated from the text around it.
pub fn bdi(text: &str) -> String {
    format!("<bdi>{}</bdi>", esc(text))
}

/// XHTML for `markdown`. `id_prefix` makes the footnotes' ids unique in the document; the
/// shallowest Markdown heading becomes `<h{first_heading}>`.
pub fn markdown(markdown: &str, id_prefix: &str, first_heading: u8) -> String {
    let source = clean(markdown);
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    // Footnotes are numbered in the order they are defined; a reference to a label never
    // defined stays text.
    let mut numbers: HashMap<String, usize> = HashMap::new();
    for event in Parser::new_ext(&source, options) {
        if let Event::Start(Tag::FootnoteDefinition(label)) = event {
            let next = numbers.len() + 1;
            numbers.entry(label.to_string()).or_insert(next);
        }
    }
    let mut skipped_links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(&source, options).filter_map(|event| {
        Some(match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            // A raw HTML block, now text, still reads as a paragraph.
            Event::Start(Tag::HtmlBlock) => Event::Html(CowStr::from("<p>")),
            Event::End(TagEnd::HtmlBlock) => Event::Html(CowStr::from("</p>\n")),
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => return None,
            Event::Start(Tag::Link { dest_url, title, link_type, id }) => {
                let safe = ["http://", "https://", "mailto:"]
                    .iter()
                    .any(|scheme| dest_url.len() > scheme.len() && dest_url.to_ascii_lowercase().starts_with(scheme));
                skipped_links.push(!safe);
                if !safe {
                    return None;
                }
                Event::Start(Tag::Link { dest_url, title, link_type, id })
            }
            Event::End(TagEnd::Link) => {
                if skipped_links.pop().unwrap_or(false) {
                    return None;
                }
                Event::End(TagEnd::Link)
            }
            Event::Start(Tag::Heading { level, .. }) => {
                Event::Html(CowStr::from(format!("<h{}>", shifted(level, first_heading))))
            }
            Event::End(TagEnd::Heading(level)) => {
                Event::Html(CowStr::from(format!("</h{}>", shifted(level, first_heading))))
            }
            Event::FootnoteReference(label) => match numbers.get(label.as_ref()) {
                Some(n) => Event::Html(CowStr::from(format!(
                    "<a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#{id_prefix}-fn{n}\">{n}</a>"
                ))),
                None => Event::Text(CowStr::from(format!("[^{label}]"))),
            },
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = numbers.get(label.as_ref()).copied().unwrap_or(0);
                Event::Html(CowStr::from(format!(
                    "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"{id_prefix}-fn{n}\"><p class=\"note-number\">{n}</p>"
                )))
            }
            Event::End(TagEnd::FootnoteDefinition) => Event::Html(CowStr::from("</aside>\n")),
            other => other,
        })
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

fn shifted(level: HeadingLevel, first: u8) -> u8 {
    (level as u8 - 1 + first).min(6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_and_cleaned() {
        assert_eq!(esc("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&#39;");
        assert_eq!(bdi("مركز"), "<bdi>مركز</bdi>");
    }

    #[test]
    fn markdown_is_safe_xhtml() {
        let html = markdown(
            "# T\n\n<script>x</script>\n\n[a](javascript:x) [b](https://e.org) ![i](https://e.org/i.png)\n\nNota[^n].\n\n[^n]: Testo.",
            "p1-c",
            4,
        );
        assert!(html.contains("<h4>T</h4>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("href=\"https://e.org\""), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("href=\"#p1-c-fn1\""), "{html}");
        assert!(html.contains("<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"p1-c-fn1\">"), "{html}");
    }
}
