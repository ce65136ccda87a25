//! Shared test helpers: a fresh server state over temporary folders, the real demo survey, and
//! request/response shortcuts. Every test gets its own DATA_DIR (and, on PostgreSQL, its own
//! database), so tests never share rows.
//!
//! Tests of storage and HTTP behaviour run once per engine: [`on_both_engines!`] makes a
//! `sqlite` and a `postgres` test of one body. The PostgreSQL variants need a server:
//! `TEST_DATABASE_URL` names one (`pkg-scripts/test.sh` always starts a throwaway cluster and
//! sets it); without it they pass without running, after a note on stderr.

#![allow(dead_code)] // Each test file uses a different subset.

pub mod binary;
pub mod ledger;
pub mod postgres;

#[allow(unused_imports)] // Each test file uses a different subset.
pub use postgres::{postgres_available, TestDatabase};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::response::Response;
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use survey_collector::config::{DatabaseUrl, Limits, DEFAULT_POOL_SIZE};
use survey_collector::store::DB_FILE;
use survey_collector::{AdminToken, AppState, Config};
use tempfile::TempDir;
use tower::ServiceExt;

pub const TOKEN: &str = "test-admin-token-0123456789abcdefghij";
pub const ALLOWED: &str = "https://allowed.example";
pub const SURVEY: &str = "digital-engagement";

/// The demo's real survey folder.
pub fn demo_surveys() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../surveys")
}

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Declares tests that run once per engine: each `async fn NAME(engine) { … }` becomes a module
/// `NAME` with the tests `sqlite` and `postgres`, both running the body with `engine` set. The
/// `postgres` one returns at once, after a note, when no server is available.
#[macro_export]
macro_rules! on_both_engines {
    ($( $(#[doc = $doc:literal])* async fn $name:ident($engine:ident) $body:block )*) => {$(
        $(#[doc = $doc])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($engine: $crate::common::Engine) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run($crate::common::Engine::Sqlite).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if $crate::common::postgres_available() {
                    run($crate::common::Engine::Postgres).await
                }
            }
        }
    )*};
}

/// Temporary folders, a database, and the settings that point at them.
pub struct TestEnv {
    pub dir: TempDir,
    pub config: Config,
    /// The test's own PostgreSQL database, dropped with the environment; `None` on SQLite.
    pub database: Option<TestDatabase>,
}

impl TestEnv {
    /// DATA_DIR and DIST_DIR in a temp folder; the real surveys; SQLite.
    pub fn new() -> TestEnv {
        Self::with_surveys(demo_surveys())
    }

    /// The same, on `engine`: on PostgreSQL with a new database of its own.
    pub fn on(engine: Engine) -> TestEnv {
        Self::on_with_surveys(engine, demo_surveys())
    }

    /// [`TestEnv::with_surveys`] on `engine`.
    pub fn on_with_surveys(engine: Engine, surveys_dir: PathBuf) -> TestEnv {
        let mut env = Self::with_surveys(surveys_dir);
        if engine == Engine::Postgres {
            let database = TestDatabase::create();
            env.config.database_url = Some(DatabaseUrl::parse(database.url()).expect("a valid test database URL"));
            env.database = Some(database);
        }
        env
    }

    /// Which engine this environment stores in.
    pub fn engine(&self) -> Engine {
        if self.database.is_some() {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }

    /// The variables that point the real binary at this environment's database (none for
    /// SQLite, whose file is in the DATA_DIR the binary is given).
    pub fn database_env(&self) -> Vec<(&'static str, String)> {
        match &self.database {
            Some(database) => vec![("DATABASE_URL", database.url().to_owned())],
            None => Vec::new(),
        }
    }

    /// Runs SQL that means the same on both engines (no parameters) on this environment's
    /// database, behind the collector's back: for tests that change what is stored.
    pub async fn execute(&self, sql: &str) {
        match &self.database {
            Some(database) => database.execute(sql).await,
            None => {
                let conn = rusqlite::Connection::open(self.config.data_dir.join(DB_FILE)).expect("the database opens");
                conn.execute_batch(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
            }
        }
    }

    /// The first column of every row `sql` returns, as text.
    pub async fn query_texts(&self, sql: &str) -> Vec<String> {
        match &self.database {
            Some(database) => database.query_texts(sql).await,
            None => {
                let conn = rusqlite::Connection::open(self.config.data_dir.join(DB_FILE)).expect("the database opens");
                let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
                let rows = stmt.query_map([], |r| r.get::<_, String>(0)).expect("the query runs");
                rows.collect::<Result<_, _>>().expect("text values")
            }
        }
    }

    pub fn with_surveys(surveys_dir: PathBuf) -> TestEnv {
        let dir = tempfile::tempdir().expect("temp dir");
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(&dist).expect("dist dir");
        std::fs::write(dist.join("survey-widget.js"), "/* loader */").expect("write js");
        std::fs::write(dist.join("survey_widget_bg.wasm"), b"\0asm\x01\0\0\0").expect("write wasm");
        let editor = dir.path().join("editor");
        std::fs::create_dir_all(&editor).expect("editor dir");
        std::fs::write(editor.join("editor.mjs"), "/* editor */").expect("write editor");
        let config = Config {
            host: std::net::Ipv4Addr::LOCALHOST.into(),
            port: 0,
            public_url: None,
            trusted_proxies: Vec::new(),
            data_dir: dir.path().join("data"),
            database_url: None,
            database_pool_size: DEFAULT_POOL_SIZE,
            surveys_dir,
            dist_dir: dist,
            editor_dir: editor,
            allowed_origins: vec![ALLOWED.parse().expect("valid origin")],
            admin_token: AdminToken::new(TOKEN).expect("valid token"),
            limits: Limits::default(),
        };
        TestEnv { dir, config, database: None }
    }

    /// A state over these folders: opens (or reopens) the database and loads the surveys.
    pub async fn state(&self) -> AppState {
        AppState::new(self.config.clone()).await.expect("state builds")
    }

    pub async fn app(&self) -> Router {
        survey_collector::app(self.state().await)
    }
}

/// A new UUID-shaped submission id, unique within the test run.
pub fn new_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("00000000-0000-4000-8000-{:012x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A complete, valid response to the demo survey.
pub fn valid_payload(submission_id: &str) -> Value {
    json!({
        "format": "survey-response/1",
        "survey": { "id": SURVEY, "version": 1 },
        "submission_id": submission_id,
        "submitted_at": "2026-11-22T10:00:00Z",
        "language": "en",
        "anonymous": true,
        "answers": {
            "heard": "other",
            "channels": ["email", "webform"],
            "ease": 4,
            "improve": "Answer emails faster",
            "area": "Cardiff",
            "consent": true
        },
        "other_text": { "heard": "A leaflet" },
        "hidden": { "channel": "newsletter" }
    })
}

/// A POST of `body` to `/api/responses` as the widget sends it.
pub fn post_json(body: &Value) -> Request<Body> {
    post_bytes(serde_json::to_vec(body).expect("serialisable"))
}

pub fn post_bytes(body: Vec<u8>) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri("/api/responses")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .expect("valid request")
}

pub fn get(uri: &str) -> Request<Body> {
    Request::builder().uri(uri).body(Body::empty()).expect("valid request")
}

pub fn get_admin(uri: &str) -> Request<Body> {
    Request::builder()
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::empty())
        .expect("valid request")
}

/// Sends one request through the router, without a socket.
pub async fn send(app: &Router, request: Request<Body>) -> Response {
    app.clone().oneshot(request).await.expect("the router is infallible")
}

pub async fn body_bytes(response: Response) -> Vec<u8> {
    response.into_body().collect().await.expect("body reads").to_bytes().to_vec()
}

pub async fn body_text(response: Response) -> String {
    String::from_utf8(body_bytes(response).await).expect("utf-8 body")
}

pub async fn body_json(response: Response) -> Value {
    let bytes = body_bytes(response).await;
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
}

/// Sends and returns the status and JSON body.
pub async fn send_json(app: &Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = send(app, request).await;
    let status = response.status();
    (status, body_json(response).await)
}

/// The paths of a 422's problems.
pub fn problem_paths(body: &Value) -> Vec<String> {
    assert_eq!(body["error"], "invalid_response", "{body}");
    body["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("no problems listed: {body}"))
        .iter()
        .map(|p| p["path"].as_str().expect("path is a string").to_owned())
        .collect()
}

/// Whether a reference looks like `K7Q2-9XMD`.
pub fn is_reference(s: &str) -> bool {
    const ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    s.len() == 9
        && s.char_indices().all(|(i, c)| if i == 4 { c == '-' } else { ALPHABET.contains(c) })
}
