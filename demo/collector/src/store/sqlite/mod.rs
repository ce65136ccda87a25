//! The SQLite engine: one file, `DATA_DIR/responses.sqlite3`, and nothing to install.
//!
//! Durability first: WAL with `synchronous=FULL`, and the server answers only after the commit,
//! so a response the widget saw acknowledged survives a kill or a power cut. The folder is
//! created `0700` and the files are `0600`, whatever the umask.
//!
//! SQLite calls block, so they run on tokio's blocking threads. One connection behind a mutex
//! serialises writers, which is also what SQLite does anyway; the check-then-insert happens in
//! one `IMMEDIATE` transaction so racing retries of one submission store exactly one row, and
//! the per-survey quota is checked and counted in that same transaction. Exports read through a
//! connection of their own, in one read transaction, so a long export never holds up a
//! respondent's write (WAL lets readers and the writer run side by side).
//!
//! All of this engine's SQL is in its `sql` module and [`MIGRATIONS`], and nowhere else: `PRAGMA
//! user_version` counts the schema steps a database has had, and opening it runs the rest.

use super::copy::{CopiedDefinition, CopiedDraft, CopiedResponse};
use super::{judge_repeat, new_identifiers, Engine, Existing, NewRow, Quota, Recorded, RowSender, Saved};
use super::{CompletionCount, ReachCount, ReachKey, Receipt, StoredResponse, REFERENCE_ATTEMPTS};
use super::{Draft, VersionEntry};
use crate::error::{Error, Result};
use crate::filter::ResultsFilter;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::mpsc;

/// The SQLite file's name inside `DATA_DIR`.
pub const DB_FILE: &str = "responses.sqlite3";

/// SQLite's companions of [`DB_FILE`] while it is open in WAL mode.
pub const DB_COMPANIONS: [&str; 2] = ["-wal", "-shm"];

/// Rows per message when the whole database is read out for a copy.
const COPY_BATCH: usize = 500;

mod files;
mod schema;
mod sql;

pub use schema::MIGRATIONS;
use files::{companion, private_dir, private_file};
use schema::migrate;

/// The SQLite engine. Cloning is cheap and shares the connection.
#[derive(Clone)]
pub struct Sqlite {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

impl Sqlite {
    /// Opens (creating if needed) `DATA_DIR/responses.sqlite3` and brings its schema up to date.
    pub async fn open(data_dir: &Path) -> Result<Sqlite> {
        let data_dir = data_dir.to_owned();
        run_blocking(move || {
            private_dir(&data_dir)?;
            let path = data_dir.join(DB_FILE);
            private_file(&path)?;
            Sqlite::open_file(path)
        })
        .await
    }

    /// Opens a database file that must already exist (the source of a copy), bringing its
    /// schema up to date. A wrong path is an error, never a new empty database.
    pub async fn open_existing(path: &Path) -> Result<Sqlite> {
        let path = path.to_owned();
        run_blocking(move || {
            if !path.is_file() {
                return Err(Error::io(
                    format!("{} is not a collector's database", path.display()),
                    std::io::Error::from(std::io::ErrorKind::NotFound),
                ));
            }
            Sqlite::open_file(path)
        })
        .await
    }

    fn open_file(path: PathBuf) -> Result<Sqlite> {
        let mut conn = Connection::open(&path)?;
        // WAL lets the admin pages read while a response is written; FULL syncs the WAL on
        // every commit, which is what makes an acknowledgement a promise.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Internal(format!("SQLite refused WAL mode (got {mode})")));
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn, &MIGRATIONS)?;
        // SQLite gives its companions the database file's mode; one left by an older release
        // may be wider.
        for suffix in DB_COMPANIONS {
            let companion = companion(&path, suffix);
            if companion.exists() {
                private_file(&companion)?;
            }
        }
        Ok(Sqlite { conn: Arc::new(Mutex::new(conn)), path })
    }

    /// Where the database file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads every stored definition and response, for a copy to another engine: definitions
    /// first, then responses in batches, through `out`, in one read transaction.
    pub fn read_everything(&self, out: mpsc::Sender<Result<Copied>>) {
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            if let Err(e) = read_everything(&path, &out) {
                let _ = out.blocking_send(Err(e));
            }
        });
    }

    /// Runs `f` with the connection on a blocking thread.
    async fn blocking<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let engine = self.clone();
        run_blocking(move || f(&mut engine.lock())).await
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave the connection half-written: SQLite
        // rolls back an unfinished transaction when it is dropped. So keep going.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What [`Sqlite::read_everything`] hands over, in this order.
#[derive(Debug)]
pub enum Copied {
    Definitions(Vec<CopiedDefinition>),
    Drafts(Vec<CopiedDraft>),
    Responses(Vec<CopiedResponse>),
}

#[async_trait::async_trait]
impl Engine for Sqlite {
    async fn save(&self, row: NewRow<'_>, quota: Quota) -> Result<Saved> {
        let (submission, json, received_at) = (row.submission.clone(), row.json, row.received_at);
        self.blocking(move |conn| save(conn, &NewRow { submission: &submission, json, received_at }, quota)).await
    }

    async fn create_session(&self, secret_hash: &str, expires_at: i64, now: i64) -> Result<()> {
        let secret_hash = secret_hash.to_owned();
        self.blocking(move |conn| {
            conn.execute(sql::DELETE_EXPIRED_SESSIONS, [now])?;
            conn.execute(sql::INSERT_SESSION, params![secret_hash, expires_at])?;
            Ok(())
        })
        .await
    }

    async fn session_is_valid(&self, secret_hash: &str, now: i64) -> Result<bool> {
        let secret_hash = secret_hash.to_owned();
        self.blocking(move |conn| {
            let found: Option<i64> =
                conn.query_row(sql::FIND_SESSION, params![secret_hash, now], |row| row.get(0)).optional()?;
            Ok(found.is_some())
        })
        .await
    }

    async fn delete_session(&self, secret_hash: &str) -> Result<()> {
        let secret_hash = secret_hash.to_owned();
        self.blocking(move |conn| {
            conn.execute(sql::DELETE_SESSION, [secret_hash])?;
            Ok(())
        })
        .await
    }

    fn read_responses(&self, survey_id: &str, filter: &ResultsFilter, rows: RowSender) {
        let (path, survey_id, filter) = (self.path.clone(), survey_id.to_owned(), filter.clone());
        tokio::task::spawn_blocking(move || {
            if let Err(e) = read_responses(&path, &survey_id, &filter, &rows) {
                rows.blocking_send(Err(e));
            }
        });
    }

    async fn response_count(&self, survey_id: &str) -> Result<u64> {
        let survey_id = survey_id.to_owned();
        self.blocking(move |conn| {
            let n: i64 = conn.query_row(sql::COUNT_RESPONSES, [survey_id], |row| row.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
        .await
    }

    async fn response_channels(&self, survey_id: &str) -> Result<Vec<String>> {
        let survey_id = survey_id.to_owned();
        self.blocking(move |conn| {
            let mut stmt = conn.prepare_cached(sql::RESPONSE_CHANNELS)?;
            let rows = stmt.query_map([survey_id], |row| row.get(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
        })
        .await
    }

    async fn count_reach(&self, key: &ReachKey, count: u64) -> Result<()> {
        let key = key.clone();
        let count = i64::try_from(count).unwrap_or(i64::MAX);
        self.blocking(move |conn| {
            conn.execute(
                sql::COUNT_REACH,
                params![key.survey_id, key.version, key.channel, key.day, key.kind, key.page, count],
            )?;
            Ok(())
        })
        .await
    }

    async fn reach_counts(&self, survey_id: &str, filter: &ResultsFilter) -> Result<Vec<ReachCount>> {
        let (survey_id, channel, (first, last)) = (survey_id.to_owned(), filter.channel.clone(), filter.day_range());
        self.blocking(move |conn| {
            let mut stmt = conn.prepare_cached(sql::REACH_COUNTS)?;
            let rows = stmt.query_map(params![survey_id, channel, first, last], |r| {
                Ok(ReachCount {
                    channel: r.get(0)?,
                    day: r.get(1)?,
                    kind: r.get(2)?,
                    page: r.get(3)?,
                    count: u64::try_from(r.get::<_, i64>(4)?).unwrap_or(0),
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
    }

    async fn completion_counts(&self, survey_id: &str, filter: &ResultsFilter) -> Result<Vec<CompletionCount>> {
        let (survey_id, channel, (from, before)) = (survey_id.to_owned(), filter.channel.clone(), filter.received_range());
        self.blocking(move |conn| {
            let mut stmt = conn.prepare_cached(sql::COMPLETION_COUNTS)?;
            let rows = stmt.query_map(params![survey_id, channel, from, before], |r| {
                Ok(CompletionCount {
                    channel: r.get(0)?,
                    day: r.get(1)?,
                    count: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
    }

    async fn record_definition(&self, survey_id: &str, version: u32, source: &str, now: &str) -> Result<Recorded> {
        let (survey_id, source, now) = (survey_id.to_owned(), source.to_owned(), now.to_owned());
        self.blocking(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let stored: Option<String> =
                tx.query_row(sql::FIND_DEFINITION, params![survey_id, version], |row| row.get(0)).optional()?;
            let recorded = match stored {
                Some(text) if text == source => Recorded::Unchanged,
                Some(previous) => {
                    tx.execute(sql::REPLACE_DEFINITION, params![survey_id, version, source])?;
                    Recorded::Replaced { previous }
                }
                None => {
                    tx.execute(sql::INSERT_DEFINITION, params![survey_id, version, source, now])?;
                    Recorded::New
                }
            };
            tx.commit()?;
            Ok(recorded)
        })
        .await
    }

    async fn known_survey_ids(&self) -> Result<Vec<String>> {
        self.blocking(|conn| {
            let mut stmt = conn.prepare(sql::KNOWN_SURVEY_IDS)?;
            let ids = stmt.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(ids)
        })
        .await
    }

    async fn stored_definitions(&self, survey_id: &str) -> Result<Vec<(u32, String)>> {
        let survey_id = survey_id.to_owned();
        self.blocking(move |conn| {
            let mut stmt = conn.prepare(sql::DEFINITIONS_NEWEST_FIRST)?;
            let rows = stmt.query_map([survey_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
    }

    async fn definition(&self, survey_id: &str, version: u32) -> Result<Option<String>> {
        let survey_id = survey_id.to_owned();
        self.blocking(move |conn| {
            Ok(conn
                .prepare_cached(sql::FIND_DEFINITION)?
                .query_row(params![survey_id, version], |row| row.get(0))
                .optional()?)
        })
        .await
    }

    async fn first_loaded_at(&self, survey_id: &str, version: u32) -> Result<Option<String>> {
        let survey_id = survey_id.to_owned();
        self.blocking(move |conn| {
            Ok(conn
                .prepare_cached(sql::FIRST_LOADED_AT)?
                .query_row(params![survey_id, version], |row| row.get(0))
                .optional()?)
        })
        .await
    }

    async fn definition_versions(&self, survey_id: &str) -> Result<Vec<u32>> {
        let survey_id = survey_id.to_owned();
        self.blocking(move |conn| {
            let mut stmt = conn.prepare_cached(sql::DEFINITION_VERSIONS)?;
            let rows = stmt.query_map([survey_id], |row| row.get(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<u32>>>()?)
        })
        .await
    }

    async fn version_entries(&self, survey_id: &str) -> Result<Vec<VersionEntry>> {
        let survey_id = survey_id.to_owned();
        self.blocking(move |conn| {
            let mut stmt = conn.prepare_cached(sql::VERSION_ENTRIES)?;
            let rows = stmt.query_map([survey_id], |row| Ok(VersionEntry { version: row.get(0)?, first_loaded_at: row.get(1)? }))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
    }

    async fn latest_definitions(&self) -> Result<Vec<(String, u32, String)>> {
        self.blocking(|conn| {
            let mut stmt = conn.prepare_cached(sql::LATEST_DEFINITIONS)?;
            let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
    }

    async fn insert_definition(&self, survey_id: &str, version: u32, source: &str, now: &str) -> Result<bool> {
        let (survey_id, source, now) = (survey_id.to_owned(), source.to_owned(), now.to_owned());
        self.blocking(move |conn| Ok(conn.execute(sql::INSERT_DEFINITION_IF_NEW, params![survey_id, version, source, now])? == 1))
            .await
    }

    async fn catalog_marker(&self) -> Result<i64> {
        self.blocking(|conn| Ok(conn.prepare_cached(sql::CATALOG_MARKER)?.query_row([], |row| row.get(0))?)).await
    }

    async fn save_draft(&self, survey_id: &str, source: &str, now: &str) -> Result<()> {
        let (survey_id, source, now) = (survey_id.to_owned(), source.to_owned(), now.to_owned());
        self.blocking(move |conn| {
            conn.execute(sql::SAVE_DRAFT, params![survey_id, source, now])?;
            Ok(())
        })
        .await
    }

    async fn replace_draft(&self, survey_id: &str, expected: Option<&str>, source: &str, now: &str) -> Result<bool> {
        let (survey_id, expected, source, now) = (survey_id.to_owned(), expected.map(str::to_owned), source.to_owned(), now.to_owned());
        self.blocking(move |conn| {
            let written = match &expected {
                None => conn.execute(sql::INSERT_DRAFT_IF_NONE, params![survey_id, source, now])?,
                Some(old) => conn.execute(sql::REPLACE_DRAFT_IF, params![survey_id, source, now, old])?,
            };
            Ok(written == 1)
        })
        .await
    }

    async fn draft(&self, survey_id: &str) -> Result<Option<Draft>> {
        let survey_id = survey_id.to_owned();
        self.blocking(move |conn| {
            Ok(conn
                .prepare_cached(sql::FIND_DRAFT)?
                .query_row([survey_id], |row| Ok(Draft { source: row.get(0)?, updated_at: row.get(1)? }))
                .optional()?)
        })
        .await
    }

    async fn delete_draft_if(&self, survey_id: &str, source: &str) -> Result<bool> {
        let (survey_id, source) = (survey_id.to_owned(), source.to_owned());
        self.blocking(move |conn| Ok(conn.execute(sql::DELETE_DRAFT_IF, params![survey_id, source])? > 0)).await
    }

    async fn drafts(&self) -> Result<Vec<(String, String)>> {
        self.blocking(|conn| {
            let mut stmt = conn.prepare_cached(sql::DRAFTS)?;
            let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
    }

    async fn find(&self, submission_id: &str) -> Result<Option<Existing>> {
        let submission_id = submission_id.to_owned();
        self.blocking(move |conn| {
            let found = conn
                .query_row(sql::FIND_RESPONSE, [submission_id], |r| {
                    Ok(Existing { reference: r.get(0)?, payload: r.get(1)?, body_sha256: r.get(2)? })
                })
                .optional()?;
            Ok(found)
        })
        .await
    }

    async fn ping(&self) -> Result<()> {
        self.blocking(|conn| Ok(conn.query_row("SELECT 1", [], |_| Ok(()))?)).await
    }

    fn describe(&self) -> String {
        format!("SQLite file {}", self.path.display())
    }
}

/// Runs blocking work on tokio's blocking threads.
async fn run_blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| Error::Internal(format!("database task failed: {e}")))?
}


/// Stores a new row once per `submission_id` within its survey's quota, all in one
/// `IMMEDIATE` transaction: no other writer runs between the check and the insert.
fn save(conn: &mut Connection, row: &NewRow<'_>, quota: Quota) -> Result<Saved> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let existing = tx
        .query_row(sql::FIND_RESPONSE, [row.submission_id()], |r| {
            Ok(Existing { reference: r.get(0)?, payload: r.get(1)?, body_sha256: r.get(2)? })
        })
        .optional()?;
    if let Some(existing) = existing {
        return Ok(judge_repeat(existing, row.submission));
    }
    let (used_rows, used_bytes): (i64, i64) =
        tx.query_row(sql::USAGE, [row.survey_id()], |r| Ok((r.get(0)?, r.get(1)?))).optional()?.unwrap_or((0, 0));
    if !quota.admits(u64::try_from(used_rows).unwrap_or(0), u64::try_from(used_bytes).unwrap_or(0), row.bytes()) {
        return Ok(Saved::OverQuota);
    }
    for _ in 0..REFERENCE_ATTEMPTS {
        let (reference, order_key) = new_identifiers()?;
        // The submission id is known to be free (checked above, in this transaction).
        let inserted = tx.execute(
            sql::INSERT_RESPONSE,
            params![
                order_key,
                row.submission_id(),
                row.survey_id(),
                row.survey_version(),
                reference,
                row.received_at,
                row.json,
                row.submission.body_sha256
            ],
        )?;
        if inserted == 0 {
            continue;
        }
        tx.execute(sql::COUNT_USAGE, params![row.survey_id(), i64::try_from(row.bytes()).unwrap_or(i64::MAX)])?;
        tx.commit()?;
        return Ok(Saved::Created(Receipt { submission_id: row.submission_id().to_owned(), reference }));
    }
    Err(Error::Internal(format!("no free reference after {REFERENCE_ATTEMPTS} attempts")))
}

/// A read-only connection of its own for a long read, so it never holds up a write.
fn reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

/// Sends every response to `survey_id` that `filter` lets through in export order, one at a
/// time, from one read transaction, until the receiver goes away.
fn read_responses(path: &Path, survey_id: &str, filter: &ResultsFilter, rows: &RowSender) -> Result<()> {
    let mut conn = reader(path)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
    {
        let (from, before) = filter.received_range();
        let mut stmt = tx.prepare(sql::RESPONSES_IN_ORDER)?;
        let mut found = stmt.query(params![survey_id, filter.channel, from, before])?;
        while let Some(row) = found.next()? {
            let response = StoredResponse {
                submission_id: row.get(0)?,
                reference: row.get(1)?,
                received_at: row.get(2)?,
                payload: row.get(3)?,
            };
            if !rows.blocking_send(Ok(response)) {
                break;
            }
        }
    }
    tx.commit()?;
    Ok(())
}

/// Sends every definition, then every response in batches, from one read transaction.
fn read_everything(path: &Path, out: &mpsc::Sender<Result<Copied>>) -> Result<()> {
    let mut conn = reader(path)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
    {
        let mut stmt = tx.prepare(sql::ALL_DEFINITIONS)?;
        let definitions = stmt
            .query_map([], |r| {
                Ok(CopiedDefinition { survey_id: r.get(0)?, version: r.get(1)?, source: r.get(2)?, first_loaded_at: r.get(3)? })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if out.blocking_send(Ok(Copied::Definitions(definitions))).is_err() {
            return Ok(());
        }
        let mut stmt = tx.prepare(sql::ALL_DRAFTS)?;
        let drafts = stmt
            .query_map([], |r| Ok(CopiedDraft { survey_id: r.get(0)?, source: r.get(1)?, updated_at: r.get(2)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if out.blocking_send(Ok(Copied::Drafts(drafts))).is_err() {
            return Ok(());
        }
        let mut stmt = tx.prepare(sql::ALL_RESPONSES)?;
        let mut found = stmt.query([])?;
        let mut batch = Vec::with_capacity(COPY_BATCH);
        while let Some(r) = found.next()? {
            batch.push(CopiedResponse {
                submission_id: r.get(0)?,
                survey_id: r.get(1)?,
                survey_version: r.get(2)?,
                reference: r.get(3)?,
                received_at: r.get(4)?,
                payload: r.get(5)?,
                body_sha256: r.get(6)?,
                order_key: r.get(7)?,
            });
            if batch.len() == COPY_BATCH && out.blocking_send(Ok(Copied::Responses(std::mem::take(&mut batch)))).is_err() {
                return Ok(());
            }
        }
        if !batch.is_empty() {
            let _ = out.blocking_send(Ok(Copied::Responses(batch)));
        }
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn opening_sets_durable_pragmas() {
        let dir = tempfile::tempdir().expect("temp dir");
        let engine = Sqlite::open(&dir.path().join("nested/data")).await.expect("opens");
        let conn = engine.lock();
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("pragma");
        let sync: i64 = conn.query_row("PRAGMA synchronous", [], |r| r.get(0)).expect("pragma");
        assert_eq!(mode, "wal");
        assert_eq!(sync, 2, "FULL");
        assert!(engine.path().ends_with(DB_FILE));
    }

    #[tokio::test]
    async fn a_missing_file_is_not_opened_as_a_new_database() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join(DB_FILE);
        let err = Sqlite::open_existing(&missing).await.err().expect("refused");
        assert!(err.to_string().contains("is not a collector's database"), "{err}");
        assert!(!missing.exists(), "nothing was created");
    }

    #[test]
    fn the_runner_upgrades_an_older_database_step_by_step_and_refuses_a_newer_one() {
        let mut conn = Connection::open_in_memory().expect("opens");
        let steps = ["CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1);", "ALTER TABLE t ADD COLUMN b TEXT;"];
        migrate(&mut conn, &steps[..1]).expect("first step");
        migrate(&mut conn, &steps).expect("upgraded");
        let (a, version): (i64, i64) = conn
            .query_row("SELECT a, (SELECT user_version FROM pragma_user_version) FROM t", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("a row");
        assert_eq!((a, version), (1, 2), "the row kept, the schema at version 2");
        let err = migrate(&mut conn, &steps[..1]).expect_err("a newer database");
        assert!(err.to_string().starts_with("DATA_DIR: the database has schema version 2, from a newer release"), "{err}");
    }
}
