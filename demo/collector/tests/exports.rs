//! The admin exports stream, take their CSV columns from the survey's stored definitions, and
//! write numbers as numbers while defusing every text a spreadsheet would run as a formula.
//! (Their memory use over 200,000 responses is measured by `survey-export-bench`; see
//! BENCHMARKS.md.)

mod common;

use axum::http::StatusCode;
use common::*;
use http_body_util::BodyExt as _;
use serde_json::{json, Value};
use std::path::Path;

fn publish(dir: &Path, definition: &Value) {
    let id = definition["id"].as_str().expect("an id");
    std::fs::write(dir.join(format!("{id}.json")), definition.to_string()).expect("written");
}

/// The CSV as a header and rows.
fn csv_rows(text: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().expect("a header row").iter().map(str::to_owned).collect();
    (header, reader.records().collect::<Result<_, _>>().expect("valid CSV"))
}

on_both_engines! {
    async fn exports_arrive_in_chunks_as_the_rows_are_read(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let mut sent = Vec::new();
        for _ in 0..200 {
            let mut payload = valid_payload(&new_id());
            payload["answers"]["improve"] = json!("A long answer. ".repeat(30).trim());
            assert_eq!(send(&app, post_json(&payload)).await.status(), StatusCode::CREATED);
            sent.push(payload);
        }
        for format in ["json", "csv"] {
            let response = send(&app, get_admin(&format!("/admin/surveys/{SURVEY}/responses.{format}"))).await;
            assert_eq!(response.status(), StatusCode::OK);
            assert!(response.headers().get("content-length").is_none(), "{format}: the length is not known up front");
            let mut body = response.into_body();
            let (mut frames, mut bytes) = (0, Vec::new());
            while let Some(frame) = body.frame().await {
                let data = frame.expect("a frame").into_data().expect("data");
                frames += 1;
                bytes.extend_from_slice(&data);
            }
            assert!(frames > 1, "{format}: {} bytes in {frames} frame(s): built whole, not streamed", bytes.len());
            let text = String::from_utf8(bytes).expect("UTF-8");
            if format == "json" {
                let mut stored: Vec<Value> = serde_json::from_str(&text).expect("one JSON array");
                stored.sort_by_key(|p| p["submission_id"].as_str().map(str::to_owned));
                assert_eq!(stored, sent);
            } else {
                assert_eq!(csv_rows(&text).1.len(), sent.len());
            }
        }
    }
}

/// Version 1 asks `visits` and `evenings`; version 2 only `visits`.
fn library(version: u32) -> Value {
    let mut questions = vec![json!({ "id": "visits", "type": "rating", "title": "How often?", "min": 1, "max": 5 })];
    if version == 1 {
        questions.push(json!({ "id": "evenings", "type": "single_choice", "title": "Evenings?",
            "options": [{ "value": "yes", "label": "Yes" }], "other": { "label": "Other" } }));
    }
    json!({ "format": 1, "id": "library", "version": version, "title": "Library", "anonymous": true,
            "hidden_fields": if version == 1 { json!(["campaign"]) } else { json!([]) },
            "pages": [{ "id": "p", "questions": questions }] })
}

on_both_engines! {
    async fn csv_columns_come_from_every_stored_version_even_if_no_row_answers_them(engine) {
        let surveys = tempfile::tempdir().expect("temp dir");
        let env = TestEnv::on_with_surveys(engine, surveys.path().to_owned());
        publish(surveys.path(), &library(1));
        drop(env.state().await);
        publish(surveys.path(), &library(2));
        let app = env.app().await;
        let response = json!({ "format": "survey-response/1", "survey": { "id": "library", "version": 2 },
            "submission_id": new_id(), "submitted_at": "2026-11-22T10:00:00Z", "language": "en",
            "anonymous": true, "answers": { "visits": 3 } });
        assert_eq!(send(&app, post_json(&response)).await.status(), StatusCode::CREATED);

        let text = body_text(send(&app, get_admin("/admin/surveys/library/responses.csv")).await).await;
        let (header, rows) = csv_rows(&text);
        assert_eq!(
            header[6..],
            ["survey_version", "visits", "evenings", "evenings.other", "hidden.campaign", "channel", "context.page_url", "context.referrer", "unlisted"],
            "version 1's question, its other text and its hidden field, though no response has them"
        );
        assert_eq!(rows.len(), 1);
    }
}

fn measures() -> Value {
    json!({ "format": 1, "id": "measures", "title": "Measures", "anonymous": true, "hidden_fields": ["ref"],
            "pages": [{ "id": "p", "questions": [
                { "id": "change", "type": "text", "input": "number", "title": "Change" },
                { "id": "note", "type": "text", "title": "Note" },
                { "id": "more", "type": "long_text", "title": "More" } ] }] })
}

on_both_engines! {
    async fn numbers_are_exported_as_numbers_and_formulas_are_defused_after_leading_space(engine) {
        let surveys = tempfile::tempdir().expect("temp dir");
        publish(surveys.path(), &measures());
        let env = TestEnv::on_with_surveys(engine, surveys.path().to_owned());
        let app = env.app().await;
        let response = json!({ "format": "survey-response/1", "survey": { "id": "measures", "version": 1 },
            "submission_id": new_id(), "submitted_at": "2026-11-22T10:00:00Z", "language": "en",
            "anonymous": true, "answers": { "change": -2.5, "note": "-2.5", "more": "first line\n=cmd|' /C calc'!A0" },
            "hidden": { "ref": " @SUM(1+1)" } });
        let (status, body) = send_json(&app, post_json(&response)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");

        let text = body_text(send(&app, get_admin("/admin/surveys/measures/responses.csv")).await).await;
        let (header, rows) = csv_rows(&text);
        let cell = |name: &str| rows[0][header.iter().position(|h| h == name).expect("a column")].to_owned();
        assert_eq!(cell("change"), "-2.5", "a number answer is a number");
        assert_eq!(cell("note"), "'-2.5", "text that a spreadsheet would compute is text");
        assert_eq!(cell("hidden.ref"), "' @SUM(1+1)", "a formula after a space is still a formula");
        assert_eq!(cell("more"), "first line\n=cmd|' /C calc'!A0", "a cell starting with plain text is left alone");
    }
}
