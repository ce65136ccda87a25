//! The little HTML the server writes itself, and the security headers every HTML response gets.
//!
//! Pages are assembled from escaped strings: there is no template engine because there are two
//! pages. No inline styles or scripts anywhere, so the strict policy below holds.

use axum::http::{header, HeaderName, HeaderValue};
use axum::response::{Html, IntoResponse, Response};

/// The Content Security Policy of every HTML page. `wasm-unsafe-eval` is what lets the widget
/// compile its WebAssembly; nothing else is relaxed.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
connect-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'self'";

/// The server's own stylesheet for the pages it writes (standalone survey page, admin summary).
pub const STYLESHEET: &str = include_str!("assets/collector.css");

/// Where [`STYLESHEET`] is served.
pub const STYLESHEET_PATH: &str = "/_collector/style.css";

/// Escapes text for HTML content and quoted attribute values.
///
/// ```
/// assert_eq!(survey_collector::html::escape(r#"<a href="x">'&'</a>"#),
///            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
/// ```
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
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

/// A whole page: `title` and `lang` are escaped here, `head` and `body` must already be HTML.
pub fn page(lang: &str, title: &str, head: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<link rel=\"stylesheet\" href=\"{STYLESHEET_PATH}\">\n\
         <link rel=\"icon\" href=\"data:,\">\n{head}</head>\n\
         <body>\n{body}</body>\n</html>\n",
        lang = escape(lang),
        title = escape(title),
    ))
}

/// Adds the security headers: `nosniff` on everything, and on HTML the CSP and a referrer
/// policy, whoever produced the page (a handler or the static site folder).
pub async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/html"));
    if is_html {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    }
    response
}

/// Serves [`STYLESHEET`].
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
            (HeaderName::from_static("cache-control"), HeaderValue::from_static("no-cache")),
        ],
        STYLESHEET,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_escapes_title_and_lang() {
        let Html(html) = page("en\"><script>", "A <b>title</b> & more", "", "");
        assert!(html.contains("<title>A &lt;b&gt;title&lt;/b&gt; &amp; more</title>"));
        assert!(html.contains("lang=\"en&quot;&gt;&lt;script&gt;\""));
        assert!(!html.contains("style="));
    }
}
