//! The real binary: its settings, its startup line, real sockets, and a clean stop.

mod common;

use common::binary::{command, http, Server};
use common::{new_id, valid_payload};
use std::process::Stdio;
use std::time::Duration;

/// Identical requests sent at the same moment, each on its own connection.
const IDENTICAL: usize = 50;

/// Runs to completion; returns the exit code and stderr.
fn run_to_exit(mut cmd: std::process::Command) -> (Option<i32>, String) {
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
fn a_weak_admin_token_or_bad_origin_list_exits_2_in_words() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, stderr) = run_to_exit(command(dir.path(), &[("ADMIN_TOKEN", "letmein")]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("ADMIN_TOKEN: is 7 characters long; it must be at least 32"), "{stderr}");
    let (code, stderr) = run_to_exit(command(dir.path(), &[("ALLOWED_ORIGINS", "blog.example.org")]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("ALLOWED_ORIGINS: \"blog.example.org\" must start with https://"), "{stderr}");
    let (code, stderr) = run_to_exit(command(dir.path(), &[("HOST", "example.org")]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("HOST: must be an IP address"), "{stderr}");
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

#[test]
fn the_server_announces_its_port_stores_concurrent_retries_once_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cmd = command(dir.path(), &[]);
    cmd.env_remove("ADMIN_TOKEN");
    let mut server = Server::start(cmd);
    let addr = server.addr.clone();
    for name in survey_collector::config::NAMES {
        assert!(server.announced.contains(name), "startup names {name}: {}", server.announced);
    }

    // No ADMIN_TOKEN was set, so one is generated and printed.
    let token_line = server.stdout_line();
    let token = token_line
        .strip_prefix("survey-collector admin token: ")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("unexpected token line {token_line:?}"))
        .to_owned();

    let (status, health) = http(&addr, "GET", "/healthz", &[], "");
    assert_eq!(status, 200, "{health}");
    let health: serde_json::Value = serde_json::from_str(&health).expect("JSON");
    assert_eq!(health, serde_json::json!({ "status": "ok", "degraded": [] }));

    let id = new_id();
    let body = valid_payload(&id).to_string();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(IDENTICAL));
    let threads: Vec<_> = (0..IDENTICAL)
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

    let status = server.terminate(Duration::from_secs(10)).expect("stops within 10 s of SIGTERM");
    assert!(status.success(), "a clean exit after SIGTERM: {status:?}");
}
