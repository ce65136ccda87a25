//! `POST /api/responses`: accepted once, refused with reasons, never stored twice.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::*;
use serde_json::{json, Value};

on_both_engines! {
    async fn a_valid_response_is_stored_once_and_retries_get_the_same_reference(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let id = new_id();
        let payload = valid_payload(&id);

        let (status, first) = send_json(&app, post_json(&payload)).await;
        assert_eq!(status, StatusCode::CREATED, "{first}");
        let reference = first["reference"].as_str().expect("a reference");
        assert!(is_reference(reference), "{reference}");
        assert_eq!(first["submission_id"], id.as_str());

        let (status, again) = send_json(&app, post_json(&payload)).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["reference"], reference);

        let mut changed = payload.clone();
        changed["answers"]["ease"] = json!(2);
        let (status, conflict) = send_json(&app, post_json(&changed)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{conflict}");
        assert_eq!(conflict["reference"], reference, "a 409 still tells the widget the stored reference");

        let (_, stored) = send_json(&app, get_admin(&format!("/admin/surveys/{SURVEY}/responses.json"))).await;
        assert_eq!(stored, json!([payload]), "the first response is kept, once");
    }
}

on_both_engines! {
    async fn key_order_inside_an_answer_does_not_make_a_retry_a_conflict(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let id = new_id();
        let text = serde_json::to_string(&valid_payload(&id)).expect("serialisable");
        assert_eq!(send(&app, post_bytes(text.clone().into_bytes())).await.status(), StatusCode::CREATED);
        // The same response with its top-level keys in another order.
        let reordered: serde_json::Map<String, Value> =
            serde_json::from_str::<serde_json::Map<String, Value>>(&text).expect("object").into_iter().rev().collect();
        let again = send(&app, post_bytes(serde_json::to_vec(&reordered).expect("serialisable"))).await;
        assert_eq!(again.status(), StatusCode::OK);
    }
}

on_both_engines! {
    async fn the_idempotency_key_must_match_the_submission_id(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let id = new_id();
        let with_key = |key: &str| {
            Request::builder()
                .method(Method::POST)
                .uri("/api/responses")
                .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
                .header("idempotency-key", key)
                .body(Body::from(serde_json::to_vec(&valid_payload(&id)).expect("serialisable")))
                .expect("valid request")
        };
        let (status, body) = send_json(&app, with_key(&new_id())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem_paths(&body), ["submission_id"]);

        let (status, body) = send_json(&app, with_key(&id)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
}

/// Sends a changed copy of the valid payload and returns the 422's problem paths.
async fn refused(engine: Engine, change: impl FnOnce(&mut Value)) -> Vec<String> {
    let env = TestEnv::on(engine);
    let app = env.app().await;
    let mut payload = valid_payload(&new_id());
    change(&mut payload);
    let (status, body) = send_json(&app, post_json(&payload)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // Nothing refused is stored.
    let (_, stored) = send_json(&app, get_admin(&format!("/admin/surveys/{SURVEY}/responses.json"))).await;
    assert_eq!(stored, json!([]));
    problem_paths(&body)
}

on_both_engines! {
    async fn a_missing_required_answer_is_refused(engine) {
        let paths = refused(engine, |p| {
            p["answers"].as_object_mut().expect("object").remove("ease");
            p["answers"].as_object_mut().expect("object").remove("consent");
        })
        .await;
        assert!(paths.contains(&"answers.ease".to_owned()), "{paths:?}");
        assert!(paths.contains(&"answers.consent".to_owned()), "{paths:?}");
    }
}

on_both_engines! {
    async fn an_unknown_option_is_refused(engine) {
        let paths = refused(engine, |p| p["answers"]["heard"] = json!("carrier-pigeon")).await;
        assert!(paths.contains(&"answers.heard".to_owned()), "{paths:?}");
    }
}

on_both_engines! {
    async fn an_unknown_survey_is_refused(engine) {
        let paths = refused(engine, |p| p["survey"]["id"] = json!("no-such-survey")).await;
        assert_eq!(paths, ["survey.id"]);
    }
}

on_both_engines! {
    async fn a_wrong_format_is_refused(engine) {
        let paths = refused(engine, |p| p["format"] = json!("survey-response/2")).await;
        assert_eq!(paths, ["format"]);
    }
}

on_both_engines! {
    async fn an_undeclared_hidden_field_is_refused(engine) {
        let paths = refused(engine, |p| p["hidden"]["campaign"] = json!("spring")).await;
        assert_eq!(paths, ["hidden.campaign"]);
    }
}

on_both_engines! {
    async fn context_on_an_anonymous_survey_is_refused(engine) {
        let paths = refused(engine, |p| p["context"] = json!({ "page_url": "https://example.org/", "referrer": "" })).await;
        assert_eq!(paths, ["context"]);
    }
}

on_both_engines! {
    async fn every_problem_is_listed_at_once(engine) {
        let paths = refused(engine, |p| {
            p["answers"]["heard"] = json!("carrier-pigeon");
            p["answers"]["ease"] = json!(9);
            p["hidden"]["campaign"] = json!("spring");
        })
        .await;
        for expected in ["answers.heard", "answers.ease", "hidden.campaign"] {
            assert!(paths.contains(&expected.to_owned()), "{expected} missing from {paths:?}");
        }
    }
}

on_both_engines! {
    async fn a_body_that_is_not_json_is_refused_with_a_problem(engine) {
        let env = TestEnv::on(engine);
        let (status, body) = send_json(&env.app().await, post_bytes(b"{not json".to_vec())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem_paths(&body), [""]);
    }
}

on_both_engines! {
    async fn a_body_over_64_kib_is_413_with_json(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let mut payload = valid_payload(&new_id());
        payload["answers"]["improve"] = json!("x".repeat(70 * 1024));
        let (status, body) = send_json(&app, post_json(&payload)).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(body["error"], "too_large");

        // Declared too long up front, as a browser would send it.
        let big = serde_json::to_vec(&payload).expect("serialisable");
        let request = Request::builder()
            .method(Method::POST)
            .uri("/api/responses")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, big.len())
            .body(Body::from(big))
            .expect("valid request");
        let (status, body) = send_json(&app, request).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(body["error"], "too_large");
    }
}

on_both_engines! {
    async fn a_body_not_sent_as_json_is_refused_with_400(engine) {
        let env = TestEnv::on(engine);
        let request = Request::builder()
            .method(Method::POST)
            .uri("/api/responses")
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from(serde_json::to_vec(&valid_payload(&new_id())).expect("serialisable")))
            .expect("valid request");
        let (status, body) = send_json(&env.app().await, request).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "a status the documented clients do not retry");
        assert_eq!(body["error"], "unsupported_media_type");
    }
}

on_both_engines! {
    /// Outside input must never panic the model: a byte-offset slice of `submitted_at` once did.
    async fn a_non_ascii_timestamp_is_refused_with_a_problem(engine) {
        let env = TestEnv::on(engine);
        let mut payload = valid_payload(&new_id());
        payload["submitted_at"] = json!("2026-11-22T10:00:00éabcde");
        let (status, body) = send_json(&env.app().await, post_json(&payload)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem_paths(&body), ["submitted_at"]);
    }
}

on_both_engines! {
    async fn concurrent_identical_posts_store_one_row_with_one_reference(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let payload = valid_payload(&new_id());
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let (app, payload) = (app.clone(), payload.clone());
            tasks.push(tokio::spawn(async move { send_json(&app, post_json(&payload)).await }));
        }
        let mut created = 0;
        let mut references = std::collections::BTreeSet::new();
        for task in tasks {
            let (status, body) = task.await.expect("task completes");
            assert!(status == StatusCode::CREATED || status == StatusCode::OK, "{status} {body}");
            created += usize::from(status == StatusCode::CREATED);
            references.insert(body["reference"].as_str().expect("reference").to_owned());
        }
        assert_eq!(created, 1, "exactly one request stored it");
        assert_eq!(references.len(), 1, "{references:?}");
        let (_, stored) = send_json(&app, get_admin(&format!("/admin/surveys/{SURVEY}/responses.json"))).await;
        assert_eq!(stored.as_array().map(Vec::len), Some(1));
    }
}

on_both_engines! {
    async fn stored_responses_survive_reopening_the_store(engine) {
        let env = TestEnv::on(engine);
        let payload = valid_payload(&new_id());
        let reference = {
            let app = env.app().await;
            let (status, body) = send_json(&app, post_json(&payload)).await;
            assert_eq!(status, StatusCode::CREATED);
            body["reference"].clone()
            // The router, state and connection are dropped here.
        };
        let app = env.app().await;
        let (_, stored) = send_json(&app, get_admin(&format!("/admin/surveys/{SURVEY}/responses.json"))).await;
        assert_eq!(stored, json!([payload]));
        let (status, body) = send_json(&app, post_json(&payload)).await;
        assert_eq!(status, StatusCode::OK, "a retry after a restart is still recognised");
        assert_eq!(body["reference"], reference);
    }
}

on_both_engines! {
    async fn cors_preflight_is_answered_for_allowed_origins_only(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let preflight = |origin: &str| {
            Request::builder()
                .method(Method::OPTIONS)
                .uri("/api/responses")
                .header(header::ORIGIN, origin)
                .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type,idempotency-key")
                .body(Body::empty())
                .expect("valid request")
        };
        let allowed = send(&app, preflight(ALLOWED)).await;
        assert!(allowed.status().is_success(), "{}", allowed.status());
        let h = allowed.headers();
        assert_eq!(h[header::ACCESS_CONTROL_ALLOW_ORIGIN], ALLOWED);
        let methods = h[header::ACCESS_CONTROL_ALLOW_METHODS].to_str().expect("ascii");
        assert!(methods.contains("POST"), "{methods}");
        let headers = h[header::ACCESS_CONTROL_ALLOW_HEADERS].to_str().expect("ascii").to_ascii_lowercase();
        assert!(headers.contains("content-type") && headers.contains("idempotency-key"), "{headers}");

        let other = send(&app, preflight("https://evil.example")).await;
        assert!(other.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());

        // The actual POST from the allowed origin can read its answer.
        let mut request = post_json(&valid_payload(&new_id()));
        request.headers_mut().insert(header::ORIGIN, ALLOWED.parse().expect("valid"));
        let response = send(&app, request).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], ALLOWED);
        // …including Retry-After, which the widget needs to read after a 429 or 503.
        let exposed = response.headers()[header::ACCESS_CONTROL_EXPOSE_HEADERS].to_str().expect("ascii").to_ascii_lowercase();
        assert!(exposed.contains("retry-after"), "{exposed}");
    }
}

on_both_engines! {
    async fn cors_is_not_offered_outside_the_response_endpoint(engine) {
        let env = TestEnv::on(engine);
        let request = Request::builder()
            .uri("/admin/surveys/digital-engagement/responses.json")
            .header(header::ORIGIN, ALLOWED)
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::empty())
            .expect("valid request");
        let response = send(&env.app().await, request).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    }
}
