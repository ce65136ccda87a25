//! Bytes on the wire: the bundle is sent from the build's Brotli and gzip copies, picked by
//! `Accept-Encoding` and never compressed a second time; the collector's own pages and JSON are
//! compressed as they go out; every answer whose body depends on the header says so with `Vary`.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::response::Response;
use common::*;
use std::io::Read;

fn get_accepting(uri: &str, accept_encoding: &str) -> Request<Body> {
    Request::get(uri).header(header::ACCEPT_ENCODING, accept_encoding).body(Body::empty()).expect("request")
}

fn encoding(response: &Response) -> Option<&str> {
    response.headers().get(header::CONTENT_ENCODING).map(|v| v.to_str().expect("ascii"))
}

fn assert_varies(response: &Response, uri: &str) {
    let vary: Vec<_> = response.headers().get_all(header::VARY).iter().map(|v| v.to_str().expect("ascii")).collect();
    assert_eq!(vary, ["accept-encoding"], "{uri}: exactly one Vary: accept-encoding");
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).expect("valid gzip");
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli_decompressor::Decompressor::new(bytes, 4096).read_to_end(&mut out).expect("valid brotli");
    out
}

#[tokio::test]
async fn a_bundle_file_is_sent_from_its_precompressed_copy_that_the_browser_accepts() {
    let env = TestEnv::new();
    let dist = &env.config.dist_dir;
    // Distinct contents per copy, so the test sees which one was sent, byte for byte.
    let wasm = "survey_widget_bg.0123abcd89.wasm";
    std::fs::write(dist.join(wasm), b"\0asm raw bytes").expect("write");
    std::fs::write(dist.join(format!("{wasm}.br")), b"brotli copy").expect("write");
    std::fs::write(dist.join(format!("{wasm}.gz")), b"gzip copy").expect("write");
    let app = env.app().await;
    let uri = format!("/survey-widget/{wasm}");

    for (accept, sent, expected) in [
        ("gzip, deflate, br, zstd", Some("br"), &b"brotli copy"[..]),
        ("br;q=1.0, gzip;q=0.8", Some("br"), b"brotli copy"),
        ("gzip", Some("gzip"), b"gzip copy"),
        ("identity", None, b"\0asm raw bytes"),
    ] {
        let response = send(&app, get_accepting(&uri, accept)).await;
        assert_eq!(response.status(), StatusCode::OK, "{accept}");
        assert_eq!(encoding(&response), sent, "{accept}");
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/wasm", "{accept}: the type of the file, not of the copy");
        assert_eq!(response.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable", "{accept}");
        assert_varies(&response, &uri);
        assert_eq!(body_bytes(response).await, expected, "{accept}: the copy as it is, not compressed again");
    }

    // Without Accept-Encoding at all (curl's default): the file itself.
    let response = send(&app, get(&uri)).await;
    assert_eq!(encoding(&response), None);
    assert_varies(&response, &uri);
    assert_eq!(body_bytes(response).await, b"\0asm raw bytes");
}

#[tokio::test]
async fn the_collectors_own_json_and_html_are_compressed_for_browsers_that_accept_it() {
    let env = TestEnv::new();
    let app = env.app().await;
    let with = |uri: &str, accept: Option<&str>| {
        let mut request = if uri.starts_with("/admin") { get_admin(uri) } else { get(uri) };
        if let Some(accept) = accept {
            request.headers_mut().insert(header::ACCEPT_ENCODING, accept.parse().expect("header"));
        }
        request
    };
    for uri in ["/surveys/gp-experience.json", "/s/gp-experience", "/admin", "/admin/surveys/gp-experience"] {
        let plain = body_bytes(send(&app, with(uri, None)).await).await;
        assert!(plain.len() > 512, "{uri}: big enough to be worth compressing ({} bytes)", plain.len());

        let response = send(&app, with(uri, Some("gzip, deflate, br"))).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert_eq!(encoding(&response), Some("br"), "{uri}");
        assert_varies(&response, uri);
        let sent = body_bytes(response).await;
        assert!(sent.len() < plain.len() * 3 / 4, "{uri}: {} bytes compressed from {}", sent.len(), plain.len());
        assert_eq!(unbrotli(&sent), plain, "{uri}: the same page once decoded");

        let response = send(&app, with(uri, Some("gzip"))).await;
        assert_eq!(encoding(&response), Some("gzip"), "{uri}");
        assert_eq!(gunzip(&body_bytes(response).await), plain, "{uri}");
    }
}

#[tokio::test]
async fn a_small_answer_is_not_worth_compressing() {
    let env = TestEnv::new();
    let response = send(&env.app().await, get_accepting("/healthz", "br, gzip")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(encoding(&response), None, "a few dozen bytes of JSON go as they are");
    assert_eq!(body_json(response).await["status"], "ok");
}
