//! Stored responses as files: a CSV spreadsheet (one row per response, one column per
//! question) and a JSON array of the payloads, both streamed.
//!
//! A survey may hold a million responses, so an export never holds them all: the store reads the
//! rows one at a time ([`Store::rows`], on either engine), a task encodes each, and hands the
//! body on in chunks through a small channel, so the server's memory stays flat however big the
//! file.
//! That also fixes what the CSV's columns can come from: the survey's definitions (every version
//! the server has stored), not a scan of the rows. Data no definition has a column for (only a
//! payload stored before the server kept definitions could have any) goes, as JSON, into the
//! last column, `unlisted`, so an export never loses an answer.
//!
//! Cells are plain text built from the payload. Anything a respondent typed could start with
//! `=` and be run as a formula when the file is opened, so such text gets a leading `'`; a
//! number answer is a number, and is written as one.

use crate::error::{Error, Result};
use crate::filter::ResultsFilter;
use crate::store::{Store, StoredResponse};
use axum::body::{Body, Bytes};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::sync::Arc;
use survey_model::{Payload, Question, QuestionKind, Survey};
use tokio::sync::mpsc;

/// The fixed columns that come before the answers.
pub const LEADING_COLUMNS: [&str; 7] =
    ["reference", "received_at", "submission_id", "submitted_at", "language", "anonymous", "survey_version"];

/// The fixed columns that come after the answers: the channel the response came through
/// (empty for none), where a non-anonymous one was given, and what has no other column.
pub const TRAILING_COLUMNS: [&str; 4] = ["channel", "context.page_url", "context.referrer", "unlisted"];

/// Bytes gathered before a chunk is handed to the connection.
const CHUNK_BYTES: usize = 64 * 1024;

/// Chunks that may wait between the reading thread and a slow client: with [`CHUNK_BYTES`],
/// at most half a megabyte in flight per export.
const CHUNKS_IN_FLIGHT: usize = 8;

/// Turns stored rows into the bytes of one export format.
pub trait Encoder: Send + 'static {
    /// What comes before the first row.
    fn head(&mut self, out: &mut Vec<u8>) -> Result<()>;
    /// One stored response.
    fn row(&mut self, row: &StoredResponse, out: &mut Vec<u8>) -> Result<()>;
    /// What comes after the last row.
    fn tail(&mut self, out: &mut Vec<u8>) -> Result<()>;
}

/// Streams every stored response to `survey_id` that `filter` lets through, encoded by
/// `encoder`, as a response body.
///
/// Rows arrive one at a time from the store ([`Store::rows`]) and the body follows at the
/// client's pace: a task encodes each row and hands the bytes on in chunks through a small
/// channel, and a client that goes away stops the reading. An error after the first bytes are
/// sent cannot change the status any more, so it is logged and the body is cut off: the client
/// sees a failed download, never a short file that looks complete.
pub fn stream(store: Store, survey_id: String, filter: ResultsFilter, mut encoder: impl Encoder) -> Body {
    let (chunks, mut receiver) = mpsc::channel::<Result<Bytes>>(CHUNKS_IN_FLIGHT);
    tokio::spawn(async move {
        if let Err(e) = write(&store, &survey_id, &filter, &mut encoder, &chunks).await {
            tracing::error!(survey = %survey_id, error = %e, "export failed part way; the download was cut off");
            let _ = chunks.send(Err(e)).await;
        }
    });
    Body::from_stream(futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx)))
}

/// Encodes the whole export into `chunks`; stops early, without an error, if the client went
/// away.
async fn write(
    store: &Store,
    survey_id: &str,
    filter: &ResultsFilter,
    encoder: &mut impl Encoder,
    chunks: &mpsc::Sender<Result<Bytes>>,
) -> Result<()> {
    let mut out = Vec::with_capacity(CHUNK_BYTES);
    encoder.head(&mut out)?;
    let mut rows = store.filtered_rows(survey_id, filter);
    while let Some(row) = rows.next().await {
        encoder.row(&row?, &mut out)?;
        if out.len() >= CHUNK_BYTES && !send(chunks, &mut out).await {
            return Ok(());
        }
    }
    encoder.tail(&mut out)?;
    send(chunks, &mut out).await;
    Ok(())
}

/// Hands on what is in `out`; `false` if nobody is reading any more.
async fn send(chunks: &mpsc::Sender<Result<Bytes>>, out: &mut Vec<u8>) -> bool {
    chunks.send(Ok(Bytes::from(std::mem::take(out)))).await.is_ok()
}

/// The JSON export: an array of the stored payloads, one per line, each exactly in the
/// payload's own shape (docs/submission.md).
#[derive(Debug, Default)]
pub struct JsonArray {
    rows: usize,
}

impl Encoder for JsonArray {
    fn head(&mut self, out: &mut Vec<u8>) -> Result<()> {
        out.push(b'[');
        Ok(())
    }

    fn row(&mut self, row: &StoredResponse, out: &mut Vec<u8>) -> Result<()> {
        // Through `Payload`, so what goes out is the payload's shape even if a row is not.
        let payload = parse(row)?;
        out.extend_from_slice(if self.rows == 0 { b"\n" } else { b",\n" });
        serde_json::to_writer(&mut *out, &payload).map_err(|e| Error::Internal(format!("JSON write failed: {e}")))?;
        self.rows += 1;
        Ok(())
    }

    fn tail(&mut self, out: &mut Vec<u8>) -> Result<()> {
        out.extend_from_slice(b"\n]\n");
        Ok(())
    }
}

/// The CSV export, with its columns fixed up front from the survey's definitions.
pub struct Csv {
    columns: Columns,
}

/// Which answer, other-text and hidden columns a CSV has, in order.
#[derive(Debug, Clone)]
struct Columns {
    /// Each answer column, with the question that describes it (for a matrix's row order).
    answers: Vec<(String, Question)>,
    /// Questions with an "other" option, in answer-column order.
    other: Vec<String>,
    hidden: Vec<String>,
}

impl Csv {
    /// A CSV of responses to `current` and the `older` versions of it (newest first).
    ///
    /// Columns: [`LEADING_COLUMNS`] (`survey_version` says which version a row answered); one
    /// per question of the current version in survey order (statements have no answer); then
    /// one per question only an older version asks, in the order of the newest version that
    /// asks it; `{id}.other` for every question with an "other" option in any version, in the
    /// same order; `hidden.{name}` per hidden field of any version, current ones first; then
    /// [`TRAILING_COLUMNS`]. A cell is empty where that response's version did not ask the
    /// question.
    pub fn new(current: &Survey, older: &[Arc<Survey>]) -> Csv {
        Csv { columns: Columns::new(current, older) }
    }

    /// The header row's names.
    pub fn header(&self) -> Vec<String> {
        let c = &self.columns;
        let mut header: Vec<String> = LEADING_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
        header.extend(c.answers.iter().map(|(id, _)| id.clone()));
        header.extend(c.other.iter().map(|id| format!("{id}.other")));
        header.extend(c.hidden.iter().map(|name| format!("hidden.{name}")));
        header.extend(TRAILING_COLUMNS.iter().map(|c| (*c).to_owned()));
        header
    }

    fn record(&self, row: &StoredResponse, p: &Payload) -> Result<Vec<Cell>> {
        let c = &self.columns;
        let mut record = vec![
            Cell::Text(row.reference.clone()),
            Cell::Text(row.received_at.clone()),
            Cell::Text(p.submission_id.clone()),
            Cell::Text(p.submitted_at.clone()),
            Cell::Text(p.language.clone()),
            Cell::Plain(p.anonymous.to_string()),
            Cell::Plain(p.survey.version.to_string()),
        ];
        for (id, q) in &c.answers {
            record.push(p.answers.get(id).map_or(Cell::Plain(String::new()), |v| cell(Some(q), v)));
        }
        for id in &c.other {
            record.push(Cell::Text(p.other_text.get(id).cloned().unwrap_or_default()));
        }
        for name in &c.hidden {
            record.push(Cell::Text(p.hidden.get(name).cloned().unwrap_or_default()));
        }
        record.push(Cell::Text(p.channel.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default()));
        let context = p.context.clone().unwrap_or_default();
        record.push(Cell::Text(context.page_url));
        record.push(Cell::Text(context.referrer));
        record.push(Cell::Text(self.unlisted(p)?));
        Ok(record)
    }

    /// Whatever in `p` has no column, as a JSON object (empty text when there is nothing).
    fn unlisted(&self, p: &Payload) -> Result<String> {
        let c = &self.columns;
        let mut rest = Map::new();
        let answers: Map<String, Value> =
            p.answers.iter().filter(|(id, _)| !c.answers.iter().any(|(a, _)| a == *id)).map(|(k, v)| (k.clone(), v.clone())).collect();
        let other: Map<String, Value> =
            p.other_text.iter().filter(|(id, _)| !c.other.contains(id)).map(|(k, v)| (k.clone(), Value::from(v.as_str()))).collect();
        let hidden: Map<String, Value> =
            p.hidden.iter().filter(|(name, _)| !c.hidden.contains(name)).map(|(k, v)| (k.clone(), Value::from(v.as_str()))).collect();
        for (key, map) in [("answers", answers), ("other_text", other), ("hidden", hidden)] {
            if !map.is_empty() {
                rest.insert(key.to_owned(), Value::Object(map));
            }
        }
        if rest.is_empty() {
            return Ok(String::new());
        }
        serde_json::to_string(&rest).map_err(|e| Error::Internal(format!("JSON write failed: {e}")))
    }

    /// Appends one record to `out`. A writer per record, since the csv crate does not hand
    /// back what it wrote otherwise; it keeps no state between records here.
    fn write(cells: impl IntoIterator<Item = Cell>, out: &mut Vec<u8>) -> Result<()> {
        let failed = |e: &dyn std::fmt::Display| Error::Internal(format!("CSV write failed: {e}"));
        let mut writer = csv::WriterBuilder::new().buffer_capacity(4096).from_writer(out);
        writer.write_record(cells.into_iter().map(Cell::into_guarded)).map_err(|e| failed(&e))?;
        writer.flush().map_err(|e| failed(&e))
    }
}

impl Encoder for Csv {
    fn head(&mut self, out: &mut Vec<u8>) -> Result<()> {
        Csv::write(self.header().into_iter().map(Cell::Text), out)
    }

    fn row(&mut self, row: &StoredResponse, out: &mut Vec<u8>) -> Result<()> {
        let payload = parse(row)?;
        Csv::write(self.record(row, &payload)?, out)
    }

    fn tail(&mut self, _: &mut Vec<u8>) -> Result<()> {
        Ok(())
    }
}

impl Columns {
    fn new(current: &Survey, older: &[Arc<Survey>]) -> Columns {
        let versions: Vec<&Survey> = std::iter::once(current).chain(older.iter().map(|s| &**s)).collect();
        let mut answers: Vec<(String, Question)> = Vec::new();
        for survey in &versions {
            for (_, q) in survey.questions() {
                // Decided by column, not by `current.question`, so an id that is now a statement
                // still gets a column for its old answers.
                if q.kind.takes_answer() && !answers.iter().any(|(id, _)| *id == q.id) {
                    answers.push((q.id.clone(), q.clone()));
                }
            }
        }
        let other: Vec<String> = answers
            .iter()
            .filter(|(id, _)| versions.iter().any(|s| s.question(id).is_some_and(has_other)))
            .map(|(id, _)| id.clone())
            .collect();
        let mut hidden: Vec<String> = Vec::new();
        for name in versions.iter().flat_map(|s| &s.hidden_fields) {
            if !hidden.contains(name) {
                hidden.push(name.clone());
            }
        }
        Columns { answers, other, hidden }
    }
}

/// One CSV cell: text (which could be a formula, so it is guarded) or not.
enum Cell {
    Text(String),
    /// A number or a boolean, or nothing: written as it is.
    Plain(String),
}

impl Cell {
    fn into_guarded(self) -> String {
        match self {
            Cell::Text(s) => guard_formula(s),
            Cell::Plain(s) => s,
        }
    }
}

/// Parses a stored payload; a row that does not parse is a server fault, not a row to skip.
pub fn parse(row: &StoredResponse) -> Result<Payload> {
    serde_json::from_str::<Payload>(&row.payload).map_err(|e| Error::Internal(unparsable(&row.submission_id, &e)))
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

fn has_other(q: &Question) -> bool {
    matches!(
        q.kind,
        QuestionKind::SingleChoice { other: Some(_), .. } | QuestionKind::MultipleChoice { other: Some(_), .. }
    )
}

/// One answer as a cell: a number or a boolean as itself; text, lists joined with "; ", and a
/// matrix as "row=column; …" in the definition's row order, as text.
fn cell(question: Option<&Question>, value: &Value) -> Cell {
    match value {
        Value::Null => Cell::Plain(String::new()),
        Value::Bool(b) => Cell::Plain(b.to_string()),
        Value::Number(n) => Cell::Plain(n.to_string()),
        other => Cell::Text(text(question, other)),
    }
}

fn text(question: Option<&Question>, value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items.iter().map(|v| text(None, v)).collect::<Vec<_>>().join("; "),
        Value::Object(map) => {
            let mut keys: Vec<&String> = Vec::new();
            if let Some(QuestionKind::Matrix { rows, .. }) = question.map(|q| &q.kind) {
                keys.extend(rows.iter().map(|r| &r.value).filter(|v| map.contains_key(*v)));
            }
            let known: BTreeSet<&String> = keys.iter().copied().collect();
            keys.extend(map.keys().filter(|k| !known.contains(k)));
            keys.iter()
                .map(|k| format!("{k}={}", map.get(*k).map(|v| text(None, v)).unwrap_or_default()))
                .collect::<Vec<_>>()
                .join("; ")
        }
    }
}

/// Defuses spreadsheet formulas (OWASP "CSV injection"): text that a spreadsheet would
/// evaluate gets a leading `'`, which makes it text. Spreadsheets skip leading spaces and line
/// breaks before a formula, so the check does too.
///
/// ```
/// use survey_collector::export::guard_formula;
/// assert_eq!(guard_formula("=HYPERLINK(\"x\")".into()), "'=HYPERLINK(\"x\")");
/// assert_eq!(guard_formula("  @SUM(A1)".into()), "'  @SUM(A1)");
/// assert_eq!(guard_formula("plain".into()), "plain");
/// ```
pub fn guard_formula(s: String) -> String {
    if s.starts_with(['\t', '\r']) || s.trim_start().starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn survey(json: Value) -> Survey {
        Survey::parse(&json.to_string()).expect("valid survey")
    }

    fn matrix_survey() -> Survey {
        survey(json!({"format": 1, "id": "m", "title": "M", "pages": [{"id": "p", "questions": [
            {"id": "grid", "type": "matrix", "title": "Grid",
             "rows": [{"value": "z", "label": "Z"}, {"value": "a", "label": "A"}],
             "columns": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]}]}]}))
    }

    fn row(payload: Value) -> StoredResponse {
        StoredResponse {
            submission_id: "00000000-0000-4000-8000-000000000001".into(),
            reference: "K7Q2-9XMD".into(),
            received_at: "2026-11-22T10:00:00.000Z".into(),
            payload: payload.to_string(),
        }
    }

    fn payload(version: u32, answers: Value) -> Value {
        json!({"format": "survey-response/1", "survey": {"id": "m", "version": version},
               "submission_id": "00000000-0000-4000-8000-000000000001",
               "submitted_at": "2026-11-22T10:00:00Z", "language": "en", "anonymous": true,
               "answers": answers})
    }

    /// The whole CSV of `rows`, as text.
    fn csv(mut encoder: Csv, rows: &[StoredResponse]) -> String {
        let mut out = Vec::new();
        encoder.head(&mut out).expect("head");
        for r in rows {
            encoder.row(r, &mut out).expect("row");
        }
        encoder.tail(&mut out).expect("tail");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn matrix_cells_follow_row_order() {
        let survey = matrix_survey();
        let q = survey.question("grid");
        assert_eq!(text(q, &json!({"a": "no", "z": "yes"})), "z=yes; a=no");
        assert_eq!(text(None, &json!(["a", "b"])), "a; b");
        assert!(matches!(cell(None, &json!(4)), Cell::Plain(s) if s == "4"));
    }

    #[test]
    fn answers_to_a_question_that_is_now_a_statement_keep_their_column_from_the_older_version() {
        let now = survey(json!({"format": 1, "id": "m", "version": 2, "title": "M", "pages": [{"id": "p", "questions": [
            {"id": "q", "type": "statement", "title": "No longer asked"}]}]}));
        let before = survey(json!({"format": 1, "id": "m", "version": 1, "title": "M", "pages": [{"id": "p", "questions": [
            {"id": "q", "type": "text", "title": "Asked"}]}]}));
        let text = csv(Csv::new(&now, &[Arc::new(before)]), &[row(payload(1, json!({"q": "kept"})))]);
        let mut lines = text.lines();
        assert!(lines.next().is_some_and(|h| h.split(',').any(|c| c == "q")), "{text}");
        assert!(lines.next().is_some_and(|r| r.contains(",kept,")), "{text}");
    }

    #[test]
    fn what_no_definition_has_a_column_for_is_kept_in_the_unlisted_column() {
        let now = matrix_survey();
        let text = csv(Csv::new(&now, &[]), &[row(payload(1, json!({"lost": "=not lost", "grid": {"a": "no"}})))]);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header = reader.headers().expect("a header").clone();
        assert_eq!(header.iter().next_back(), Some("unlisted"));
        let record = reader.records().next().expect("a row").expect("valid CSV");
        let unlisted: Value = serde_json::from_str(&record[header.len() - 1]).expect("JSON");
        assert_eq!(unlisted, json!({"answers": {"lost": "=not lost"}}));
        assert_eq!(&record[header.iter().position(|h| h == "grid").expect("grid")], "a=no");
    }

    #[test]
    fn an_unparsable_stored_payload_is_reported_without_its_content() {
        let broken = row(json!({"format": "x", "survey": "secret answer 42"}));
        // serde_json's own messages would quote both: `invalid type: string "secret answer 42"`
        // and ``unknown field `secret` ``.
        let unknown = StoredResponse { payload: r#"{"secret": 1}"#.into(), ..broken.clone() };
        for row in [broken, unknown] {
            let Err(Error::Internal(message)) = parse(&row) else {
                panic!("a broken row is an internal error");
            };
            assert!(message.contains(&row.submission_id), "{message}");
            assert!(!message.contains("secret"), "{message}");
        }
    }

    #[test]
    fn every_formula_start_is_guarded_even_after_leading_whitespace() {
        for start in ["=", "+", "-", "@", "\t", "\r", " =", "\n+", " \t-", "\u{a0}@"] {
            assert_eq!(guard_formula(format!("{start}1")), format!("'{start}1"), "{start:?}");
        }
        assert_eq!(guard_formula(String::new()), "");
        assert_eq!(guard_formula("a=1".into()), "a=1");
        assert_eq!(guard_formula("  plain".into()), "  plain");
    }

    #[test]
    fn numbers_are_written_as_numbers_and_text_that_looks_like_one_is_guarded() {
        let s = survey(json!({"format": 1, "id": "m", "title": "M", "pages": [{"id": "p", "questions": [
            {"id": "n", "type": "text", "input": "number", "title": "N"},
            {"id": "t", "type": "text", "title": "T"}]}]}));
        let text = csv(Csv::new(&s, &[]), &[row(payload(1, json!({"n": -3.5, "t": "-3.5"})))]);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header = reader.headers().expect("a header").clone();
        let record = reader.records().next().expect("a row").expect("valid CSV");
        let at = |name: &str| &record[header.iter().position(|h| h == name).expect("a column")];
        assert_eq!(at("n"), "-3.5");
        assert_eq!(at("t"), "'-3.5");
    }
}
