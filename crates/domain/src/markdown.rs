//! User text in Markdown (meeting minutes) as HTML that cannot carry script: pulldown-cmark
//! renders it with raw HTML turned into plain text, then ammonia keeps only a list of harmless
//! tags and attributes (links get `rel="noopener noreferrer nofollow"`, only http, https and
//! mailto). Either step alone would do; both together survive a mistake in one.

use pulldown_cmark::{Event, Options, Parser, html};

/// Safe HTML for `markdown`.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events);
    sanitise(&unsafe_html)
}

/// `html` with only harmless tags and attributes: the second step of [`render`]. Sanitising its
/// own output changes nothing (the fuzz target `markdown` checks it).
pub fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_becomes_html() {
        let html = render("# Verbale\n\n- **deciso**: calendario\n- [sito](https://example.org)");
        assert!(html.contains("<h1>Verbale</h1>"), "{html}");
        assert!(html.contains("<strong>deciso</strong>"), "{html}");
        assert!(html.contains("href=\"https://example.org\""), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""), "{html}");
    }

    #[test]
    fn no_raw_html_or_script_gets_through() {
        for hostile in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[clic](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "![x](javascript:alert(1))",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<div onclick=\"alert(1)\">x</div>",
        ] {
            let html = render(hostile).to_lowercase();
            // Every tag left: only harmless ones, with no handler and no script URL.
            for tag in html.split('<').skip(1).map(|rest| rest.split('>').next().unwrap_or("")) {
                let name = tag.trim_start_matches('/').split([' ', '/']).next().unwrap_or("");
                assert!(["p", "a", "img", "em", "strong"].contains(&name), "{hostile} → {html}");
                assert!(
                    !tag.contains("onerror") && !tag.contains("onclick") && !tag.contains("javascript"),
                    "{hostile} → {html}"
                );
            }
        }
    }

    #[test]
    fn markdown_is_rendered_and_html_is_not_passed_on() {
        let html = render(
            "**Rete** e [link](https://example.org)\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>",
        );
        assert!(html.contains("<strong>Rete</strong>"), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""), "{html}");
        assert!(!html.contains("<script") && !html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "raw HTML shows as text: {html}");
        let link = render("[x](javascript:alert(1))");
        assert!(!link.contains("javascript:"), "{link}");
    }
}
