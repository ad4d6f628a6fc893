//! Static files (`static/`), embedded in the binary so that it runs from anywhere.
//!
//! Every file answers at two URLs:
//! - a content-hashed one, `/static/app.<hash>.css`, cached by browsers for a year as `immutable`:
//!   templates name files through [`url`], so a new release means new URLs;
//! - its plain path, `/static/app.css`, with a short cache, for links from outside.
//!
//! The table is built once, on first use. Stylesheets get their relative `url(…)`s rewritten to
//! the hashed URLs first (so a font change also changes the hash of the stylesheet naming it). Text files are
//! compressed (brotli at its best quality, and gzip) the first time a client asks for that
//! encoding, and the result is kept: no build step and no start-up cost, and the 2-core build
//! machine compiles no compressor for the host. See `docs/decisions/0009-…`.

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::sync::{LazyLock, OnceLock};
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};

#[derive(RustEmbed)]
#[folder = "../../static/"]
#[exclude = "*.md"]
struct Assets;

/// Where the router serves `static/`.
const PREFIX: &str = "/static/";
/// Hex digits of SHA-256 in a hashed name: 64 bits, plenty for one site's files.
const HASH_LEN: usize = 16;
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const SHORT: &str = "public, max-age=3600";
/// Smaller files are not worth a compressed copy.
const MIN_COMPRESS: usize = 512;

struct Asset {
    url: String,
    body: Bytes,
    content_type: HeaderValue,
    etag: HeaderValue,
    compressible: bool,
    brotli: OnceLock<Option<Bytes>>,
    gzip: OnceLock<Option<Bytes>>,
}

struct Table {
    assets: Vec<Asset>,
    /// Plain and hashed paths (without the prefix) → (index, hashed?).
    paths: HashMap<String, (usize, bool)>,
}

static TABLE: LazyLock<Table> = LazyLock::new(build_table);

/// The URL a page uses for a file of `static/`, e.g. `url("app.css")` →
/// `/static/app.1f3a…9c.css`. Naming a file that does not exist is a bug in a template: it
/// panics in debug builds (so the page tests catch it) and gives an empty URL in release.
pub fn url(path: &str) -> &str {
    match TABLE.paths.get(path) {
        Some(&(index, _)) => &TABLE.assets[index].url,
        None => {
            debug_assert!(false, "no static file {path}");
            ""
        }
    }
}

/// Compression of everything else (pages, JSON, exports), per `Accept-Encoding`: brotli or
/// gzip at level 4, fast enough to run on every response (brotli's default, 11, is not). Static
/// files carry their own `Content-Encoding`, which the layer leaves alone; fonts and
/// spreadsheets are compressed already.
pub fn compression() -> CompressionLayer<impl Predicate> {
    let predicate = DefaultPredicate::new()
        .and(NotForContentType::const_new("font/"))
        .and(NotForContentType::const_new("application/vnd.openxmlformats"));
    CompressionLayer::new().quality(CompressionLevel::Precise(4)).compress_when(predicate)
}

pub async fn serve_asset(Path(path): Path<String>, request_headers: HeaderMap) -> Response {
    let Some(&(index, hashed)) = TABLE.paths.get(&path) else {
        return crate::error::AppError::NotFound.into_response();
    };
    let asset = &TABLE.assets[index];
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, asset.content_type.clone());
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(if hashed { IMMUTABLE } else { SHORT }));
    headers.insert(header::ETAG, asset.etag.clone());
    if asset.compressible {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if request_headers.get(header::IF_NONE_MATCH).is_some_and(|tags| etag_matches(tags, &asset.etag)) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    let body = match asset.compressible.then(|| Encoding::preferred(&request_headers)).flatten() {
        Some(encoding) => match encoding.copy(asset) {
            Some(compressed) => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding.name()));
                compressed
            }
            None => asset.body.clone(),
        },
        None => asset.body.clone(),
    };
    (headers, body).into_response()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    /// The best encoding the client accepts (brotli over gzip), reading `q=0` as a refusal.
    fn preferred(headers: &HeaderMap) -> Option<Encoding> {
        let mut accepted = (false, false);
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            for item in value.to_str().unwrap_or("").split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
                let refused = parts.any(|param| {
                    let param = param.trim();
                    param.strip_prefix("q=").is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
                });
                match name.as_str() {
                    "br" => accepted.0 = !refused,
                    "gzip" => accepted.1 = !refused,
                    _ => {}
                }
            }
        }
        match accepted {
            (true, _) => Some(Encoding::Brotli),
            (false, true) => Some(Encoding::Gzip),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        }
    }

    /// The compressed copy of `asset`, made on first request; `None` when it would not be smaller.
    fn copy(self, asset: &Asset) -> Option<Bytes> {
        let cell = match self {
            Encoding::Brotli => &asset.brotli,
            Encoding::Gzip => &asset.gzip,
        };
        cell.get_or_init(|| {
            let compressed = match self {
                Encoding::Brotli => brotli_best(&asset.body),
                Encoding::Gzip => gzip_best(&asset.body),
            };
            (compressed.len() < asset.body.len()).then(|| Bytes::from(compressed))
        })
        .clone()
    }
}

fn brotli_best(data: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    let mut out = Vec::with_capacity(data.len() / 4);
    brotli::BrotliCompress(&mut &data[..], &mut out, &params).expect("compressing in memory cannot fail");
    out
}

fn gzip_best(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(data.len() / 3), flate2::Compression::best());
    encoder.write_all(data).expect("compressing in memory cannot fail");
    encoder.finish().expect("compressing in memory cannot fail")
}

fn etag_matches(tags: &HeaderValue, etag: &HeaderValue) -> bool {
    let wanted = etag.to_str().unwrap_or("");
    tags.to_str().unwrap_or("").split(',').any(|tag| tag.trim() == "*" || tag.trim().trim_start_matches("W/") == wanted)
}

fn build_table() -> Table {
    let mut files: Vec<(String, Vec<u8>, String)> = Assets::iter()
        .filter_map(|path| {
            let file = Assets::get(&path)?;
            Some((path.into_owned(), file.data.into_owned(), file.metadata.mimetype().to_owned()))
        })
        .collect();
    // Stylesheets last: their `url(…)`s point at the hashed URLs of the files before them.
    files.sort_by_key(|(path, _, _)| path.ends_with(".css"));
    let mut table = Table { assets: Vec::with_capacity(files.len()), paths: HashMap::new() };
    for (path, mut body, mime) in files {
        if path.ends_with(".css") {
            let text = String::from_utf8_lossy(&body).into_owned();
            body = rewrite_css_urls(&text, &path, |target| table.url_of(target)).into_bytes();
        }
        let digest = Sha256::digest(&body);
        let hash: String = digest.iter().map(|b| format!("{b:02x}")).collect::<String>()[..HASH_LEN].to_owned();
        let hashed = hashed_path(&path, &hash);
        let index = table.assets.len();
        table.assets.push(Asset {
            url: format!("{PREFIX}{hashed}"),
            compressible: body.len() >= MIN_COMPRESS && is_text(&mime),
            body: Bytes::from(body),
            content_type: HeaderValue::from_str(&mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
            etag: HeaderValue::from_str(&format!("\"{hash}\"")).expect("hex is a valid header"),
            brotli: OnceLock::new(),
            gzip: OnceLock::new(),
        });
        table.paths.insert(path, (index, false));
        table.paths.insert(hashed, (index, true));
    }
    table
}

impl Table {
    fn url_of(&self, path: &str) -> Option<String> {
        self.paths.get(path).map(|&(index, _)| self.assets[index].url.clone())
    }
}

/// `dir/name.ext` → `dir/name.<hash>.ext` (`name.min.css` → `name.min.<hash>.css`).
fn hashed_path(path: &str, hash: &str) -> String {
    let name_start = path.rfind('/').map_or(0, |i| i + 1);
    match path[name_start..].rfind('.') {
        Some(dot) if dot > 0 => format!("{}.{hash}{}", &path[..name_start + dot], &path[name_start + dot..]),
        _ => format!("{path}.{hash}"),
    }
}

fn is_text(mime: &str) -> bool {
    mime.starts_with("text/")
        || matches!(mime, "application/javascript" | "application/json" | "image/svg+xml" | "application/xml")
}

/// Replaces each relative `url(…)` of a stylesheet at `css_path` with what `resolve` gives for
/// the file it points at; absolute, `data:` and unknown URLs stay as they are.
fn rewrite_css_urls(css: &str, css_path: &str, resolve: impl Fn(&str) -> Option<String>) -> String {
    let dir = css_path.rfind('/').map_or("", |i| &css_path[..i]);
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("url(") {
        let after = &rest[start + 4..];
        let Some(end) = after.find(')') else { break };
        let target = after[..end].trim().trim_matches(|c| c == '\'' || c == '"');
        out.push_str(&rest[..start]);
        match resolve_relative(dir, target).and_then(|path| resolve(&path)) {
            Some(url) => out.push_str(&format!("url('{url}')")),
            None => out.push_str(&rest[start..start + 4 + end + 1]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// `fonts` + `Lora/x.woff2` → `fonts/Lora/x.woff2`; `None` for absolute or `data:` URLs.
fn resolve_relative(dir: &str, target: &str) -> Option<String> {
    if target.is_empty() || target.starts_with('/') || target.starts_with('#') || target.contains(':') {
        return None;
    }
    let target = target.split(['?', '#']).next().unwrap_or(target);
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in target.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> Option<Encoding> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        Encoding::preferred(&headers)
    }

    #[test]
    fn brotli_is_preferred_and_q_zero_refuses() {
        assert_eq!(accept("gzip, deflate, br, zstd"), Some(Encoding::Brotli));
        assert_eq!(accept("gzip"), Some(Encoding::Gzip));
        assert_eq!(accept("br;q=0, gzip;q=0.5"), Some(Encoding::Gzip));
        assert_eq!(accept("BR"), Some(Encoding::Brotli));
        assert_eq!(accept("identity"), None);
        assert_eq!(accept("gzip;q=0"), None);
    }

    #[test]
    fn hashes_go_before_the_extension() {
        assert_eq!(hashed_path("app.css", "ab"), "app.ab.css");
        assert_eq!(hashed_path("vendor/x/y.min.css", "ab"), "vendor/x/y.min.ab.css");
        assert_eq!(hashed_path("vendor/LICENSE", "ab"), "vendor/LICENSE.ab");
        assert_eq!(hashed_path("a.b/LICENSE", "ab"), "a.b/LICENSE.ab");
    }

    #[test]
    fn relative_css_urls_point_at_hashed_files() {
        let css = "@font-face{src:url('Lora/a.woff2') format('woff2')}a{b:url(\"data:image/svg+xml,x\")}\
                   c{d:url(../img/e.svg)}f{g:url(/abs.png)}h{i:url(missing.png)}";
        let out = rewrite_css_urls(css, "fonts/fonts.css", |path| match path {
            "fonts/Lora/a.woff2" => Some("/static/fonts/Lora/a.1.woff2".into()),
            "img/e.svg" => Some("/static/img/e.2.svg".into()),
            _ => None,
        });
        assert_eq!(
            out,
            "@font-face{src:url('/static/fonts/Lora/a.1.woff2') format('woff2')}a{b:url(\"data:image/svg+xml,x\")}\
             c{d:url('/static/img/e.2.svg')}f{g:url(/abs.png)}h{i:url(missing.png)}"
        );
    }

    #[test]
    fn every_file_has_a_hashed_url_that_serves_it() {
        let url = url("app.css");
        assert!(
            url.starts_with("/static/app.")
                && url.ends_with(".css")
                && url.len() == "/static/app..css".len() + HASH_LEN
        );
        assert_eq!(TABLE.paths.get(&url[PREFIX.len()..]).map(|&(_, hashed)| hashed), Some(true));
        let css = &TABLE.assets[TABLE.paths["vendor/bootstrap-italia/css/bootstrap-italia.min.css"].0];
        let text = std::str::from_utf8(&css.body).unwrap();
        assert!(text.contains("url('/static/vendor/bootstrap-italia/fonts/Lora/lora-v20-latin-ext_latin-700."));
        assert!(!text.contains("url('../fonts/"));
    }
}
