//! Reach: the widget's events become counters and nothing else, completions are counted from
//! the stored responses, and `metrics.json` and the results page add them up per channel, day
//! and page, filtered like the exports.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::*;
use serde_json::{json, Value};

fn event(kind: &str, channel: Option<&str>, page: Option<&str>) -> Value {
    let mut e = json!({ "survey": { "id": SURVEY, "version": 1 }, "kind": kind });
    if let Some(c) = channel {
        e["channel"] = json!(c);
    }
    if let Some(p) = page {
        e["page"] = json!(p);
    }
    e
}

fn post_event(body: &Value) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri("/api/events")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(serde_json::to_vec(body).expect("serialisable")))
        .expect("valid request")
}

async fn count(app: &axum::Router, body: Value, times: usize) {
    for _ in 0..times {
        let response = send(app, post_event(&body)).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "{body}");
    }
}

async fn respond(app: &axum::Router, channel: Option<&str>) {
    let mut payload = valid_payload(&new_id());
    match channel {
        Some(c) => payload["channel"] = json!(c),
        None => {
            payload.as_object_mut().expect("an object").remove("hidden");
        }
    }
    let (status, body) = send_json(app, post_json(&payload)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

async fn metrics(app: &axum::Router, query: &str) -> Value {
    let (status, body) = send_json(app, get_admin(&format!("/admin/surveys/{SURVEY}/metrics.json{query}"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

on_both_engines! {
    async fn events_and_responses_add_up_per_channel_day_and_page(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        count(&app, event("viewed", Some("website"), None), 5).await;
        count(&app, event("viewed", Some("newsletter"), None), 3).await;
        count(&app, event("viewed", None, None), 2).await;
        count(&app, event("started", Some("website"), None), 3).await;
        count(&app, event("started", Some("newsletter"), None), 2).await;
        count(&app, event("page", Some("website"), Some("finding-us")), 3).await;
        count(&app, event("page", Some("newsletter"), Some("finding-us")), 2).await;
        count(&app, event("page", Some("website"), Some("your-views")), 2).await;
        count(&app, event("page", Some("newsletter"), Some("send")), 1).await;
        respond(&app, Some("website")).await;
        respond(&app, Some("newsletter")).await;
        respond(&app, None).await;

        let m = metrics(&app, "").await;
        assert_eq!((m["views"].as_u64(), m["starts"].as_u64(), m["completions"].as_u64()), (Some(10), Some(5), Some(3)), "{m}");
        assert_eq!(m["by_channel"]["website"], json!({"views": 5, "starts": 3, "completions": 1}));
        assert_eq!(m["by_channel"]["newsletter"], json!({"views": 3, "starts": 2, "completions": 1}));
        assert_eq!(m["by_channel"]["(none)"], json!({"views": 2, "starts": 0, "completions": 1}));
        assert_eq!(m["by_day"], json!([{"date": today(), "views": 10, "starts": 5, "completions": 3}]));
        assert_eq!(
            m["by_page"],
            json!([{"page": "finding-us", "reached": 5}, {"page": "your-views", "reached": 2}, {"page": "send", "reached": 1}])
        );

        // The same filter as the exports: one channel, or days with nothing in them.
        let web = metrics(&app, "?channel=website").await;
        assert_eq!((web["views"].as_u64(), web["starts"].as_u64(), web["completions"].as_u64()), (Some(5), Some(3), Some(1)));
        assert_eq!(web["by_page"][0]["reached"], 3);
        let before = metrics(&app, "?from=2020-01-01&to=2020-12-31").await;
        assert_eq!((before["views"].as_u64(), before["completions"].as_u64()), (Some(0), Some(0)));
        let (status, body) = send_json(&app, get_admin(&format!("/admin/surveys/{SURVEY}/metrics.json?from=2026-02-30"))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body["message"].as_str().is_some_and(|m| m.contains("start date")), "{body}");
    }

    async fn only_counters_are_kept_never_an_event(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        count(&app, event("viewed", Some("facebook"), None), 4).await;
        count(&app, event("page", Some("facebook"), Some("send")), 1).await;
        // Two counters, however many events (PostgreSQL spreads each over a few shards, which
        // are added up): nothing tells one event from another.
        let mut rows = env
            .query_texts(
                "SELECT channel || '|' || day || '|' || kind || '|' || page || '|' || CAST(SUM(count) AS TEXT)
                 FROM reach GROUP BY channel, day, kind, page",
            )
            .await;
        rows.sort();
        assert_eq!(rows, [format!("facebook|{}|page|send|1", today()), format!("facebook|{}|viewed||4", today())]);
    }

    async fn an_event_that_is_not_one_is_refused_and_not_counted(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let mut with_id = event("viewed", None, None);
        with_id["id"] = json!("3f1c");
        let mut with_url = event("viewed", None, None);
        with_url["page_url"] = json!("https://example.org/post?who=ann");
        let mut other_survey = event("viewed", None, None);
        other_survey["survey"] = json!({"id": "no-such-survey", "version": 1});
        let mut later_version = event("viewed", None, None);
        later_version["survey"]["version"] = json!(99);
        for bad in [
            with_id,
            with_url,
            other_survey,
            later_version,
            event("completed", None, None),
            event("page", None, Some("no-such-page")),
            event("page", None, None),
            event("viewed", Some("Face Book"), None),
        ] {
            let (status, body) = send_json(&app, post_event(&bad)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad} → {body}");
            assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
        }
        let as_text = Request::builder()
            .method(Method::POST)
            .uri("/api/events")
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from(serde_json::to_vec(&event("viewed", None, None)).expect("serialisable")))
            .expect("valid request");
        assert_eq!(send(&app, as_text).await.status(), StatusCode::BAD_REQUEST, "not JSON: refused, not retried");
        let mut huge = event("viewed", None, None);
        huge["survey"]["id"] = json!("x".repeat(4000));
        assert_eq!(send(&app, post_event(&huge)).await.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let m = metrics(&app, "").await;
        assert_eq!((m["views"].as_u64(), m["by_page"][2]["reached"].as_u64()), (Some(0), Some(0)), "{m}");
    }

    async fn the_results_page_shows_the_funnel_and_the_drop_off(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        count(&app, event("viewed", Some("website"), None), 4).await;
        count(&app, event("started", Some("website"), None), 2).await;
        count(&app, event("page", Some("website"), Some("finding-us")), 2).await;
        count(&app, event("page", Some("website"), Some("your-views")), 1).await;
        respond(&app, Some("website")).await;
        let page = body_text(send(&app, get_admin(&format!("/admin/surveys/{SURVEY}"))).await).await;
        let funnel = section(&page, "Funnel by channel (percentages of views)");
        assert!(funnel.contains("<th scope=\"row\">website</th><td>4</td><td>2 (50%)</td><td>1 (25%)</td>"), "{funnel}");
        let pages = section(&page, "How many reached each page");
        assert!(pages.contains("<td>2</td><td>100%</td>") && pages.contains("<td>1</td><td>50%</td>"), "{pages}");
        assert!(page.contains(&format!("/admin/surveys/{SURVEY}/metrics.json")), "links to the JSON");
    }
}

/// The table whose caption is `caption`.
fn section<'a>(page: &'a str, caption: &str) -> &'a str {
    let start = page.find(&format!("<caption>{caption}</caption>")).unwrap_or_else(|| panic!("no table {caption}"));
    let end = page[start..].find("</table>").map_or(page.len(), |e| start + e);
    &page[start..end]
}

#[tokio::test]
async fn events_are_cors_limited_like_answers() {
    let env = TestEnv::new();
    let app = env.app().await;
    let preflight = |origin: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/events")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
            .body(Body::empty())
            .expect("valid request")
    };
    let allowed = send(&app, preflight(ALLOWED)).await;
    assert_eq!(allowed.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).and_then(|v| v.to_str().ok()), Some(ALLOWED));
    let other = send(&app, preflight("https://elsewhere.example")).await;
    assert!(other.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
}

#[tokio::test]
async fn events_have_a_budget_of_their_own_so_they_never_stop_answers() {
    let mut env = TestEnv::new();
    env.config.limits.rate_per_minute = 1;
    let app = env.app().await;
    let from = |request: Request<Body>| {
        let mut request = request;
        request.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([192, 0, 2, 7], 4000))));
        request
    };
    let mut counted = 0;
    for _ in 0..20 {
        if send(&app, from(post_event(&event("viewed", None, None)))).await.status() == StatusCode::NO_CONTENT {
            counted += 1;
        }
    }
    assert_eq!(counted, 8, "eight events per response allowed");
    let (status, body) = send_json(&app, from(post_json(&valid_payload(&new_id())))).await;
    assert_eq!(status, StatusCode::CREATED, "the answer still gets in: {body}");
}
