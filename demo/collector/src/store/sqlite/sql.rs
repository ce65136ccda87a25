//! Every statement this engine runs besides the migrations ([`super::schema`]): all of its SQL
//! is here and there, and nowhere else.

pub const DELETE_EXPIRED_SESSIONS: &str = "DELETE FROM admin_sessions WHERE expires_at <= ?1";
pub const INSERT_SESSION: &str = "INSERT INTO admin_sessions (secret_hash, expires_at) VALUES (?1, ?2)";
pub const FIND_SESSION: &str = "SELECT 1 FROM admin_sessions WHERE secret_hash = ?1 AND expires_at > ?2";
pub const DELETE_SESSION: &str = "DELETE FROM admin_sessions WHERE secret_hash = ?1";

pub const FIND_RESPONSE: &str = "SELECT reference, payload, body_sha256 FROM responses WHERE submission_id = ?1";
pub const USAGE: &str = "SELECT rows, bytes FROM survey_usage WHERE survey_id = ?1";
/// The order key is also the rowid, so rows sit in export order. A clash on the
/// reference or the order key inserts nothing, and both are drawn again.
pub const INSERT_RESPONSE: &str = "INSERT INTO responses
         (rowid, submission_id, survey_id, survey_version, reference, received_at, payload, body_sha256, order_key)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?1) ON CONFLICT DO NOTHING";
pub const COUNT_USAGE: &str = "INSERT INTO survey_usage (survey_id, rows, bytes) VALUES (?1, 1, ?2)
     ON CONFLICT (survey_id) DO UPDATE SET rows = rows + 1, bytes = bytes + excluded.bytes";
/// A NULL parameter is a filter left out: ?2 the channel, ?3 and ?4 the `received_at`
/// range (from, before).
pub const RESPONSES_IN_ORDER: &str = "SELECT submission_id, reference, received_at, payload FROM responses
     WHERE survey_id = ?1 AND (?2 IS NULL OR channel = ?2)
       AND (?3 IS NULL OR received_at >= ?3) AND (?4 IS NULL OR received_at < ?4)
     ORDER BY order_key, submission_id";
pub const RESPONSE_CHANNELS: &str =
    "SELECT DISTINCT channel FROM responses WHERE survey_id = ?1 AND channel IS NOT NULL ORDER BY channel";
pub const COUNT_RESPONSES: &str = "SELECT COUNT(*) FROM responses WHERE survey_id = ?1";

pub const COUNT_REACH: &str = "INSERT INTO reach (survey_id, version, channel, day, kind, page, count)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
     ON CONFLICT DO UPDATE SET count = count + excluded.count";
/// A NULL parameter is a filter left out: ?2 the channel, ?3 and ?4 the first and last day.
pub const REACH_COUNTS: &str = "SELECT channel, day, kind, page, SUM(count) FROM reach
     WHERE survey_id = ?1 AND (?2 IS NULL OR channel = ?2) AND (?3 IS NULL OR day >= ?3) AND (?4 IS NULL OR day <= ?4)
     GROUP BY channel, day, kind, page ORDER BY day, channel, kind, page";
/// As [`RESPONSES_IN_ORDER`]'s filter; the day is the UTC date of `received_at`.
pub const COMPLETION_COUNTS: &str = "SELECT COALESCE(channel, ''), substr(received_at, 1, 10), COUNT(*)
     FROM responses
     WHERE survey_id = ?1 AND (?2 IS NULL OR channel = ?2)
       AND (?3 IS NULL OR received_at >= ?3) AND (?4 IS NULL OR received_at < ?4)
     GROUP BY 1, 2 ORDER BY 2, 1";

pub const FIND_DEFINITION: &str = "SELECT source FROM definitions WHERE survey_id = ?1 AND version = ?2";
pub const FIRST_LOADED_AT: &str = "SELECT first_loaded_at FROM definitions WHERE survey_id = ?1 AND version = ?2";
pub const REPLACE_DEFINITION: &str = "UPDATE definitions SET source = ?3 WHERE survey_id = ?1 AND version = ?2";
pub const INSERT_DEFINITION: &str =
    "INSERT INTO definitions (survey_id, version, source, first_loaded_at) VALUES (?1, ?2, ?3, ?4)";
pub const KNOWN_SURVEY_IDS: &str =
    "SELECT survey_id FROM definitions UNION SELECT survey_id FROM responses ORDER BY survey_id";
pub const DEFINITIONS_NEWEST_FIRST: &str =
    "SELECT version, source FROM definitions WHERE survey_id = ?1 ORDER BY version DESC";
pub const DEFINITION_VERSIONS: &str = "SELECT version FROM definitions WHERE survey_id = ?1 ORDER BY version";
pub const VERSION_ENTRIES: &str =
    "SELECT version, first_loaded_at FROM definitions WHERE survey_id = ?1 ORDER BY version";
/// The newest version of each survey (SQLite takes the row's other columns from the row
/// where MAX found its value).
pub const LATEST_DEFINITIONS: &str =
    "SELECT survey_id, MAX(version), source FROM definitions GROUP BY survey_id ORDER BY survey_id";
pub const INSERT_DEFINITION_IF_NEW: &str = "INSERT INTO definitions (survey_id, version, source, first_loaded_at)
     VALUES (?1, ?2, ?3, ?4) ON CONFLICT (survey_id, version) DO NOTHING";
pub const CATALOG_MARKER: &str = "SELECT changes FROM catalog_marker";

pub const SAVE_DRAFT: &str = "INSERT INTO survey_drafts (survey_id, source, updated_at) VALUES (?1, ?2, ?3)
     ON CONFLICT (survey_id) DO UPDATE SET source = excluded.source, updated_at = excluded.updated_at";
/// A first draft, only if the survey has none yet.
pub const INSERT_DRAFT_IF_NONE: &str = "INSERT INTO survey_drafts (survey_id, source, updated_at) VALUES (?1, ?2, ?3)
     ON CONFLICT (survey_id) DO NOTHING";
/// A new draft, only over the one the saver started from (?4).
pub const REPLACE_DRAFT_IF: &str =
    "UPDATE survey_drafts SET source = ?2, updated_at = ?3 WHERE survey_id = ?1 AND source = ?4";
pub const FIND_DRAFT: &str = "SELECT source, updated_at FROM survey_drafts WHERE survey_id = ?1";
pub const DELETE_DRAFT_IF: &str = "DELETE FROM survey_drafts WHERE survey_id = ?1 AND source = ?2";
pub const DRAFTS: &str = "SELECT survey_id, updated_at FROM survey_drafts ORDER BY survey_id";
/// For a copy to another engine.
pub const ALL_DRAFTS: &str = "SELECT survey_id, source, updated_at FROM survey_drafts ORDER BY survey_id";

/// For a copy to another engine: everything, in a stable order.
pub const ALL_DEFINITIONS: &str =
    "SELECT survey_id, version, source, first_loaded_at FROM definitions ORDER BY survey_id, version";
pub const ALL_RESPONSES: &str = "SELECT submission_id, survey_id, survey_version, reference, received_at,
     payload, body_sha256, order_key FROM responses ORDER BY survey_id, order_key, submission_id";
