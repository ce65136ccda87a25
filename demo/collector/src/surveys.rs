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

use crate::error::{Error, Result};
use crate::store::Store;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use survey_model::Survey;

/// One loaded definition: the parsed survey, and the file's text exactly as written (served to
/// widgets unchanged, so what they parse is what the author wrote).
#[derive(Debug)]
pub struct LoadedSurvey {
    /// Shared, so that a handler can hold the current version and an older one the same way.
    pub survey: Arc<Survey>,
    pub source: String,
}

/// Every loaded survey by id. Cloning is cheap.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    surveys: Arc<BTreeMap<String, LoadedSurvey>>,
}

impl Catalog {
    /// Reads every `*.json` in `dir`. Errs only if the folder itself cannot be read.
    pub fn load(dir: &Path) -> Result<Catalog> {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| Error::io(format!("SURVEYS_DIR {} cannot be read", dir.display()), e))?;
        let mut paths = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(format!("SURVEYS_DIR {} cannot be read", dir.display()), e))?;
            let path = entry.path();
            if path.extension().is_some_and(|ext| ext == "json") && path.is_file() {
                paths.push(path);
            }
        }
        paths.sort();
        let mut surveys = BTreeMap::new();
        for path in paths {
            if let Some(loaded) = load_one(&path) {
                surveys.insert(loaded.survey.id.clone(), loaded);
            }
        }
        if surveys.is_empty() {
            tracing::warn!(dir = %dir.display(), "no survey definitions loaded");
        }
        Ok(Catalog { surveys: Arc::new(surveys) })
    }

    /// The survey with this id.
    pub fn get(&self, id: &str) -> Option<&LoadedSurvey> {
        self.surveys.get(id)
    }

    /// Every loaded survey, by id.
    pub fn iter(&self) -> impl Iterator<Item = &LoadedSurvey> {
        self.surveys.values()
    }

    /// The ids of every loaded survey, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.surveys.keys().map(String::as_str)
    }

    /// How many surveys are loaded.
    pub fn len(&self) -> usize {
        self.surveys.len()
    }

    /// Whether no survey is loaded.
    pub fn is_empty(&self) -> bool {
        self.surveys.is_empty()
    }
}

fn load_one(path: &Path) -> Option<LoadedSurvey> {
    let file = path.display();
    let source = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(%file, error = %e, "survey skipped: cannot be read");
            return None;
        }
    };
    let (survey, warnings) = match Survey::parse_with_warnings(&source) {
        Ok(parsed) => parsed,
        Err(e) => {
            let problems = e.problems();
            tracing::error!(%file, count = problems.len(), "survey skipped: the definition has problems");
            for problem in problems {
                tracing::error!(%file, "  {problem}");
            }
            return None;
        }
    };
    // Keys the model does not know (a newer field, or a typo) are ignored, as widgets ignore them.
    for warning in &warnings {
        tracing::warn!(%file, "{warning}");
    }
    // The URL `/surveys/{id}.json` must serve the survey with that id, so the file name is the id.
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    if stem != survey.id {
        tracing::error!(%file, id = %survey.id, "survey skipped: the file must be named {}.json", survey.id);
        return None;
    }
    tracing::info!(%file, id = %survey.id, version = survey.version, "survey loaded");
    Some(LoadedSurvey { survey: Arc::new(survey), source })
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
    /// server's problem, not the sender's: it is an internal error, so the widget keeps the
    /// response and retries while someone fixes it, rather than being told to drop it.
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
                for problem in e.problems() {
                    tracing::error!(id, version, "  {problem}");
                }
                return Err(Error::Internal(format!(
                    "stored definition {id} version {version} does not parse ({} problem(s))",
                    e.problems().len()
                )));
            }
        };
        // The text is the author's, so it should name itself; if it does not, validating a
        // response against it would report a confusing version mismatch.
        if survey.id != id || survey.version != version {
            return Err(Error::Internal(format!(
                "stored definition {id} version {version} says it is {} version {}",
                survey.id, survey.version
            )));
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
