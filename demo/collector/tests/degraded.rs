//! A fault on the server is not a refusal: a survey whose file in SURVEYS_DIR is broken by an
//! edit keeps taking answers against the newest good version stored in the database, and
//! `/healthz` says so; with no good version at all its answers get 503, so widgets keep them.
//! A file or a whole folder gone is no fault at all: the database is the source of truth, and
//! SURVEYS_DIR only an import. Only an id the collector has never heard of is refused (422).

mod common;

use axum::http::{header, StatusCode};
use common::*;
use serde_json::{json, Value};
use std::path::Path;

/// The demo survey's text, as published.
fn demo_text() -> String {
    std::fs::read_to_string(demo_surveys().join(format!("{SURVEY}.json"))).expect("readable")
}

/// A SURVEYS_DIR holding the demo survey, and the settings around it.
fn published(engine: Engine) -> (tempfile::TempDir, TestEnv) {
    let surveys = tempfile::tempdir().expect("temp dir");
    std::fs::write(surveys.path().join(format!("{SURVEY}.json")), demo_text()).expect("written");
    let env = TestEnv::on_with_surveys(engine, surveys.path().to_owned());
    (surveys, env)
}

/// Runs the collector once on these settings and stores one response, so the database has
/// history for the survey.
async fn first_run(env: &TestEnv) {
    let app = env.app().await;
    let (status, body) = send_json(&app, post_json(&valid_payload(&new_id()))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

async fn healthz(app: &axum::Router) -> Value {
    let response = send(app, get("/healthz")).await;
    assert_eq!(response.status(), StatusCode::OK, "one bad survey does not make the instance unhealthy");
    body_json(response).await
}

on_both_engines! {
    async fn a_definition_broken_after_a_restart_is_served_from_its_last_good_version(engine) {
        let (surveys, env) = published(engine);
        first_run(&env).await;

        // The author saves a half-written edit, and the collector restarts.
        let file = surveys.path().join(format!("{SURVEY}.json"));
        std::fs::write(&file, r#"{"format": 1, "id": "digital-engagement", "title": "#).expect("written");
        let app = env.app().await;

        // Answers still arrive, and are still checked, against the version stored before.
        let (status, body) = send_json(&app, post_json(&valid_payload(&new_id()))).await;
        assert_eq!(status, StatusCode::CREATED, "a widget's answers are not refused for the server's fault: {body}");
        let mut wrong = valid_payload(&new_id());
        wrong["answers"]["ease"] = json!(9);
        let (status, body) = send_json(&app, post_json(&wrong)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "still validated: {body}");
        assert_eq!(problem_paths(&body), ["answers.ease"]);

        // Widgets loading it get the good text, not the broken one.
        let response = send(&app, get(&format!("/surveys/{SURVEY}.json"))).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(body_text(response).await, demo_text());

        let health = healthz(&app).await;
        let degraded = &health["degraded"];
        assert_eq!(degraded.as_array().map(Vec::len), Some(1), "{health}");
        assert_eq!(degraded[0]["id"], SURVEY);
        assert_eq!(degraded[0]["serving_version"], 1);
        let problem = degraded[0]["problem"].as_str().expect("a sentence");
        assert!(problem.contains("digital-engagement.json has") && problem.contains("version 1"), "{problem}");
        assert!(!problem.contains(&surveys.path().display().to_string()), "no paths in a public answer: {problem}");

        // The broken file replaced nothing: fixed, the survey is served from its file again.
        std::fs::write(&file, demo_text()).expect("written");
        let app = env.app().await;
        assert_eq!(healthz(&app).await, json!({ "status": "ok", "degraded": [] }));
        assert_eq!(send(&app, post_json(&valid_payload(&new_id()))).await.status(), StatusCode::CREATED);
    }
}

on_both_engines! {
    async fn an_empty_surveys_dir_keeps_every_known_survey_taking_answers(engine) {
        let (surveys, env) = published(engine);
        first_run(&env).await;
        // A deploy that lost the folder's contents: the database still has every version.
        std::fs::remove_file(surveys.path().join(format!("{SURVEY}.json"))).expect("removed");
        let app = env.app().await;

        let (status, body) = send_json(&app, post_json(&valid_payload(&new_id()))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let response = send(&app, get(&format!("/surveys/{SURVEY}.json"))).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(body_text(response).await, demo_text(), "served from the database as stored");
        assert_eq!(healthz(&app).await, json!({ "status": "ok", "degraded": [] }), "a survey needs no file");
        // Still in the admin pages, so its answers can be read and exported.
        let (status, stored) = send_json(&app, get_admin(&format!("/admin/surveys/{SURVEY}/responses.json"))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(stored.as_array().map(Vec::len), Some(2));
    }
}

on_both_engines! {
    async fn a_known_survey_with_no_good_version_answers_503_and_an_unknown_one_422(engine) {
        let (surveys, env) = published(engine);
        first_run(&env).await;
        // The file is gone, and the stored text cannot be used either (as if a newer model had
        // become stricter than the one that stored it).
        std::fs::remove_file(surveys.path().join(format!("{SURVEY}.json"))).expect("removed");
        env.execute("UPDATE definitions SET source = '{\"format\": 1}'").await;
        let app = env.app().await;

        let response = send(&app, post_json(&valid_payload(&new_id()))).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "the widget keeps the answers and retries");
        assert!(response.headers().contains_key(header::RETRY_AFTER));
        assert_eq!(body_json(response).await["error"], "survey_unavailable");
        assert_eq!(send(&app, get(&format!("/surveys/{SURVEY}.json"))).await.status(), StatusCode::SERVICE_UNAVAILABLE);

        let health = healthz(&app).await;
        assert_eq!(health["degraded"][0]["id"], SURVEY, "{health}");
        assert_eq!(health["degraded"][0]["serving_version"], Value::Null);

        // What was stored can still be read.
        let (status, stored) = send_json(&app, get_admin(&format!("/admin/surveys/{SURVEY}/responses.json"))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(stored.as_array().map(Vec::len), Some(1));

        // An id the collector never had is still not a survey it collects.
        let mut unknown = valid_payload(&new_id());
        unknown["survey"]["id"] = json!("never-heard-of");
        let (status, body) = send_json(&app, post_json(&unknown)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem_paths(&body), ["survey.id"]);
    }
}

on_both_engines! {
    async fn a_broken_file_for_a_new_survey_is_reported_and_its_answers_wait(engine) {
        let (surveys, env) = published(engine);
        let broken: &Path = &surveys.path().join("new-survey.json");
        std::fs::write(broken, "{").expect("written");
        let app = env.app().await;
        let health = healthz(&app).await;
        assert_eq!(health["degraded"][0]["id"], "new-survey", "{health}");
        let mut payload = valid_payload(&new_id());
        payload["survey"]["id"] = json!("new-survey");
        assert_eq!(send(&app, post_json(&payload)).await.status(), StatusCode::SERVICE_UNAVAILABLE);
    }
}
