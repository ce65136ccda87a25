//! `survey-collector migrate-sqlite-to-postgres`: a SQLite collector's data moved into
//! PostgreSQL, after which the PostgreSQL collector exports exactly what the SQLite one did,
//! byte for byte; run again, it changes nothing; and it never overwrites what the target holds.
//!
//! PostgreSQL only; skipped, after a note, without `TEST_DATABASE_URL`.

mod common;

use axum::http::StatusCode;
use axum::Router;
use common::binary::BIN;
use common::*;
use serde_json::json;
use std::path::Path;
use std::process::{Command, Stdio};
use survey_collector::store::DB_FILE;

const RESPONSES: usize = 120;

/// Runs the command with `DATABASE_URL`; returns its exit code, stdout and stderr.
fn migrate(from: &Path, database_url: &str) -> (Option<i32>, String, String) {
    let out = Command::new(BIN)
        .args(["migrate-sqlite-to-postgres", "--from"])
        .arg(from)
        .env_clear()
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The JSON export, the CSV export and the results page of the demo survey, as bytes.
async fn everything_shown(app: &Router) -> Vec<Vec<u8>> {
    let mut shown = Vec::new();
    for uri in [
        format!("/admin/surveys/{SURVEY}/responses.json"),
        format!("/admin/surveys/{SURVEY}/responses.csv"),
        format!("/admin/surveys/{SURVEY}"),
        "/admin".to_owned(),
    ] {
        let response = send(app, get_admin(&uri)).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        shown.push(body_bytes(response).await);
    }
    shown
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_exports_byte_for_byte_what_sqlite_did_and_a_second_run_changes_nothing() {
    if !postgres_available() {
        return;
    }
    // A SQLite collector that has been taking answers.
    let sqlite = TestEnv::new();
    let sqlite_app = sqlite.app().await;
    for n in 0..RESPONSES {
        let mut payload = valid_payload(&new_id());
        payload["answers"]["improve"] = json!(format!("Answer number {n}, with ünïcödé and \"quotes\""));
        payload["answers"]["ease"] = json!(1 + n % 5);
        assert_eq!(send(&sqlite_app, post_json(&payload)).await.status(), StatusCode::CREATED);
    }
    // And a survey someone is writing in the editor, half-way.
    let draft = "{\"format\": 1, \"id\": \"parks\", \"title\": \"Our pa";
    let put = axum::http::Request::put("/admin/api/surveys/parks/draft")
        .header(axum::http::header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(axum::body::Body::from(draft))
        .expect("request");
    assert_eq!(send(&sqlite_app, put).await.status(), StatusCode::OK);
    let before = everything_shown(&sqlite_app).await;
    drop(sqlite_app);

    let postgres = TestEnv::on(Engine::Postgres);
    let url = postgres.database.as_ref().expect("PostgreSQL").url().to_owned();
    let file = sqlite.config.data_dir.join(DB_FILE);
    let (code, stdout, stderr) = migrate(&file, &url);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("definition versions: 2 copied, 0 already there"), "{stdout}");
    assert!(stdout.contains("drafts: 1 copied, 0 already there"), "{stdout}");
    assert!(stdout.contains(&format!("responses: {RESPONSES} copied, 0 already there")), "{stdout}");

    // The PostgreSQL collector shows the same, byte for byte.
    let postgres_app = postgres.app().await;
    let after = everything_shown(&postgres_app).await;
    for (i, (a, b)) in before.iter().zip(&after).enumerate() {
        assert!(a == b, "view {i} differs:\n{}\n---\n{}", String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    }
    let (status, copied) = send_json(&postgres_app, get_admin("/admin/api/surveys/parks/draft")).await;
    assert_eq!((status, copied["source"].clone()), (StatusCode::OK, json!(draft)), "the draft, as typed");
    // And it goes on from there: a retry of a copied response is a repeat, with its reference.
    let stored: Vec<serde_json::Value> = serde_json::from_slice(&before[0]).expect("JSON");
    let (status, body) = send_json(&postgres_app, post_json(&stored[0])).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Usage was counted for what was copied: the quota sees the same totals.
    let usage = "SELECT SUM(rows)::TEXT || ' ' || SUM(bytes)::TEXT FROM survey_usage";
    assert_eq!(postgres.query_texts(usage).await, sqlite.query_texts("SELECT SUM(rows) || ' ' || SUM(bytes) FROM survey_usage").await);

    // Again: nothing new, nothing changed.
    let (code, stdout, stderr) = migrate(&file, &url);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("definition versions: 0 copied, 2 already there"), "{stdout}");
    assert!(stdout.contains("drafts: 0 copied, 1 already there"), "{stdout}");
    assert!(stdout.contains(&format!("responses: 0 copied, {RESPONSES} already there")), "{stdout}");
    assert_eq!(everything_shown(&postgres_app).await, after);
    assert_eq!(postgres.query_texts(usage).await, sqlite.query_texts("SELECT SUM(rows) || ' ' || SUM(bytes) FROM survey_usage").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_target_already_holds_is_never_overwritten_and_is_reported() {
    if !postgres_available() {
        return;
    }
    let sqlite = TestEnv::new();
    let postgres = TestEnv::on(Engine::Postgres);
    let url = postgres.database.as_ref().expect("PostgreSQL").url().to_owned();
    // The same submission id reached both collectors with different answers.
    let id = new_id();
    let mut on_sqlite = valid_payload(&id);
    on_sqlite["answers"]["ease"] = json!(1);
    let on_postgres = valid_payload(&id);
    assert_eq!(send(&sqlite.app().await, post_json(&on_sqlite)).await.status(), StatusCode::CREATED);
    assert_eq!(send(&sqlite.app().await, post_json(&valid_payload(&new_id()))).await.status(), StatusCode::CREATED);
    let postgres_app = postgres.app().await;
    assert_eq!(send(&postgres_app, post_json(&on_postgres)).await.status(), StatusCode::CREATED);

    let (code, stdout, stderr) = migrate(&sqlite.config.data_dir.join(DB_FILE), &url);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("responses: 1 copied, 0 already there"), "{stdout}");
    assert!(stdout.contains(&format!("left as the target has it (other content under this submission_id): {id}")), "{stdout}");
    assert!(stderr.contains("left as it was"), "{stderr}");
    let (_, stored) = send_json(&postgres_app, get_admin(&format!("/admin/surveys/{SURVEY}/responses.json"))).await;
    let stored = stored.as_array().expect("a list").clone();
    assert_eq!(stored.len(), 2);
    assert!(stored.contains(&on_postgres) && !stored.contains(&on_sqlite), "the target's own is kept");
}

#[test]
fn a_wrong_path_or_a_missing_database_url_is_refused_in_words() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join(DB_FILE);
    let (code, _, stderr) = migrate(&missing, "postgres://nobody@%2Fnonexistent/none");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("is not a collector's database"), "{stderr}");
    assert!(!missing.exists(), "no empty database was made in its place");

    let out = Command::new(BIN)
        .args(["migrate-sqlite-to-postgres", "--from"])
        .arg(&missing)
        .env_clear()
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("DATABASE_URL: set it to the PostgreSQL database to copy into"));

    let out = Command::new(BIN).args(["migrate-sqlite-to-postgres"]).env("DATABASE_URL", "postgres://u@h/d").output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: survey-collector migrate-sqlite-to-postgres --from"));

    let out = Command::new(BIN).arg("serve-please").env_clear().output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown command"));
}
