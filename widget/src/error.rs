//! The widget's error type. Converted to `JsError` only at the `#[wasm_bindgen]` boundary.

use survey_model::Problem;

/// What can stop a widget from showing its survey.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The host's options (attributes or JS options) are unusable.
    #[error("survey-widget: {}", .0.join("; "))]
    Options(Vec<String>),
    /// The definition breaks the format's rules.
    #[error("survey-widget: the survey definition has problems: {}", problems_text(.0))]
    Definition(Vec<Problem>),
    /// The definition could not be fetched.
    #[error("survey-widget: could not load the survey from {url}: {reason}")]
    Load { url: String, reason: String },
    /// The page's DOM refused an operation (detached element, shadow root not allowed…).
    #[error("survey-widget: {0}")]
    Dom(String),
}

impl Error {
    /// A stable code for the `survey:error` event.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Options(_) => "bad_options",
            Error::Definition(_) => "bad_definition",
            Error::Load { .. } => "definition_unavailable",
            Error::Dom(_) => "dom",
        }
    }
}

fn problems_text(p: &[Problem]) -> String {
    p.iter().map(Problem::to_string).collect::<Vec<_>>().join("; ")
}

impl From<survey_model::Error> for Error {
    fn from(e: survey_model::Error) -> Self {
        Error::Definition(e.problems().to_vec())
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
