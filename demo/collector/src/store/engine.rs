//! The storage interface, [`Engine`]: one implementation per database, each in its own module
//! ([`super::sqlite`], [`super::postgres`]), behind the [`super::Store`] the handlers hold.

use super::records::*;
use super::RowSender;
use crate::error::Result;
use crate::filter::ResultsFilter;

/// The storage interface: one implementation per database engine. Each method is one
/// operation, atomic on its own; the engine owns its connections and its SQL.
#[async_trait::async_trait]
pub trait Engine: Send + Sync + 'static {
    /// Stores `row` once per `submission_id`, within its survey's quota (see [`Store::save`]).
    async fn save(&self, row: NewRow<'_>, quota: Quota) -> Result<Saved>;

    /// Keeps a new admin session until `expires_at`, and forgets those expired at `now` (Unix
    /// seconds both).
    async fn create_session(&self, secret_hash: &str, expires_at: i64, now: i64) -> Result<()>;

    /// Whether a session with this hash exists and has not expired at `now`.
    async fn session_is_valid(&self, secret_hash: &str, now: i64) -> Result<bool>;

    /// Ends a session; unknown hashes are fine.
    async fn delete_session(&self, secret_hash: &str) -> Result<()>;

    /// Starts reading every stored response to a survey, in the order of their random order
    /// keys (never the order they arrived in), in one consistent snapshot, through a reader
    /// that never makes a respondent's write wait. The rows arrive through `rows`; a closed
    /// receiver stops the reading. Only the rows `filter` lets through are read: it is applied
    /// in the query.
    fn read_responses(&self, survey_id: &str, filter: &ResultsFilter, rows: RowSender);

    /// Every channel the stored responses to a survey came through, sorted (for the results
    /// page's filter); responses without one are not a channel.
    async fn response_channels(&self, survey_id: &str) -> Result<Vec<String>>;

    /// How many responses a survey has.
    async fn response_count(&self, survey_id: &str) -> Result<u64>;

    /// Remembers a definition's text under its (id, version), `now` being when it was first
    /// loaded (see [`Store::record_definition`]).
    async fn record_definition(&self, survey_id: &str, version: u32, source: &str, now: &str) -> Result<Recorded>;

    /// Every survey id with a stored definition or a stored response, sorted by bytes.
    async fn known_survey_ids(&self) -> Result<Vec<String>>;

    /// Every stored version of a survey's definition with its text, newest first.
    async fn stored_definitions(&self, survey_id: &str) -> Result<Vec<(u32, String)>>;

    /// The text of one version of a survey's definition, if it was ever loaded.
    async fn definition(&self, survey_id: &str, version: u32) -> Result<Option<String>>;

    /// When one version of a survey's definition was first loaded (RFC 3339 UTC), if it was.
    async fn first_loaded_at(&self, survey_id: &str, version: u32) -> Result<Option<String>>;

    /// Every version of a survey ever loaded, ascending.
    async fn definition_versions(&self, survey_id: &str) -> Result<Vec<u32>>;

    /// Every version of a survey with when it was first stored, ascending.
    async fn version_entries(&self, survey_id: &str) -> Result<Vec<VersionEntry>>;

    /// The newest stored version of every survey: (id, version, text), by id.
    async fn latest_definitions(&self) -> Result<Vec<(String, u32, String)>>;

    /// Stores a definition's text under (id, version) if that version is free; `false` (and
    /// nothing written) if it is taken, by whoever got there first.
    async fn insert_definition(&self, survey_id: &str, version: u32, source: &str, now: &str) -> Result<bool>;

    /// A number that moves whenever any stored definition is added or changed, by any
    /// instance (a trigger on the table counts): the catalog is read again when it moves.
    async fn catalog_marker(&self) -> Result<i64>;

    /// Keeps `source` as the survey's draft, replacing any earlier one.
    async fn save_draft(&self, survey_id: &str, source: &str, now: &str) -> Result<()>;

    /// Keeps `source` as the survey's draft only if the draft is still `expected` (`None`: only
    /// if there is none). `false`, and nothing written, if another save got there first.
    async fn replace_draft(&self, survey_id: &str, expected: Option<&str>, source: &str, now: &str) -> Result<bool>;

    /// The survey's draft, if one is kept.
    async fn draft(&self, survey_id: &str) -> Result<Option<Draft>>;

    /// Forgets the survey's draft if it is still exactly `source`: a draft saved since (by the
    /// editor in another tab, say) is kept. Says whether it was forgotten.
    async fn delete_draft_if(&self, survey_id: &str, source: &str) -> Result<bool>;

    /// Every kept draft: (survey id, when saved), by id.
    async fn drafts(&self) -> Result<Vec<(String, String)>>;

    /// Adds one to a reach counter: `count` events of one kind, for one survey version,
    /// channel (`""` for none), UTC day (`YYYY-MM-DD`) and page (`""` unless a page event).
    async fn count_reach(&self, key: &ReachKey, count: u64) -> Result<()>;

    /// The reach counters of a survey that `filter` lets through, summed over its versions.
    async fn reach_counts(&self, survey_id: &str, filter: &ResultsFilter) -> Result<Vec<ReachCount>>;

    /// Stored responses of a survey that `filter` lets through, counted per channel (`""` for none) and
    /// UTC day of arrival.
    async fn completion_counts(&self, survey_id: &str, filter: &ResultsFilter) -> Result<Vec<CompletionCount>>;

    /// The response stored under a submission id, if any.
    async fn find(&self, submission_id: &str) -> Result<Option<Existing>>;

    /// Checks that the database answers.
    async fn ping(&self) -> Result<()>;

    /// Where the data is, for the startup log: a file, or a database on a server (never a
    /// password).
    fn describe(&self) -> String;
}
