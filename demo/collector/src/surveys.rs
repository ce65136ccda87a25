//! The survey definitions the server knows. The database is their source of truth: every
//! version ever imported or published is stored there, and the catalog of current surveys is
//! the newest stored version of each ([`Catalog::read`]).
//!
//! `SURVEYS_DIR` is imported once at start ([`import`]): a file whose (id, version) is not
//! stored yet becomes a new stored version; one stored with the same text changes nothing; one
//! stored with other text replaces it, with a warning (the author changed a published version
//! without raising its number). A file that does not parse is logged with every problem and
//! skipped: one broken file must not take the other surveys down with it, and it never
//! replaces a good version. Keys the model does not know are logged as warnings and ignored.
//! Surveys written in the collector itself (`crate::editing`) are stored the same way, so a
//! survey needs no file at all.
//!
//! A widget may deliver a response days after it was written, to a version since replaced:
//! [`History`] parses an older version from the database when a response names it.
//!
//! A fault on the server is never a refusal. A survey whose newest stored version cannot be
//! used (a newer model became stricter) is served from the newest good version stored, and one
//! whose file in `SURVEYS_DIR` is broken is reported; both are listed as degraded by
//! `/healthz`. One with no good version at all is unavailable, and its answers get 503 so that
//! widgets keep them and send them again later. Only a survey id the server has never heard of
//! is refused.

use crate::error::{Error, Result};
use crate::store::{Recorded, Store};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use survey_model::Survey;

/// One servable definition: the parsed survey, and its text exactly as written (served to
/// widgets unchanged, so what they parse is what the author wrote).
#[derive(Debug)]
pub struct LoadedSurvey {
    /// Shared, so that a handler can hold the current version and an older one the same way.
    pub survey: Arc<Survey>,
    pub source: String,
    /// `None` when all is well; otherwise what `/healthz` reports: the survey's file in
    /// `SURVEYS_DIR` could not be imported, or its newest stored version cannot be used and
    /// this is an older one.
    pub degraded: Option<String>,
}

/// What the server can do with answers to a survey id.
#[derive(Debug, Clone, Copy)]
pub enum Status<'a> {
    /// It has a definition to check them against.
    Served(&'a LoadedSurvey),
    /// It has history for this id but no usable definition: the answers must wait (503).
    Unavailable,
    /// It has never heard of this id (422).
    Unknown,
}

/// A survey `/healthz` reports: served from the database, or not served at all.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Degraded {
    pub id: String,
    /// A sentence for whoever runs the server; no paths, no answers.
    pub problem: String,
    /// The stored version served instead of the file, if any.
    pub serving_version: Option<u32>,
}

/// Every servable survey by id, and those that cannot be served. Cloning is cheap.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    surveys: Arc<BTreeMap<String, LoadedSurvey>>,
    /// Ids with history but no usable definition, with why.
    unavailable: Arc<BTreeMap<String, String>>,
}

impl Catalog {
    /// The newest good stored version of every survey. `problems` are the files of
    /// `SURVEYS_DIR` this instance could not import at start, by survey id: each is reported
    /// with the survey it names. A survey `previous` already holds with the same text is not
    /// parsed again.
    pub async fn read(store: &Store, problems: &FileProblems, previous: &Catalog) -> Result<Catalog> {
        let mut surveys = BTreeMap::new();
        for (id, version, source) in store.latest_definitions().await? {
            // `older` says why an older version is served, when the newest cannot be.
            let (survey, source, older) = match previous.surveys.get(&id) {
                Some(known) if known.survey.version == version && known.source == source => (Arc::clone(&known.survey), source, None),
                _ => match parse_stored(&id, version, &source) {
                    Ok(survey) => (Arc::new(survey), source, None),
                    Err(problem) => match newest_good_version(store, &id).await? {
                        Some((survey, source)) => {
                            let why = format!("{problem}; serving version {} instead", survey.version);
                            (Arc::new(survey), source, Some(why))
                        }
                        None => continue,
                    },
                },
            };
            let degraded = match problems.0.get(&id) {
                Some(problem) => Some(format!("{problem}; serving version {} from the database", survey.version)),
                None => older,
            };
            if let Some(degraded) = &degraded {
                tracing::warn!(id, "{degraded}");
            }
            surveys.insert(id, LoadedSurvey { survey, source, degraded });
        }
        let mut with_history: BTreeSet<String> = store.known_survey_ids().await?.into_iter().collect();
        with_history.extend(problems.0.keys().cloned());
        with_history.retain(|id| !surveys.contains_key(id));
        let mut unavailable = BTreeMap::new();
        for id in with_history {
            let problem = problems.0.get(&id).cloned().unwrap_or_else(|| "no stored version of it can be used".to_owned());
            tracing::error!(id, "{problem}, and the database has no good version of it: its answers get 503 until it is fixed");
            unavailable.insert(id, problem);
        }
        Ok(Catalog { surveys: Arc::new(surveys), unavailable: Arc::new(unavailable) })
    }

    /// The servable survey with this id.
    pub fn get(&self, id: &str) -> Option<&LoadedSurvey> {
        self.surveys.get(id)
    }

    /// What can be done with answers to `id`.
    pub fn status(&self, id: &str) -> Status<'_> {
        match self.surveys.get(id) {
            Some(loaded) => Status::Served(loaded),
            None if self.unavailable.contains_key(id) => Status::Unavailable,
            None => Status::Unknown,
        }
    }

    /// Every survey not served from its file, by id.
    pub fn degraded(&self) -> Vec<Degraded> {
        let mut out: Vec<Degraded> = self
            .surveys
            .values()
            .filter_map(|l| {
                l.degraded.as_ref().map(|problem| Degraded {
                    id: l.survey.id.clone(),
                    problem: problem.clone(),
                    serving_version: Some(l.survey.version),
                })
            })
            .chain(self.unavailable.iter().map(|(id, problem)| Degraded {
                id: id.clone(),
                problem: format!("{problem}, and no good version is stored: its answers wait (503)"),
                serving_version: None,
            }))
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    /// Every servable survey, by id.
    pub fn iter(&self) -> impl Iterator<Item = &LoadedSurvey> {
        self.surveys.values()
    }

    /// The ids of every servable survey, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.surveys.keys().map(String::as_str)
    }

    /// How many surveys are servable.
    pub fn len(&self) -> usize {
        self.surveys.len()
    }

    /// Whether no survey is servable.
    pub fn is_empty(&self) -> bool {
        self.surveys.is_empty()
    }
}

/// The files of `SURVEYS_DIR` that could not be imported, by the survey id their names give,
/// each with why in a sentence (no paths: `/healthz` shows it).
#[derive(Debug, Clone, Default)]
pub struct FileProblems(BTreeMap<String, String>);

/// Imports `SURVEYS_DIR`: stores every definition that loads under its (id, version) (see the
/// module docs), and returns the files that did not load. Errs only if the folder itself cannot
/// be read, or the database fails.
pub async fn import(dir: &Path, store: &Store) -> Result<FileProblems> {
    let folder = Folder::read(dir)?;
    for loaded in &folder.loaded {
        remember(store, &loaded.survey, &loaded.source).await?;
    }
    if folder.loaded.is_empty() && folder.broken.is_empty() {
        tracing::info!(dir = %dir.display(), "no survey files to import");
    }
    Ok(FileProblems(folder.broken))
}

/// What `SURVEYS_DIR` held: the definitions that loaded, and every file that did not, by the
/// survey id its name gives, with why.
struct Folder {
    loaded: Vec<LoadedSurvey>,
    broken: BTreeMap<String, String>,
}

impl Folder {
    fn read(dir: &Path) -> Result<Folder> {
        let cannot = |e| Error::io(format!("SURVEYS_DIR {} cannot be read", dir.display()), e);
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(cannot)? {
            let path = entry.map_err(cannot)?.path();
            if path.extension().is_some_and(|ext| ext == "json") && path.is_file() {
                paths.push(path);
            }
        }
        paths.sort();
        let mut folder = Folder { loaded: Vec::new(), broken: BTreeMap::new() };
        for path in paths {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
            match load_one(&path) {
                Ok(loaded) => folder.loaded.push(loaded),
                Err(problem) => {
                    folder.broken.insert(stem, problem);
                }
            }
        }
        Ok(folder)
    }
}

/// Loads one file, or says in a sentence why not (the details go to the log).
fn load_one(path: &Path) -> std::result::Result<LoadedSurvey, String> {
    let file = path.display();
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let source = std::fs::read_to_string(path).map_err(|e| {
        tracing::error!(%file, error = %e, "survey skipped: cannot be read");
        format!("{name} cannot be read")
    })?;
    let (survey, warnings) = Survey::parse_with_warnings(&source).map_err(|e| {
        let problems = e.problems();
        tracing::error!(%file, count = problems.len(), "survey skipped: the definition has problems");
        for problem in problems {
            tracing::error!(%file, "  {problem}");
        }
        format!("{name} has {} problem(s) (listed in the log)", problems.len())
    })?;
    // Keys the model does not know (a newer field, or a typo) are ignored, as widgets ignore them.
    for warning in &warnings {
        tracing::warn!(%file, "{warning}");
    }
    // The URL `/surveys/{id}.json` must serve the survey with that id, so the file name is the id.
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    if stem != survey.id {
        tracing::error!(%file, id = %survey.id, "survey skipped: the file must be named {}.json", survey.id);
        return Err(format!("{name} holds the survey \"{}\", so it must be named {}.json", survey.id, survey.id));
    }
    tracing::info!(%file, id = %survey.id, version = survey.version, "survey loaded");
    Ok(LoadedSurvey { survey: Arc::new(survey), source, degraded: None })
}

/// Stores a loaded definition's text under its (id, version), so that responses to it can
/// still be checked after the author publishes the next version, or if its file breaks.
async fn remember(store: &Store, survey: &Survey, source: &str) -> Result<()> {
    let (id, version) = (survey.id.as_str(), survey.version);
    match store.record_definition(id, version, source).await? {
        Recorded::New => tracing::info!(id, version, "new survey version recorded"),
        Recorded::Unchanged => {}
        // Only the layout changed (spacing, key order): nothing a response is checked against.
        Recorded::Replaced { previous } if Survey::parse(&previous).is_ok_and(|p| p == *survey) => {
            tracing::info!(id, version, "definition text reformatted; same survey");
        }
        Recorded::Replaced { .. } => tracing::warn!(
            id,
            version,
            "survey {id} version {version} changed but its \"version\" did not: responses \
             written against the earlier text and not yet delivered may now be refused. \
             Raise \"version\" whenever the questions change. The new text now stands for \
             version {version}."
        ),
    }
    Ok(())
}

/// The newest stored version of `id` that this release can parse, with its text.
async fn newest_good_version(store: &Store, id: &str) -> Result<Option<(Survey, String)>> {
    for (version, source) in store.stored_definitions(id).await? {
        match parse_stored(id, version, &source) {
            Ok(survey) => return Ok(Some((survey, source))),
            Err(problem) => tracing::error!(id, version, "{problem}; skipped"),
        }
    }
    Ok(None)
}

/// Parses a stored version, which must name itself: a text that says it is another survey
/// or version would make every response to it look mismatched. Errs with a sentence.
fn parse_stored(id: &str, version: u32, source: &str) -> std::result::Result<Survey, String> {
    match Survey::parse(source) {
        Ok(survey) if survey.id == id && survey.version == version => Ok(survey),
        Ok(survey) => Err(format!("stored version {version} says it is {} version {}", survey.id, survey.version)),
        Err(e) => {
            for problem in e.problems() {
                tracing::error!(id, version, "  {problem}");
            }
            Err(format!("stored version {version} has {} problem(s) (listed in the log)", e.problems().len()))
        }
    }
}

/// Older versions of the definitions, parsed from the database on first use and then kept.
///
/// Unbounded on purpose: its size is the number of versions that responses still arrive for,
/// which an author makes by hand, a few a year. Cloning is cheap and shares the cache.
#[derive(Debug, Clone, Default)]
pub struct History {
    parsed: Arc<Mutex<Parsed>>,
}

/// Parsed definitions by (survey id, version).
type Parsed = HashMap<(String, u32), Arc<Survey>>;

impl History {
    /// The definition of `version` of survey `id` as stored in `store`, or `None` if that
    /// version was never loaded.
    ///
    /// A stored version that no longer parses (a newer model became stricter, say) is the
    /// server's problem, not the sender's: the survey is unavailable (503), so the widget keeps
    /// the response and retries while someone fixes it, rather than being told to drop it.
    pub async fn get(&self, store: &Store, id: &str, version: u32) -> Result<Option<Arc<Survey>>> {
        let key = (id.to_owned(), version);
        if let Some(survey) = self.lock().get(&key) {
            return Ok(Some(Arc::clone(survey)));
        }
        // Not holding the lock across the query: two requests may both parse the same version
        // the first time, which costs a little work and nothing else.
        let Some(source) = store.definition(id, version).await? else {
            return Ok(None);
        };
        let survey = match Survey::parse(&source) {
            Ok(survey) => Arc::new(survey),
            Err(e) => {
                tracing::error!(id, version, count = e.problems().len(), "stored definition does not parse");
                for problem in e.problems() {
                    tracing::error!(id, version, "  {problem}");
                }
                return Err(Error::SurveyUnavailable { id: id.to_owned() });
            }
        };
        // The text is the author's, so it should name itself; if it does not, validating a
        // response against it would report a confusing version mismatch.
        if survey.id != id || survey.version != version {
            tracing::error!(id, version, "stored definition says it is {} version {}", survey.id, survey.version);
            return Err(Error::SurveyUnavailable { id: id.to_owned() });
        }
        self.lock().insert(key, Arc::clone(&survey));
        Ok(Some(survey))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Parsed> {
        // The map is only ever inserted into whole entries; a panic elsewhere cannot leave it
        // half-written, so a poisoned lock is still a good cache.
        self.parsed.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
