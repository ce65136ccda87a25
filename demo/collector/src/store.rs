//! Stored responses: one SQLite file, one row per `submission_id`; and every version of every
//! survey definition the server has loaded, so a response is always checked against the
//! version it answered, however long it waited in a widget's outbox.
//!
//! Durability first: WAL with `synchronous=FULL`, and the server answers only after the commit,
//! so a response the widget saw acknowledged survives a kill or a power cut. Only the payload
//! (as validated), a hash of the body as received, when it arrived (to the hour for an anonymous
//! response) and a random order key are kept; no IP address, user agent or other metadata, for
//! any survey. The folder is created `0700` and the files are `0600`, whatever the umask.
//!
//! SQLite calls block, so they run on tokio's blocking threads. One connection behind a mutex
//! serialises writers, which is also what SQLite does anyway; the check-then-insert happens in
//! one `IMMEDIATE` transaction so racing retries of one submission store exactly one row, and
//! the per-survey quota is checked and counted in that same transaction. Exports read through a
//! connection of their own, in one read transaction, so a long export never holds up a
//! respondent's write (WAL lets readers and the writer run side by side).
//!
//! The schema lives in [`MIGRATIONS`] and nowhere else: `PRAGMA user_version` counts the steps
//! a database has had, and opening it runs the rest.

use crate::error::{Error, Result};
use crate::reference;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use survey_model::Payload;
use time::OffsetDateTime;

/// The SQLite file's name inside `DATA_DIR`.
pub const DB_FILE: &str = "responses.sqlite3";

/// SQLite's companions of [`DB_FILE`] while it is open in WAL mode.
pub const DB_COMPANIONS: [&str; 2] = ["-wal", "-shm"];

/// How often to draw a new reference when one is already taken (1 in 2^40 per response).
const REFERENCE_ATTEMPTS: usize = 8;

/// The schema, one step per release that changed it, oldest first. A database's
/// `PRAGMA user_version` is the number of steps it has had; each step runs in one transaction
/// together with raising that number, so an interrupted upgrade leaves the previous schema.
/// Never edit a step that has shipped: add one.
const MIGRATIONS: [&str; 2] = [
    // 1. The first release's schema. `IF NOT EXISTS`: a database that release made (which left
    //    user_version at 0) already has it.
    "
    CREATE TABLE IF NOT EXISTS responses (
        submission_id  TEXT PRIMARY KEY NOT NULL,
        survey_id      TEXT NOT NULL,
        survey_version INTEGER NOT NULL,
        reference      TEXT NOT NULL UNIQUE,
        received_at    TEXT NOT NULL,
        payload        TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS responses_by_survey ON responses (survey_id, received_at);
    -- The author's text, not a parsed form: the model that parses it may change between
    -- releases, the text does not. Nothing here is about a respondent.
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
    ",
    // 2. Idempotency by the bytes received, exports in a random order, quotas, and anonymous
    //    arrival times to the hour.
    "
    -- SHA-256 of the body as received: a retry of the same bytes is the same submission,
    -- whatever a later release's model makes of them. NULL for rows stored before.
    ALTER TABLE responses ADD COLUMN body_sha256 TEXT;
    -- Random, drawn at insert (and used as the rowid): exports are in this order, so neither
    -- an export nor the table's own order says who answered after whom.
    ALTER TABLE responses ADD COLUMN order_key INTEGER NOT NULL DEFAULT 0;
    UPDATE responses SET order_key = random();
    DROP INDEX IF EXISTS responses_by_survey;
    CREATE INDEX responses_in_order ON responses (survey_id, order_key, submission_id);
    -- An anonymous response keeps the hour it arrived, no finer.
    UPDATE responses SET received_at = substr(received_at, 1, 13) || ':00:00.000Z'
        WHERE json_extract(payload, '$.anonymous') = 1;
    -- Rows and stored payload bytes per survey, for the quotas: counted with each insert, so a
    -- check costs no scan. Nothing here is about a respondent.
    CREATE TABLE survey_usage (
        survey_id TEXT PRIMARY KEY NOT NULL,
        rows      INTEGER NOT NULL,
        bytes     INTEGER NOT NULL
    );
    INSERT INTO survey_usage (survey_id, rows, bytes)
        SELECT survey_id, COUNT(*), SUM(LENGTH(CAST(payload AS BLOB))) FROM responses GROUP BY survey_id;
    ",
];

/// The response store. Cloning is cheap and shares the connection.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

/// A response ready to be stored: parsed and checked against the version it answers.
#[derive(Debug, Clone)]
pub struct Submission {
    /// What is stored: the payload with its answers as validated (text trimmed, a postcode in
    /// its standard form), so the survey's bounds hold for what is kept.
    pub payload: Payload,
    /// The payload as parsed, before validation changed anything: what releases before the
    /// body hash stored, so a retry of a submission one of them stored is recognised.
    pub as_sent: Payload,
    /// SHA-256 of the body exactly as received, in hex.
    pub body_sha256: String,
}

/// How much one survey may store. A retry of a stored submission is answered whatever the
/// quota; only new rows count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub rows: u64,
    /// The sum of the stored payloads' lengths, in bytes.
    pub bytes: u64,
}

/// What the store did with a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Stored for the first time.
    Created(Receipt),
    /// Already stored, the same: a retry.
    Repeated(Receipt),
    /// Already stored with different content; the first one is kept.
    Conflict(Receipt),
    /// New, but its survey has used up its [`Quota`]: nothing was stored.
    OverQuota,
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
    /// UTC, RFC 3339 with milliseconds, such as `2026-11-22T10:00:00.123Z`; for an anonymous
    /// response the hour only (`2026-11-22T10:00:00.000Z`).
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
    /// Opens (creating if needed) `DATA_DIR/responses.sqlite3` and brings its schema up to date.
    pub fn open(data_dir: &Path) -> Result<Store> {
        private_dir(data_dir)?;
        let path = data_dir.join(DB_FILE);
        private_file(&path)?;
        let mut conn = Connection::open(&path)?;
        // WAL lets the admin pages read while a response is written; FULL syncs the WAL on
        // every commit, which is what makes an acknowledgement a promise.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Internal(format!("SQLite refused WAL mode (got {mode})")));
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        // SQLite gives its companions the database file's mode; one left by an older release
        // may be wider.
        for suffix in DB_COMPANIONS {
            let companion = companion(&path, suffix);
            if companion.exists() {
                private_file(&companion)?;
            }
        }
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

    /// Stores a checked submission once per `submission_id`, within its survey's quota.
    pub async fn save(&self, submission: Submission, quota: Quota) -> Result<Saved> {
        let json = serde_json::to_string(&submission.payload)
            .map_err(|e| Error::Internal(format!("payload does not serialise: {e}")))?;
        self.blocking(move |conn| save(conn, &submission, &json, quota)).await
    }

    /// Every stored response to a survey, in export order (see [`Store::each_response`]).
    pub async fn responses(&self, survey_id: &str) -> Result<Vec<StoredResponse>> {
        let store = self.clone();
        let survey_id = survey_id.to_owned();
        tokio::task::spawn_blocking(move || {
            let mut rows = Vec::new();
            store.each_response(&survey_id, |row| {
                rows.push(row);
                Ok(true)
            })?;
            Ok(rows)
        })
        .await
        .map_err(|e| Error::Internal(format!("database task failed: {e}")))?
    }

    /// Calls `each` with every stored response to a survey, one at a time, in the order of
    /// their random order keys (never the order they arrived in), until it returns `false`.
    ///
    /// Blocks: call it from a blocking thread. It reads through a read-only connection of its
    /// own in one read transaction, so it sees one consistent state of the table, holds only
    /// one row in memory at a time, and never makes a respondent's write wait.
    pub fn each_response(&self, survey_id: &str, mut each: impl FnMut(StoredResponse) -> Result<bool>) -> Result<()> {
        let mut conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        {
            let mut stmt = tx.prepare(
                "SELECT submission_id, reference, received_at, payload FROM responses
                 WHERE survey_id = ?1 ORDER BY order_key, submission_id",
            )?;
            let mut rows = stmt.query([survey_id])?;
            while let Some(row) = rows.next()? {
                let response = StoredResponse {
                    submission_id: row.get(0)?,
                    reference: row.get(1)?,
                    received_at: row.get(2)?,
                    payload: row.get(3)?,
                };
                if !each(response)? {
                    break;
                }
            }
        }
        tx.commit()?;
        Ok(())
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
    /// already stored with the same text. Only a definition that parsed is ever passed here, so
    /// a broken file never replaces a good version.
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
        let mut conn = self.lock();
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

    /// Every survey id this database has any history for: a stored definition or a stored
    /// response. Startup only, on the caller's thread.
    pub fn known_survey_ids(&self) -> Result<Vec<String>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT survey_id FROM definitions UNION SELECT survey_id FROM responses ORDER BY survey_id",
        )?;
        let ids = stmt.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// Every stored version of a survey's definition with its text, newest first. Startup
    /// only, on the caller's thread.
    pub fn stored_definitions(&self, survey_id: &str) -> Result<Vec<(u32, String)>> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare("SELECT version, source FROM definitions WHERE survey_id = ?1 ORDER BY version DESC")?;
        let rows = stmt.query_map([survey_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
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
        let store = self.clone();
        tokio::task::spawn_blocking(move || f(&mut store.lock()))
            .await
            .map_err(|e| Error::Internal(format!("database task failed: {e}")))?
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave the connection half-written: SQLite
        // rolls back an unfinished transaction when it is dropped. So keep going.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Runs the steps of [`MIGRATIONS`] this database has not had yet.
fn migrate(conn: &mut Connection) -> Result<()> {
    let done: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let done = usize::try_from(done).unwrap_or(usize::MAX);
    if done > MIGRATIONS.len() {
        return Err(Error::Config {
            name: "DATA_DIR",
            message: format!(
                "the database has schema version {done}, from a newer release; this release knows up to {}. \
                 Run the newer release, or restore a backup made before the upgrade.",
                MIGRATIONS.len()
            ),
        });
    }
    for (step, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        // A pragma takes no parameters; `step + 1` is a small number of ours.
        tx.execute_batch(&format!("PRAGMA user_version = {}", step + 1))?;
        tx.commit()?;
        tracing::info!(version = step + 1, "database schema brought to version");
    }
    Ok(())
}

fn save(conn: &mut Connection, submission: &Submission, json: &str, quota: Quota) -> Result<Saved> {
    let payload = &submission.payload;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let existing: Option<(String, String, Option<String>)> = tx
        .query_row(
            "SELECT reference, payload, body_sha256 FROM responses WHERE submission_id = ?1",
            [&payload.submission_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    if let Some((reference, stored, stored_hash)) = existing {
        let receipt = Receipt { submission_id: payload.submission_id.clone(), reference };
        return Ok(if same_submission(&stored, stored_hash.as_deref(), submission) {
            Saved::Repeated(receipt)
        } else {
            Saved::Conflict(receipt)
        });
    }
    let bytes = u64::try_from(json.len()).unwrap_or(u64::MAX);
    let (used_rows, used_bytes): (i64, i64) = tx
        .query_row("SELECT rows, bytes FROM survey_usage WHERE survey_id = ?1", [&payload.survey.id], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?
        .unwrap_or((0, 0));
    let (used_rows, used_bytes) = (u64::try_from(used_rows).unwrap_or(0), u64::try_from(used_bytes).unwrap_or(0));
    if used_rows.saturating_add(1) > quota.rows || used_bytes.saturating_add(bytes) > quota.bytes {
        return Ok(Saved::OverQuota);
    }
    let received_at = if payload.anonymous { this_hour_rfc3339()? } else { now_rfc3339()? };
    for _ in 0..REFERENCE_ATTEMPTS {
        let reference = reference::random_reference()?;
        let order_key = reference::random_i64()?;
        // The submission id is known to be free (checked above, in this transaction); a clash
        // on the reference or the order key inserts nothing, and both are drawn again.
        let inserted = tx.execute(
            "INSERT INTO responses
                 (rowid, submission_id, survey_id, survey_version, reference, received_at, payload, body_sha256, order_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?1) ON CONFLICT DO NOTHING",
            params![
                order_key,
                payload.submission_id,
                payload.survey.id,
                payload.survey.version,
                reference,
                received_at,
                json,
                submission.body_sha256
            ],
        )?;
        if inserted == 0 {
            continue;
        }
        tx.execute(
            "INSERT INTO survey_usage (survey_id, rows, bytes) VALUES (?1, 1, ?2)
             ON CONFLICT (survey_id) DO UPDATE SET rows = rows + 1, bytes = bytes + excluded.bytes",
            params![payload.survey.id, i64::try_from(bytes).unwrap_or(i64::MAX)],
        )?;
        tx.commit()?;
        return Ok(Saved::Created(Receipt { submission_id: payload.submission_id.clone(), reference }));
    }
    Err(Error::Internal(format!("no free reference after {REFERENCE_ATTEMPTS} attempts")))
}

/// Whether a submission is the one already stored under its id: the very same bytes, or (for
/// a client that re-serialises, and for rows stored before the hash was kept) the same content,
/// compared as values so the order of keys inside an answer does not matter.
fn same_submission(stored: &str, stored_hash: Option<&str>, new: &Submission) -> bool {
    if stored_hash == Some(new.body_sha256.as_str()) {
        return true;
    }
    serde_json::from_str::<Payload>(stored).is_ok_and(|old| old == new.payload || old == new.as_sent)
}

/// Creates `DATA_DIR` (and any missing parents) readable by this user only. A folder that
/// already exists is left as it is, since someone chose its mode (a shared backup group, a
/// mounted volume); if others can read it, that is logged.
fn private_dir(dir: &Path) -> Result<()> {
    let cannot = |e| Error::io(format!("DATA_DIR {} cannot be created", dir.display()), e);
    if dir.is_dir() {
        warn_if_open(dir);
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(cannot)?;
    // The mode given to mkdir is narrowed by the umask, never widened; set it exactly.
    set_mode(dir, 0o700).map_err(cannot)
}

/// Creates `path` if missing, and makes it readable and writable by this user only.
fn private_file(path: &Path) -> Result<()> {
    let cannot = |e| Error::io(format!("{} cannot be created or protected", path.display()), e);
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(cannot)?;
    set_mode(path, 0o600).map_err(cannot)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn warn_if_open(dir: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    if let Ok(meta) = std::fs::metadata(dir) {
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(
                dir = %dir.display(),
                mode = format!("{:o}", meta.permissions().mode() & 0o777),
                "DATA_DIR can be read by other users; the database files in it are 0600, but consider chmod 700"
            );
        }
    }
}

#[cfg(not(unix))]
fn warn_if_open(_: &Path) {}

/// `responses.sqlite3-wal` and the like.
fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Now in UTC with a fixed number of fractional digits, so text order is time order.
fn now_rfc3339() -> Result<String> {
    format_utc(OffsetDateTime::now_utc())
}

/// The start of the current hour, in the same shape as [`now_rfc3339`]: when an anonymous
/// response arrived, no finer than the widget's own `submitted_at` for it.
fn this_hour_rfc3339() -> Result<String> {
    let now = OffsetDateTime::now_utc();
    let hour = now
        .replace_minute(0)
        .and_then(|t| t.replace_second(0))
        .and_then(|t| t.replace_nanosecond(0))
        .map_err(|e| Error::Internal(format!("cannot round the time: {e}")))?;
    format_utc(hour)
}

fn format_utc(t: OffsetDateTime) -> Result<String> {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    t.format(&format).map_err(|e| Error::Internal(format!("cannot format the time: {e}")))
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
        // The hour has the same shape, so text order is still time order across both.
        let hour = this_hour_rfc3339().expect("formats");
        assert_eq!(hour.len(), t.len(), "{hour}");
        assert!(hour.ends_with(":00:00.000Z"), "{hour}");
        assert!(hour <= now_rfc3339().expect("formats"));
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
