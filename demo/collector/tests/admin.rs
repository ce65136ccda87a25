//! `/admin/`: only with the token, and what it returns is exactly what was stored.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use serde_json::{json, Value};

const JSON_URL: &str = "/admin/surveys/digital-engagement/responses.json";
const CSV_URL: &str = "/admin/surveys/digital-engagement/responses.csv";
const SUMMARY_URL: &str = "/admin/surveys/digital-engagement";

fn with_auth(uri: &str, authorization: &str) -> Request<Body> {
    Request::builder()
        .uri(uri)
        .header(header::AUTHORIZATION, authorization)
        .body(Body::empty())
        .expect("valid request")
}

on_both_engines! {
    async fn admin_needs_the_right_bearer_token(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        for uri in [JSON_URL, CSV_URL, SUMMARY_URL, "/admin/surveys/no-such-survey"] {
            let response = send(&app, get(uri)).await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{uri}");
            assert!(response.headers()[header::WWW_AUTHENTICATE].to_str().expect("ascii").starts_with("Bearer"));
            assert_eq!(body_json(response).await["error"], "unauthorized");

            for wrong in ["Bearer nope", &format!("Bearer {TOKEN}x"), &format!("Basic {TOKEN}"), "Bearer "] {
                let response = send(&app, with_auth(uri, wrong)).await;
                assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{uri} with {wrong}");
            }
        }
        let response = send(&app, with_auth(JSON_URL, &format!("bearer {TOKEN}"))).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
}

on_both_engines! {
    async fn json_export_is_exactly_the_stored_payloads(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let first = valid_payload(&new_id());
        let mut second = valid_payload(&new_id());
        second["answers"] = json!({ "heard": "website", "ease": 2, "consent": true });
        second.as_object_mut().expect("object").remove("other_text");
        for p in [&first, &second] {
            assert_eq!(send(&app, post_json(p)).await.status(), StatusCode::CREATED);
        }
        let response = send(&app, get_admin(JSON_URL)).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        // In the random order of their order keys, not the order they arrived in.
        let mut stored = body_json(response).await.as_array().cloned().expect("a list");
        stored.sort_by_key(|p| p["submission_id"].as_str().map(str::to_owned));
        assert_eq!(stored, [first, second]);
    }
}

on_both_engines! {
    async fn csv_export_has_a_header_and_one_row_per_response(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let id = new_id();
        let mut payload = valid_payload(&id);
        payload["channel"] = json!("website");
        let (_, created) = send_json(&app, post_json(&payload)).await;
        let reference = created["reference"].as_str().expect("reference").to_owned();

        let response = send(&app, get_admin(CSV_URL)).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "text/csv; charset=utf-8");
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
        let text = body_text(response).await;
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers: Vec<String> = reader.headers().expect("a header row").iter().map(str::to_owned).collect();
        assert_eq!(
            headers,
            [
                "reference", "received_at", "submission_id", "submitted_at", "language", "anonymous",
                "survey_version", "heard", "channels", "ease", "improve", "area", "consent", "heard.other",
                "hidden.channel", "channel", "context.page_url", "context.referrer", "unlisted",
            ],
            "statements have no column"
        );
        let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("valid CSV");
        assert_eq!(rows.len(), 1);
        let row: Vec<&str> = rows[0].iter().collect();
        assert_eq!(row[0], reference);
        assert!(row[1].ends_with('Z') && row[1].contains('T'), "received_at {}", row[1]);
        assert_eq!(
            row[2..],
            [
                id.as_str(), "2026-11-22T10:00:00Z", "en", "true", "1", "other", "email; webform", "4",
                "Answer emails faster", "Cardiff", "true", "A leaflet", "newsletter", "website", "", "", "",
            ]
        );
    }
}

on_both_engines! {
    async fn csv_export_defuses_spreadsheet_formulas_and_quotes_properly(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let mut payload = valid_payload(&new_id());
        payload["answers"]["improve"] = json!("=HYPERLINK(\"https://evil.example\",\"click\")");
        payload["answers"]["area"] = json!("@SUM(A1:A9)");
        payload["other_text"]["heard"] = json!("+1, then \"more\"\nand a new line");
        payload["hidden"]["channel"] = json!("-2");
        assert_eq!(send(&app, post_json(&payload)).await.status(), StatusCode::CREATED);

        let text = body_text(send(&app, get_admin(CSV_URL)).await).await;
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().expect("header").clone();
        let row = reader.records().next().expect("a row").expect("valid CSV");
        let cell = |name: &str| row.get(headers.iter().position(|h| h == name).expect("column")).expect("cell");
        assert_eq!(cell("improve"), "'=HYPERLINK(\"https://evil.example\",\"click\")");
        assert_eq!(cell("area"), "'@SUM(A1:A9)");
        assert_eq!(cell("heard.other"), "'+1, then \"more\"\nand a new line");
        assert_eq!(cell("hidden.channel"), "'-2");
    }
}

on_both_engines! {
    async fn summary_page_counts_answers_and_is_strict_html(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        for (heard, ease) in [("website", 5), ("website", 4), ("social", 4)] {
            let mut p = valid_payload(&new_id());
            p["answers"]["heard"] = json!(heard);
            p["answers"]["ease"] = json!(ease);
            p.as_object_mut().expect("object").remove("other_text");
            assert_eq!(send(&app, post_json(&p)).await.status(), StatusCode::CREATED);
        }
        let response = send(&app, get_admin(SUMMARY_URL)).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers()[header::CONTENT_TYPE].to_str().expect("ascii").starts_with("text/html"));
        assert!(response.headers().contains_key(header::CONTENT_SECURITY_POLICY));
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
        let html = body_text(response).await;
        assert!(html.contains("<strong>3</strong> responses"), "{html}");
        assert!(html.contains("<th scope=\"row\">Our website</th><td class=\"num\">2</td><td class=\"num\">67%</td>"), "{html}");
        assert!(html.contains("<th scope=\"row\">Social media</th><td class=\"num\">1</td>"), "{html}");
        assert!(html.contains("<th scope=\"row\">5 (Very easy)</th><td class=\"num\">1</td>"), "{html}");
        assert!(html.contains("3 of 3 answered"), "{html}");
        assert!(!html.contains("style="), "no inline styles");
        assert!(!html.contains("<script"), "no scripts");
    }
}

on_both_engines! {
    async fn unknown_surveys_are_404_for_an_admin(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        for uri in ["/admin/surveys/nope", "/admin/surveys/nope/responses.json", "/admin/surveys/nope/responses.csv"] {
            let (status, body) = send_json(&app, get_admin(uri)).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
            assert_eq!(body["error"], "not_found");
        }
    }
}

on_both_engines! {
    async fn an_empty_survey_exports_cleanly(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        assert_eq!(body_json(send(&app, get_admin(JSON_URL)).await).await, Value::Array(vec![]));
        let text = body_text(send(&app, get_admin(CSV_URL)).await).await;
        assert_eq!(text.lines().count(), 1, "only the header: {text}");
        let html = body_text(send(&app, get_admin(SUMMARY_URL)).await).await;
        assert!(html.contains("<strong>0</strong> responses"));
    }
}
