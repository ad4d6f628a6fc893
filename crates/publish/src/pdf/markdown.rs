//! Practice Markdown as typst markup, through pulldown-cmark's event stream: the same reading as
//! the EPUB's (raw HTML as text, images as their alt text, links only to http, https and mailto,
//! headings below the practice's own) with footnotes as typst footnotes. Text only ever reaches
//! the markup as string literals ([`super::document::text`]).

use super::document::{string, text};
use crate::xhtml::clean;
use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;

/// Numbers the footnotes' labels across the whole document, so that a note used twice is
/// printed once and referred to afterwards.
#[derive(Default)]
pub(super) struct Footnotes {
    next: usize,
}

/// A footnote of one Markdown text: its body as markup, and its label once printed.
struct Note {
    body: String,
    label: Option<String>,
}

const OPTIONS: Options = Options::ENABLE_TABLES.union(Options::ENABLE_STRIKETHROUGH).union(Options::ENABLE_FOOTNOTES);

/// Markup for `markdown`, its shallowest heading at `first_heading`. Ends with a paragraph break.
pub(super) fn markdown(markdown: &str, first_heading: u8, footnotes: &mut Footnotes) -> String {
    let source = clean(markdown);
    if source.trim().is_empty() {
        return String::new();
    }
    // First the footnote definitions, each rendered on its own; then the text, where a
    // reference prints its note.
    let mut notes: HashMap<String, Note> = HashMap::new();
    let mut definition: Option<(String, Vec<Event>)> = None;
    let mut body: Vec<Event> = Vec::new();
    for event in Parser::new_ext(&source, OPTIONS) {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => definition = Some((label.to_string(), Vec::new())),
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, events)) = definition.take() {
                    let rendered = Writer::new(first_heading, None).run(events);
                    notes.entry(label).or_insert(Note { body: rendered.trim_end().to_string(), label: None });
                }
            }
            event => match &mut definition {
                Some((_, events)) => events.push(event),
                None => body.push(event),
            },
        }
    }
    let mut out = Writer::new(first_heading, Some((&mut notes, footnotes))).run(body);
    out.push_str("\n\n");
    out
}

struct Writer<'a> {
    out: String,
    first_heading: u8,
    /// The notes of this text and the document's label counter; `None` inside a note, where a
    /// reference stays text.
    notes: Option<(&'a mut HashMap<String, Note>, &'a mut Footnotes)>,
    /// For each open link: whether it was kept.
    links: Vec<bool>,
    /// The text of the code block being read.
    code: Option<String>,
    /// Text not yet written: consecutive text events become one string literal.
    text: String,
}

impl<'a> Writer<'a> {
    fn new(first_heading: u8, notes: Option<(&'a mut HashMap<String, Note>, &'a mut Footnotes)>) -> Self {
        Writer { out: String::new(), first_heading, notes, links: Vec::new(), code: None, text: String::new() }
    }

    fn run(mut self, events: Vec<Event>) -> String {
        for event in events {
            self.event(event);
        }
        self.flush();
        self.out
    }

    fn event(&mut self, event: Event) {
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let code = self.code.take().unwrap_or_default();
                    self.out.push_str(&format!("#raw(block: true, {})\n\n", string(code.trim_end_matches('\n'))));
                }
                _ => {}
            }
            return;
        }
        if let Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) | Event::InlineMath(t) | Event::DisplayMath(t) =
            &event
        {
            self.text.push_str(t);
            return;
        }
        self.flush();
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(_) | Event::Html(_) | Event::InlineHtml(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {}
            Event::Code(t) => self.out.push_str(&format!("#raw({})", string(&t))),
            Event::SoftBreak => self.out.push(' '),
            Event::HardBreak => self.out.push_str("#linebreak()"),
            Event::Rule => self.out.push_str("#line(length: 100%)\n\n"),
            Event::TaskListMarker(done) => self.out.push_str(&text(if done { "☑ " } else { "☐ " })),
            Event::FootnoteReference(label) => self.reference(&label),
        }
    }

    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.out.push_str(&text(&self.text));
            self.text.clear();
        }
    }

    fn start(&mut self, tag: Tag) {
        let markup = match tag {
            Tag::Heading { level, .. } => {
                format!("#heading(level: {}, outlined: false)[", shifted(level, self.first_heading))
            }
            Tag::BlockQuote(_) => "#quote[".into(),
            Tag::CodeBlock(_) => {
                self.code = Some(String::new());
                return;
            }
            Tag::List(None) => "#list(".into(),
            Tag::List(Some(start)) => format!("#enum(start: {}, ", start.min(1_000_000)),
            Tag::Item => "[".into(),
            Tag::Table(alignments) => {
                let align: Vec<&str> = alignments
                    .iter()
                    .map(|a| match a {
                        Alignment::None | Alignment::Left => "start",
                        Alignment::Center => "center",
                        Alignment::Right => "end",
                    })
                    .collect();
                format!("#table(columns: {}, align: ({},), ", alignments.len().max(1), align.join(", "))
            }
            Tag::TableHead => "table.header(".into(),
            Tag::TableCell => "[".into(),
            Tag::Emphasis => "#emph[".into(),
            Tag::Strong => "#strong[".into(),
            Tag::Strikethrough => "#strike[".into(),
            Tag::Link { dest_url, .. } => {
                let safe = ["http://", "https://", "mailto:"]
                    .iter()
                    .any(|scheme| dest_url.len() > scheme.len() && dest_url.to_ascii_lowercase().starts_with(scheme));
                self.links.push(safe);
                if !safe {
                    return;
                }
                format!("#link({})[", string(&dest_url))
            }
            // Paragraphs, raw HTML blocks, images (their alt text is printed), and the rest of
            // the tags these options never produce open nothing.
            _ => return,
        };
        self.out.push_str(&markup);
    }

    fn end(&mut self, tag: TagEnd) {
        let markup = match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock => "\n\n",
            TagEnd::Heading(_) | TagEnd::BlockQuote(_) => "]\n\n",
            TagEnd::List(_) => ")\n\n",
            TagEnd::Item | TagEnd::TableCell => "],",
            TagEnd::Table => ")\n\n",
            TagEnd::TableHead => "),",
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => "]",
            TagEnd::Link => {
                if !self.links.pop().unwrap_or(false) {
                    return;
                }
                "]"
            }
            _ => return,
        };
        self.out.push_str(markup);
    }

    fn reference(&mut self, label: &str) {
        let Some((notes, footnotes)) = &mut self.notes else {
            self.out.push_str(&text(&format!("[^{label}]")));
            return;
        };
        match notes.get_mut(label) {
            Some(Note { label: Some(printed), .. }) => self.out.push_str(&format!("#footnote(<{printed}>)")),
            Some(note) => {
                footnotes.next += 1;
                let printed = format!("fn-{}", footnotes.next);
                self.out.push_str(&format!("#footnote[{}]<{printed}>", note.body));
                note.label = Some(printed);
            }
            None => self.out.push_str(&text(&format!("[^{label}]"))),
        }
    }
}

fn shifted(level: HeadingLevel, first: u8) -> u8 {
    (level as u8 - 1 + first).min(6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(source: &str) -> String {
        markdown(source, 4, &mut Footnotes::default())
    }

    #[test]
    fn text_is_only_ever_a_string_literal() {
        let out = render("#set page(fill: red) $x$ *a* _b_ [c] \\ <d> @e `f` ]");
        assert!(out.starts_with("#\"#set page(fill: red) $x$ \";#emph[#\"a\";]"), "{out}");
        assert!(out.contains("#raw(\"f\")"), "{out}");
    }

    #[test]
    fn blocks_become_typst_elements() {
        let out = render(
            "# T\n\n- a\n  - b\n\n1. x\n\n| h | k |\n|---|--:|\n| 1 | 2 |\n\n```\nc\n```\n\n> q\n\n[l](https://e.org) [j](javascript:x) ![alt](i.png)",
        );
        for expected in [
            "#heading(level: 4, outlined: false)[#\"T\";]",
            "#list([#\"a\";#list([#\"b\";],)",
            "#enum(start: 1, [#\"x\";],)",
            "#table(columns: 2, align: (start, end,), table.header([#\"h\";],[#\"k\";],),[#\"1\";],[#\"2\";],)",
            "#raw(block: true, \"c\")",
            "#quote[#\"q\";",
            "#link(\"https://e.org\")[#\"l\";]",
            "#\"j\";",
            "#\"alt\";",
        ] {
            assert!(out.contains(expected), "{expected} not in {out}");
        }
        assert!(!out.contains("javascript"), "{out}");
    }

    #[test]
    fn footnotes_are_printed_once_and_referred_to() {
        let mut footnotes = Footnotes { next: 4 };
        let out = markdown("a[^n] b[^n] c[^x]\n\n[^n]: Nota *sì*.", 2, &mut footnotes);
        assert!(out.contains("#footnote[#\"Nota \";#emph[#\"sì\";]#\".\";]<fn-5>"), "{out}");
        assert!(out.contains("#footnote(<fn-5>)"), "{out}");
        assert!(out.contains("#\" c[^x]\";"), "{out}");
        assert_eq!(footnotes.next, 5);
    }
}
