//! Where everything the collector keeps lives: responses (one row per `submission_id`), every
//! version of every survey definition it has imported or published (the source of truth for
//! the surveys), the editor's drafts, the admin sessions, and each survey's usage against its
//! quota. One interface, [`Engine`], with one implementation per database:
//!
//! - [`sqlite`]: one file in `DATA_DIR`, nothing to install; the default.
//! - [`postgres`]: a PostgreSQL database named by `DATABASE_URL`, which several collector
//!   instances can share (behind a load balancer), and which a team may already back up.
//!
//! Both keep the same promises, and the tests run the same suites against both:
//! - a response is acknowledged only after a durable commit, and is stored once per
//!   `submission_id` however often and however concurrently it is retried (by one instance or
//!   several): a repeat gets the first reference, different content under the same id is a
//!   conflict and the first is kept ([`judge_repeat`] decides, for both engines);
//! - only the payload as validated, a hash of the body as received, when it arrived (to the
//!   hour for an anonymous response) and a random order key are kept: nothing about the sender;
//! - exports read one row at a time ([`Rows`]), so memory stays flat however big the survey;
//! - each engine's schema is a list of versioned steps, run at startup; a database from a newer
//!   release is refused in words ([`newer_schema`]), never opened.
//!
//! The interface is a trait object: the handlers hold a [`Store`] and do not know which engine is
//! behind it. `async-trait` boxes each call's future, one small allocation per database call,
//! which a database round trip dwarfs; an enum dispatching to the two engines would save it at
//! the price of a `match` in every method, and the trait keeps each engine's file self-contained.
//! Everything both engines do the same way (serialising the payload, the clock, the judgement
//! of a repeat, the quota arithmetic) is here, once.

pub mod copy;
mod engine;
pub mod postgres;
mod records;
pub mod sqlite;

pub use engine::Engine;
pub use records::*;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::filter::ResultsFilter;
use crate::reference;
use std::sync::Arc;
use survey_model::{Payload, ReachEvent};
use time::OffsetDateTime;
use tokio::sync::mpsc;

pub use sqlite::{DB_COMPANIONS, DB_FILE};

/// How often to draw a new reference when one is already taken (1 in 2^40 per response).
pub(crate) const REFERENCE_ATTEMPTS: usize = 8;

/// Rows that may wait between an engine reading an export and the encoder: a few hundred
/// kilobytes at most, whatever the survey's size.
const ROWS_IN_FLIGHT: usize = 64;

/// How many times [`Store::publish`] draws the next version number again when another instance
/// took it first: each retry means another publish of the same survey committed meanwhile.
const PUBLISH_ATTEMPTS: usize = 16;

/// The store the handlers share. Cloning is cheap and shares the engine.
#[derive(Clone)]
pub struct Store {
    engine: Arc<dyn Engine>,
}

impl Store {
    /// Opens the database the settings name (PostgreSQL if `DATABASE_URL` is set, else the
    /// SQLite file in `DATA_DIR`) and brings its schema up to date.
    pub async fn open(config: &Config) -> Result<Store> {
        match &config.database_url {
            Some(url) => Ok(Store::from(postgres::Postgres::open(url, config.database_pool_size).await?)),
            None => Ok(Store::from(sqlite::Sqlite::open(&config.data_dir).await?)),
        }
    }

    /// Where the data is, for the startup log.
    pub fn describe(&self) -> String {
        self.engine.describe()
    }

    /// Stores a checked submission once per `submission_id`, within its survey's quota.
    pub async fn save(&self, submission: Submission, quota: Quota) -> Result<Saved> {
        let json = serde_json::to_string(&submission.payload)
            .map_err(|e| Error::Internal(format!("payload does not serialise: {e}")))?;
        let received_at = if submission.payload.anonymous { this_hour_rfc3339()? } else { now_rfc3339()? };
        self.engine.save(NewRow { submission: &submission, json, received_at }, quota).await
    }

    /// Keeps a new admin session until `expires_at` (Unix seconds), and forgets expired ones.
    pub async fn create_session(&self, secret_hash: String, expires_at: i64) -> Result<()> {
        self.engine.create_session(&secret_hash, expires_at, unix_now()).await
    }

    /// Whether a session with this hash exists and has not expired.
    pub async fn session_is_valid(&self, secret_hash: String) -> Result<bool> {
        self.engine.session_is_valid(&secret_hash, unix_now()).await
    }

    /// Ends a session (signing out); unknown hashes are fine.
    pub async fn delete_session(&self, secret_hash: String) -> Result<()> {
        self.engine.delete_session(&secret_hash).await
    }

    /// Every stored response to a survey, one at a time, in export order: the stored rows'
    /// random order keys, never the order they arrived in. Memory stays flat however many there
    /// are; drop the [`Rows`] to stop reading.
    pub fn rows(&self, survey_id: &str) -> Rows {
        self.filtered_rows(survey_id, &ResultsFilter::default())
    }

    /// [`Store::rows`], only those `filter` lets through (the database leaves out the rest).
    pub fn filtered_rows(&self, survey_id: &str, filter: &ResultsFilter) -> Rows {
        let (sender, receiver) = mpsc::channel(ROWS_IN_FLIGHT);
        self.engine.read_responses(survey_id, filter, RowSender { sender });
        Rows { receiver }
    }

    /// Every channel the stored responses to a survey came through, sorted.
    pub async fn response_channels(&self, survey_id: &str) -> Result<Vec<String>> {
        self.engine.response_channels(survey_id).await
    }

    /// Every stored response to a survey, in export order, all at once: for tests and small
    /// tools only, since the memory it takes grows with the survey (the pages stream instead).
    pub async fn responses(&self, survey_id: &str) -> Result<Vec<StoredResponse>> {
        let mut rows = self.rows(survey_id);
        let mut all = Vec::new();
        while let Some(row) = rows.next().await {
            all.push(row?);
        }
        Ok(all)
    }

    /// How many responses a survey has.
    pub async fn response_count(&self, survey_id: &str) -> Result<u64> {
        self.engine.response_count(survey_id).await
    }

    /// Remembers a definition as loaded from `SURVEYS_DIR`, unless this (id, version) is
    /// already stored with the same text. Only a definition that parsed is ever passed here, so
    /// a broken file never replaces a good version.
    ///
    /// If the stored text differs, the new text replaces it and `first_loaded_at` is kept. The
    /// newest text wins because while this version is current, every response that names it is
    /// already validated against the file as it is now (the catalog), and so is every widget
    /// that loads it from now on; storing the same text keeps that judgement unchanged once a
    /// later version makes this one "older". An unbumped edit is usually a fix the author wants
    /// applied. The caller warns, since responses sent against the earlier text may no longer
    /// fit.
    pub async fn record_definition(&self, survey_id: &str, version: u32, source: &str) -> Result<Recorded> {
        self.engine.record_definition(survey_id, version, source, &now_rfc3339()?).await
    }

    /// Every survey id this database has any history for: a stored definition or a stored
    /// response.
    pub async fn known_survey_ids(&self) -> Result<Vec<String>> {
        self.engine.known_survey_ids().await
    }

    /// Every stored version of a survey's definition with its text, newest first.
    pub async fn stored_definitions(&self, survey_id: &str) -> Result<Vec<(u32, String)>> {
        self.engine.stored_definitions(survey_id).await
    }

    /// The text of a version of a survey's definition, if it was ever loaded.
    pub async fn definition(&self, survey_id: &str, version: u32) -> Result<Option<String>> {
        self.engine.definition(survey_id, version).await
    }

    /// When this version of a survey was first loaded here: when it became new to the public
    /// (the Atom feed of surveys orders by it).
    pub async fn first_loaded_at(&self, survey_id: &str, version: u32) -> Result<Option<String>> {
        self.engine.first_loaded_at(survey_id, version).await
    }

    /// Every version of a survey ever loaded, ascending.
    pub async fn definition_versions(&self, survey_id: &str) -> Result<Vec<u32>> {
        self.engine.definition_versions(survey_id).await
    }

    /// Every version of a survey with when it was first stored, ascending.
    pub async fn version_entries(&self, survey_id: &str) -> Result<Vec<VersionEntry>> {
        self.engine.version_entries(survey_id).await
    }

    /// The newest stored version of every survey: (id, version, text), by id.
    pub async fn latest_definitions(&self) -> Result<Vec<(String, u32, String)>> {
        self.engine.latest_definitions().await
    }

    /// The number that moves whenever a stored definition is added or changed.
    pub async fn catalog_marker(&self) -> Result<i64> {
        self.engine.catalog_marker().await
    }

    /// Stores a new survey's first version, 1, if nothing is stored for `survey_id` yet.
    /// `source_for` gives the text for a version number (see [`Store::publish`]). `None` if the
    /// id is taken, also when another instance took it at the same moment.
    pub async fn create_survey(&self, survey_id: &str, source_for: impl Fn(u32) -> String) -> Result<Option<u32>> {
        if !self.engine.definition_versions(survey_id).await?.is_empty() {
            return Ok(None);
        }
        let inserted = self.engine.insert_definition(survey_id, 1, &source_for(1), &now_rfc3339()?).await?;
        Ok(inserted.then_some(1))
    }

    /// Stores a survey's next version, the newest stored one plus one, with the text
    /// `source_for` gives for that number (so the text names the version it is stored under),
    /// and returns the number. Earlier versions are kept as they are.
    ///
    /// No lock: two instances publishing the same survey at the same moment may draw the same
    /// number; the database's key lets one insert, and the other draws again, so both publishes
    /// are kept, under distinct numbers.
    pub async fn publish(&self, survey_id: &str, source_for: impl Fn(u32) -> String) -> Result<u32> {
        for _ in 0..PUBLISH_ATTEMPTS {
            let latest = self.engine.definition_versions(survey_id).await?.last().copied().unwrap_or(0);
            let next = latest
                .checked_add(1)
                .ok_or_else(|| Error::Internal(format!("survey {survey_id} has no version numbers left")))?;
            if self.engine.insert_definition(survey_id, next, &source_for(next), &now_rfc3339()?).await? {
                return Ok(next);
            }
        }
        Err(Error::Internal(format!(
            "survey {survey_id}: no free version number after {PUBLISH_ATTEMPTS} attempts (as many publishes at once)"
        )))
    }

    /// Keeps `source` (whatever it holds) as the survey's draft if the stored draft is still the
    /// one `base` names; `None`, and nothing written, if it has changed since (another tab,
    /// another author).
    pub async fn save_draft_over(&self, survey_id: &str, base: &DraftBase, source: &str) -> Result<Option<Draft>> {
        let updated_at = now_rfc3339()?;
        let written = match base {
            DraftBase::Any => {
                self.engine.save_draft(survey_id, source, &updated_at).await?;
                true
            }
            DraftBase::None => self.engine.replace_draft(survey_id, None, source, &updated_at).await?,
            DraftBase::Tag(tag) => match self.engine.draft(survey_id).await? {
                // Compared and swapped on the text read, so a save in between is never lost.
                Some(current) if current.tag() == *tag => {
                    self.engine.replace_draft(survey_id, Some(&current.source), source, &updated_at).await?
                }
                _ => false,
            },
        };
        Ok(written.then(|| Draft { source: source.to_owned(), updated_at }))
    }

    /// The survey's draft, if one is kept.
    pub async fn draft(&self, survey_id: &str) -> Result<Option<Draft>> {
        self.engine.draft(survey_id).await
    }

    /// Forgets the survey's draft if it is still exactly `source`; says whether it was forgotten.
    pub async fn delete_draft_if(&self, survey_id: &str, source: &str) -> Result<bool> {
        self.engine.delete_draft_if(survey_id, source).await
    }

    /// Every kept draft: (survey id, when saved), by id.
    pub async fn drafts(&self) -> Result<Vec<(String, String)>> {
        self.engine.drafts().await
    }

    /// Counts one reach event, on today's UTC day. The event itself is not kept.
    pub async fn count_reach(&self, event: &ReachEvent) -> Result<()> {
        let key = ReachKey {
            survey_id: event.survey.id.clone(),
            version: event.survey.version,
            channel: event.channel.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default(),
            day: today()?,
            kind: event.kind.as_str().to_owned(),
            page: event.page.clone().unwrap_or_default(),
        };
        self.engine.count_reach(&key, 1).await
    }

    /// The reach counters of a survey that `filter` lets through.
    pub async fn reach_counts(&self, survey_id: &str, filter: &ResultsFilter) -> Result<Vec<ReachCount>> {
        self.engine.reach_counts(survey_id, filter).await
    }

    /// Stored responses of a survey that `filter` lets through, per channel and day.
    pub async fn completion_counts(&self, survey_id: &str, filter: &ResultsFilter) -> Result<Vec<CompletionCount>> {
        self.engine.completion_counts(survey_id, filter).await
    }

    /// What storing `submission` would find already there: a repeat of it, a conflicting
    /// response under its id, or nothing. Stores nothing.
    pub async fn already_stored(&self, submission: &Submission) -> Result<Option<Saved>> {
        let found = self.engine.find(&submission.payload.submission_id).await?;
        Ok(found.map(|existing| judge_repeat(existing, submission)))
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<()> {
        self.engine.ping().await
    }
}

impl<E: Engine> From<E> for Store {
    fn from(engine: E) -> Store {
        Store { engine: Arc::new(engine) }
    }
}

/// The stored responses of one export, arriving one at a time from the engine's reader.
pub struct Rows {
    receiver: mpsc::Receiver<Result<StoredResponse>>,
}

impl Rows {
    /// The next row, or `None` after the last. An error ends the rows: the export must fail
    /// rather than look complete.
    pub async fn next(&mut self) -> Option<Result<StoredResponse>> {
        self.receiver.recv().await
    }
}

/// Where an engine's reader puts the rows of an export.
pub struct RowSender {
    sender: mpsc::Sender<Result<StoredResponse>>,
}

impl RowSender {
    /// Hands on a row, waiting while the export is behind; `false` once nobody reads any more
    /// (the download was abandoned), which must stop the reader.
    pub async fn send(&self, row: Result<StoredResponse>) -> bool {
        self.sender.send(row).await.is_ok()
    }

    /// [`RowSender::send`] from a thread outside the async runtime (SQLite's blocking reader).
    pub fn blocking_send(&self, row: Result<StoredResponse>) -> bool {
        self.sender.blocking_send(row).is_ok()
    }
}

/// Whether a submission is the one already stored under its id: the very same bytes, or (for
/// a client that re-serialises, and for rows stored before the hash was kept) the same content,
/// compared as values so the order of keys inside an answer does not matter.
pub fn judge_repeat(existing: Existing, new: &Submission) -> Saved {
    let receipt = Receipt { submission_id: new.payload.submission_id.clone(), reference: existing.reference };
    let same = existing.body_sha256.as_deref() == Some(new.body_sha256.as_str())
        || serde_json::from_str::<Payload>(&existing.payload).is_ok_and(|old| old == new.payload || old == new.as_sent);
    if same {
        Saved::Repeated(receipt)
    } else {
        Saved::Conflict(receipt)
    }
}

/// A fresh reference and random order key for a new row.
pub fn new_identifiers() -> Result<(String, i64)> {
    Ok((reference::random_reference()?, reference::random_i64()?))
}

/// The refusal of a database whose schema a newer release made: `setting` names where it is
/// (`DATA_DIR` or `DATABASE_URL`).
pub fn newer_schema(setting: &'static str, found: u64, known: usize) -> Error {
    Error::Config {
        name: setting,
        message: format!(
            "the database has schema version {found}, from a newer release; this release knows up to {known}. \
             Run the newer release, or restore a backup made before the upgrade."
        ),
    }
}

/// Now, in Unix seconds.
fn unix_now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Now in UTC with a fixed number of fractional digits, so text order is time order.
pub fn now_rfc3339() -> Result<String> {
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

/// Today's UTC date, `YYYY-MM-DD`: the finest time a reach counter keeps.
fn today() -> Result<String> {
    Ok(now_rfc3339()?.chars().take(10).collect())
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

    #[test]
    fn the_quota_admits_up_to_its_limits_and_not_past_them() {
        let quota = Quota { rows: 2, bytes: 100 };
        assert!(quota.admits(0, 0, 100));
        assert!(quota.admits(1, 50, 50));
        assert!(!quota.admits(2, 0, 1), "a third row");
        assert!(!quota.admits(1, 60, 41), "one byte over");
        assert!(!quota.admits(u64::MAX, u64::MAX, u64::MAX), "no overflow");
    }

    #[test]
    fn a_repeat_is_the_same_bytes_or_the_same_content() {
        let payload: Payload = Payload::parse(
            br#"{"format": "survey-response/1", "survey": {"id": "s", "version": 1},
                "submission_id": "00000000-0000-4000-8000-000000000001", "submitted_at": "2026-11-22T10:00:00Z",
                "language": "en", "anonymous": true, "answers": {"a": 1}}"#,
        )
        .expect("a payload");
        let new = Submission { payload: payload.clone(), as_sent: payload.clone(), body_sha256: "abc".into() };
        let stored = serde_json::to_string(&payload).expect("serialises");
        let existing = |payload: &str, hash: Option<&str>| Existing {
            reference: "K7Q2-9XMD".into(),
            payload: payload.into(),
            body_sha256: hash.map(str::to_owned),
        };
        let receipt = Receipt { submission_id: payload.submission_id.clone(), reference: "K7Q2-9XMD".into() };
        assert_eq!(judge_repeat(existing("{}", Some("abc")), &new), Saved::Repeated(receipt.clone()), "same bytes");
        assert_eq!(judge_repeat(existing(&stored, None), &new), Saved::Repeated(receipt.clone()), "same content");
        let other = stored.replace("\"a\":1", "\"a\":2");
        assert_eq!(judge_repeat(existing(&other, Some("def")), &new), Saved::Conflict(receipt));
    }
}
