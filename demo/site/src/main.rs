//! `survey-demo-site`: the demo's host pages, served on their own origin, as a web team's site
//! would be, embedding surveys from a collector on another origin.
//!
//! The pages in `PAGES_DIR` name the collector as `{{collector}}`; this server writes
//! `COLLECTOR_URL` there, so each page holds exactly the snippet a web team pastes. Its pages
//! carry the strict Content Security Policy a careful host would: the collector's origin for
//! scripts, styles and requests, `'wasm-unsafe-eval'` for the WebAssembly, nothing inline.
//!
//! Settings (environment): `HOST` (127.0.0.1), `PORT` (8081; 0 picks a free one), `PAGES_DIR`
//! (demo/site/pages), `COLLECTOR_URL` (http://127.0.0.1:8080). It prints
//! `survey-demo-site listening on http://HOST:PORT` once it is bound.

mod site;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    match site::run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("survey-demo-site: {message}");
            ExitCode::from(2)
        }
    }
}
