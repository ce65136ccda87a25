//! The headers of public files: the widget bundle and the survey definitions, which pages on
//! any origin fetch.
//!
//! A blog on another origin imports `index.mjs` as an ES module, and the module fetches the
//! glue, the Wasm, the stylesheet and the definition: every one of those is a CORS request, so
//! each answer says `Access-Control-Allow-Origin: *` (no cookies are involved, so `*` is safe)
//! and `Cross-Origin-Resource-Policy: cross-origin` (for hosts that isolate themselves with
//! COEP). `Referrer-Policy: no-referrer` keeps the module's own imports from telling the
//! collector which page a respondent is on.
//!
//! Caching follows the file's name. The glue, the Wasm and the stylesheet carry a hash of their
//! content in their names (`survey_widget.3f9a1c2b7d.js`), so they never change and are kept for
//! a year; the loader and `index.mjs` keep their names (web teams paste one, modules import the
//! other) and are kept five minutes, so a release reaches every site within minutes and what
//! did not change is never downloaded again.
//!
//! Each bundle file is sent compressed when the browser accepts it: the build writes a Brotli
//! (`.br`) and a gzip (`.gz`) copy beside it (`pkg-scripts/package.sh`), and the router's file
//! service picks one by `Accept-Encoding`. The answer therefore depends on that header, which
//! `Vary: Accept-Encoding` tells every cache in between.

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// For files whose name carries their content's hash.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// For files with stable names: short enough that a release spreads within minutes.
pub const SHORT: &str = "public, max-age=300";

/// Adds the cross-origin and caching headers to a public file's answer.
pub async fn public_file_headers(request: Request, next: Next) -> Response {
    let hashed = is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    let ok = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(HeaderName::from_static("cross-origin-resource-policy"), HeaderValue::from_static("cross-origin"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    if ok && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(if hashed { IMMUTABLE } else { SHORT }));
    }
    if ok && !headers.contains_key(header::VARY) {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// Whether a path's file name is `name.HASH.ext`, HASH being at least 8 lower-case hex digits
/// (what `pkg-scripts/package.sh` writes).
///
/// ```
/// use survey_collector::routes::bundle::is_hashed;
/// assert!(is_hashed("/survey-widget/survey_widget_bg.3f9a1c2b7d.wasm"));
/// assert!(!is_hashed("/survey-widget/index.mjs"));
/// ```
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let mut parts = name.rsplit('.');
    let (_ext, hash) = (parts.next(), parts.next());
    parts.next().is_some()
        && hash.is_some_and(|h| h.len() >= 8 && h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_with_a_content_hash_count_as_hashed() {
        for yes in ["/x/survey_widget.0123456789.js", "/survey-widget.abcdef01.css", "a.b.deadbeef.wasm"] {
            assert!(is_hashed(yes), "{yes}");
        }
        for no in ["/x/survey-widget.js", "/x/index.mjs", "/x/survey_widget.js", "deadbeef.wasm", "/x/a.DEADBEEF.js", "/x/a.abc.js", ""] {
            assert!(!is_hashed(no), "{no}");
        }
    }
}
