//! Versioned schemas on both engines: a database a release has not seen yet is brought up to
//! date step by step, keeping what it holds; one that a newer release upgraded is refused, in
//! words, before the collector listens. (tests/upgrade.rs upgrades a real database of the
//! release before PostgreSQL support; src/store/sqlite.rs tests SQLite's runner on its own.)

mod common;

use common::binary::{command, Server};
use common::postgres::connect;
use common::*;
use std::process::Stdio;
use std::time::Duration;
use survey_collector::store::postgres::{migrate, MIGRATIONS};
use survey_collector::store::sqlite;

/// Marks the test's database as upgraded by a release 99 steps on.
async fn from_the_future(env: &TestEnv) {
    match env.engine() {
        Engine::Sqlite => {
            std::fs::create_dir_all(&env.config.data_dir).expect("DATA_DIR");
            env.execute("PRAGMA user_version = 99").await;
        }
        Engine::Postgres => {
            env.execute(
                "CREATE TABLE schema_version (only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row), version BIGINT NOT NULL);
                 INSERT INTO schema_version (version) VALUES (99);",
            )
            .await;
        }
    }
}

on_both_engines! {
    async fn the_binary_refuses_a_database_from_a_newer_release_in_words(engine) {
        let env = TestEnv::on(engine);
        from_the_future(&env).await;
        let database = env.database_env();
        let extra: Vec<(&str, &str)> = database.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let out = command(&env.config.data_dir, &extra).stdin(Stdio::null()).output().expect("the binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        let setting = if engine == Engine::Sqlite { "DATA_DIR" } else { "DATABASE_URL" };
        assert!(
            stderr.contains(&format!(
                "survey-collector: {setting}: the database has schema version 99, from a newer release; this release knows up to {}.",
                if engine == Engine::Sqlite { sqlite::MIGRATIONS.len() } else { MIGRATIONS.len() }
            )),
            "{stderr}"
        );
        assert!(stderr.contains("Run the newer release, or restore a backup made before the upgrade."), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!String::from_utf8_lossy(&out.stdout).contains("listening"), "it never listened");
    }
}

#[tokio::test]
async fn postgres_an_older_database_is_brought_up_to_date_keeping_its_rows() {
    if !postgres_available() {
        return;
    }
    let database = TestDatabase::create();
    let mut client = connect(database.url()).await;
    // A release with one step, then the next release with two.
    let steps = [
        "CREATE TABLE notes (id BIGINT PRIMARY KEY, text TEXT NOT NULL);",
        "ALTER TABLE notes ADD COLUMN seen BOOLEAN NOT NULL DEFAULT FALSE; CREATE INDEX notes_seen ON notes (seen);",
    ];
    migrate(&mut client, &steps[..1]).await.expect("the first release's schema");
    client.execute("INSERT INTO notes (id, text) VALUES (1, 'kept')", &[]).await.expect("a row");
    migrate(&mut client, &steps[..1]).await.expect("nothing to do the second time");
    migrate(&mut client, &steps).await.expect("upgraded");
    let row = client.query_one("SELECT text, seen, (SELECT version FROM schema_version) FROM notes", &[]).await.expect("the row");
    assert_eq!((row.get::<_, String>(0), row.get::<_, bool>(1), row.get::<_, i64>(2)), ("kept".to_owned(), false, 2));

    // The first release, on the upgraded database: refused, and nothing changed.
    let err = migrate(&mut client, &steps[..1]).await.expect_err("a newer database");
    assert!(err.to_string().starts_with("DATABASE_URL: the database has schema version 2, from a newer release; this release knows up to 1."), "{err}");
    let version: i64 = client.query_one("SELECT version FROM schema_version", &[]).await.expect("a row").get(0);
    assert_eq!(version, 2);
}

#[tokio::test]
async fn postgres_an_empty_database_gets_the_whole_schema_once_even_from_two_instances_at_once() {
    if !postgres_available() {
        return;
    }
    let env = TestEnv::on(Engine::Postgres);
    let url = env.database.as_ref().expect("PostgreSQL").url().to_owned();
    let data = env.dir.path().join("data");
    // Both start on the empty database at the same moment; the advisory lock lets one upgrade
    // it while the other waits, then finds it up to date.
    let starting: Vec<_> = (0..2)
        .map(|_| {
            let cmd = command(&data, &[("DATABASE_URL", &url)]);
            std::thread::spawn(move || Server::start(cmd))
        })
        .collect();
    let mut servers: Vec<Server> = starting.into_iter().map(|t| t.join().expect("both start")).collect();
    assert_eq!(env.query_texts("SELECT version::TEXT FROM schema_version").await, [MIGRATIONS.len().to_string()]);
    let tables = env
        .query_texts("SELECT table_name::TEXT FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")
        .await;
    assert_eq!(
        tables,
        ["admin_sessions", "catalog_marker", "definitions", "reach", "responses", "schema_version", "survey_drafts", "survey_usage"]
    );
    for server in &mut servers {
        assert!(server.terminate(Duration::from_secs(10)).is_some_and(|s| s.success()), "a clean stop");
        let log = server.stderr();
        assert!(!log.contains("ERROR"), "{log}");
    }
}

#[tokio::test]
async fn postgres_tables_have_no_room_for_the_sender() {
    if !postgres_available() {
        return;
    }
    let env = TestEnv::on(Engine::Postgres);
    drop(env.state().await);
    let columns = |table: &str| {
        let sql = format!(
            "SELECT column_name::TEXT FROM information_schema.columns WHERE table_name = '{table}' ORDER BY ordinal_position"
        );
        let env = &env;
        async move { env.query_texts(&sql).await }
    };
    // As on SQLite (tests/crash.rs says why each is there); the usage and the reach counters
    // are kept in shards. `channel` is computed from the payload (SQLite's is a hidden column).
    assert_eq!(
        columns("responses").await,
        ["submission_id", "survey_id", "survey_version", "reference", "received_at", "payload", "body_sha256", "order_key", "channel"]
    );
    assert_eq!(
        columns("reach").await,
        ["survey_id", "version", "channel", "day", "kind", "page", "shard", "count"],
        "counters, by day at finest"
    );
    assert_eq!(columns("survey_usage").await, ["survey_id", "shard", "rows", "bytes"], "usage is per survey, not per sender");
    assert_eq!(columns("admin_sessions").await, ["secret_hash", "expires_at"], "a session knows no address or browser");
}
