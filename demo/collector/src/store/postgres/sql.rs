//! Every statement this engine runs besides the migrations ([`super::schema`]): all of its SQL
//! is here and there, and nowhere else.

pub const LOCK_MIGRATIONS: &str = "SELECT pg_advisory_xact_lock($1)";
pub const CREATE_SCHEMA_VERSION: &str = "CREATE TABLE IF NOT EXISTS schema_version (
     only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
     version  BIGINT NOT NULL)";
pub const SCHEMA_VERSION: &str = "SELECT version FROM schema_version";
pub const SET_SCHEMA_VERSION: &str = "INSERT INTO schema_version (version) VALUES ($1)
     ON CONFLICT (only_row) DO UPDATE SET version = excluded.version";

pub const DELETE_EXPIRED_SESSIONS: &str = "DELETE FROM admin_sessions WHERE expires_at <= $1";
pub const INSERT_SESSION: &str = "INSERT INTO admin_sessions (secret_hash, expires_at) VALUES ($1, $2)";
pub const FIND_SESSION: &str = "SELECT 1 FROM admin_sessions WHERE secret_hash = $1 AND expires_at > $2";
pub const DELETE_SESSION: &str = "DELETE FROM admin_sessions WHERE secret_hash = $1";

/// The stored response under a submission id, if any.
pub const FIND_RESPONSE: &str = "SELECT reference, payload, body_sha256 FROM responses WHERE submission_id = $1";

/// The stored response under a submission id, if any, and its survey's usage: one row.
pub const LOOKUP: &str = "SELECT r.reference, r.payload, r.body_sha256, u.rows, u.bytes
     FROM (SELECT COALESCE(SUM(rows), 0)::BIGINT AS rows, COALESCE(SUM(bytes), 0)::BIGINT AS bytes
           FROM survey_usage WHERE survey_id = $2) AS u
     LEFT JOIN responses AS r ON r.submission_id = $1";
/// One statement, so atomic: the row, and its survey's usage counted in one shard, or
/// nothing at all if the submission id (or the reference) is taken. Returns a row if stored.
pub const INSERT_RESPONSE: &str = "WITH stored AS (
         INSERT INTO responses
             (submission_id, survey_id, survey_version, reference, received_at, payload, body_sha256, order_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT DO NOTHING
         RETURNING survey_id)
     INSERT INTO survey_usage AS u (survey_id, shard, rows, bytes)
     SELECT survey_id, $9::SMALLINT, 1, $10::BIGINT FROM stored
     ON CONFLICT (survey_id, shard) DO UPDATE SET rows = u.rows + 1, bytes = u.bytes + excluded.bytes
     RETURNING 1";
/// A NULL parameter is a filter left out: $2 the channel, $3 and $4 the `received_at`
/// range (from, before), compared byte by byte as on SQLite (text order is time order).
pub const RESPONSES_IN_ORDER: &str = r#"SELECT submission_id, reference, received_at, payload FROM responses
     WHERE survey_id = $1 AND ($2::TEXT IS NULL OR channel = $2)
       AND ($3::TEXT IS NULL OR received_at COLLATE "C" >= $3)
       AND ($4::TEXT IS NULL OR received_at COLLATE "C" < $4)
     ORDER BY order_key, submission_id"#;
pub const RESPONSE_CHANNELS: &str =
    "SELECT DISTINCT channel FROM responses WHERE survey_id = $1 AND channel IS NOT NULL ORDER BY channel";
pub const COUNT_RESPONSES: &str = "SELECT COUNT(*) FROM responses WHERE survey_id = $1";

pub const COUNT_REACH: &str = "INSERT INTO reach AS r (survey_id, version, channel, day, kind, page, shard, count)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (survey_id, day, channel, kind, page, version, shard) DO UPDATE SET count = r.count + excluded.count";
/// A NULL parameter is a filter left out: $2 the channel, $3 and $4 the first and last day.
pub const REACH_COUNTS: &str = "SELECT channel, day, kind, page, SUM(count)::BIGINT FROM reach
     WHERE survey_id = $1 AND ($2::TEXT IS NULL OR channel = $2) AND ($3::TEXT IS NULL OR day >= $3)
       AND ($4::TEXT IS NULL OR day <= $4)
     GROUP BY channel, day, kind, page ORDER BY day, channel, kind, page";
/// As the exports' filter; the day is the UTC date of `received_at`.
pub const COMPLETION_COUNTS: &str = "SELECT COALESCE(channel, ''), substr(received_at, 1, 10), COUNT(*)
     FROM responses
     WHERE survey_id = $1 AND ($2::TEXT IS NULL OR channel = $2)
       AND ($3::TEXT IS NULL OR received_at >= $3) AND ($4::TEXT IS NULL OR received_at < $4)
     GROUP BY 1, 2 ORDER BY 2, 1";

pub const INSERT_DEFINITION_IF_NEW: &str = "INSERT INTO definitions (survey_id, version, source, first_loaded_at)
     VALUES ($1, $2, $3, $4) ON CONFLICT (survey_id, version) DO NOTHING";
pub const FIND_DEFINITION: &str = "SELECT source FROM definitions WHERE survey_id = $1 AND version = $2";
pub const FIRST_LOADED_AT: &str = "SELECT first_loaded_at FROM definitions WHERE survey_id = $1 AND version = $2";
pub const FIND_DEFINITION_FOR_UPDATE: &str =
    "SELECT source FROM definitions WHERE survey_id = $1 AND version = $2 FOR UPDATE";
pub const REPLACE_DEFINITION: &str = "UPDATE definitions SET source = $3 WHERE survey_id = $1 AND version = $2";
/// Every survey with responses has usage rows, which are far fewer than its responses.
pub const KNOWN_SURVEY_IDS: &str =
    "SELECT survey_id FROM definitions UNION SELECT survey_id FROM survey_usage ORDER BY survey_id";
pub const DEFINITIONS_NEWEST_FIRST: &str =
    "SELECT version, source FROM definitions WHERE survey_id = $1 ORDER BY version DESC";
pub const DEFINITION_VERSIONS: &str = "SELECT version FROM definitions WHERE survey_id = $1 ORDER BY version";
pub const VERSION_ENTRIES: &str =
    "SELECT version, first_loaded_at FROM definitions WHERE survey_id = $1 ORDER BY version";
pub const LATEST_DEFINITIONS: &str = "SELECT DISTINCT ON (survey_id) survey_id, version, source FROM definitions
     ORDER BY survey_id, version DESC";
pub const CATALOG_MARKER: &str = "SELECT changes FROM catalog_marker";

pub const SAVE_DRAFT: &str = "INSERT INTO survey_drafts (survey_id, source, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (survey_id) DO UPDATE SET source = excluded.source, updated_at = excluded.updated_at";
/// A first draft, only if the survey has none yet.
pub const INSERT_DRAFT_IF_NONE: &str = "INSERT INTO survey_drafts (survey_id, source, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (survey_id) DO NOTHING";
/// A new draft, only over the one the saver started from ($4).
pub const REPLACE_DRAFT_IF: &str =
    "UPDATE survey_drafts SET source = $2, updated_at = $3 WHERE survey_id = $1 AND source = $4";
pub const FIND_DRAFT: &str = "SELECT source, updated_at FROM survey_drafts WHERE survey_id = $1";
pub const DELETE_DRAFT_IF: &str = "DELETE FROM survey_drafts WHERE survey_id = $1 AND source = $2";
pub const DRAFTS: &str = "SELECT survey_id, updated_at FROM survey_drafts ORDER BY survey_id";
/// For a copy from another engine: a draft as it was, unless this survey has one already.
pub const COPY_DRAFT: &str = "INSERT INTO survey_drafts (survey_id, source, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (survey_id) DO NOTHING";

/// For a copy from another engine: a row as it was, or nothing if its id or reference is taken.
pub const COPY_RESPONSE: &str = "INSERT INTO responses
         (submission_id, survey_id, survey_version, reference, received_at, payload, body_sha256, order_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING 1";
pub const FIND_COPIED_RESPONSE: &str = "SELECT reference, payload FROM responses WHERE submission_id = $1";
pub const ADD_USAGE: &str = "INSERT INTO survey_usage AS u (survey_id, shard, rows, bytes) VALUES ($1, 0, $2, $3)
     ON CONFLICT (survey_id, shard) DO UPDATE SET rows = u.rows + excluded.rows, bytes = u.bytes + excluded.bytes";
