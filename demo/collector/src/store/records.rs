//! What goes into the store and comes out of it: plain values, with nothing of either engine.

use survey_model::Payload;

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

impl Quota {
    /// Whether a survey that has stored `rows` rows of `bytes` bytes may store one more of
    /// `more` bytes.
    pub fn admits(&self, rows: u64, bytes: u64, more: u64) -> bool {
        rows.saturating_add(1) <= self.rows && bytes.saturating_add(more) <= self.bytes
    }
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

/// A survey's draft: whatever the editor last saved, valid or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub source: String,
    /// When it was saved, in the shape of [`now_rfc3339`].
    pub updated_at: String,
}

impl Draft {
    /// What names this draft's text to whoever saves over it (the API's `etag`): the SHA-256
    /// of the text, in hex. Two saves of the same text have the same tag.
    pub fn tag(&self) -> String {
        use sha2::{Digest, Sha256};
        crate::reference::hex(&Sha256::digest(self.source.as_bytes()))
    }
}

/// What a save of a draft starts from, so that it never writes over a draft it has not seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftBase {
    /// Whatever is stored (a save without a condition, or one the author chose to make over
    /// another).
    Any,
    /// No draft: the survey had none when the saver opened it.
    None,
    /// The draft with this [`Draft::tag`].
    Tag(String),
}

/// One stored version of a survey, for the list of its versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionEntry {
    pub version: u32,
    /// When it was first stored (imported or published), in the shape of [`now_rfc3339`].
    pub first_loaded_at: String,
}

/// A row about to be inserted, with everything the engine must write. Built once, by
/// [`Store::save`], so both engines store exactly the same thing.
#[derive(Debug, Clone)]
pub struct NewRow<'a> {
    pub submission: &'a Submission,
    /// The validated payload's JSON: what is stored.
    pub json: String,
    /// When it arrived, already rounded to the hour for an anonymous response.
    pub received_at: String,
}

impl NewRow<'_> {
    pub fn submission_id(&self) -> &str {
        &self.submission.payload.submission_id
    }

    pub fn survey_id(&self) -> &str {
        &self.submission.payload.survey.id
    }

    pub fn survey_version(&self) -> u32 {
        self.submission.payload.survey.version
    }

    /// What the row counts against its survey's byte quota.
    pub fn bytes(&self) -> u64 {
        u64::try_from(self.json.len()).unwrap_or(u64::MAX)
    }
}

/// A response stored before, as the engine found it under a new submission's id.
#[derive(Debug, Clone)]
pub struct Existing {
    pub reference: String,
    pub payload: String,
    pub body_sha256: Option<String>,
}

/// The key of one reach counter: nothing in it is about a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReachKey {
    pub survey_id: String,
    pub version: u32,
    /// `""` when the embed gave no channel.
    pub channel: String,
    /// UTC, `YYYY-MM-DD`.
    pub day: String,
    /// `viewed`, `started` or `page`.
    pub kind: String,
    /// The page's id for a `page` counter, else `""`.
    pub page: String,
}

/// One reach counter as read back, summed over the survey's versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReachCount {
    pub channel: String,
    pub day: String,
    pub kind: String,
    pub page: String,
    pub count: u64,
}

/// How many responses arrived through one channel on one UTC day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionCount {
    pub channel: String,
    pub day: String,
    pub count: u64,
}
