//! Settings, routing and the one handler: a file from `PAGES_DIR`, with the collector's URL
//! written in where a page asks for it, and the site's shared header and footer
//! (`PAGES_DIR/_layout/`) where a page says `<!--#include header-->` or `<!--#include footer-->`,
//! so the pages share one layout and a change to it is one edit.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What pages write where the collector's URL goes.
pub const PLACEHOLDER: &str = "{{collector}}";

/// The parts of the layout a page can include, each `PAGES_DIR/_layout/{name}.html`.
const INCLUDES: [&str; 2] = ["header", "footer"];

struct Site {
    pages: PathBuf,
    collector: String,
    csp: HeaderValue,
}

/// Reads the settings, binds, announces and serves until Ctrl-C or SIGTERM.
pub async fn run() -> Result<(), String> {
    let setting = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
    let host: IpAddr = match std::env::var("HOST") {
        Ok(h) => h.trim().parse().map_err(|_| format!("HOST must be an IP address, not {h:?}"))?,
        Err(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
    };
    let port: u16 = setting("PORT", "8081").trim().parse().map_err(|_| "PORT must be a port number".to_owned())?;
    let pages = PathBuf::from(setting("PAGES_DIR", "demo/site/pages"));
    if !pages.is_dir() {
        return Err(format!("PAGES_DIR {} is not a folder", pages.display()));
    }
    let collector = setting("COLLECTOR_URL", "http://127.0.0.1:8080").trim().trim_end_matches('/').to_owned();
    let origin = origin_of(&collector).ok_or_else(|| format!("COLLECTOR_URL {collector:?} must look like http://host:port"))?;
    let csp = HeaderValue::from_str(&policy(&origin)).map_err(|_| "COLLECTOR_URL has characters a header cannot carry".to_owned())?;
    let site = Arc::new(Site { pages, collector, csp });

    let listener = tokio::net::TcpListener::bind(SocketAddr::from((host, port)))
        .await
        .map_err(|e| format!("cannot listen on {host}:{port}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "survey-demo-site: pages from {}, collector at {}", site.pages.display(), site.collector);
    let _ = writeln!(out, "survey-demo-site listening on http://{addr}");
    let _ = out.flush();
    drop(out);

    let app = Router::new().fallback(serve).with_state(site);
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await.map_err(|e| e.to_string())
}

/// The policy of every page: what a host that embeds the widget from `collector` needs, no more.
fn policy(collector: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' {collector} 'wasm-unsafe-eval'; style-src 'self' {collector}; \
         connect-src 'self' {collector}; img-src 'self' data:; base-uri 'none'; frame-ancestors 'self'; \
         form-action 'self'"
    )
}

/// `http://host:port` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    (matches!(scheme, "http" | "https") && !host.is_empty()).then(|| format!("{scheme}://{host}"))
}

async fn serve(State(site): State<Arc<Site>>, request: Request) -> Response {
    let Some(path) = file_path(&site.pages, request.uri().path()) else {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    };
    let Ok(bytes) = tokio::fs::read(&path).await else {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    };
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let body = match ext {
        "html" => {
            let page = with_layout(&site.pages, &String::from_utf8_lossy(&bytes), request.uri().path()).await;
            page.replace(PLACEHOLDER, &site.collector).into_bytes()
        }
        "js" | "mjs" => String::from_utf8_lossy(&bytes).replace(PLACEHOLDER, &site.collector).into_bytes(),
        _ => bytes,
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(ext)));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if ext == "html" {
        headers.insert(header::CONTENT_SECURITY_POLICY, site.csp.clone());
    }
    response
}

/// `page` with each `<!--#include NAME-->` replaced by the layout part of that name, the link
/// to the page being shown marked `aria-current="page"`.
async fn with_layout(root: &Path, page: &str, url_path: &str) -> String {
    let mut out = page.to_owned();
    for name in INCLUDES {
        let directive = format!("<!--#include {name}-->");
        if !out.contains(&directive) {
            continue;
        }
        let part = tokio::fs::read_to_string(root.join("_layout").join(format!("{name}.html"))).await.unwrap_or_default();
        out = out.replace(&directive, part.trim_end());
    }
    mark_current(&out, url_path)
}

/// Marks the first link to `url_path` inside the main navigation as the current page.
fn mark_current(html: &str, url_path: &str) -> String {
    let here = if url_path == "/index.html" { "/" } else { url_path };
    let link = format!("<a href=\"{here}\">");
    let Some(nav) = html.find("<nav") else { return html.to_owned() };
    let end = html[nav..].find("</nav>").map_or(html.len(), |e| nav + e);
    match html[nav..end].find(&link) {
        Some(at) => {
            let at = nav + at;
            format!("{}<a href=\"{here}\" aria-current=\"page\">{}", &html[..at], &html[at + link.len()..])
        }
        None => html.to_owned(),
    }
}

/// The file a URL path names inside `root`, `index.html` for a folder; `None` for anything
/// that tries to leave it or reach a hidden file.
fn file_path(root: &Path, url_path: &str) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    for part in url_path.split('/').filter(|p| !p.is_empty()) {
        // Hidden files, and the layout's parts (`_layout/`), are not pages.
        if part.starts_with(['.', '_']) || part.contains(['\\', '%']) {
            return None;
        }
        path.push(part);
    }
    if url_path.ends_with('/') || path == root {
        path.push("index.html");
    }
    Some(path)
}

fn content_type(ext: &str) -> &'static str {
    match ext {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_folder() {
        let root = Path::new("/srv/pages");
        assert_eq!(file_path(root, "/"), Some(root.join("index.html")));
        assert_eq!(file_path(root, "/a/b.js"), Some(root.join("a/b.js")));
        assert_eq!(file_path(root, "/yew/"), Some(root.join("yew/index.html")));
        for bad in ["/../etc/passwd", "/.git/config", "/a/%2e%2e/x", "/a\\..\\x", "/_layout/header.html"] {
            assert_eq!(file_path(root, bad), None, "{bad}");
        }
    }

    #[test]
    fn the_pages_have_no_inline_styles_or_scripts_and_name_the_collector_by_placeholder() {
        let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("pages");
        for entry in std::fs::read_dir(&pages).expect("pages folder") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "html") {
                let html = std::fs::read_to_string(&path).expect("readable");
                assert!(!html.contains("style="), "{}", path.display());
                assert!(!html.contains("<style"), "{}", path.display());
                // A script is inline unless its opening tag names a file, wherever `src` stands.
                for script in html.split("<script").skip(1) {
                    let opening = script.split('>').next().unwrap_or("");
                    assert!(opening.contains(" src="), "inline script in {}", path.display());
                }
                // The collector is another origin: nothing of it may be named by a bare path.
                for bare in ["\"/survey-widget/", "\"/surveys/", "\"/api/", "\"/s/"] {
                    assert!(!html.contains(bare), "{bare} without {{{{collector}}}} in {}", path.display());
                }
            }
        }
    }

    #[test]
    fn the_current_page_is_marked_in_the_navigation_only() {
        let html = "<nav><a href=\"/\">Blog</a><a href=\"/news.html\">News</a></nav><p><a href=\"/news.html\">x</a></p>";
        let marked = mark_current(html, "/news.html");
        assert_eq!(marked.matches("aria-current").count(), 1);
        assert!(marked.contains("<a href=\"/news.html\" aria-current=\"page\">News</a></nav>"), "{marked}");
        assert!(mark_current(html, "/index.html").contains("<a href=\"/\" aria-current=\"page\">Blog"));
        assert_eq!(mark_current(html, "/other.html"), html);
    }

    #[tokio::test]
    async fn pages_get_the_shared_header_and_footer() {
        let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("pages");
        let page = tokio::fs::read_to_string(pages.join("embed-div.html")).await.expect("page");
        let html = with_layout(&pages, &page, "/embed-div.html").await;
        assert!(!html.contains("#include"), "every include is resolved");
        assert_eq!(html.matches("<header class=\"site-header\">").count(), 1);
        assert_eq!(html.matches("<footer class=\"site-footer\">").count(), 1);
        assert!(html.contains("<a href=\"/embed-div.html\" aria-current=\"page\">News</a>"));
    }

    #[test]
    fn the_policy_names_the_collector_and_allows_nothing_inline() {
        let p = policy("http://127.0.0.1:8080");
        assert!(p.contains("script-src 'self' http://127.0.0.1:8080 'wasm-unsafe-eval'"));
        assert!(p.contains("style-src 'self' http://127.0.0.1:8080;"));
        assert!(!p.contains("unsafe-inline"));
        assert_eq!(origin_of("https://c.example/x/y"), Some("https://c.example".into()));
        assert_eq!(origin_of("c.example"), None);
    }
}
