//! The PostgreSQL schema: one step per release that changed it, and the upgrade that runs the
//! steps a database has not had, once, however many instances start at the same moment.
//! `schema_version` counts them.

use super::super::newer_schema;
use super::sql;
use crate::error::Result;

/// The advisory lock that serialises schema upgrades across instances: any number, the same
/// in every release.
const MIGRATION_LOCK: i64 = 0x5375_7276_6579; // "Survey"

/// The schema, one step per release that changed it, oldest first. `schema_version` holds the
/// number of steps a database has had. Never edit a step that has shipped: add one.
pub const MIGRATIONS: [&str; 3] = [
    // 1. The first release on PostgreSQL: the same tables as SQLite's step 2, with the usage in
    //    shards. Ids are compared byte by byte (COLLATE "C"), as SQLite does, so both engines
    //    put exports and lists in the same order. Texts are kept as sent (TEXT, not jsonb, which
    //    would reorder keys), and times as the same RFC 3339 text as on SQLite.
    r#"
    CREATE TABLE responses (
        submission_id  TEXT COLLATE "C" PRIMARY KEY,
        survey_id      TEXT COLLATE "C" NOT NULL,
        survey_version BIGINT NOT NULL,
        reference      TEXT NOT NULL UNIQUE,
        received_at    TEXT NOT NULL,
        payload        TEXT NOT NULL,
        -- SHA-256 of the body as received: a retry of the same bytes is the same submission.
        body_sha256    TEXT,
        -- Random, drawn at insert: exports are in this order, never the order of arrival.
        order_key      BIGINT NOT NULL
    );
    CREATE INDEX responses_in_order ON responses (survey_id, order_key, submission_id);
    -- The author's text of every version loaded. Nothing here is about a respondent.
    CREATE TABLE definitions (
        survey_id       TEXT COLLATE "C" NOT NULL,
        version         BIGINT NOT NULL,
        source          TEXT NOT NULL,
        first_loaded_at TEXT NOT NULL,
        PRIMARY KEY (survey_id, version)
    );
    -- Signed-in admin browsers, by a hash of their secret only; shared by every instance.
    CREATE TABLE admin_sessions (
        secret_hash TEXT PRIMARY KEY,
        expires_at  BIGINT NOT NULL
    );
    -- Rows and payload bytes per survey, for the quotas, in shards (see the engine's docs).
    CREATE TABLE survey_usage (
        survey_id TEXT COLLATE "C" NOT NULL,
        shard     SMALLINT NOT NULL,
        rows      BIGINT NOT NULL,
        bytes     BIGINT NOT NULL,
        PRIMARY KEY (survey_id, shard)
    );
    "#,
    // 2. Channels and reach, as SQLite's step 3: a response's channel computed from its payload,
    //    and reach as counters only, spread over shards like the usage.
    r#"
    ALTER TABLE responses ADD COLUMN channel TEXT COLLATE "C"
        GENERATED ALWAYS AS ((payload::jsonb) ->> 'channel') STORED;
    CREATE INDEX responses_by_channel ON responses (survey_id, channel);
    CREATE TABLE reach (
        survey_id TEXT COLLATE "C" NOT NULL,
        version   BIGINT NOT NULL,
        channel   TEXT COLLATE "C" NOT NULL,
        day       TEXT NOT NULL,
        kind      TEXT NOT NULL,
        page      TEXT COLLATE "C" NOT NULL,
        shard     SMALLINT NOT NULL,
        count     BIGINT NOT NULL,
        PRIMARY KEY (survey_id, day, channel, kind, page, version, shard)
    );
    "#,
    // 3. Surveys written in the collector, as SQLite's step 4: each survey's draft, and a
    //    counter a trigger moves with every change to the definitions, which every instance
    //    polls to see a publish made by another. Publishes are rare, so the one counter row
    //    is never a hot spot.
    r#"
    CREATE TABLE survey_drafts (
        survey_id  TEXT COLLATE "C" PRIMARY KEY,
        source     TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE catalog_marker (
        only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
        changes  BIGINT NOT NULL
    );
    INSERT INTO catalog_marker (changes) VALUES (0);
    CREATE FUNCTION survey_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE catalog_marker SET changes = changes + 1;
            RETURN NULL;
        END
    $$;
    CREATE TRIGGER definitions_changed AFTER INSERT OR UPDATE OR DELETE ON definitions
        FOR EACH ROW EXECUTE FUNCTION survey_catalog_changed();
    "#,
];

/// Runs the steps of `steps` this database has not had yet, in one transaction, under an
/// advisory lock so that instances starting at once upgrade it once. Refuses, in words, a
/// database that has had more steps than `steps` (a newer release upgraded it).
pub async fn migrate(client: &mut tokio_postgres::Client, steps: &[&str]) -> Result<()> {
    let tx = client.transaction().await?;
    tx.execute(sql::LOCK_MIGRATIONS, &[&MIGRATION_LOCK]).await?;
    tx.batch_execute(sql::CREATE_SCHEMA_VERSION).await?;
    let done: i64 = match tx.query_opt(sql::SCHEMA_VERSION, &[]).await? {
        Some(row) => row.try_get(0)?,
        None => 0,
    };
    let done = u64::try_from(done).unwrap_or(u64::MAX);
    let to_skip = usize::try_from(done).ok().filter(|n| *n <= steps.len());
    let Some(to_skip) = to_skip else { return Err(newer_schema("DATABASE_URL", done, steps.len())) };
    for (step, statements) in steps.iter().enumerate().skip(to_skip) {
        tx.batch_execute(statements).await?;
        let version = i64::try_from(step + 1).unwrap_or(i64::MAX);
        tx.execute(sql::SET_SCHEMA_VERSION, &[&version]).await?;
        tracing::info!(version = step + 1, "database schema brought to version");
    }
    tx.commit().await?;
    Ok(())
}
