//! Idempotency by the bytes received, and a database made by the previous release upgraded in
//! place at startup.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;
use sha2::{Digest as _, Sha256};
use survey_collector::store::DB_FILE;

/// The schema exactly as the previous release created it (it left `user_version` at 0).
const PREVIOUS_RELEASE_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS responses (
    submission_id  TEXT PRIMARY KEY NOT NULL,
    survey_id      TEXT NOT NULL,
    survey_version INTEGER NOT NULL,
    reference      TEXT NOT NULL UNIQUE,
    received_at    TEXT NOT NULL,
    payload        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS responses_by_survey ON responses (survey_id, received_at);
CREATE TABLE IF NOT EXISTS definitions (
    survey_id       TEXT NOT NULL,
    version         INTEGER NOT NULL,
    source          TEXT NOT NULL,
    first_loaded_at TEXT NOT NULL,
    PRIMARY KEY (survey_id, version)
);
CREATE TABLE IF NOT EXISTS admin_sessions (
    secret_hash TEXT PRIMARY KEY NOT NULL,
    expires_at  INTEGER NOT NULL
);
";

fn database(env: &TestEnv) -> rusqlite::Connection {
    rusqlite::Connection::open(env.config.data_dir.join(DB_FILE)).expect("the database opens")
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

on_both_engines! {
    async fn a_retry_of_the_same_bytes_is_the_same_submission_whatever_is_stored(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let id = new_id();
        let body = serde_json::to_vec(&valid_payload(&id)).expect("serialisable");
        let (status, first) = send_json(&app, post_bytes(body.clone())).await;
        assert_eq!(status, StatusCode::CREATED, "{first}");
        let stored_hash = env.query_texts(&format!("SELECT body_sha256 FROM responses WHERE submission_id = '{id}'")).await;
        assert_eq!(stored_hash, [sha256_hex(&body)], "a hash of the bytes as received");

        // What a later release's model makes of the same bytes may differ from what is stored
        // (here: the stored payload is changed under it). The same bytes are still the same
        // submission.
        let mut changed = valid_payload(&id);
        changed["answers"]["improve"] = json!("Normalised differently by another release");
        assert!(!changed.to_string().contains('\''), "fits in an SQL string as it is");
        env.execute(&format!("UPDATE responses SET payload = '{changed}' WHERE submission_id = '{id}'")).await;
        let (status, again) = send_json(&app, post_bytes(body)).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["reference"], first["reference"]);

        // Different answers under the same id are a conflict; the first is kept.
        let mut other = valid_payload(&id);
        other["answers"]["ease"] = json!(1);
        let (status, conflict) = send_json(&app, post_json(&other)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{conflict}");
        assert_eq!(conflict["reference"], first["reference"]);
    }
}

/// SQLite only: PostgreSQL support came after this release (tests/migrations.rs upgrades a
/// PostgreSQL database).
#[tokio::test]
async fn a_database_from_the_previous_release_is_upgraded_in_place() {
    let env = TestEnv::new();
    std::fs::create_dir_all(&env.config.data_dir).expect("DATA_DIR");
    // What the previous release stored: the payload as received (untrimmed), to the millisecond.
    let id = new_id();
    let mut sent = valid_payload(&id);
    sent["answers"]["improve"] = json!("  Answer emails faster  ");
    let body = serde_json::to_vec(&sent).expect("serialisable");
    let stored_then = serde_json::to_string(&survey_model::Payload::parse(&body).expect("valid")).expect("JSON");
    {
        let db = database(&env);
        db.execute_batch(PREVIOUS_RELEASE_SCHEMA).expect("old schema");
        db.execute(
            "INSERT INTO responses (submission_id, survey_id, survey_version, reference, received_at, payload)
             VALUES (?1, ?2, 1, 'K7Q2-9XMD', '2026-11-22T10:17:42.123Z', ?3)",
            [id.as_str(), SURVEY, stored_then.as_str()],
        )
        .expect("an old row");
    }

    let app = env.app().await;
    let db = database(&env);
    let version: i64 = db.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("pragma");
    assert_eq!(version, survey_collector::store::sqlite::MIGRATIONS.len() as i64, "every step since ran");
    let (hash, order_key, received_at): (Option<String>, i64, String) = db
        .query_row("SELECT body_sha256, order_key, received_at FROM responses WHERE submission_id = ?1", [&id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .expect("the old row is kept");
    assert_eq!(hash, None, "nothing is made up for old rows");
    assert_ne!(order_key, 0, "an old row gets a random order key");
    assert_eq!(received_at, "2026-11-22T10:00:00.000Z", "an anonymous row keeps the hour only");
    let usage: (i64, i64) = db
        .query_row("SELECT rows, bytes FROM survey_usage WHERE survey_id = ?1", [SURVEY], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("usage counted from the existing rows");
    assert_eq!(usage, (1, i64::try_from(stored_then.len()).expect("small")));

    // The widget's retry of what the previous release stored: the same submission.
    let (status, again) = send_json(&app, post_bytes(body)).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["reference"], "K7Q2-9XMD");
    let mut other = sent.clone();
    other["answers"]["ease"] = json!(1);
    assert_eq!(send(&app, post_json(&other)).await.status(), StatusCode::CONFLICT);
    let (status, stored) = send_json(&app, get_admin(&format!("/admin/surveys/{SURVEY}/responses.json"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(stored, json!([sent]), "the old row exports as it was stored");

    // Opening it again changes nothing.
    drop(app);
    let _ = env.state().await;
    let rows: i64 = database(&env).query_row("SELECT rows FROM survey_usage", [], |r| r.get(0)).expect("usage");
    assert_eq!(rows, 1);
}

on_both_engines! {
    async fn a_database_from_a_newer_release_is_refused_at_startup(engine) {
        let env = TestEnv::on(engine);
        let setting = match engine {
            Engine::Sqlite => {
                std::fs::create_dir_all(&env.config.data_dir).expect("DATA_DIR");
                env.execute("PRAGMA user_version = 99").await;
                "DATA_DIR"
            }
            Engine::Postgres => {
                env.execute(
                    "CREATE TABLE schema_version (only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row), version BIGINT NOT NULL);
                     INSERT INTO schema_version (version) VALUES (99);",
                )
                .await;
                "DATABASE_URL"
            }
        };
        let err = survey_collector::AppState::new(env.config.clone()).await.err().expect("refused");
        let text = err.to_string();
        assert!(text.starts_with(&format!("{setting}: the database has schema version 99, from a newer release")), "{text}");
        assert!(text.contains("Run the newer release, or restore a backup"), "{text}");
    }
}
