//! The real binary: its settings, its startup line, real sockets, and a clean stop.

mod common;

use common::{demo_site, demo_surveys, new_id, valid_payload};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_survey-demo");

/// The server with settings for a temp folder; `extra` overrides or adds variables.
fn command(data: &Path, extra: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PORT", "0")
        .env("DATA_DIR", data)
        .env("SURVEYS_DIR", demo_surveys())
        .env("SITE_DIR", demo_site())
        .env("DIST_DIR", data.join("no-dist"))
        .env("RUST_LOG", "warn");
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd
}

/// Runs to completion; returns the exit code and stderr.
fn run_to_exit(mut cmd: Command) -> (Option<i32>, String) {
    let out = cmd.stdin(Stdio::null()).output().expect("the binary runs");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_port_that_is_not_a_number_exits_2_with_a_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, stderr) = run_to_exit(command(dir.path(), &[("PORT", "eighty")]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("PORT: must be a port number"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unreadable_surveys_dir_exits_2_with_a_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing");
    let (code, stderr) = run_to_exit(command(dir.path(), &[("SURVEYS_DIR", missing.to_str().expect("utf-8"))]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("SURVEYS_DIR"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Kills the server if a test fails before stopping it.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 request over a fresh connection; returns the status and body.
fn http(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout set");
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(request.as_bytes()).expect("request sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response read");
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status line");
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}

fn wait_for_exit(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some(status) = child.try_wait().expect("waitable") {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

#[test]
fn the_server_announces_its_port_stores_concurrent_retries_once_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let child = command(dir.path(), &[])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut server = Running(child);
    let mut stdout = BufReader::new(server.0.stdout.take().expect("piped stdout"));

    let mut line = String::new();
    stdout.read_line(&mut line).expect("startup line");
    let url = line
        .trim_end()
        .strip_prefix("survey-demo listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected startup line {line:?}"));
    let port: u16 = url.parse().unwrap_or_else(|_| panic!("no port in {line:?}"));
    assert_ne!(port, 0, "the real port is printed");
    let addr = format!("127.0.0.1:{port}");

    // No ADMIN_TOKEN was set, so one is generated and printed.
    let mut token_line = String::new();
    stdout.read_line(&mut token_line).expect("token line");
    let token = token_line
        .strip_prefix("survey-demo admin token: ")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("unexpected token line {token_line:?}"))
        .to_owned();

    assert_eq!(http(&addr, "GET", "/healthz", &[], ""), (200, "ok".to_owned()));

    let id = new_id();
    let body = valid_payload(&id).to_string();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(20));
    let threads: Vec<_> = (0..20)
        .map(|_| {
            let (addr, body, id, barrier) = (addr.clone(), body.clone(), id.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let headers = [("Content-Type", "application/json"), ("Idempotency-Key", id.as_str())];
                http(&addr, "POST", "/api/responses", &headers, &body)
            })
        })
        .collect();
    let mut statuses = Vec::new();
    let mut references = std::collections::BTreeSet::new();
    for t in threads {
        let (status, body) = t.join().expect("thread finishes");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("JSON body: {body}"));
        statuses.push(status);
        references.insert(v["reference"].as_str().expect("reference").to_owned());
    }
    statuses.sort_unstable();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 201), "{statuses:?}");
    assert_eq!(references.len(), 1, "{references:?}");

    let auth = format!("Bearer {token}");
    let (status, stored) =
        http(&addr, "GET", "/admin/surveys/digital-engagement/responses.json", &[("Authorization", &auth)], "");
    assert_eq!(status, 200);
    let stored: serde_json::Value = serde_json::from_str(&stored).expect("JSON");
    assert_eq!(stored, serde_json::json!([valid_payload(&id)]));

    let pid = server.0.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
    assert!(killed.success());
    let status = wait_for_exit(&mut server.0, Duration::from_secs(10)).expect("stops within 10 s of SIGTERM");
    assert!(status.success(), "a clean exit after SIGTERM: {status:?}");
}
