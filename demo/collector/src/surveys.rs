//! The survey definitions the server knows, read once at startup from `SURVEYS_DIR`.
//!
//! A definition that does not parse is logged with every problem and skipped: one broken file
//! must not take the other surveys down with it. Keys the model does not know are logged as
//! warnings and ignored.
//!
//! The files hold only the current version of each survey, but a widget may deliver a response
//! days after it was written, to a version the author has since replaced. Every version loaded
//! is therefore also kept in the database ([`crate::store::Store::record_definition`]), and
//! [`History`] parses an older one from there when a response names it.
//!
//! A fault on the server is never a refusal. A survey the database has history for whose file
//! is broken or gone (a bad edit, a deploy that lost the folder) is served from the newest good
//! version stored, and reported as degraded by `/healthz`; one with no good version at all is
//! unavailable, and its answers get 503 so that widgets keep them and send them again later.
//! Only a survey id the server has never heard of is refused.

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
    /// `None` when it came from its file; otherwise why the file could not be used, this
    /// being the newest good version stored in the database instead.
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
    /// Reads every `*.json` in `dir`, records each definition that loads in `store`, and falls
    /// back on `store` for every survey it has history for that did not load. Errs only if the
    /// folder itself cannot be read, or the database fails.
    pub async fn load(dir: &Path, store: &Store) -> Result<Catalog> {
        let folder = Folder::read(dir)?;
        let mut surveys = BTreeMap::new();
        for loaded in folder.loaded {
            remember(store, &loaded.survey, &loaded.source).await?;
            surveys.insert(loaded.survey.id.clone(), loaded);
        }
        let mut with_history: BTreeSet<String> = store.known_survey_ids().await?.into_iter().collect();
        with_history.extend(folder.broken.keys().cloned());
        with_history.retain(|id| !surveys.contains_key(id));
        let mut unavailable = BTreeMap::new();
        for id in with_history {
            let problem = folder.broken.get(&id).cloned().unwrap_or_else(|| format!("there is no {id}.json in SURVEYS_DIR"));
            match newest_good_version(store, &id).await? {
                Some((survey, source)) => {
                    let version = survey.version;
                    tracing::warn!(id, version, "{problem}: serving the newest good version stored in the database");
                    let degraded = Some(format!("{problem}; serving version {version} from the database"));
                    surveys.insert(id, LoadedSurvey { survey: Arc::new(survey), source, degraded });
                }
                None => {
                    tracing::error!(id, "{problem}, and the database has no good version of it: its answers get 503 until it is fixed");
                    unavailable.insert(id, problem);
                }
            }
        }
        if surveys.is_empty() {
            tracing::warn!(dir = %dir.display(), "no survey definitions loaded");
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
        match Survey::parse(&source) {
            Ok(survey) if survey.id == id && survey.version == version => return Ok(Some((survey, source))),
            Ok(_) => tracing::error!(id, version, "stored definition names another survey or version; skipped"),
            Err(e) => tracing::error!(id, version, problems = e.problems().len(), "stored definition does not parse; skipped"),
        }
    }
    Ok(None)
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
