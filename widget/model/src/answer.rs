//! What a respondent has given so far, as they gave it, and its conversion from a payload.

use crate::dates::parse_iso_date;
use crate::definition::{InputKind, QuestionKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// One question's answer in the form the respondent gives it. A number is kept as typed text
/// until validation, so "1 200." is not lost while someone is still typing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v", rename_all = "snake_case")]
pub enum Answer {
    /// A single choice: an option value, or `"other"`.
    Choice(String),
    /// A multiple choice, in the order ticked.
    Choices(Vec<String>),
    /// A text, number or long text, as typed.
    Text(String),
    Rating(i64),
    /// Matrix row value → column value.
    Matrix(BTreeMap<String, String>),
    /// Option values, most preferred first.
    Ranking(Vec<String>),
    Date(DateParts),
    Consent(bool),
}

/// A date as three typed fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateParts {
    pub day: String,
    pub month: String,
    pub year: String,
}

/// Every answer given so far, by question id, and the "other" detail texts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answers {
    pub values: BTreeMap<String, Answer>,
    pub other_text: BTreeMap<String, String>,
}

impl Answers {
    /// The answer to a question, if any.
    pub fn get(&self, question: &str) -> Option<&Answer> {
        self.values.get(question)
    }

    /// The "other" detail text of a question, or "".
    pub fn other_text(&self, question: &str) -> &str {
        self.other_text.get(question).map_or("", String::as_str)
    }

    /// Whether nothing at all has been answered.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.other_text.values().all(|t| t.trim().is_empty())
    }
}

impl Answer {
    /// Reads a payload's answer back into the respondent's form, so the collector validates it
    /// with exactly the code the widget used. Errs with what was expected.
    pub fn from_payload(kind: &QuestionKind, v: &Value) -> Result<Answer, &'static str> {
        let string_list = |v: &Value| -> Option<Vec<String>> {
            v.as_array()?.iter().map(|i| i.as_str().map(str::to_owned)).collect()
        };
        match kind {
            QuestionKind::SingleChoice { .. } => {
                v.as_str().map(|s| Answer::Choice(s.into())).ok_or("must be an option value (a string)")
            }
            QuestionKind::MultipleChoice { .. } => {
                string_list(v).map(Answer::Choices).ok_or("must be a list of option values")
            }
            // JSON may write a number as `1e20`; as typed text it is written out in full, which
            // is what the number rules read.
            QuestionKind::Text { input: InputKind::Number, .. } => match v {
                Value::Number(n) => Ok(Answer::Text(match n.as_f64() {
                    Some(f) if n.is_f64() => f.to_string(),
                    _ => n.to_string(),
                })),
                _ => Err("must be a number"),
            },
            QuestionKind::Text { .. } | QuestionKind::LongText { .. } => {
                v.as_str().map(|s| Answer::Text(s.into())).ok_or("must be a string")
            }
            QuestionKind::Rating { .. } => v.as_i64().map(Answer::Rating).ok_or("must be a whole number"),
            QuestionKind::Matrix { .. } => v
                .as_object()
                .and_then(|m| {
                    // Inserted, not collect()ed: collecting into a BTreeMap compiles a sort per
                    // call site (about 3 KB of the widget's Wasm). The map is the same.
                    let mut cells = BTreeMap::new();
                    for (k, c) in m {
                        cells.insert(k.clone(), c.as_str()?.to_owned());
                    }
                    Some(cells)
                })
                .map(Answer::Matrix)
                .ok_or("must be an object of row value to column value"),
            QuestionKind::Ranking { .. } => {
                string_list(v).map(Answer::Ranking).ok_or("must be a list of option values")
            }
            QuestionKind::Date { .. } => {
                let (y, m, d) = v.as_str().and_then(parse_iso_date).ok_or("must be a date written YYYY-MM-DD")?;
                Ok(Answer::Date(DateParts { day: d.to_string(), month: m.to_string(), year: format!("{y:04}") }))
            }
            QuestionKind::Consent { .. } => match v {
                Value::Bool(true) => Ok(Answer::Consent(true)),
                _ => Err("must be true"),
            },
            QuestionKind::Statement => Err("is a statement, which takes no answer"),
        }
    }
}
