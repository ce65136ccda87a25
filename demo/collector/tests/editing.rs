//! Writing surveys in the collector: the database is the source of truth, SURVEYS_DIR an import
//! at start; drafts keep whatever the editor had; a publish is the next version, checked by the
//! model, kept beside every earlier one, and seen by every instance within seconds.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use common::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};
use survey_collector::config::PublicUrl;
use survey_collector::live::POLL_EVERY;

const PUBLIC: &str = "https://collect.example.org";

/// The demo survey's text, as in SURVEYS_DIR.
fn demo_text() -> String {
    std::fs::read_to_string(demo_surveys().join(format!("{SURVEY}.json"))).expect("readable")
}

/// The demo survey with another title, and `version` as given (what the author typed).
fn retitled(title: &str, version: u32) -> String {
    let mut value: Value = serde_json::from_str(&demo_text()).expect("JSON");
    value["title"] = json!(title);
    value["version"] = json!(version);
    serde_json::to_string_pretty(&value).expect("serialises")
}

/// A small new survey.
fn new_survey(id: &str, title: &str) -> String {
    json!({
        "format": 1, "id": id, "version": 5, "title": title,
        "pages": [{ "id": "p", "questions": [{ "id": "q", "type": "text", "title": "Anything to add?" }] }]
    })
    .to_string()
}

/// A SURVEYS_DIR of its own holding the demo survey, and the settings around it.
fn folder_env(engine: Engine) -> (tempfile::TempDir, TestEnv) {
    let surveys = tempfile::tempdir().expect("temp dir");
    std::fs::write(surveys.path().join(format!("{SURVEY}.json")), demo_text()).expect("written");
    let env = TestEnv::on_with_surveys(engine, surveys.path().to_owned());
    (surveys, env)
}

fn admin(method: Method, uri: &str, body: impl Into<Body>) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .expect("valid request")
}

fn put_draft(id: &str, text: impl Into<Body>) -> Request<Body> {
    admin(Method::PUT, &format!("/admin/api/surveys/{id}/draft"), text)
}

fn publish(id: &str) -> Request<Body> {
    admin(Method::POST, &format!("/admin/api/surveys/{id}/publish"), Body::empty())
}

fn upload(id: &str, text: String) -> Request<Body> {
    admin(Method::POST, &format!("/admin/api/surveys/{id}/versions"), text)
}

fn paths(problems: &Value) -> Vec<String> {
    problems.as_array().unwrap_or_else(|| panic!("a list: {problems}")).iter().map(|p| p["path"].as_str().expect("a path").to_owned()).collect()
}

/// The stored version numbers of a survey.
async fn stored_versions(app: &Router, id: &str) -> Vec<u64> {
    let (status, body) = send_json(app, get_admin(&format!("/admin/api/surveys/{id}/versions"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["versions"].as_array().expect("a list").iter().map(|v| v["version"].as_u64().expect("a number")).collect()
}

/// The definition a widget would load from `app`, parsed.
async fn served(app: &Router, id: &str) -> Option<Value> {
    let response = send(app, get(&format!("/surveys/{id}.json"))).await;
    (response.status() == StatusCode::OK).then_some(())?;
    Some(serde_json::from_str(&body_text(response).await).expect("JSON"))
}

/// A response to the demo survey's `version`.
fn answer_to(version: u32) -> Value {
    let mut payload = valid_payload(&new_id());
    payload["survey"]["version"] = json!(version);
    payload
}

on_both_engines! {
    async fn a_file_with_a_new_version_is_imported_and_the_same_files_again_change_nothing(engine) {
        let (surveys, env) = folder_env(engine);
        let first = env.app().await;
        assert_eq!(stored_versions(&first, SURVEY).await, [1]);
        drop(first);

        // The author raises the version in the file, and the collector restarts.
        std::fs::write(surveys.path().join(format!("{SURVEY}.json")), retitled("Second thoughts", 2)).expect("written");
        let app = env.app().await;
        assert_eq!(stored_versions(&app, SURVEY).await, [1, 2], "a new version, the old one kept");
        assert_eq!(served(&app, SURVEY).await.expect("served")["title"], "Second thoughts");
        drop(app);

        // Restarted again with the same files: nothing is written.
        let marker = "SELECT CAST(changes AS TEXT) FROM catalog_marker";
        let before = (env.query_texts(marker).await, env.query_texts("SELECT first_loaded_at FROM definitions ORDER BY version").await);
        let app = env.app().await;
        let after = (env.query_texts(marker).await, env.query_texts("SELECT first_loaded_at FROM definitions ORDER BY version").await);
        assert_eq!(before, after, "an unchanged import writes nothing");
        assert_eq!(stored_versions(&app, SURVEY).await, [1, 2]);

        // And a survey published in the collector outranks an older file: the newest version is served.
        let (status, body) = send_json(&app, upload(SURVEY, retitled("Third", 1))).await;
        assert_eq!((status, body["version"].clone()), (StatusCode::CREATED, json!(3)), "{body}");
        let app = env.app().await;
        assert_eq!(served(&app, SURVEY).await.expect("served")["version"], 3, "the file's version 2 does not win at restart");
    }
}

on_both_engines! {
    async fn a_draft_keeps_whatever_was_typed_with_every_problem_by_path(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;

        // Half-written JSON is kept as it is.
        let half = "{\"format\": 1, \"id\": \"digital-engagement\", \"title\": \"Hal";
        let (status, saved) = send_json(&app, put_draft(SURVEY, half)).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved["publishable"], false);
        assert_eq!(paths(&saved["problems"]), [""], "{saved}");
        assert!(saved["problems"][0]["message"].as_str().expect("words").contains("is not valid JSON"), "{saved}");
        let (status, draft) = send_json(&app, get_admin(&format!("/admin/api/surveys/{SURVEY}/draft"))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!((draft["draft"].clone(), draft["source"].clone()), (json!(true), json!(half)));
        assert_eq!(draft["published_version"], 1, "still serving what was published");
        assert_eq!(served(&app, SURVEY).await.expect("served")["title"], "Help us improve how we talk with you online");

        // Valid JSON with two problems: both listed, by path.
        let mut value: Value = serde_json::from_str(&demo_text()).expect("JSON");
        value["pages"][0]["questions"][0]["type"] = json!("dropdown");
        value["default_language"] = json!("not a tag");
        let (_, saved) = send_json(&app, put_draft(SURVEY, value.to_string())).await;
        let mut found = paths(&saved["problems"]);
        found.sort();
        assert_eq!(found, ["default_language", "languages", "pages[0].questions[0].type"], "{saved}");

        // A draft of another survey's definition under this id says so.
        let (_, saved) = send_json(&app, put_draft(SURVEY, new_survey("elsewhere", "E"))).await;
        assert_eq!(paths(&saved["problems"]), ["id"], "{saved}");

        // Bytes that are not text are refused, and the draft before is kept.
        assert_eq!(send(&app, put_draft(SURVEY, vec![0xff, 0xfe])).await.status(), StatusCode::BAD_REQUEST);
        let (_, draft) = send_json(&app, get_admin(&format!("/admin/api/surveys/{SURVEY}/draft"))).await;
        assert_eq!(draft["source"], new_survey("elsewhere", "E"));

        // A new survey starts as a draft: listed, not served.
        let (status, _) = send_json(&app, put_draft("brand-new", new_survey("brand-new", "Brand new"))).await;
        assert_eq!(status, StatusCode::OK);
        let (_, list) = send_json(&app, get_admin("/admin/api/surveys")).await;
        let brand_new = list["surveys"].as_array().expect("a list").iter().find(|s| s["id"] == "brand-new").cloned();
        assert_eq!(brand_new.map(|s| s["version"].clone()), Some(Value::Null), "{list}");
        assert_eq!(served(&app, "brand-new").await, None);
        assert_eq!(send(&app, put_draft("Not_An_Id", "{}")).await.status(), StatusCode::BAD_REQUEST);
    }
}

/// A save of a draft made only over the draft the saver had: `If-Match: "<etag>"`, or
/// `If-None-Match: *` for a first draft.
fn put_draft_over(id: &str, text: String, condition: (header::HeaderName, &str)) -> Request<Body> {
    let mut request = put_draft(id, text);
    request.headers_mut().insert(condition.0, condition.1.parse().expect("a header value"));
    request
}

on_both_engines! {
    async fn two_tabs_never_save_over_each_others_draft_unseen(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let draft_url = format!("/admin/api/surveys/{SURVEY}/draft");
        let quoted = |tag: &Value| format!("\"{}\"", tag.as_str().expect("an etag"));

        // Both tabs open the published survey: no draft yet, so no etag.
        let (_, opened) = send_json(&app, get_admin(&draft_url)).await;
        assert_eq!((opened["draft"].clone(), opened["etag"].clone()), (json!(false), Value::Null), "{opened}");
        // Tab A saves first, as a first draft; tab B's first draft is then refused.
        let (status, a) = send_json(&app, put_draft_over(SURVEY, retitled("A", 1), (header::IF_NONE_MATCH, "*"))).await;
        assert_eq!(status, StatusCode::OK, "{a}");
        let (status, refused) = send_json(&app, put_draft_over(SURVEY, retitled("B", 1), (header::IF_NONE_MATCH, "*"))).await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{refused}");
        assert_eq!(refused["error"], "draft_changed");
        assert_eq!(refused["saved_at"], a["saved_at"], "says when the other draft was saved");

        // A saves again over its own draft: its etag moves on.
        let (status, a2) = send_json(&app, put_draft_over(SURVEY, retitled("A2", 1), (header::IF_MATCH, &quoted(&a["etag"])))).await;
        assert_eq!(status, StatusCode::OK, "{a2}");
        assert_ne!(a2["etag"], a["etag"]);
        // A stale etag is refused, and the draft stays A's.
        let (status, _) = send_json(&app, put_draft_over(SURVEY, retitled("B", 1), (header::IF_MATCH, &quoted(&a["etag"])))).await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED);
        let (_, stored) = send_json(&app, get_admin(&draft_url)).await;
        assert_eq!((stored["source"].clone(), stored["etag"].clone()), (json!(retitled("A2", 1)), a2["etag"].clone()));

        // Publishing only the draft one saw: a stale etag publishes nothing.
        let mut stale = publish(SURVEY);
        stale.headers_mut().insert(header::IF_MATCH, quoted(&a["etag"]).parse().expect("a header value"));
        assert_eq!(send(&app, stale).await.status(), StatusCode::PRECONDITION_FAILED);
        assert_eq!(stored_versions(&app, SURVEY).await, [1]);
        let mut current = publish(SURVEY);
        current.headers_mut().insert(header::IF_MATCH, quoted(&a2["etag"]).parse().expect("a header value"));
        let (status, published) = send_json(&app, current).await;
        assert_eq!(status, StatusCode::CREATED, "{published}");
        assert_eq!(stored_versions(&app, SURVEY).await, [1, 2]);

        // Without a condition a save is made over whatever is stored, as before.
        let (status, _) = send_json(&app, put_draft(SURVEY, retitled("Anyone", 2))).await;
        assert_eq!(status, StatusCode::OK);
        // A condition that is not an etag is refused in words.
        let (status, bad) = send_json(&app, put_draft_over(SURVEY, retitled("X", 2), (header::IF_MATCH, "no-quotes"))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    }

    async fn a_draft_is_forgotten_only_if_it_is_the_one_seen(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let draft_url = format!("/admin/api/surveys/{SURVEY}/draft");
        let discard = |condition: Option<(header::HeaderName, String)>| {
            let mut request = admin(Method::DELETE, &draft_url, Body::empty());
            if let Some((name, value)) = condition {
                request.headers_mut().insert(name, value.parse().expect("a header value"));
            }
            request
        };
        let (_, first) = send_json(&app, put_draft(SURVEY, retitled("Seen", 1))).await;
        let seen = format!("\"{}\"", first["etag"].as_str().expect("an etag"));
        // Another tab saves after this one read the draft: forgetting "the one seen" keeps it.
        let (_, newer) = send_json(&app, put_draft(SURVEY, retitled("Newer", 1))).await;
        let (status, refused) = send_json(&app, discard(Some((header::IF_MATCH, seen)))).await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{refused}");
        assert_eq!((refused["error"].clone(), refused["saved_at"].clone()), (json!("draft_changed"), newer["saved_at"].clone()));
        let (_, kept) = send_json(&app, get_admin(&draft_url)).await;
        assert_eq!(kept["source"], json!(retitled("Newer", 1)), "the newer draft is kept");
        // "Only if there is none" cannot forget one.
        let (status, _) = send_json(&app, discard(Some((header::IF_NONE_MATCH, "*".into())))).await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED);
        // The etag of the draft there now forgets it; then there is nothing left to forget.
        let current = format!("\"{}\"", newer["etag"].as_str().expect("an etag"));
        assert_eq!(send(&app, discard(Some((header::IF_MATCH, current)))).await.status(), StatusCode::NO_CONTENT);
        let (_, gone) = send_json(&app, get_admin(&draft_url)).await;
        assert_eq!(gone["draft"], json!(false), "{gone}");
        assert_eq!(send(&app, discard(None)).await.status(), StatusCode::NOT_FOUND);
        // Without a condition, whatever draft is there is forgotten, as before.
        send_json(&app, put_draft(SURVEY, retitled("Any", 1))).await;
        assert_eq!(send(&app, discard(None)).await.status(), StatusCode::NO_CONTENT);
    }
}

on_both_engines! {
    async fn publishing_is_the_next_version_and_answers_to_the_old_one_still_count(engine) {
        let mut env = TestEnv::on(engine);
        env.config.public_url = Some(PublicUrl::parse(PUBLIC).expect("valid"));
        let app = env.app().await;
        // The author's text says version 9; the next version is 2 whatever it says.
        let (status, _) = send_json(&app, put_draft(SURVEY, retitled("A better title", 9))).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = send_json(&app, publish(SURVEY)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["version"], 2);
        let snippet = body["embed_snippet"].as_str().expect("a snippet to copy");
        assert!(snippet.contains("src=\"https://collect.example.org/surveys/digital-engagement.json\""), "{snippet}");

        let now = served(&app, SURVEY).await.expect("served");
        assert_eq!((now["version"].clone(), now["title"].clone()), (json!(2), json!("A better title")), "at once, on this instance");
        assert_eq!(stored_versions(&app, SURVEY).await, [1, 2]);

        // A widget that loaded version 1 before the publish still delivers.
        let (status, body) = send_json(&app, post_json(&answer_to(1))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, body) = send_json(&app, post_json(&answer_to(2))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, body) = send_json(&app, post_json(&answer_to(3))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "no version 3 yet: {body}");

        // Every version downloads as stored; the text names the version it is stored under.
        let v1 = send(&app, get_admin(&format!("/admin/surveys/{SURVEY}/versions/1.json"))).await;
        assert_eq!(v1.status(), StatusCode::OK);
        assert!(v1.headers()[header::CONTENT_DISPOSITION].to_str().expect("ascii").contains("digital-engagement-v1.json"));
        assert_eq!(body_text(v1).await, demo_text());
        let v2 = body_text(send(&app, get_admin(&format!("/admin/surveys/{SURVEY}/versions/2.json"))).await).await;
        assert_eq!(v2, retitled("A better title", 9).replace("\"version\": 9", "\"version\": 2"), "only the number changed");
        assert_eq!(send(&app, get_admin(&format!("/admin/surveys/{SURVEY}/versions/7.json"))).await.status(), StatusCode::NOT_FOUND);

        // The draft became the version, so the editor starts from it next time.
        let (_, draft) = send_json(&app, get_admin(&format!("/admin/api/surveys/{SURVEY}/draft"))).await;
        assert_eq!((draft["draft"].clone(), draft["published_version"].clone()), (json!(false), json!(2)));
        assert_eq!(send(&app, publish(SURVEY)).await.status(), StatusCode::NOT_FOUND, "nothing left to publish");
    }
}

on_both_engines! {
    async fn a_bad_publish_is_refused_with_every_problem_and_changes_nothing(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let mut value: Value = serde_json::from_str(&demo_text()).expect("JSON");
        value["pages"][0]["questions"][0]["options"] = json!([]);
        value["pages"][1]["id"] = value["pages"][0]["id"].clone();
        value["anonymous"] = json!("yes");
        let (_, saved) = send_json(&app, put_draft(SURVEY, value.to_string())).await;
        let (status, body) = send_json(&app, publish(SURVEY)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"], "invalid_definition");
        let refused = paths(&body["problems"]);
        assert_eq!(refused.len(), 3, "every problem: {body}");
        assert_eq!(refused, paths(&saved["problems"]), "the same list the draft showed");
        for expected in ["anonymous", "pages[0].questions[0].options", "pages[1].id"] {
            assert!(refused.iter().any(|p| p == expected), "{expected} in {refused:?}");
        }
        assert_eq!(stored_versions(&app, SURVEY).await, [1], "nothing stored");
        assert_eq!(served(&app, SURVEY).await.expect("served")["version"], 1);
        // Half-written JSON is refused the same way, and kept as the draft.
        send(&app, put_draft(SURVEY, "{")).await;
        let (status, body) = send_json(&app, publish(SURVEY)).await;
        assert_eq!((status, paths(&body["problems"])), (StatusCode::UNPROCESSABLE_ENTITY, vec![String::new()]));
        let (status, body) = send_json(&app, upload(SURVEY, new_survey("other-survey", "O"))).await;
        assert_eq!((status, paths(&body["problems"])), (StatusCode::UNPROCESSABLE_ENTITY, vec!["id".to_owned()]), "{body}");
    }
}

on_both_engines! {
    async fn a_new_survey_from_a_file_is_version_1_on_the_hub_and_its_id_cannot_be_taken_twice(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let create = |text: String| admin(Method::POST, "/admin/api/surveys", text);
        let (status, body) = send_json(&app, create(new_survey("parks", "Our parks"))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["version"], 1, "the first version, whatever the file says");
        assert_eq!(served(&app, "parks").await.expect("served")["version"], 1);
        let hub = body_text(send(&app, get("/surveys")).await).await;
        assert!(hub.contains("Our parks"), "on the public hub at once: {hub}");

        let (status, body) = send_json(&app, create(new_survey("parks", "Parks again"))).await;
        assert_eq!((status, body["error"].clone()), (StatusCode::CONFLICT, json!("conflict")), "{body}");
        let (status, body) = send_json(&app, create("{\"format\": 1}".into())).await;
        assert_eq!((status, body["error"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("invalid_definition")), "{body}");
        // An id someone is drafting is taken too.
        send(&app, put_draft("allotments", "{")).await;
        let (status, _) = send_json(&app, create(new_survey("allotments", "Allotments"))).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(served(&app, "parks").await.expect("served")["title"], "Our parks");
    }
}

/// A sign-in as a browser does it, from the collector's own page; the session cookie.
async fn browser_session(app: &Router) -> String {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/admin/sign-in")
        .header(header::ORIGIN, PUBLIC)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("token={TOKEN}")))
        .expect("request");
    let response = send(app, request).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let set = response.headers()[header::SET_COOKIE].to_str().expect("ascii");
    set.split(';').next().expect("name=value").to_owned()
}

fn from_browser(method: Method, uri: &str, cookie: &str, origin: Option<&str>, body: String) -> Request<Body> {
    let mut r = Request::builder().method(method).uri(uri).header(header::COOKIE, cookie);
    if let Some(origin) = origin {
        r = r.header(header::ORIGIN, origin);
    }
    r.body(Body::from(body)).expect("request")
}

on_both_engines! {
    async fn the_editors_changes_must_come_from_the_collectors_own_pages(engine) {
        let mut env = TestEnv::on(engine);
        env.config.public_url = Some(PublicUrl::parse(PUBLIC).expect("valid"));
        let app = env.app().await;
        let cookie = browser_session(&app).await;
        let draft = retitled("Forged", 1);
        let changes = [
            (Method::PUT, format!("/admin/api/surveys/{SURVEY}/draft"), draft.clone()),
            (Method::POST, format!("/admin/api/surveys/{SURVEY}/publish"), String::new()),
            (Method::POST, format!("/admin/api/surveys/{SURVEY}/versions"), draft.clone()),
            (Method::DELETE, format!("/admin/api/surveys/{SURVEY}/draft"), String::new()),
            (Method::POST, "/admin/api/surveys".to_owned(), new_survey("forged", "Forged")),
        ];
        for (method, uri, body) in &changes {
            for origin in [None, Some("https://evil.example"), Some("https://blog.collect.example.org")] {
                let response = send(&app, from_browser(method.clone(), uri, &cookie, origin, body.clone())).await;
                assert_eq!(response.status(), StatusCode::FORBIDDEN, "{method} {uri} from {origin:?}");
            }
        }
        assert_eq!(stored_versions(&app, SURVEY).await, [1], "nothing published");
        assert_eq!(served(&app, "forged").await, None);
        let (status, draft_now) = send_json(&app, get_admin(&format!("/admin/api/surveys/{SURVEY}/draft"))).await;
        assert_eq!((status, draft_now["draft"].clone()), (StatusCode::OK, json!(false)), "no draft saved");

        // From the collector's own page, the same requests work.
        let (method, uri, body) = &changes[0];
        assert_eq!(send(&app, from_browser(method.clone(), uri, &cookie, Some(PUBLIC), body.clone())).await.status(), StatusCode::OK);
        let (method, uri, body) = &changes[1];
        assert_eq!(send(&app, from_browser(method.clone(), uri, &cookie, Some(PUBLIC), body.clone())).await.status(), StatusCode::CREATED);
        // Signed out, nothing at all.
        let anonymous = Request::put(format!("/admin/api/surveys/{SURVEY}/draft")).body(Body::from("{}")).expect("request");
        assert_eq!(send(&app, anonymous).await.status(), StatusCode::UNAUTHORIZED);
    }
}

/// Waits until `check` holds, for at most a few poll intervals.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + POLL_EVERY * 5;
    while !check().await {
        assert!(Instant::now() < deadline, "{what} did not happen within {:?}", POLL_EVERY * 5);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

on_both_engines! {
    async fn another_instance_sees_a_publish_within_the_poll_interval(engine) {
        let env = TestEnv::on(engine);
        let (a, b) = (env.app().await, env.app().await);
        assert_eq!(served(&b, SURVEY).await.expect("served")["version"], 1);

        send(&a, put_draft(SURVEY, retitled("Published on a", 1))).await;
        let (status, body) = send_json(&a, publish(SURVEY)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let started = Instant::now();
        eventually("the publish reaching instance b", || async { served(&b, SURVEY).await.is_some_and(|d| d["version"] == 2) }).await;
        assert!(started.elapsed() < POLL_EVERY * 3, "seen in {:?}", started.elapsed());
        let (status, body) = send_json(&b, post_json(&answer_to(2))).await;
        assert_eq!(status, StatusCode::CREATED, "b checks answers against it: {body}");

        // A new survey created on b reaches a's hub.
        let (status, _) = send_json(&b, admin(Method::POST, "/admin/api/surveys", new_survey("libraries", "Our libraries"))).await;
        assert_eq!(status, StatusCode::CREATED);
        eventually("the new survey on a's hub", || async { body_text(send(&a, get("/surveys")).await).await.contains("Our libraries") }).await;
    }
}

on_both_engines! {
    async fn concurrent_publishes_from_two_instances_each_get_their_own_version(engine) {
        const PUBLISHES: usize = 12;
        let env = TestEnv::on(engine);
        let (a, b) = (env.app().await, env.app().await);
        let tasks: Vec<_> = (0..PUBLISHES)
            .map(|n| {
                let app = if n % 2 == 0 { a.clone() } else { b.clone() };
                tokio::spawn(async move { send_json(&app, upload(SURVEY, retitled(&format!("Edit {n}"), 1))).await })
            })
            .collect();
        let mut versions = BTreeSet::new();
        for task in tasks {
            let (status, body) = task.await.expect("the task finishes");
            assert_eq!(status, StatusCode::CREATED, "{body}");
            versions.insert(body["version"].as_u64().expect("a number"));
        }
        let expected: BTreeSet<u64> = (2..=PUBLISHES as u64 + 1).collect();
        assert_eq!(versions, expected, "every publish kept, each under its own number");
        assert_eq!(stored_versions(&a, SURVEY).await, (1..=PUBLISHES as u64 + 1).collect::<Vec<_>>());
        // Each stored text names the version it is stored under, and no edit was lost.
        let mut titles = BTreeSet::new();
        for version in 2..=PUBLISHES + 1 {
            let text = body_text(send(&a, get_admin(&format!("/admin/surveys/{SURVEY}/versions/{version}.json"))).await).await;
            let value: Value = serde_json::from_str(&text).expect("JSON");
            assert_eq!(value["version"], version, "{text}");
            titles.insert(value["title"].as_str().expect("a title").to_owned());
        }
        assert_eq!(titles.len(), PUBLISHES, "{titles:?}");
        eventually("both instances serving the newest", || async {
            let newest = json!(PUBLISHES + 1);
            served(&a, SURVEY).await.is_some_and(|d| d["version"] == newest) && served(&b, SURVEY).await.is_some_and(|d| d["version"] == newest)
        })
        .await;
    }
}

on_both_engines! {
    async fn a_newest_version_this_release_cannot_read_is_served_from_the_one_before(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let (status, _) = send_json(&app, upload(SURVEY, retitled("Second", 1))).await;
        assert_eq!(status, StatusCode::CREATED);
        drop(app);
        // As if a newer model had become stricter than the one that published version 2.
        env.execute("UPDATE definitions SET source = '{\"format\": 1}' WHERE version = 2").await;
        let app = env.app().await;
        assert_eq!(served(&app, SURVEY).await.expect("served")["version"], 1, "the newest good version");
        let (status, body) = send_json(&app, post_json(&answer_to(1))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (_, health) = send_json(&app, get("/healthz")).await;
        assert_eq!(health["degraded"][0]["serving_version"], 1, "{health}");
        let problem = health["degraded"][0]["problem"].as_str().expect("a sentence");
        assert!(problem.starts_with("stored version 2 has") && problem.ends_with("serving version 1 instead"), "{problem}");
    }
}
