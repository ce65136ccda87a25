//! Stored responses: one SQLite file, one row per `submission_id`; and every version of every
//! survey definition the server has loaded, so a response is always checked against the
//! version it answered, however long it waited in a widget's outbox.
//!
//! Durability first: WAL with `synchronous=FULL`, and the server answers only after the commit,
//! so a response the widget saw acknowledged survives a kill or a power cut. Only the payload
//! and when it arrived are kept; no IP address, user agent or other metadata, for any survey.
//!
//! SQLite calls block, so they run on tokio's blocking threads. One connection behind a mutex
//! serialises writers, which is also what SQLite does anyway; the insert-then-select happens in
//! one `IMMEDIATE` transaction so racing retries of one submission store exactly one row.

use crate::error::{Error, Result};
use crate::reference;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use survey_model::Payload;
use time::OffsetDateTime;

/// The SQLite file's name inside `DATA_DIR`.
pub const DB_FILE: &str = "responses.sqlite3";

/// How often to draw a new reference when one is already taken (1 in 2^40 per response).
const REFERENCE_ATTEMPTS: usize = 8;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS responses (
    submission_id  TEXT PRIMARY KEY NOT NULL,
    survey_id      TEXT NOT NULL,
    survey_version INTEGER NOT NULL,
    reference      TEXT NOT NULL UNIQUE,
    received_at    TEXT NOT NULL,
    payload        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS responses_by_survey ON responses (survey_id, received_at);
-- The author's text, not a parsed form: the model that parses it may change between releases,
-- the text does not. Nothing here is about a respondent.
CREATE TABLE IF NOT EXISTS definitions (
    survey_id       TEXT NOT NULL,
    version         INTEGER NOT NULL,
    source          TEXT NOT NULL,
    first_loaded_at TEXT NOT NULL,
    PRIMARY KEY (survey_id, version)
);
-- Signed-in admin browsers. Only a hash of each session's secret is kept, so a copy of the
-- database cannot be used to sign in; shared by every collector instance on this database.
CREATE TABLE IF NOT EXISTS admin_sessions (
    secret_hash TEXT PRIMARY KEY NOT NULL,
    expires_at  INTEGER NOT NULL
);
";

/// The response store. Cloning is cheap and shares the connection.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

/// What the store did with a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Stored for the first time.
    Created(Receipt),
    /// Already stored, identical: a retry.
    Repeated(Receipt),
    /// Already stored with different content; the first one is kept.
    Conflict(Receipt),
}

impl Saved {
    /// The receipt, whatever happened.
    pub fn receipt(&self) -> &Receipt {
        match self {
            Saved::Created(r) | Saved::Repeated(r) | Saved::Conflict(r) => r,
        }
    }
}

/// What a respondent is told about their stored response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub submission_id: String,
    /// Short and human-friendly, such as `K7Q2-9XMD`.
    pub reference: String,
}

/// One stored row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub submission_id: String,
    pub reference: String,
    /// UTC, RFC 3339 with milliseconds, such as `2026-11-22T10:00:00.123Z`.
    pub received_at: String,
    /// The payload's JSON, as the model serialised it.
    pub payload: String,
}

/// What [`Store::record_definition`] found for one loaded definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// First time this (id, version) was loaded: stored.
    New,
    /// Already stored with exactly this text.
    Unchanged,
    /// Already stored with other text: the author changed a published version without
    /// bumping it. The new text replaced the old one, which is given back.
    Replaced { previous: String },
}

impl Store {
    /// Opens (creating if needed) `DATA_DIR/responses.sqlite3`.
    pub fn open(data_dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| Error::io(format!("DATA_DIR {} cannot be created", data_dir.display()), e))?;
        let path = data_dir.join(DB_FILE);
        let conn = Connection::open(&path)?;
        // WAL lets the admin pages read while a response is written; FULL syncs the WAL on
        // every commit, which is what makes an acknowledgement a promise.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Internal(format!("SQLite refused WAL mode (got {mode})")));
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Store { conn: Arc::new(Mutex::new(conn)), path })
    }

    /// Keeps a new admin session until `expires_at` (Unix seconds), and forgets expired ones.
    pub async fn create_session(&self, secret_hash: String, expires_at: i64) -> Result<()> {
        self.blocking(move |conn| {
            let now = OffsetDateTime::now_utc().unix_timestamp();
            conn.execute("DELETE FROM admin_sessions WHERE expires_at <= ?1", [now])?;
            conn.execute(
                "INSERT INTO admin_sessions (secret_hash, expires_at) VALUES (?1, ?2)",
                params![secret_hash, expires_at],
            )?;
            Ok(())
        })
        .await
    }

    /// Whether a session with this hash exists and has not expired.
    pub async fn session_is_valid(&self, secret_hash: String) -> Result<bool> {
        self.blocking(move |conn| {
            let now = OffsetDateTime::now_utc().unix_timestamp();
            let found: Option<i64> = conn
                .query_row(
                    "SELECT 1 FROM admin_sessions WHERE secret_hash = ?1 AND expires_at > ?2",
                    params![secret_hash, now],
                    |row| row.get(0),
                )
                .optional()?;
            Ok(found.is_some())
        })
        .await
    }

    /// Ends a session (signing out); unknown hashes are fine.
    pub async fn delete_session(&self, secret_hash: String) -> Result<()> {
        self.blocking(move |conn| {
            conn.execute("DELETE FROM admin_sessions WHERE secret_hash = ?1", [secret_hash])?;
            Ok(())
        })
        .await
    }

    /// Where the database file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Stores a validated payload once per `submission_id`.
    pub async fn save(&self, payload: &Payload) -> Result<Saved> {
        let json = serde_json::to_string(payload)
            .map_err(|e| Error::Internal(format!("payload does not serialise: {e}")))?;
        let payload = payload.clone();
        self.blocking(move |conn| save(conn, &payload, &json)).await
    }

    /// Every stored response to a survey, oldest first.
    pub async fn responses(&self, survey_id: &str) -> Result<Vec<StoredResponse>> {
        let survey_id = survey_id.to_owned();
        self.blocking(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT submission_id, reference, received_at, payload FROM responses
                 WHERE survey_id = ?1 ORDER BY received_at, rowid",
            )?;
            let rows = stmt.query_map([survey_id], |row| {
                Ok(StoredResponse {
                    submission_id: row.get(0)?,
                    reference: row.get(1)?,
                    received_at: row.get(2)?,
                    payload: row.get(3)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
    }

    /// How many responses a survey has.
    pub async fn response_count(&self, survey_id: &str) -> Result<usize> {
        let survey_id = survey_id.to_owned();
        self.blocking(move |conn| {
            let n: i64 = conn.query_row("SELECT COUNT(*) FROM responses WHERE survey_id = ?1", [survey_id], |row| row.get(0))?;
            Ok(usize::try_from(n).unwrap_or(0))
        })
        .await
    }

    /// Remembers a definition as loaded from `SURVEYS_DIR`, unless this (id, version) is
    /// already stored with the same text.
    ///
    /// Called once per survey at startup, before the server accepts requests, so it runs on
    /// the caller's thread like [`Store::open`].
    ///
    /// If the stored text differs, the new text replaces it and `first_loaded_at` is kept. The
    /// newest text wins because while this version is current, every response that names it is
    /// already validated against the file as it is now (the catalog), and so is every widget
    /// that loads it from now on; storing the same text keeps that judgement unchanged once a
    /// later version makes this one "older". An unbumped edit is usually a fix the author wants
    /// applied. The caller warns, since responses sent against the earlier text may no longer
    /// fit.
    pub fn record_definition(&self, survey_id: &str, version: u32, source: &str) -> Result<Recorded> {
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let stored: Option<String> = tx
            .query_row(
                "SELECT source FROM definitions WHERE survey_id = ?1 AND version = ?2",
                params![survey_id, version],
                |row| row.get(0),
            )
            .optional()?;
        let recorded = match stored {
            Some(text) if text == source => Recorded::Unchanged,
            Some(previous) => {
                tx.execute(
                    "UPDATE definitions SET source = ?3 WHERE survey_id = ?1 AND version = ?2",
                    params![survey_id, version, source],
                )?;
                Recorded::Replaced { previous }
            }
            None => {
                tx.execute(
                    "INSERT INTO definitions (survey_id, version, source, first_loaded_at) VALUES (?1, ?2, ?3, ?4)",
                    params![survey_id, version, source, now_rfc3339()?],
                )?;
                Recorded::New
            }
        };
        tx.commit()?;
        Ok(recorded)
    }

    /// The text of a version of a survey's definition, if it was ever loaded.
    pub async fn definition(&self, survey_id: &str, version: u32) -> Result<Option<String>> {
        let survey_id = survey_id.to_owned();
        self.blocking(move |conn| {
            Ok(conn
                .prepare_cached("SELECT source FROM definitions WHERE survey_id = ?1 AND version = ?2")?
                .query_row(params![survey_id, version], |row| row.get(0))
                .optional()?)
        })
        .await
    }

    /// Every version of a survey ever loaded, ascending.
    pub async fn definition_versions(&self, survey_id: &str) -> Result<Vec<u32>> {
        let survey_id = survey_id.to_owned();
        self.blocking(move |conn| {
            let mut stmt =
                conn.prepare_cached("SELECT version FROM definitions WHERE survey_id = ?1 ORDER BY version")?;
            let rows = stmt.query_map([survey_id], |row| row.get(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<u32>>>()?)
        })
        .await
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<()> {
        self.blocking(|conn| Ok(conn.query_row("SELECT 1", [], |_| Ok(()))?)).await
    }

    /// Runs `f` with the connection on a blocking thread.
    async fn blocking<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock cannot leave the connection half-written: SQLite
            // rolls back an unfinished transaction when it is dropped. So keep going.
            let mut guard = conn.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut guard)
        })
        .await
        .map_err(|e| Error::Internal(format!("database task failed: {e}")))?
    }
}

fn save(conn: &mut Connection, payload: &Payload, json: &str) -> Result<Saved> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let received_at = now_rfc3339()?;
    for _ in 0..REFERENCE_ATTEMPTS {
        let reference = reference::random_reference()?;
        // No conflict target: a clash on either the submission id or the (unique) reference
        // inserts nothing, and the SELECT below tells the two apart.
        let inserted = tx.execute(
            "INSERT INTO responses (submission_id, survey_id, survey_version, reference, received_at, payload)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
            params![payload.submission_id, payload.survey.id, payload.survey.version, reference, received_at, json],
        )?;
        let existing: Option<(String, String)> = tx
            .query_row(
                "SELECT reference, payload FROM responses WHERE submission_id = ?1",
                [&payload.submission_id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let Some((stored_reference, stored_payload)) = existing else {
            // The reference was taken by another submission: draw again.
            continue;
        };
        tx.commit()?;
        let receipt = Receipt { submission_id: payload.submission_id.clone(), reference: stored_reference };
        return Ok(if inserted == 1 {
            Saved::Created(receipt)
        } else if same_payload(&stored_payload, payload) {
            Saved::Repeated(receipt)
        } else {
            Saved::Conflict(receipt)
        });
    }
    Err(Error::Internal(format!("no free reference after {REFERENCE_ATTEMPTS} attempts")))
}

/// Compares as values, not text, so the order of keys inside an answer cannot make a retry
/// look like a different response.
fn same_payload(stored: &str, new: &Payload) -> bool {
    serde_json::from_str::<Payload>(stored).is_ok_and(|old| &old == new)
}

/// Now in UTC with a fixed number of fractional digits, so text order is time order.
fn now_rfc3339() -> Result<String> {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    OffsetDateTime::now_utc()
        .format(&format)
        .map_err(|e| Error::Internal(format!("cannot format the time: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_a_fixed_shape() {
        let t = now_rfc3339().expect("formats");
        assert_eq!(t.len(), "2026-11-22T10:00:00.123Z".len(), "{t}");
        assert!(t.ends_with('Z'));
        assert_eq!(&t[10..11], "T");
    }

    #[tokio::test]
    async fn a_definition_is_recorded_once_and_an_unbumped_change_replaces_its_text() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).expect("opens");
        assert_eq!(store.record_definition("s", 1, "one").expect("records"), Recorded::New);
        assert_eq!(store.record_definition("s", 1, "one").expect("records"), Recorded::Unchanged);
        let first_loaded = |store: &Store| -> String {
            let conn = store.conn.lock().expect("not poisoned");
            conn.query_row("SELECT first_loaded_at FROM definitions WHERE survey_id = 's' AND version = 1", [], |r| {
                r.get(0)
            })
            .expect("a row")
        };
        let loaded_at = first_loaded(&store);
        assert_eq!(
            store.record_definition("s", 1, "one, edited").expect("records"),
            Recorded::Replaced { previous: "one".into() }
        );
        assert_eq!(store.definition("s", 1).await.expect("reads").as_deref(), Some("one, edited"));
        assert_eq!(first_loaded(&store), loaded_at, "still first loaded when it was first loaded");
        assert_eq!(store.record_definition("s", 2, "two").expect("records"), Recorded::New);
        assert_eq!(store.record_definition("other", 5, "x").expect("records"), Recorded::New);
        assert_eq!(store.definition_versions("s").await.expect("reads"), [1, 2]);
        assert_eq!(store.definition("s", 3).await.expect("reads"), None);
    }

    #[test]
    fn opening_sets_durable_pragmas() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("nested/data")).expect("opens");
        let conn = store.conn.lock().expect("not poisoned");
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("pragma");
        let sync: i64 = conn.query_row("PRAGMA synchronous", [], |r| r.get(0)).expect("pragma");
        assert_eq!(mode, "wal");
        assert_eq!(sync, 2, "FULL");
        assert!(store.path().ends_with(DB_FILE));
    }
}
