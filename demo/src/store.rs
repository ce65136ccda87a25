//! Stored responses: one SQLite file, one row per `submission_id`.
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
