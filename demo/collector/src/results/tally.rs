//! Counting the answers, one response at a time: what the charts and tables are drawn from.
//!
//! The store streams the rows ([`Store::filtered_rows`]); each payload is parsed, counted and
//! dropped, so the memory a results page takes depends on the survey's questions and options,
//! never on how many responses it has. Free text is never kept here: a text question only counts
//! how many answered it (its answers are read a page at a time, see `free_text`).

use crate::error::Result;
use crate::export;
use crate::filter::ResultsFilter;
use crate::store::Store;
use serde_json::Value;
use std::collections::BTreeMap;
use survey_model::{Payload, Question, QuestionKind, Survey};

/// What the responses (those a filter let through) add up to, for one survey definition.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Responses counted.
    pub responses: u64,
    /// Responses per survey version they answered.
    pub versions: BTreeMap<u32, u64>,
    /// One per question of the definition that takes an answer, in the survey's order.
    pub questions: Vec<(String, QuestionTally)>,
}

/// The counts for one question. Which fields fill depends on its type; all are plain numbers,
/// so a page that publishes results can render them without any response at hand.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuestionTally {
    /// Responses that answered the question.
    pub answered: u64,
    /// Choice, rating and consent: how many chose each value (its text, `"4"` for a rating,
    /// `"true"` for consent). A list answer counts once per value in it.
    pub values: BTreeMap<String, u64>,
    /// Matrix: how many gave each (row, column) pair. Ranking: how many put each option at each
    /// position (the position as `"1"`, `"2"`…).
    pub cells: BTreeMap<(String, String), u64>,
    /// Rating: the sum of the numbers, for the average.
    pub sum: f64,
    /// A choice question's "other" texts written (the texts themselves are not kept).
    pub other_texts: u64,
}

impl Tally {
    /// Nothing counted yet, with a place for each question of `survey` that takes an answer.
    pub fn new(survey: &Survey) -> Tally {
        let questions = survey
            .questions()
            .filter(|(_, q)| q.kind.takes_answer())
            .map(|(_, q)| (q.id.clone(), QuestionTally::default()))
            .collect();
        Tally { questions, ..Tally::default() }
    }

    /// Counts one response against the definition the tally was made for.
    pub fn add(&mut self, survey: &Survey, payload: &Payload) {
        self.responses += 1;
        *self.versions.entry(payload.survey.version).or_insert(0) += 1;
        for (id, counts) in &mut self.questions {
            let Some(question) = survey.question(id) else { continue };
            if let Some(answer) = payload.answers.get(id.as_str()) {
                counts.add(question, answer);
            }
            if payload.other_text.contains_key(id.as_str()) {
                counts.other_texts += 1;
            }
        }
    }

    /// The counts for question `id`, if the definition has it.
    pub fn question(&self, id: &str) -> Option<&QuestionTally> {
        self.questions.iter().find(|(q, _)| q == id).map(|(_, counts)| counts)
    }
}

impl QuestionTally {
    /// Counts one answer to `question`.
    pub fn add(&mut self, question: &Question, answer: &Value) {
        self.answered += 1;
        match &question.kind {
            QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. } | QuestionKind::Consent { .. } => {
                for value in list_or_one(answer) {
                    *self.values.entry(value_key(value)).or_insert(0) += 1;
                }
            }
            QuestionKind::Rating { .. } => {
                *self.values.entry(value_key(answer)).or_insert(0) += 1;
                self.sum += answer.as_f64().unwrap_or(0.0);
            }
            QuestionKind::Matrix { .. } => {
                for (row, column) in answer.as_object().into_iter().flatten() {
                    *self.cells.entry((row.clone(), value_key(column))).or_insert(0) += 1;
                }
            }
            QuestionKind::Ranking { .. } => {
                for (position, option) in list_or_one(answer).enumerate() {
                    *self.cells.entry((value_key(option), (position + 1).to_string())).or_insert(0) += 1;
                }
            }
            // Free text and dates: only how many answered (above).
            QuestionKind::Text { .. } | QuestionKind::LongText { .. } | QuestionKind::Date { .. } | QuestionKind::Statement => {}
        }
    }

    /// How many chose `value`.
    pub fn count(&self, value: &str) -> u64 {
        self.values.get(value).copied().unwrap_or(0)
    }

    /// How many gave the pair (`row`, `column`).
    pub fn cell(&self, row: &str, column: &str) -> u64 {
        self.cells.get(&(row.to_owned(), column.to_owned())).copied().unwrap_or(0)
    }
}

/// Counts every response to `survey` that `filter` lets through, as the store streams them.
pub async fn count_responses(store: &Store, survey: &Survey, filter: &ResultsFilter) -> Result<Tally> {
    let mut tally = Tally::new(survey);
    let mut rows = store.filtered_rows(&survey.id, filter);
    while let Some(row) = rows.next().await {
        tally.add(survey, &export::parse(&row?)?);
    }
    Ok(tally)
}

/// The values of a list answer, or the answer itself.
fn list_or_one(answer: &Value) -> impl Iterator<Item = &Value> {
    match answer {
        Value::Array(items) => items.iter().collect::<Vec<_>>().into_iter(),
        other => vec![other].into_iter(),
    }
}

/// An answer's value as the text it is counted under: strings as they are, anything else
/// (numbers, `true`) as JSON.
fn value_key(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn question(kind: &str, extra: Value) -> Question {
        let mut q = json!({ "id": "q", "type": kind, "title": "Q" });
        if let (Some(q), Some(extra)) = (q.as_object_mut(), extra.as_object()) {
            q.extend(extra.clone());
        }
        let survey = json!({
            "format": 1, "id": "s", "version": 1, "title": "S", "default_language": "en", "languages": ["en"],
            "pages": [{ "id": "p", "title": "P", "questions": [q] }]
        });
        let survey = Survey::parse(&survey.to_string()).expect("a valid survey");
        survey.question("q").cloned().expect("the question")
    }

    #[test]
    fn list_answers_count_each_value() {
        let q = question("multiple_choice", json!({ "options": [{ "value": "x", "label": "X" }, { "value": "y", "label": "Y" }] }));
        let mut t = QuestionTally::default();
        t.add(&q, &json!(["x", "y"]));
        t.add(&q, &json!(["x"]));
        assert_eq!((t.answered, t.count("x"), t.count("y")), (2, 2, 1));
    }

    #[test]
    fn rankings_count_positions_and_matrices_pairs() {
        let options = json!([{ "value": "a", "label": "A" }, { "value": "b", "label": "B" }]);
        let ranking = question("ranking", json!({ "options": options }));
        let mut t = QuestionTally::default();
        t.add(&ranking, &json!(["b", "a"]));
        t.add(&ranking, &json!(["b", "a"]));
        assert_eq!((t.cell("b", "1"), t.cell("a", "2"), t.cell("a", "1")), (2, 2, 0));
        let matrix = question("matrix", json!({ "rows": options, "columns": [{ "value": "y", "label": "Yes" }] }));
        let mut m = QuestionTally::default();
        m.add(&matrix, &json!({ "a": "y", "b": "y" }));
        assert_eq!((m.cell("a", "y"), m.cell("b", "y")), (1, 1));
    }
}
