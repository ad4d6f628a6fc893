//! What a phone downloads: compressed pages, content-hashed static files cached for a year, no
//! render-blocking vendor script, and the same strict Content-Security-Policy.

use crate::app_tests;
use crate::harness::TestResponse;
use axum::http::{StatusCode, header};
use std::io::Read;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

fn header(response: &TestResponse, name: header::HeaderName) -> &str {
    response.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

fn brotli_decoded(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096).read_to_end(&mut out).expect("valid brotli");
    out
}

fn gzip_decoded(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).expect("valid gzip");
    out
}

fn source(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../static/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Every `#it-…` icon the templates name.
fn icons_in_templates(dir: &std::path::Path, icons: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            icons_in_templates(&path, icons);
        } else if path.extension().is_some_and(|ext| ext == "html") {
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices("#it-") {
                let id: String =
                    text[at + 1..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
                icons.push(id);
            }
        }
    }
}

/// Every `/static/…` URL a page names, up to the closing quote or `#fragment`.
fn static_urls(page: &str) -> Vec<String> {
    let mut urls: Vec<String> = page
        .match_indices("\"/static/")
        .map(|(at, _)| page[at + 1..].split(['"', '#']).next().unwrap().to_owned())
        .collect();
    urls.sort();
    urls.dedup();
    urls
}

/// The hashed URL a page gives for `path` (e.g. `app.css` → `/static/app.<hash>.css`).
fn hashed_url(page: &str, path: &str) -> String {
    let (stem, ext) = path.rsplit_once('.').unwrap();
    static_urls(page)
        .into_iter()
        .find(|url| {
            url.strip_prefix(&format!("/static/{stem}."))
                .and_then(|rest| rest.strip_suffix(&format!(".{ext}")))
                .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .unwrap_or_else(|| panic!("no hashed URL for {path} in the page"))
}

app_tests! {
    async fn pages_are_compressed_as_the_browser_asks(app: TestApp) {
        let brotli = app.get_with("/", "accept-encoding", "gzip, deflate, br").await;
        assert_eq!(brotli.status, StatusCode::OK);
        assert_eq!(header(&brotli, header::CONTENT_ENCODING), "br");
        assert!(header(&brotli, header::VARY).to_ascii_lowercase().contains("accept-encoding"));
        let html = String::from_utf8(brotli_decoded(&brotli.bytes)).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("</html>"), "{html}");

        let gzip = app.get_with("/login", "accept-encoding", "gzip").await;
        assert_eq!(header(&gzip, header::CONTENT_ENCODING), "gzip");
        assert!(String::from_utf8(gzip_decoded(&gzip.bytes)).unwrap().contains("</html>"));

        let plain = app.get("/login").await;
        assert_eq!(header(&plain, header::CONTENT_ENCODING), "");
        assert!(plain.body.contains("</html>"));
    }

    async fn pages_name_static_files_by_their_hashed_urls(app: TestApp) {
        let user = app.user().admin().create().await;
        for logged_in in [false, true] {
            if logged_in {
                app.login(&user.email).await;
            }
            let page = app.get("/").await;
            assert_eq!(page.status, StatusCode::OK);
            let urls = static_urls(&page.body);
            assert!(urls.len() >= 5, "{urls:?}");
            for url in &urls {
                let file = app.get(url).await;
                assert_eq!(file.status, StatusCode::OK, "{url}");
                assert_eq!(header(&file, header::CACHE_CONTROL), IMMUTABLE, "{url} is not a hashed URL");
            }
            // Bootstrap Italia's 1 MB script is gone; our own is deferred.
            assert!(!page.body.contains("bootstrap-italia.bundle"));
            let app_js = hashed_url(&page.body, "app.js");
            assert!(page.body.contains(&format!("<script src=\"{app_js}\" defer></script>")));
        }
    }

    async fn hashed_static_files_are_immutable_and_compressed(app: TestApp) {
        let page = app.get("/").await;
        let css = hashed_url(&page.body, "vendor/bootstrap-italia/css/bootstrap-italia.min.css");
        let original = source("vendor/bootstrap-italia/css/bootstrap-italia.min.css");
        let plain = app.get(&css).await;
        assert_eq!(header(&plain, header::CONTENT_ENCODING), "");
        // The file as committed, but for its font URLs (at the end), rewritten to hashed ones.
        let fonts_at = original.windows(10).position(|w| w == b"@font-face").unwrap();
        assert_eq!(plain.bytes[..fonts_at], original[..fonts_at]);
        assert!(plain.body[fonts_at..].contains("url('/static/vendor/bootstrap-italia/fonts/Titillium_Web/"));

        let brotli = app.get_with(&css, "accept-encoding", "gzip, br").await;
        assert_eq!(brotli.status, StatusCode::OK);
        assert_eq!(header(&brotli, header::CACHE_CONTROL), IMMUTABLE);
        assert_eq!(header(&brotli, header::CONTENT_TYPE), "text/css");
        assert_eq!(header(&brotli, header::CONTENT_ENCODING), "br");
        assert!(header(&brotli, header::VARY).contains("accept-encoding"));
        assert!(brotli.bytes.len() * 4 < original.len(), "brotli saves less than expected");
        assert_eq!(brotli_decoded(&brotli.bytes), plain.bytes);

        let gzip = app.get_with(&css, "accept-encoding", "gzip").await;
        assert_eq!(header(&gzip, header::CONTENT_ENCODING), "gzip");
        assert_eq!(gzip_decoded(&gzip.bytes), plain.bytes);

        // A browser that has it already gets a 304.
        let etag = header(&plain, header::ETAG).to_owned();
        assert!(etag.starts_with('"'));
        let again = app.get_with(&css, "if-none-match", &etag).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
        assert!(again.bytes.is_empty());
    }

    async fn plain_static_urls_still_work_with_a_short_cache(app: TestApp) {
        let plain = app.get("/static/app.css").await;
        assert_eq!(plain.status, StatusCode::OK);
        assert_eq!(plain.bytes, source("app.css"));
        assert_eq!(header(&plain, header::CACHE_CONTROL), "public, max-age=3600");

        for missing in ["/static/app.0123456789abcdef.css", "/static/app.css.0123456789abcdef", "/static/nope.css"] {
            assert_eq!(app.get(missing).await.status, StatusCode::NOT_FOUND, "{missing}");
        }
        let page = app.get("/").await;
        let real = hashed_url(&page.body, "app.css");
        let wrong = format!("{}0{}", &real[..real.len() - 5], &real[real.len() - 4..]);
        assert_eq!(app.get(&wrong).await.status, StatusCode::NOT_FOUND, "{wrong}");
    }

    async fn fonts_are_hashed_from_the_stylesheet_and_sent_as_they_are(app: TestApp) {
        let page = app.get("/").await;
        let fonts_css = app.get(&hashed_url(&page.body, "vendor/bootstrap-italia/css/bootstrap-italia.min.css")).await;
        let font = static_urls(&fonts_css.body.replace('\'', "\""))
            .into_iter()
            .find(|url| url.contains("titillium-web-v10-latin-ext_latin-regular.latin."))
            .expect("the stylesheet names the hashed font");
        // Characters outside Latin-1 come from a second, lazily fetched file of the same face.
        assert!(fonts_css.body.contains("titillium-web-v10-latin-ext_latin-regular.latin-ext."));
        assert_eq!(fonts_css.body.matches("unicode-range:").count(), fonts_css.body.matches("@font-face{").count());
        // The font the layout preloads is the very URL the stylesheet uses.
        assert!(page.body.contains(&format!("<link rel=\"preload\" href=\"{font}\" as=\"font\"")));
        let file = app.get_with(&font, "accept-encoding", "gzip, br").await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(header(&file, header::CACHE_CONTROL), IMMUTABLE);
        assert_eq!(header(&file, header::CONTENT_ENCODING), "", "woff2 is compressed already");
        assert_eq!(file.bytes, source("vendor/bootstrap-italia/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.latin.woff2"));
    }

    async fn the_trimmed_icon_sprite_has_every_icon_the_templates_use(app: TestApp) {
        let page = app.get("/").await;
        let sprite = app.get(&hashed_url(&page.body, "vendor/bootstrap-italia/svg/sprites.svg")).await;
        assert_eq!(sprite.status, StatusCode::OK);
        let mut icons = Vec::new();
        icons_in_templates(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"), &mut icons);
        assert!(icons.contains(&"it-burger".to_owned()), "{icons:?}");
        for icon in icons {
            assert!(
                sprite.body.contains(&format!("<symbol id=\"{icon}\"")),
                "icon {icon} is not in the sprite: run scripts/vendor-assets.sh"
            );
        }
    }

    async fn the_content_security_policy_stays_strict(app: TestApp) {
        let page = app.get_with("/login", "accept-encoding", "br").await;
        let css = hashed_url(&String::from_utf8(brotli_decoded(&page.bytes)).unwrap(), "app.css");
        for response in [page, app.get(&css).await, app.get("/static/app.js").await] {
            assert_eq!(header(&response, header::HeaderName::from_static("content-security-policy")), CSP);
        }
    }
}
