//! What a respondent has given so far, as they gave it, and its conversion from a payload.

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

/// Parses `YYYY-MM-DD` into a real calendar date.
pub(crate) fn parse_iso_date(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let y = i32::try_from(y).ok()?;
    is_real_date(y, m, d).then_some((y, m, d))
}

pub(crate) fn is_real_date(y: i32, m: u32, d: u32) -> bool {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=9999).contains(&y) && (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_must_be_real() {
        assert_eq!(parse_iso_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_iso_date("2023-02-29"), None);
        assert_eq!(parse_iso_date("2023-13-01"), None);
        assert_eq!(parse_iso_date("2023-1-01"), None);
        assert_eq!(parse_iso_date("+023-01-01"), None);
    }
}
