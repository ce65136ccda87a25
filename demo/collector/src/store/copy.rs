//! Moving a collector from SQLite to PostgreSQL: `survey-collector migrate-sqlite-to-postgres
//! --from DATA_DIR/responses.sqlite3`, with `DATABASE_URL` naming the target.
//!
//! Everything a respondent or an author left is copied exactly as it is (each response with its
//! reference, arrival time, order key and body hash; each definition version with its text and
//! when it was first loaded; each draft of a survey being written, with when it was saved), so
//! the exports of the two databases are the same, byte for byte.
//! The usage behind the quotas is counted up for what is copied. Admin sessions are not copied:
//! administrators sign in again.
//!
//! Safe to run again, and to run while a collector on the target is already taking answers:
//! what is already in the target is never changed. A response already there with the same
//! reference and payload counts as the same; a different one under the same `submission_id` is
//! reported as a conflict and left as the target has it. A definition version, or a draft, the
//! target already has with another text is reported and left alone too.

use super::postgres::Postgres;
use super::sqlite::{Copied, Sqlite};
use crate::config::DatabaseUrl;
use crate::error::{Error, Result};
use std::fmt;
use std::path::{Path, PathBuf};
use tokio::sync::mpsc;

/// The sub-command's name.
pub const COMMAND: &str = "migrate-sqlite-to-postgres";

/// What the command line says: the SQLite file to copy from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyArgs {
    pub from: PathBuf,
}

impl CopyArgs {
    /// Parses the arguments after the sub-command's name: `--from FILE`.
    pub fn parse(args: &[String]) -> Result<CopyArgs> {
        let usage = || Error::Config {
            name: "--from",
            message: format!("usage: survey-collector {COMMAND} --from DATA_DIR/responses.sqlite3 (DATABASE_URL names the target)"),
        };
        match args {
            [flag, from] if flag == "--from" && !from.trim().is_empty() => Ok(CopyArgs { from: PathBuf::from(from) }),
            _ => Err(usage()),
        }
    }
}

/// One stored definition version, as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedDefinition {
    pub survey_id: String,
    pub version: u32,
    pub source: String,
    pub first_loaded_at: String,
}

/// One stored response, with everything that was stored with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedResponse {
    pub submission_id: String,
    pub survey_id: String,
    pub survey_version: u32,
    pub reference: String,
    pub received_at: String,
    pub payload: String,
    pub body_sha256: Option<String>,
    pub order_key: i64,
}

/// One kept draft, as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedDraft {
    pub survey_id: String,
    pub source: String,
    pub updated_at: String,
}

/// What happened to the drafts of one copy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftsCopied {
    pub new: u64,
    pub same: u64,
    /// Survey ids whose draft the target has with another text.
    pub differing: Vec<String>,
}

/// What happened to the definitions of one copy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DefinitionsCopied {
    pub new: u64,
    pub same: u64,
    /// "survey version N", for each version the target has with another text.
    pub differing: Vec<String>,
}

/// What happened to the responses of one copy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponsesCopied {
    pub new: u64,
    pub same: u64,
    /// Submission ids the target has with other content (or whose reference another holds).
    pub conflicting: Vec<String>,
}

/// The outcome of a whole copy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyReport {
    pub definitions: DefinitionsCopied,
    pub drafts: DraftsCopied,
    pub responses: ResponsesCopied,
}

impl CopyReport {
    /// Whether the target now holds everything the source held, as the source held it.
    pub fn is_complete(&self) -> bool {
        self.definitions.differing.is_empty() && self.drafts.differing.is_empty() && self.responses.conflicting.is_empty()
    }

    fn add_drafts(&mut self, d: DraftsCopied) {
        self.drafts.new += d.new;
        self.drafts.same += d.same;
        self.drafts.differing.extend(d.differing);
    }

    fn add_definitions(&mut self, d: DefinitionsCopied) {
        self.definitions.new += d.new;
        self.definitions.same += d.same;
        self.definitions.differing.extend(d.differing);
    }

    fn add_responses(&mut self, r: ResponsesCopied) {
        self.responses.new += r.new;
        self.responses.same += r.same;
        self.responses.conflicting.extend(r.conflicting);
    }
}

impl fmt::Display for CopyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (d, r) = (&self.definitions, &self.responses);
        writeln!(f, "definition versions: {} copied, {} already there", d.new, d.same)?;
        writeln!(f, "drafts: {} copied, {} already there", self.drafts.new, self.drafts.same)?;
        writeln!(f, "responses: {} copied, {} already there", r.new, r.same)?;
        for version in &d.differing {
            writeln!(f, "left as the target has it (another text): {version}")?;
        }
        for id in &self.drafts.differing {
            writeln!(f, "left as the target has it (another draft): the draft of {id}")?;
        }
        for id in &r.conflicting {
            writeln!(f, "left as the target has it (other content under this submission_id): {id}")?;
        }
        Ok(())
    }
}

/// Copies everything from the SQLite database file `from` into the PostgreSQL database `to`,
/// bringing both schemas up to date first.
pub async fn sqlite_to_postgres(from: &Path, to: &DatabaseUrl) -> Result<CopyReport> {
    let source = Sqlite::open_existing(from).await?;
    let target = Postgres::open(to, 2).await?;
    let (sender, mut batches) = mpsc::channel(4);
    source.read_everything(sender);
    let mut report = CopyReport::default();
    while let Some(batch) = batches.recv().await {
        match batch? {
            Copied::Definitions(d) => report.add_definitions(target.copy_definitions(&d).await?),
            Copied::Drafts(d) => report.add_drafts(target.copy_drafts(&d).await?),
            Copied::Responses(r) => report.add_responses(target.copy_responses(&r).await?),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_command_line_is_from_and_a_file() {
        let parsed = CopyArgs::parse(&args(&["--from", "/var/lib/x/responses.sqlite3"])).expect("valid");
        assert_eq!(parsed.from, PathBuf::from("/var/lib/x/responses.sqlite3"));
        for bad in [&[][..], &["--from"], &["--from", ""], &["--to", "x"], &["--from", "a", "b"]] {
            let err = CopyArgs::parse(&args(bad)).expect_err("refused");
            assert!(err.to_string().contains("usage: survey-collector migrate-sqlite-to-postgres"), "{err}");
        }
    }

    #[test]
    fn the_report_says_what_was_left_alone() {
        let mut report = CopyReport::default();
        report.add_responses(ResponsesCopied { new: 2, same: 1, conflicting: vec![] });
        assert!(report.is_complete());
        report.add_responses(ResponsesCopied { new: 1, same: 0, conflicting: vec!["id-1".into()] });
        assert!(!report.is_complete());
        let text = report.to_string();
        assert!(text.contains("responses: 3 copied, 1 already there"), "{text}");
        assert!(text.contains("id-1"), "{text}");
    }
}
