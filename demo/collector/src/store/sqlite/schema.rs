//! The SQLite schema: one step per release that changed it, and the upgrade that runs the steps
//! a database has not had. `PRAGMA user_version` counts them.

use super::super::newer_schema;
use crate::error::Result;
use rusqlite::{Connection, TransactionBehavior};

/// The schema, one step per release that changed it, oldest first. A database's
/// `PRAGMA user_version` is the number of steps it has had; each step runs in one transaction
/// together with raising that number, so an interrupted upgrade leaves the previous schema.
/// Never edit a step that has shipped: add one.
pub const MIGRATIONS: [&str; 4] = [
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
    // 3. Channels and reach. A response's channel is read from its payload (computed, never
    //    stored twice), so rows from before have none and a copy between engines carries it.
    //    Reach is counters only: one row per survey version, channel, UTC day, kind and page.
    "
    ALTER TABLE responses ADD COLUMN channel TEXT GENERATED ALWAYS AS (json_extract(payload, '$.channel')) VIRTUAL;
    CREATE INDEX responses_by_channel ON responses (survey_id, channel);
    CREATE TABLE reach (
        survey_id TEXT NOT NULL,
        version   INTEGER NOT NULL,
        channel   TEXT NOT NULL,
        day       TEXT NOT NULL,
        kind      TEXT NOT NULL,
        page      TEXT NOT NULL,
        count     INTEGER NOT NULL,
        PRIMARY KEY (survey_id, day, channel, kind, page, version)
    ) WITHOUT ROWID;
    ",
    // 4. Surveys written in the collector: each survey's draft as the editor last saved it
    //    (any text, even half-written JSON, so nothing typed is lost), and a counter that
    //    triggers move with every change to the definitions, which each instance polls to see
    //    a publish made elsewhere. Nothing here is about a respondent.
    "
    CREATE TABLE survey_drafts (
        survey_id  TEXT PRIMARY KEY NOT NULL,
        source     TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE catalog_marker (
        only_row INTEGER PRIMARY KEY NOT NULL CHECK (only_row = 1),
        changes  INTEGER NOT NULL
    );
    INSERT INTO catalog_marker (only_row, changes) VALUES (1, 0);
    CREATE TRIGGER definitions_inserted AFTER INSERT ON definitions
        BEGIN UPDATE catalog_marker SET changes = changes + 1; END;
    CREATE TRIGGER definitions_updated AFTER UPDATE ON definitions
        BEGIN UPDATE catalog_marker SET changes = changes + 1; END;
    CREATE TRIGGER definitions_deleted AFTER DELETE ON definitions
        BEGIN UPDATE catalog_marker SET changes = changes + 1; END;
    ",
];

/// Runs the steps of `steps` this database has not had yet.
pub(super) fn migrate(conn: &mut Connection, steps: &[&str]) -> Result<()> {
    let done: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let done = u64::try_from(done).unwrap_or(u64::MAX);
    let to_skip = usize::try_from(done).ok().filter(|n| *n <= steps.len());
    let Some(to_skip) = to_skip else { return Err(newer_schema("DATA_DIR", done, steps.len())) };
    for (step, statements) in steps.iter().enumerate().skip(to_skip) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(statements)?;
        // A pragma takes no parameters; `step + 1` is a small number of ours.
        tx.execute_batch(&format!("PRAGMA user_version = {}", step + 1))?;
        tx.commit()?;
        tracing::info!(version = step + 1, "database schema brought to version");
    }
    Ok(())
}
