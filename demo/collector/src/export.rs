//! Stored responses as a spreadsheet: one CSV row per response, one column per question.
//!
//! Cells are plain text built from the payload. Anything a respondent typed could start with
//! `=` and be run as a formula when the file is opened, so such cells get a leading `'`.

use crate::error::{Error, Result};
use crate::store::StoredResponse;
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::Arc;
use survey_model::{Payload, Question, QuestionKind, Survey};

/// The fixed columns that come before the answers.
pub const LEADING_COLUMNS: [&str; 7] =
    ["reference", "received_at", "submission_id", "submitted_at", "language", "anonymous", "survey_version"];

/// Builds the CSV of every stored response to `survey`, given as [`parse_all`] returns them.
///
/// Responses may answer different versions of the survey. Columns: [`LEADING_COLUMNS`]
/// (`survey_version` says which version a row answered); one per question of the current
/// version in survey order (statements have no answer); then one per question answered only in
/// an older version, in the order of the newest of `older` that asks it (questions no known
/// definition has come last, sorted by id); `{id}.other` for every question with an "other"
/// option and every other-text given, in the same question order; `hidden.{name}` per hidden
/// field, current ones first; `context.page_url`, `context.referrer`. A cell is empty where
/// that response's version did not ask the question.
///
/// `older` are the older definitions known for the versions present, newest first; they only
/// order columns and matrix cells, so a missing one loses nothing.
pub fn responses_csv(
    survey: &Survey,
    older: &[Arc<Survey>],
    parsed: &[(&StoredResponse, Payload)],
) -> Result<Vec<u8>> {
    // Each answer column with the question that describes it, if any definition does.
    let mut columns: Vec<(String, Option<&Question>)> = survey
        .questions()
        .map(|(_, q)| q)
        .filter(|q| q.kind.takes_answer())
        .map(|q| (q.id.clone(), Some(q)))
        .collect();
    let current = columns.len();
    // Columns for data the current definition does not describe (an older version, say) are
    // added rather than dropped: an export must never lose an answer. Decided by column, not
    // by `survey.question`, so an id that is now a statement still gets its old answers a
    // column.
    let mut extra: BTreeSet<String> = parsed
        .iter()
        .flat_map(|(_, p)| p.answers.keys())
        .filter(|k| !columns.iter().any(|(id, _)| id == *k))
        .cloned()
        .collect();
    for old in older {
        for (_, q) in old.questions() {
            if q.kind.takes_answer() && extra.remove(&q.id) {
                columns.push((q.id.clone(), Some(q)));
            }
        }
    }
    columns.extend(extra.into_iter().map(|id| (id, None)));

    let given_other: BTreeSet<&String> = parsed.iter().flat_map(|(_, p)| p.other_text.keys()).collect();
    // The current version's "other" questions always have a column, as before versions
    // mattered; an older question's only if someone used it.
    let mut other_ids: Vec<String> = columns
        .iter()
        .enumerate()
        .filter(|(i, (id, q))| (*i < current && q.is_some_and(has_other)) || given_other.contains(id))
        .map(|(_, (id, _))| id.clone())
        .collect();
    // Other-text for a question that has no answer column (only a malformed payload could
    // send one, but it is stored, so it is exported).
    other_ids.extend(given_other.into_iter().filter(|id| !columns.iter().any(|(c, _)| c == *id)).cloned());

    let mut hidden: Vec<String> = survey.hidden_fields.clone();
    let extra_hidden: BTreeSet<&String> =
        parsed.iter().flat_map(|(_, p)| p.hidden.keys()).filter(|k| !hidden.contains(k)).collect();
    hidden.extend(extra_hidden.into_iter().cloned());

    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = LEADING_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    header.extend(columns.iter().map(|(id, _)| id.clone()));
    header.extend(other_ids.iter().map(|id| format!("{id}.other")));
    header.extend(hidden.iter().map(|name| format!("hidden.{name}")));
    header.extend(["context.page_url".to_owned(), "context.referrer".to_owned()]);
    write_record(&mut writer, header)?;

    for (row, p) in parsed {
        let mut record = vec![
            row.reference.clone(),
            row.received_at.clone(),
            p.submission_id.clone(),
            p.submitted_at.clone(),
            p.language.clone(),
            p.anonymous.to_string(),
            p.survey.version.to_string(),
        ];
        for (id, q) in &columns {
            record.push(p.answers.get(id).map(|v| cell(*q, v)).unwrap_or_default());
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
/// assert_eq!(survey_collector::export::guard_formula("=HYPERLINK(\"x\")".into()), "'=HYPERLINK(\"x\")");
/// assert_eq!(survey_collector::export::guard_formula("plain".into()), "plain");
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
    fn answers_to_a_question_that_is_now_a_statement_still_get_a_column() {
        let now = Survey::parse(
            r#"{"format": 1, "id": "m", "version": 2, "title": "M", "pages": [{"id": "p", "questions": [
                {"id": "q", "type": "statement", "title": "No longer asked"}]}]}"#,
        )
        .expect("valid survey");
        let row = StoredResponse {
            submission_id: "00000000-0000-4000-8000-000000000001".into(),
            reference: "K7Q2-9XMD".into(),
            received_at: "2026-11-22T10:00:00.000Z".into(),
            payload: r#"{"format": "survey-response/1", "survey": {"id": "m", "version": 1},
                "submission_id": "00000000-0000-4000-8000-000000000001",
                "submitted_at": "2026-11-22T10:00:00Z", "language": "en", "anonymous": true,
                "answers": {"q": "kept"}}"#
                .into(),
        };
        let rows = [row];
        let csv = responses_csv(&now, &[], &parse_all(&rows).expect("parses")).expect("exports");
        let text = String::from_utf8(csv).expect("UTF-8");
        let mut lines = text.lines();
        assert!(lines.next().is_some_and(|h| h.split(',').any(|c| c == "q")), "{text}");
        assert!(lines.next().is_some_and(|r| r.contains(",kept,")), "{text}");
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
