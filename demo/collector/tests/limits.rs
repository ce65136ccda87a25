//! Floods: a per-client rate limit and per-survey quotas on posted responses (429 with
//! `Retry-After`, so the widget keeps the answers), and a read timeout and connection cap on
//! the listener. Every limit is a setting.

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use common::binary::{command, http, Server};
use common::*;
use serde_json::json;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// A POST as it arrives from `peer` over a socket (the router reads the peer from here).
fn post_from(peer: &str, body: &serde_json::Value, forwarded_for: Option<&str>) -> Request<Body> {
    let mut request = post_json(body);
    let addr: SocketAddr = format!("{peer}:50000").parse().expect("an address");
    request.extensions_mut().insert(ConnectInfo(addr));
    if let Some(client) = forwarded_for {
        request.headers_mut().insert("x-forwarded-for", client.parse().expect("a header value"));
    }
    request
}

on_both_engines! {
    async fn one_client_is_limited_to_its_rate_and_told_when_to_come_back(engine) {
        let mut env = TestEnv::on(engine);
        env.config.limits.rate_per_minute = 3;
        let app = env.app().await;
        for _ in 0..3 {
            let response = send(&app, post_from("192.0.2.10", &valid_payload(&new_id()), None)).await;
            assert_eq!(response.status(), StatusCode::CREATED);
        }
        let response = send(&app, post_from("192.0.2.10", &valid_payload(&new_id()), None)).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "the widget keeps the answers and retries");
        let wait: u64 = response.headers()[header::RETRY_AFTER].to_str().expect("ascii").parse().expect("seconds");
        assert!((1..=20).contains(&wait), "a token comes back every 20 s: {wait}");
        assert_eq!(body_json(response).await["error"], "rate_limited");
        // Even a body that would be refused is not read: the brake comes first.
        assert_eq!(send(&app, post_from("192.0.2.10", &json!({}), None)).await.status(), StatusCode::TOO_MANY_REQUESTS);

        // Anyone else is not affected.
        assert_eq!(send(&app, post_from("192.0.2.11", &valid_payload(&new_id()), None)).await.status(), StatusCode::CREATED);
    }
}

on_both_engines! {
    async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(engine) {
        let mut env = TestEnv::on(engine);
        env.config.limits.rate_per_minute = 1;
        env.config.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")];
        let app = env.app().await;
        let post = |client: &str| post_from("127.0.0.1", &valid_payload(&new_id()), Some(client));
        assert_eq!(send(&app, post("203.0.113.1")).await.status(), StatusCode::CREATED);
        assert_eq!(send(&app, post("203.0.113.1")).await.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(send(&app, post("203.0.113.2")).await.status(), StatusCode::CREATED, "another client behind the proxy");
        // Without the proxy trusted, its header is not believed: the proxy is one client.
        env.config.trusted_proxies.clear();
        let app = env.app().await;
        assert_eq!(send(&app, post("203.0.113.3")).await.status(), StatusCode::CREATED);
        assert_eq!(send(&app, post("203.0.113.4")).await.status(), StatusCode::TOO_MANY_REQUESTS);
    }
}

on_both_engines! {
    async fn a_survey_over_its_row_quota_makes_new_responses_wait_but_answers_retries(engine) {
        let mut env = TestEnv::on(engine);
        env.config.limits.quota_rows = 2;
        let app = env.app().await;
        let first = valid_payload(&new_id());
        let (status, created) = send_json(&app, post_json(&first)).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(send(&app, post_json(&valid_payload(&new_id()))).await.status(), StatusCode::CREATED);

        let response = send(&app, post_json(&valid_payload(&new_id()))).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "3600");
        assert_eq!(body_json(response).await["error"], "quota_exceeded");

        // A retry of a stored response still gets its reference: its answers are safe.
        let (status, again) = send_json(&app, post_json(&first)).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["reference"], created["reference"]);

        // The count is in the database, so a restart does not reset it.
        drop(app);
        let app = env.app().await;
        assert_eq!(send(&app, post_json(&valid_payload(&new_id()))).await.status(), StatusCode::TOO_MANY_REQUESTS);
        // Raising the quota lets them in.
        env.config.limits.quota_rows = 3;
        let app = env.app().await;
        assert_eq!(send(&app, post_json(&valid_payload(&new_id()))).await.status(), StatusCode::CREATED);
    }
}

on_both_engines! {
    async fn a_survey_over_its_byte_quota_makes_new_responses_wait(engine) {
        let mut env = TestEnv::on(engine);
        // One demo response is about 400 bytes stored: room for one, not two.
        env.config.limits.quota_bytes = 600;
        let app = env.app().await;
        assert_eq!(send(&app, post_json(&valid_payload(&new_id()))).await.status(), StatusCode::CREATED);
        let (status, body) = send_json(&app, post_json(&valid_payload(&new_id()))).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert_eq!(body["error"], "quota_exceeded");
    }
}

/// Reads from `stream` until the server closes it or `limit` passes; whether it closed.
fn closed_within(stream: &mut TcpStream, limit: Duration) -> (bool, String) {
    stream.set_read_timeout(Some(limit)).expect("timeout set");
    let start = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return (true, String::from_utf8_lossy(&got).into_owned()),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return (true, String::from_utf8_lossy(&got).into_owned()),
            Err(_) => return (false, String::from_utf8_lossy(&got).into_owned()),
        }
        if start.elapsed() > limit {
            return (false, String::from_utf8_lossy(&got).into_owned());
        }
    }
}

#[test]
fn a_client_that_is_slow_to_send_its_request_is_cut_off() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(command(dir.path(), &[("READ_TIMEOUT_SECS", "1")]));

    // Headers that never end.
    let mut stream = TcpStream::connect(&server.addr).expect("connects");
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").expect("written");
    let (closed, _) = closed_within(&mut stream, Duration::from_secs(10));
    assert!(closed, "a connection whose headers do not arrive is closed");

    // A body that never ends: answered 408, which the widget retries.
    let mut stream = TcpStream::connect(&server.addr).expect("connects");
    stream
        .write_all(b"POST /api/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"format\":")
        .expect("written");
    let (closed, answer) = closed_within(&mut stream, Duration::from_secs(10));
    assert!(closed, "{answer}");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");

    // An idle kept-alive connection is not kept forever either.
    let mut stream = TcpStream::connect(&server.addr).expect("connects");
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").expect("written");
    let (closed, answer) = closed_within(&mut stream, Duration::from_secs(10));
    assert!(closed && answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[test]
fn connections_beyond_the_cap_wait_for_one_to_close() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(command(dir.path(), &[("MAX_CONNECTIONS", "1")]));
    let idle = TcpStream::connect(&server.addr).expect("connects");

    // The kernel accepts the second connection, but the collector does not serve it yet.
    let mut waiting = TcpStream::connect(&server.addr).expect("connects");
    waiting.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").expect("written");
    let (closed, answer) = closed_within(&mut waiting, Duration::from_millis(1500));
    assert!(!closed && answer.is_empty(), "served beyond the cap: {answer}");

    drop(idle);
    let (closed, answer) = closed_within(&mut waiting, Duration::from_secs(10));
    assert!(closed && answer.starts_with("HTTP/1.1 200"), "served once the first closed: {answer}");
    assert_eq!(http(&server.addr, "GET", "/healthz", &[], "").0, 200);
}
