//! Problems found in outside input, and the crate's error type.

use std::fmt;

/// One thing wrong with a definition or a payload (or, as a warning, ignored in a definition),
/// located by its JSON path.
///
/// ```
/// let p = survey_model::Problem::new("pages[1].questions[3].options", "must not be empty");
/// assert_eq!(p.to_string(), "pages[1].questions[3].options: must not be empty");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// JSON path of the offending value, such as `pages[0].questions[2].id`; empty for the root.
    pub path: String,
    /// What is wrong, in plain English.
    pub message: String,
}

impl Problem {
    /// A problem at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { path: path.into(), message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Error {
    /// The survey definition breaks the format's rules; every problem is listed.
    #[error("the survey definition has {} problem(s): {}", .0.len(), join(.0))]
    Definition(Vec<Problem>),
    /// A posted payload is malformed or does not fit its survey; every problem is listed.
    #[error("the response has {} problem(s): {}", .0.len(), join(.0))]
    Payload(Vec<Problem>),
}

impl Error {
    /// The individual problems, whichever kind of input they came from.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Definition(p) | Error::Payload(p) => p,
        }
    }
}

fn join(problems: &[Problem]) -> String {
    problems.iter().map(Problem::to_string).collect::<Vec<_>>().join("; ")
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
