//! `survey-load`, the load generator behind BENCHMARKS.md, run briefly against the real server
//! so that it cannot rot unnoticed. No timing is asserted: only that it runs, checks, and
//! reports nothing lost or duplicated.

mod common;

use common::binary::{command, Server};
use common::*;
use serde_json::Value;
use std::process::Command;
use std::time::Duration;

const LOAD: &str = env!("CARGO_BIN_EXE_survey-load");

fn survey_load(url: &str, token: &str) -> std::process::Output {
    Command::new(LOAD)
        .args(["--url", url, "--duration", "2", "--concurrency", "4", "--retries", "0.2", "--timeout", "60"])
        .env_clear()
        .env("ADMIN_TOKEN", token)
        .output()
        .expect("survey-load runs")
}

#[test]
fn a_short_run_reports_nothing_lost_or_duplicated() {
    short_runs(TestEnv::new());
}

#[test]
fn a_short_run_on_postgresql_reports_nothing_lost_or_duplicated() {
    if postgres_available() {
        short_runs(TestEnv::on(Engine::Postgres));
    }
}

fn short_runs(env: TestEnv) {
    let database = env.database_env();
    let mut extra: Vec<(&str, &str)> = database.iter().map(|(k, v)| (*k, v.as_str())).collect();
    extra.push(("ADMIN_TOKEN", TOKEN));
    let mut server = Server::start(command(&env.config.data_dir, &extra));

    // Twice against the same server: the second run must count only its own responses.
    for _ in 0..2 {
        let out = survey_load(&server.url(), TOKEN);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "survey-load failed: {:?}\n{stdout}\n{stderr}", out.status);
        let last = stdout.lines().last().unwrap_or_default();
        let report: Value = serde_json::from_str(last).unwrap_or_else(|e| panic!("no JSON last line ({e}): {stdout}"));
        let count = |key: &str| report[key].as_u64().unwrap_or_else(|| panic!("no {key} in {report}"));
        assert!(count("created") > 0, "{report}");
        assert!(count("resent") > 0, "a fifth of the requests are resends: {report}");
        assert_eq!(count("requests"), count("created") + count("resent"), "{report}");
        assert_eq!(count("stored"), count("created"), "{report}");
        for key in ["errors", "wrong_resend_answers", "lost", "duplicated", "mismatched"] {
            assert_eq!(count(key), 0, "{key}: {report}");
        }
        for key in ["requests_per_s", "p50_ms", "p99_ms", "max_ms"] {
            assert!(report[key].as_f64().is_some_and(|v| v > 0.0), "{key}: {report}");
        }
        assert!(stdout.contains("lost") && stdout.contains("p99"), "a table too: {stdout}");
    }

    // A run that cannot read what was stored cannot vouch for it: it fails, before sending.
    let out = survey_load(&server.url(), "not-the-token");
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("401"));

    server.terminate(Duration::from_secs(10)).expect("stops on SIGTERM");
}
