//! What a browser fetches: definitions, the standalone page, the bundle, the demo site.

mod common;

use axum::http::{header, StatusCode};
use common::*;
use std::path::Path;
use survey_demo::html::CSP;

#[tokio::test]
async fn healthz_is_ok_once_ready() {
    let env = TestEnv::new();
    let response = send(&env.app(), get("/healthz")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_text(response).await, "ok");
}

#[tokio::test]
async fn definitions_are_served_as_written() {
    let env = TestEnv::new();
    let app = env.app();
    let response = send(&app, get("/surveys/digital-engagement.json")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache");
    let written = std::fs::read_to_string(demo_surveys().join("digital-engagement.json")).expect("readable");
    assert_eq!(body_text(response).await, written);

    for uri in ["/surveys/nope.json", "/surveys/digital-engagement", "/surveys/digital-engagement.txt"] {
        let (status, body) = send_json(&app, get(uri)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(body["error"], "not_found");
    }
}

/// A copy of the demo survey under another id and title.
fn survey_named(id: &str, title: &str) -> String {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(demo_surveys().join("digital-engagement.json")).expect("readable"))
            .expect("valid JSON");
    v["id"] = id.into();
    v["title"] = title.into();
    v.to_string()
}

fn surveys_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

#[tokio::test]
async fn a_broken_definition_is_skipped_and_the_others_load() {
    let good = std::fs::read_to_string(demo_surveys().join("digital-engagement.json")).expect("readable");
    let dir = surveys_dir(&[
        ("digital-engagement.json", &good),
        ("broken.json", r#"{"format": 1, "id": "broken", "title": "B", "pages": []}"#),
        ("not-json.json", "{"),
        ("misnamed.json", &survey_named("other-id", "Misnamed")),
        ("notes.txt", "not a definition"),
    ]);
    let env = TestEnv::with_surveys(dir.path().to_owned());
    let state = env.state();
    assert_eq!(state.surveys.ids().collect::<Vec<_>>(), ["digital-engagement"]);
    let app = survey_demo::app(state);
    assert_eq!(send(&app, get("/surveys/digital-engagement.json")).await.status(), StatusCode::OK);
    for uri in ["/surveys/broken.json", "/surveys/misnamed.json", "/surveys/other-id.json"] {
        assert_eq!(send(&app, get(uri)).await.status(), StatusCode::NOT_FOUND, "{uri}");
    }
    assert_eq!(send(&app, post_json(&valid_payload(&new_id()))).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_missing_surveys_dir_is_a_startup_error() {
    let env = TestEnv::with_surveys(Path::new("/nonexistent/surveys").to_owned());
    let err = survey_demo::AppState::new(env.config.clone()).err().expect("refused");
    assert!(err.to_string().contains("SURVEYS_DIR"), "{err}");
}

fn assert_security_headers(headers: &axum::http::HeaderMap, what: &str) {
    assert_eq!(headers[header::CONTENT_SECURITY_POLICY], CSP, "{what}");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{what}");
    assert_eq!(headers[header::REFERRER_POLICY], "strict-origin-when-cross-origin", "{what}");
}

#[tokio::test]
async fn the_standalone_page_embeds_the_widget_as_documented() {
    let env = TestEnv::new();
    let app = env.app();
    let response = send(&app, get("/s/digital-engagement")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_security_headers(response.headers(), "/s/");
    let html = body_text(response).await;
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(html.contains("<title>Help us improve how we talk with you online</title>"), "{html}");
    assert!(html.contains(r#"<script src="/survey-widget/survey-widget.js" async></script>"#), "{html}");
    assert!(
        html.contains(r#"<survey-widget src="/surveys/digital-engagement.json" endpoint="/api/responses"></survey-widget>"#),
        "{html}"
    );
    assert!(!html.contains("style="), "no inline styles");
    assert_eq!(html.matches("<script").count(), 1, "only the loader script: {html}");

    let (status, body) = send_json(&app, get("/s/nope")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "not_found");
}

#[tokio::test]
async fn the_standalone_page_escapes_the_title() {
    let dir = surveys_dir(&[("fish_chips.json", &survey_named("fish_chips", "Fish & <chips> \"now\""))]);
    let env = TestEnv::with_surveys(dir.path().to_owned());
    let html = body_text(send(&env.app(), get("/s/fish_chips")).await).await;
    assert!(html.contains("<title>Fish &amp; &lt;chips&gt; &quot;now&quot;</title>"), "{html}");
    assert!(!html.contains("<chips>"));
}

#[tokio::test]
async fn html_responses_carry_the_security_headers() {
    let env = TestEnv::new();
    let app = env.app();
    for uri in ["/", "/index.html", "/privacy.html", "/s/digital-engagement"] {
        let response = send(&app, get(uri)).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert!(response.headers()[header::CONTENT_TYPE].to_str().expect("ascii").starts_with("text/html"), "{uri}");
        assert_security_headers(response.headers(), uri);
    }
    let json = send(&app, get("/surveys/digital-engagement.json")).await;
    assert_eq!(json.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
}

#[tokio::test]
async fn the_demo_site_has_no_inline_styles_or_scripts() {
    for entry in std::fs::read_dir(demo_site()).expect("site folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&path).expect("readable");
            assert!(!html.contains("style="), "{}", path.display());
            assert!(!html.contains("<style"), "{}", path.display());
            // A script is inline unless its opening tag names a file, wherever `src` stands.
            for script in html.split("<script").skip(1) {
                let opening = script.split('>').next().unwrap_or("");
                assert!(opening.contains(" src="), "inline script in {}", path.display());
            }
        }
    }
}

#[tokio::test]
async fn the_bundle_is_served_with_the_right_types() {
    let env = TestEnv::new();
    let app = env.app();
    let wasm = send(&app, get("/survey-widget/survey_widget_bg.wasm")).await;
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(wasm.headers()[header::CONTENT_TYPE], "application/wasm");
    let js = send(&app, get("/survey-widget/survey-widget.js")).await;
    assert_eq!(js.status(), StatusCode::OK);
    assert!(js.headers()[header::CONTENT_TYPE].to_str().expect("ascii").contains("javascript"));
    assert_eq!(js.headers()[header::CACHE_CONTROL], "no-cache");
    assert_eq!(body_text(js).await, "/* loader */");
    assert_eq!(send(&app, get("/survey-widget/missing.js")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(send(&app, get("/survey-widget/../Cargo.toml")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(send(&app, get("/no-such-page.html")).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_servers_stylesheet_is_served() {
    let env = TestEnv::new();
    let response = send(&env.app(), get(survey_demo::html::STYLESHEET_PATH)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()[header::CONTENT_TYPE].to_str().expect("ascii").starts_with("text/css"));
}
