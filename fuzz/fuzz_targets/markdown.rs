//! The Markdown sanitiser (`reti_domain::markdown`): whatever is typed, the HTML has only
//! harmless tags, no event handler, no style, no URL but http, https, mailto or a relative
//! one, a `rel` on every link; and sanitising it again changes nothing.

#![no_main]

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
use libfuzzer_sys::fuzz_target;
use reti_domain::markdown::{render, sanitise};
use std::cell::RefCell;

/// Tags the sanitiser's list allows (ammonia's default list) and Markdown can produce.
const HARMLESS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "area",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "map",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

#[derive(Default)]
struct Tags(RefCell<Vec<html5ever::tokenizer::Tag>>);

impl TokenSink for Tags {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token {
            self.0.borrow_mut().push(tag);
        }
        TokenSinkResult::Continue
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else { return };
    let html = render(markdown);
    check(markdown, &html);
    assert_eq!(sanitise(&html), html, "sanitising twice changes {markdown:?}");
});

fn check(markdown: &str, html: &str) {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Tags::default(), Default::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    for tag in tokenizer.sink.0.borrow().iter() {
        let name = tag.name.to_string();
        assert!(HARMLESS.contains(&name.as_str()), "<{name}> from {markdown:?}: {html}");
        if tag.kind == TagKind::EndTag {
            continue;
        }
        for attribute in &tag.attrs {
            let key = attribute.name.local.to_string().to_ascii_lowercase();
            let value = attribute.value.to_string();
            assert!(!key.starts_with("on") && key != "style", "{key}= on <{name}> from {markdown:?}: {html}");
            if ["href", "src", "cite", "action", "formaction", "data", "srcset"].contains(&key.as_str()) {
                assert!(safe_url(&value), "{key}={value:?} on <{name}> from {markdown:?}: {html}");
            }
        }
        if name == "a" && tag.attrs.iter().any(|a| &*a.name.local == "href") {
            assert!(
                tag.attrs.iter().any(|a| &*a.name.local == "rel" && &*a.value == "noopener noreferrer nofollow"),
                "a link without rel from {markdown:?}: {html}"
            );
        }
    }
}

/// http, https, mailto or relative: no scheme before the first `/`, `?` or `#`, once the
/// characters a browser ignores in a scheme are taken out.
fn safe_url(url: &str) -> bool {
    let cleaned: String =
        url.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    let head = cleaned.split(['/', '?', '#']).next().unwrap_or("");
    match head.split_once(':') {
        // Not a scheme (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`): a relative path.
        Some((scheme, _))
            if scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            ["http", "https", "mailto"].contains(&scheme)
        }
        _ => true,
    }
}
