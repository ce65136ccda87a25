//! What a browser fetches: definitions, the standalone page, the bundle, the front page.

mod common;

use axum::http::{header, StatusCode};
use common::*;
use std::path::Path;
use survey_collector::html::CSP;

on_both_engines! {
    async fn healthz_is_ok_once_ready(engine) {
        let env = TestEnv::on(engine);
        let response = send(&env.app().await, get("/healthz")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        assert_eq!(body_json(response).await, serde_json::json!({ "status": "ok", "degraded": [] }));
    }
}

on_both_engines! {
    async fn definitions_are_served_as_written(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let response = send(&app, get("/surveys/digital-engagement.json")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache");
        assert_cross_origin(response.headers(), "definition");
        let written = std::fs::read_to_string(demo_surveys().join("digital-engagement.json")).expect("readable");
        assert_eq!(body_text(response).await, written);

        for uri in ["/surveys/nope.json", "/surveys/digital-engagement", "/surveys/digital-engagement.txt"] {
            let (status, body) = send_json(&app, get(uri)).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
            assert_eq!(body["error"], "not_found");
        }
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

on_both_engines! {
    async fn a_broken_definition_is_skipped_and_the_others_load(engine) {
        let good = std::fs::read_to_string(demo_surveys().join("digital-engagement.json")).expect("readable");
        let dir = surveys_dir(&[
            ("digital-engagement.json", &good),
            ("broken.json", r#"{"format": 1, "id": "broken", "title": "B", "pages": []}"#),
            ("not-json.json", "{"),
            ("misnamed.json", &survey_named("other-id", "Misnamed")),
            ("notes.txt", "not a definition"),
        ]);
        let env = TestEnv::on_with_surveys(engine, dir.path().to_owned());
        let state = env.state().await;
        assert_eq!(state.surveys.ids().collect::<Vec<_>>(), ["digital-engagement"]);
        let app = survey_collector::app(state);
        assert_eq!(send(&app, get("/surveys/digital-engagement.json")).await.status(), StatusCode::OK);
        // A file that is there but broken names a survey that cannot be served now: "later", not
        // "no such survey" (tests/degraded.rs has the rest).
        for uri in ["/surveys/broken.json", "/surveys/not-json.json", "/surveys/misnamed.json"] {
            assert_eq!(send(&app, get(uri)).await.status(), StatusCode::SERVICE_UNAVAILABLE, "{uri}");
        }
        assert_eq!(send(&app, get("/surveys/other-id.json")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(send(&app, post_json(&valid_payload(&new_id()))).await.status(), StatusCode::CREATED);
        let health = body_json(send(&app, get("/healthz")).await).await;
        let degraded: Vec<&str> =
            health["degraded"].as_array().expect("a list").iter().filter_map(|d| d["id"].as_str()).collect();
        assert_eq!(degraded, ["broken", "misnamed", "not-json"], "{health}");
    }
}

on_both_engines! {
    async fn a_missing_surveys_dir_is_a_startup_error(engine) {
        let env = TestEnv::on_with_surveys(engine, Path::new("/nonexistent/surveys").to_owned());
        let err = survey_collector::AppState::new(env.config.clone()).await.err().expect("refused");
        assert!(err.to_string().contains("SURVEYS_DIR"), "{err}");
    }
}

fn assert_security_headers(headers: &axum::http::HeaderMap, what: &str) {
    assert_eq!(headers[header::CONTENT_SECURITY_POLICY], CSP, "{what}");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{what}");
    assert_eq!(headers[header::REFERRER_POLICY], "strict-origin-when-cross-origin", "{what}");
}

on_both_engines! {
    async fn the_standalone_page_embeds_the_widget_as_documented(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let response = send(&app, get("/s/digital-engagement")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_security_headers(response.headers(), "/s/");
        let html = body_text(response).await;
        assert!(html.contains("<html lang=\"en\">"), "{html}");
        assert!(html.contains("<title>Help us improve how we talk with you online</title>"), "{html}");
        assert!(html.contains(r#"<script src="/survey-widget/survey-widget.js" async></script>"#), "{html}");
        // The heading and introduction inside are shown until the widget renders (tests/public.rs).
        // Visits to the page itself are counted under the channel `link`, or the link's own.
        assert!(
            html.contains(
                r#"<survey-widget src="/surveys/digital-engagement.json" endpoint="/api/responses" heading-level="1" channel="link">"#
            ),
            "{html}"
        );
        for (query, channel) in [("?channel=Facebook", "facebook"), ("?channel=a%20b", "link"), ("?channel=", "link")] {
            let html = body_text(send(&app, get(&format!("/s/digital-engagement{query}"))).await).await;
            assert!(html.contains(&format!(r#" channel="{channel}">"#)), "{query}: {html}");
        }
        assert!(!html.contains("style="), "no inline styles");
        assert_eq!(html.matches("<script").count(), 1, "only the loader script: {html}");

        let (status, body) = send_json(&app, get("/s/nope")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["error"], "not_found");
    }
}

on_both_engines! {
    async fn the_standalone_page_escapes_the_title(engine) {
        let dir = surveys_dir(&[("fish_chips.json", &survey_named("fish_chips", "Fish & <chips> \"now\""))]);
        let env = TestEnv::on_with_surveys(engine, dir.path().to_owned());
        let html = body_text(send(&env.app().await, get("/s/fish_chips")).await).await;
        assert!(html.contains("<title>Fish &amp; &lt;chips&gt; &quot;now&quot;</title>"), "{html}");
        assert!(!html.contains("<chips>"));
    }
}

on_both_engines! {
    async fn html_responses_carry_the_security_headers(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        for uri in ["/", "/s/digital-engagement", "/admin/sign-in"] {
            let response = send(&app, get(uri)).await;
            assert_eq!(response.status(), StatusCode::OK, "{uri}");
            assert!(response.headers()[header::CONTENT_TYPE].to_str().expect("ascii").starts_with("text/html"), "{uri}");
            assert_security_headers(response.headers(), uri);
        }
        let json = send(&app, get("/surveys/digital-engagement.json")).await;
        assert_eq!(json.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
}

on_both_engines! {
    async fn the_front_page_says_what_the_server_is_and_serves_no_demo_site(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let html = body_text(send(&app, get("/")).await).await;
        assert!(html.contains("<h1>Survey collector</h1>"), "{html}");
        assert!(html.contains("href=\"/admin\""), "{html}");
        assert!(html.contains("href=\"/surveys\""), "the public list is linked: {html}");
        for uri in ["/index.html", "/privacy.html", "/embed-div.html", "/no-such-page.html"] {
            assert_eq!(send(&app, get(uri)).await.status(), StatusCode::NOT_FOUND, "{uri}");
        }
    }
}

/// What every public file must say so that a page on another origin can use it.
fn assert_cross_origin(headers: &axum::http::HeaderMap, what: &str) {
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*", "{what}");
    assert_eq!(headers["cross-origin-resource-policy"], "cross-origin", "{what}");
    assert_eq!(headers[header::REFERRER_POLICY], "no-referrer", "{what}");
}

on_both_engines! {
    async fn the_bundle_is_served_to_any_origin_with_the_right_types_and_caching(engine) {
        let env = TestEnv::on(engine);
        let dist = &env.config.dist_dir;
        std::fs::write(dist.join("index.mjs"), "export {};").expect("write");
        std::fs::write(dist.join("survey_widget.0123abcd89.js"), "/* glue */").expect("write");
        std::fs::write(dist.join("survey_widget_bg.0123abcd89.wasm"), b"\0asm\x01\0\0\0").expect("write");
        std::fs::write(dist.join("survey-widget.0123abcd89.css"), ".sw{}").expect("write");
        let app = env.app().await;

        for (uri, kind, cache) in [
            ("/survey-widget/survey_widget_bg.0123abcd89.wasm", "application/wasm", "public, max-age=31536000, immutable"),
            ("/survey-widget/survey_widget.0123abcd89.js", "javascript", "public, max-age=31536000, immutable"),
            ("/survey-widget/survey-widget.0123abcd89.css", "text/css", "public, max-age=31536000, immutable"),
            ("/survey-widget/survey-widget.js", "javascript", "public, max-age=300"),
            ("/survey-widget/index.mjs", "javascript", "public, max-age=300"),
        ] {
            let response = send(&app, get(uri)).await;
            assert_eq!(response.status(), StatusCode::OK, "{uri}");
            assert!(response.headers()[header::CONTENT_TYPE].to_str().expect("ascii").contains(kind), "{uri}");
            assert_eq!(response.headers()[header::CACHE_CONTROL], cache, "{uri}");
            assert_cross_origin(response.headers(), uri);
        }
        let js = send(&app, get("/survey-widget/survey-widget.js")).await;
        assert_eq!(body_text(js).await, "/* loader */");

        // A missing file is never cached as if it were immutable.
        let missing = send(&app, get("/survey-widget/survey_widget.99999999aa.js")).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert_ne!(missing.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
        assert_eq!(send(&app, get("/survey-widget/../Cargo.toml")).await.status(), StatusCode::NOT_FOUND);
    }
}

on_both_engines! {
    async fn a_cross_origin_module_fetch_is_allowed_without_allowed_origins(engine) {
        // ALLOWED_ORIGINS governs only who may post answers; the bundle and definitions are public.
        let env = TestEnv::on(engine);
        let app = env.app().await;
        for uri in ["/survey-widget/survey-widget.js", "/surveys/digital-engagement.json"] {
            let request = axum::http::Request::get(uri)
                .header(header::ORIGIN, "https://not-listed.example")
                .body(axum::body::Body::empty())
                .expect("request");
            let response = send(&app, request).await;
            assert_eq!(response.status(), StatusCode::OK, "{uri}");
            assert_cross_origin(response.headers(), uri);
        }
    }
}

on_both_engines! {
    async fn the_servers_stylesheet_is_served(engine) {
        let env = TestEnv::on(engine);
        let response = send(&env.app().await, get(survey_collector::html::STYLESHEET_PATH)).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers()[header::CONTENT_TYPE].to_str().expect("ascii").starts_with("text/css"));
    }
}
