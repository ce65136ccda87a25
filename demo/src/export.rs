//! Stored responses as a spreadsheet: one CSV row per response, one column per question.
//!
//! Cells are plain text built from the payload. Anything a respondent typed could start with
//! `=` and be run as a formula when the file is opened, so such cells get a leading `'`.

use crate::error::{Error, Result};
use crate::store::StoredResponse;
use serde_json::Value;
use std::collections::BTreeSet;
use survey_model::{Payload, Question, QuestionKind, Survey};

/// The fixed columns that come before the answers.
pub const LEADING_COLUMNS: [&str; 7] =
    ["reference", "received_at", "submission_id", "submitted_at", "language", "anonymous", "survey_version"];

/// Builds the CSV of every stored response to `survey`.
///
/// Columns: [`LEADING_COLUMNS`]; one per question in survey order (statements have no answer);
/// any answered question the current definition no longer has; `{id}.other` for questions with
/// an "other" option; `hidden.{name}` per hidden field; `context.page_url`, `context.referrer`.
pub fn responses_csv(survey: &Survey, rows: &[StoredResponse]) -> Result<Vec<u8>> {
    let parsed = parse_all(rows)?;
    let questions: Vec<&Question> =
        survey.questions().map(|(_, q)| q).filter(|q| q.kind.takes_answer()).collect();

    // Columns for data the current definition does not describe (an older version, say) are
    // added rather than dropped: an export must never lose an answer.
    let mut extra_answers = BTreeSet::new();
    let mut other_ids: Vec<String> = questions.iter().filter(|q| has_other(q)).map(|q| q.id.clone()).collect();
    let mut extra_other = BTreeSet::new();
    let mut hidden: Vec<String> = survey.hidden_fields.clone();
    let mut extra_hidden = BTreeSet::new();
    for (_, p) in &parsed {
        extra_answers.extend(p.answers.keys().filter(|k| survey.question(k).is_none()).cloned());
        extra_other.extend(p.other_text.keys().filter(|k| !other_ids.contains(k)).cloned());
        extra_hidden.extend(p.hidden.keys().filter(|k| !hidden.contains(k)).cloned());
    }
    other_ids.extend(extra_other);
    hidden.extend(extra_hidden);

    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = LEADING_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    header.extend(questions.iter().map(|q| q.id.clone()));
    header.extend(extra_answers.iter().cloned());
    header.extend(other_ids.iter().map(|id| format!("{id}.other")));
    header.extend(hidden.iter().map(|name| format!("hidden.{name}")));
    header.extend(["context.page_url".to_owned(), "context.referrer".to_owned()]);
    write_record(&mut writer, header)?;

    for (row, p) in &parsed {
        let mut record = vec![
            row.reference.clone(),
            row.received_at.clone(),
            p.submission_id.clone(),
            p.submitted_at.clone(),
            p.language.clone(),
            p.anonymous.to_string(),
            p.survey.version.to_string(),
        ];
        for q in &questions {
            record.push(p.answers.get(&q.id).map(|v| cell(Some(q), v)).unwrap_or_default());
        }
        for id in &extra_answers {
            record.push(p.answers.get(id).map(|v| cell(None, v)).unwrap_or_default());
        }
        for id in &other_ids {
            record.push(p.other_text.get(id).cloned().unwrap_or_default());
        }
        for name in &hidden {
            record.push(p.hidden.get(name).cloned().unwrap_or_default());
        }
        let context = p.context.clone().unwrap_or_default();
        record.push(context.page_url);
        record.push(context.referrer);
        write_record(&mut writer, record)?;
    }
    writer.into_inner().map_err(|e| Error::Internal(format!("CSV flush failed: {e}")))
}

/// Parses every stored payload; a row that does not parse is a server fault, not a row to skip.
pub fn parse_all(rows: &[StoredResponse]) -> Result<Vec<(&StoredResponse, Payload)>> {
    rows.iter()
        .map(|row| {
            serde_json::from_str::<Payload>(&row.payload)
                .map(|p| (row, p))
                .map_err(|e| Error::Internal(unparsable(&row.submission_id, &e)))
        })
        .collect()
}

/// Says where a stored payload stopped parsing, but not why: serde's message quotes the
/// offending value (`invalid type: string "…"`), which would put a respondent's answer in the
/// log.
fn unparsable(submission_id: &str, e: &serde_json::Error) -> String {
    format!(
        "stored payload {submission_id} does not parse ({:?} error at line {}, column {})",
        e.classify(),
        e.line(),
        e.column()
    )
}

fn write_record(writer: &mut csv::Writer<Vec<u8>>, record: Vec<String>) -> Result<()> {
    writer
        .write_record(record.into_iter().map(guard_formula))
        .map_err(|e| Error::Internal(format!("CSV write failed: {e}")))
}

fn has_other(q: &Question) -> bool {
    matches!(
        q.kind,
        QuestionKind::SingleChoice { other: Some(_), .. } | QuestionKind::MultipleChoice { other: Some(_), .. }
    )
}

/// One answer as cell text: lists joined with "; ", a matrix as "row=column; …" in the
/// definition's row order.
fn cell(question: Option<&Question>, value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items.iter().map(|v| cell(None, v)).collect::<Vec<_>>().join("; "),
        Value::Object(map) => {
            let mut keys: Vec<&String> = Vec::new();
            if let Some(QuestionKind::Matrix { rows, .. }) = question.map(|q| &q.kind) {
                keys.extend(rows.iter().map(|r| &r.value).filter(|v| map.contains_key(*v)));
            }
            let known: BTreeSet<&String> = keys.iter().copied().collect();
            keys.extend(map.keys().filter(|k| !known.contains(k)));
            keys.iter()
                .map(|k| format!("{k}={}", map.get(*k).map(|v| cell(None, v)).unwrap_or_default()))
                .collect::<Vec<_>>()
                .join("; ")
        }
    }
}

/// Defuses spreadsheet formulas (OWASP "CSV injection"): a cell that a spreadsheet would
/// evaluate gets a leading `'`, which makes it text.
///
/// ```
/// assert_eq!(survey_demo::export::guard_formula("=HYPERLINK(\"x\")".into()), "'=HYPERLINK(\"x\")");
/// assert_eq!(survey_demo::export::guard_formula("plain".into()), "plain");
/// ```
pub fn guard_formula(s: String) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn matrix_survey() -> Survey {
        Survey::parse(
            r#"{"format": 1, "id": "m", "title": "M", "pages": [{"id": "p", "questions": [
                {"id": "grid", "type": "matrix", "title": "Grid",
                 "rows": [{"value": "z", "label": "Z"}, {"value": "a", "label": "A"}],
                 "columns": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]}]}]}"#,
        )
        .expect("valid survey")
    }

    #[test]
    fn matrix_cells_follow_row_order() {
        let survey = matrix_survey();
        let q = survey.question("grid");
        assert_eq!(cell(q, &json!({"a": "no", "z": "yes"})), "z=yes; a=no");
        assert_eq!(cell(None, &json!(["a", "b"])), "a; b");
        assert_eq!(cell(None, &json!(4)), "4");
    }

    #[test]
    fn an_unparsable_stored_payload_is_reported_without_its_content() {
        let row = StoredResponse {
            submission_id: "00000000-0000-4000-8000-000000000001".into(),
            reference: "K7Q2-9XMD".into(),
            received_at: "2026-11-22T10:00:00.000Z".into(),
            payload: r#"{"format": "x", "survey": "secret answer 42"}"#.into(),
        };
        // serde_json's own messages would quote both: `invalid type: string "secret answer 42"`
        // and ``unknown field `secret` ``.
        let unknown = StoredResponse { payload: r#"{"secret": 1}"#.into(), ..row.clone() };
        for row in [row, unknown] {
            let Err(Error::Internal(message)) = parse_all(std::slice::from_ref(&row)) else {
                panic!("a broken row is an internal error");
            };
            assert!(message.contains(&row.submission_id), "{message}");
            assert!(!message.contains("secret"), "{message}");
        }
    }

    #[test]
    fn every_formula_start_is_guarded() {
        for start in ["=", "+", "-", "@", "\t", "\r"] {
            assert_eq!(guard_formula(format!("{start}1")), format!("'{start}1"));
        }
        assert_eq!(guard_formula(String::new()), "");
        assert_eq!(guard_formula("a=1".into()), "a=1");
    }
}
