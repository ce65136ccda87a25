//! The survey definitions the server knows, read once at startup from `SURVEYS_DIR`.
//!
//! A definition that does not parse is logged with every problem and skipped: one broken file
//! must not take the other surveys down with it.

use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use survey_model::Survey;

/// One loaded definition: the parsed survey, and the file's text exactly as written (served to
/// widgets unchanged, so what they parse is what the author wrote).
#[derive(Debug)]
pub struct LoadedSurvey {
    pub survey: Survey,
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
    let survey = match Survey::parse(&source) {
        Ok(s) => s,
        Err(e) => {
            let problems = e.problems();
            tracing::error!(%file, count = problems.len(), "survey skipped: the definition has problems");
            for problem in problems {
                tracing::error!(%file, "  {problem}");
            }
            return None;
        }
    };
    // The URL `/surveys/{id}.json` must serve the survey with that id, so the file name is the id.
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    if stem != survey.id {
        tracing::error!(%file, id = %survey.id, "survey skipped: the file must be named {}.json", survey.id);
        return None;
    }
    tracing::info!(%file, id = %survey.id, version = survey.version, "survey loaded");
    Some(LoadedSurvey { survey, source })
}
