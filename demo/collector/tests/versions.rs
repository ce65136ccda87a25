//! Responses to older versions of a survey: a widget may deliver a queued response days after
//! it was written, with the same body, after the author published a new version. It must be
//! checked against the version it answered, not refused (and so lost).

mod common;

use axum::http::StatusCode;
use common::binary::{command, Server};
use common::*;
use serde_json::{json, Value};
use std::path::Path;
use std::time::Duration;
use tempfile::TempDir;

const ID: &str = "library-hours";
const CSV_URL: &str = "/admin/surveys/library-hours/responses.csv";
const JSON_URL: &str = "/admin/surveys/library-hours/responses.json";

/// Version 1 asks `visits` and `evenings`; version 2 drops `evenings` and asks `weekend`.
/// `reason` is in both, with one more option in version 2.
fn definition(version: u32) -> String {
    let (extra, more_options) = match version {
        1 => (
            json!({ "id": "evenings", "type": "single_choice", "title": "Would you come in the evening?",
                    "required": true,
                    "options": [{ "value": "yes", "label": "Yes" }, { "value": "no", "label": "No" }] }),
            json!([]),
        ),
        _ => (
            json!({ "id": "weekend", "type": "rating", "title": "How useful would Sunday opening be?",
                    "min": 1, "max": 5 }),
            json!([{ "value": "events", "label": "Events" }]),
        ),
    };
    let mut options = vec![json!({ "value": "books", "label": "Books" }), json!({ "value": "study", "label": "Study" })];
    options.extend(more_options.as_array().cloned().unwrap_or_default());
    let survey = json!({
        "format": 1,
        "id": ID,
        "version": version,
        "title": "Library opening hours",
        "default_language": "en",
        "anonymous": true,
        "pages": [{ "id": "p", "title": "Your visits", "questions": [
            { "id": "visits", "type": "rating", "title": "How often do you visit?", "required": true,
              "min": 1, "max": 5 },
            { "id": "reason", "type": "multiple_choice", "title": "Why do you come?", "options": options },
            extra,
        ] }],
    });
    serde_json::to_string_pretty(&survey).expect("serialisable")
}

/// A response as the widget sends it, to `version`, with these answers.
fn response(submission_id: &str, version: u32, answers: Value) -> Value {
    json!({
        "format": "survey-response/1",
        "survey": { "id": ID, "version": version },
        "submission_id": submission_id,
        "submitted_at": "2026-11-22T10:00:00Z",
        "language": "en",
        "anonymous": true,
        "answers": answers,
    })
}

/// A SURVEYS_DIR holding only this survey, at the given text.
fn surveys_dir() -> TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn publish(dir: &Path, text: &str) {
    std::fs::write(dir.join(format!("{ID}.json")), text).expect("definition written");
}

/// The CSV as a header and rows of named cells.
fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("a header row").iter().map(str::to_owned).collect();
    let rows = reader
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_owned).collect())
        .collect();
    (headers, rows)
}

on_both_engines! {
    async fn a_response_to_an_older_version_is_checked_against_that_version_and_kept(engine) {
        let surveys = surveys_dir();
        publish(surveys.path(), &definition(1));
        let env = TestEnv::on_with_surveys(engine, surveys.path().to_owned());
        let first_run = env.app().await;
        let (status, body) =
            send_json(&first_run, post_json(&response(&new_id(), 1, json!({ "visits": 2, "evenings": "no" })))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        drop(first_run);

        // The author publishes version 2; the server restarts on the same database. Meanwhile a
        // widget still holds a version-1 response in its outbox.
        publish(surveys.path(), &definition(2));
        let app = env.app().await;
        let queued_id = new_id();
        let queued = response(&queued_id, 1, json!({ "visits": 4, "reason": ["study"], "evenings": "yes" }));
        let (status, created) = send_json(&app, post_json(&queued)).await;
        assert_eq!(status, StatusCode::CREATED, "a version-1 response is accepted after version 2 is out: {created}");
        let reference = created["reference"].as_str().expect("a reference").to_owned();

        // Checked against version 1 for real, not waved through: version 2's question and option
        // are unknown to it, and what version 1 requires is still required.
        let mut wrong = response(&new_id(), 1, json!({ "visits": 4, "reason": ["events"], "weekend": 5 }));
        let (status, body) = send_json(&app, post_json(&wrong)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let paths = problem_paths(&body);
        for path in ["answers.weekend", "answers.reason", "answers.evenings"] {
            assert!(paths.iter().any(|p| p == path), "{path} is a problem under version 1: {paths:?}");
        }
        // The same answers are fine for version 2, which is current.
        wrong["survey"]["version"] = json!(2);
        let current_id = new_id();
        wrong["submission_id"] = json!(current_id);
        let (status, body) = send_json(&app, post_json(&wrong)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");

        // A version the server never had is refused, and the problem says which it knows.
        let (status, body) = send_json(&app, post_json(&response(&new_id(), 7, json!({ "visits": 1 })))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(problem_paths(&body), ["survey.version"]);
        let message = body["problems"][0]["message"].as_str().expect("a message");
        assert!(message.contains("is 7") && message.contains("1, 2"), "names the known versions: {message}");

        // The widget's retry of the queued response, days later, with the same body.
        let (status, again) = send_json(&app, post_json(&queued)).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["reference"], reference.as_str());

        // Stored as sent: version 1, its own answers.
        let (status, stored) = send_json(&app, get_admin(JSON_URL)).await;
        assert_eq!(status, StatusCode::OK);
        let stored = stored.as_array().expect("a list").clone();
        assert_eq!(stored.len(), 3, "{stored:?}");
        assert!(stored.contains(&queued), "the queued response is stored exactly as sent: {stored:?}");

        // The CSV has a column for every question either version asked, and each row its own.
        let text = body_text(send(&app, get_admin(CSV_URL)).await).await;
        let (headers, rows) = csv_rows(&text);
        let column = |name: &str| headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("no {name}: {headers:?}"));
        assert_eq!(
            headers[column("survey_version")..column("evenings") + 1],
            ["survey_version", "visits", "reason", "weekend", "evenings"],
            "current questions in order, then the one only version 1 asked"
        );
        let row = |id: &str| {
            rows.iter().find(|r| r[column("submission_id")] == id).unwrap_or_else(|| panic!("no row for {id}"))
        };
        let old = row(&queued_id);
        assert_eq!(old[column("reference")], reference);
        assert_eq!(
            [&old[column("survey_version")], &old[column("visits")], &old[column("reason")], &old[column("weekend")], &old[column("evenings")]],
            ["1", "4", "study", "", "yes"]
        );
        let new = row(&current_id);
        assert_eq!(
            [&new[column("survey_version")], &new[column("reason")], &new[column("weekend")], &new[column("evenings")]],
            ["2", "events", "5", ""]
        );

        // The summary shows the current questions and says how the responses split.
        let response = send(&app, get_admin(&format!("/admin/surveys/{ID}"))).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = body_text(response).await;
        assert!(page.contains("version 1: 2, version 2: 1"), "{page}");
    }
}

on_both_engines! {
    async fn older_versions_are_remembered_across_more_than_one_new_version(engine) {
        let surveys = surveys_dir();
        let env = TestEnv::on_with_surveys(engine, surveys.path().to_owned());
        // Each published in turn, with a restart in between; version 3 is version 2 renumbered.
        for version in [1, 2, 3] {
            publish(surveys.path(), &definition(version));
            drop(env.state().await);
        }
        let app = env.app().await;
        let (status, body) = send_json(&app, post_json(&response(&new_id(), 1, json!({ "visits": 3, "evenings": "no" })))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, body) = send_json(&app, post_json(&response(&new_id(), 2, json!({ "visits": 3, "weekend": 1 })))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, body) = send_json(&app, post_json(&response(&new_id(), 4, json!({ "visits": 3 })))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let message = body["problems"][0]["message"].as_str().expect("a message");
        assert!(message.contains("1, 2, 3"), "{message}");
    }
}

on_both_engines! {
    async fn a_version_changed_without_a_bump_is_kept_as_its_newest_text(engine) {
        let surveys = surveys_dir();
        let env = TestEnv::on_with_surveys(engine, surveys.path().to_owned());
        publish(surveys.path(), &definition(1));
        drop(env.state().await);
        // The author adds an option to version 1 without raising "version", then publishes 2.
        let mut edited: Value = serde_json::from_str(&definition(1)).expect("JSON");
        let reason = &mut edited["pages"][0]["questions"][1];
        assert_eq!(reason["id"], "reason");
        reason["options"].as_array_mut().expect("options").push(json!({ "value": "print", "label": "Printing" }));
        publish(surveys.path(), &edited.to_string());
        drop(env.state().await);
        publish(surveys.path(), &definition(2));
        let app = env.app().await;
        // Only the edited text of version 1 has this option.
        let payload = response(&new_id(), 1, json!({ "visits": 3, "reason": ["print"], "evenings": "yes" }));
        let (status, body) = send_json(&app, post_json(&payload)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
}

#[test]
fn changing_a_version_without_a_bump_is_logged_as_a_warning() {
    const WARNING: &str = "changed but its \"version\" did not";
    let surveys = surveys_dir();
    let data = tempfile::tempdir().expect("temp dir");
    let surveys_path = surveys.path().to_str().expect("a UTF-8 temp path");
    let run = || {
        let mut server = Server::start(command(data.path(), &[("SURVEYS_DIR", surveys_path)]));
        assert!(server.terminate(Duration::from_secs(10)).is_some(), "stops on SIGTERM");
        server.stderr()
    };

    publish(surveys.path(), &definition(1));
    let first = run();
    assert!(!first.contains("did not"), "{first}");
    // Only the layout changes: the same survey, so no warning.
    let compact: Value = serde_json::from_str(&definition(1)).expect("JSON");
    publish(surveys.path(), &compact.to_string());
    let reformatted = run();
    assert!(!reformatted.contains("did not"), "{reformatted}");
    // A question's title changes but the version stays.
    publish(surveys.path(), &definition(1).replace("How often do you visit?", "How often do you come?"));
    let changed = run();
    assert!(changed.contains(WARNING) && changed.contains(ID), "{changed}");
    assert!(changed.contains("WARN"), "{changed}");
}
