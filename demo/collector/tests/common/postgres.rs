//! A PostgreSQL database of its own for each test, on the server `TEST_DATABASE_URL` names
//! (`pkg-scripts/pg-cluster.sh` starts a throwaway one; `pkg-scripts/test.sh` always does),
//! created empty and dropped when the test is done with it.

use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Once;
use tokio_postgres::NoTls;

/// The variable that names the server, by a URL of a database to connect to for creating
/// and dropping the tests' own (such as `postgres://postgres@%2Ftmp%2Fpg/postgres`).
pub const TEST_DATABASE_URL: &str = "TEST_DATABASE_URL";

/// The server's URL, if one was given.
pub fn server_url() -> Option<String> {
    std::env::var(TEST_DATABASE_URL).ok().filter(|url| !url.trim().is_empty())
}

/// Whether the PostgreSQL variants can run. When they cannot, says so once per test binary,
/// straight to the terminal (past the test harness's capture), so a local run shows what it
/// did not test.
pub fn postgres_available() -> bool {
    static NOTE: Once = Once::new();
    let available = server_url().is_some();
    if !available {
        NOTE.call_once(|| {
            let _ = writeln!(
                std::io::stderr(),
                "note: the PostgreSQL variants of these tests are skipped: {TEST_DATABASE_URL} is not set \
                 (pkg-scripts/test.sh starts a PostgreSQL cluster and sets it; or see pkg-scripts/pg-cluster.sh)"
            );
        });
    }
    available
}

/// A database that exists for one test: created by [`TestDatabase::create`], dropped (with
/// any connection still open to it) when this is dropped.
pub struct TestDatabase {
    name: String,
    url: String,
    server: String,
}

impl TestDatabase {
    /// A new, empty database on the `TEST_DATABASE_URL` server. Panics without one: call
    /// [`postgres_available`] first.
    pub fn create() -> TestDatabase {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let server = server_url().expect("TEST_DATABASE_URL is set (check postgres_available() first)");
        let mut random = [0u8; 4];
        getrandom::fill(&mut random).expect("randomness");
        let name = format!(
            "survey_test_{}_{}_{:08x}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            u32::from_le_bytes(random)
        );
        on_server(&server, format!("CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0"))
            .unwrap_or_else(|e| panic!("cannot create a test database: {e}"));
        let url = with_database(&server, &name);
        TestDatabase { name, url, server }
    }

    /// The URL of this database, as `DATABASE_URL` takes it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Runs `sql` (no parameters) in this database.
    pub async fn execute(&self, sql: &str) {
        let client = connect(&self.url).await;
        client.batch_execute(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// The first column of every row `sql` returns, as text.
    pub async fn query_texts(&self, sql: &str) -> Vec<String> {
        let client = connect(&self.url).await;
        let rows = client.query(sql, &[]).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.iter().map(|r| r.try_get::<_, String>(0).expect("a text column")).collect()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Never a panic here: this may run while a failed test unwinds.
        if let Err(e) = on_server(&self.server, format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)) {
            let _ = writeln!(std::io::stderr(), "could not drop test database {}: {e}", self.name);
        }
    }
}

/// `url` with its database replaced by `name` (the part after the host, before any `?`).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let (scheme, rest) = base.split_once("://").expect("a URL with a scheme");
    let authority = rest.split('/').next().unwrap_or_default();
    format!("{scheme}://{authority}/{name}{query}")
}

/// A connection to `url`, driven in the background.
pub async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await.unwrap_or_else(|e| panic!("cannot connect: {e}"));
    tokio::spawn(async move {
        let _ = connection.await;
    });
    client
}

/// Runs one statement on the server's maintenance database, from a thread of its own, so it
/// works from synchronous code, from async code and from `Drop` alike.
fn on_server(server: &str, statement: String) -> Result<(), String> {
    let server = server.to_owned();
    std::thread::spawn(move || -> Result<(), String> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&server, NoTls).await.map_err(|e| e.to_string())?;
            tokio::spawn(async move {
                let _ = connection.await;
            });
            client.batch_execute(&statement).await.map_err(|e| format!("{statement}: {e}"))
        })
    })
    .join()
    .map_err(|_| "the statement's thread panicked".to_owned())?
}
