//! Component tests in headless Chromium: each test mounts a widget into a fresh element, the way
//! the loader does, and checks what a respondent (and a screen reader) would meet.
#![cfg(target_arch = "wasm32")]

use survey_widget::mount::{mount_element, WidgetHandle};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

const DEMO: &str = include_str!("../../demo/surveys/digital-engagement.json");

fn document() -> web_sys::Document {
    web_sys::window().expect("tests run in a window").document().expect("a window has a document")
}

/// A fresh host element in the page, as a web team would paste it, on a device that has never
/// seen a survey (empty storage).
fn host() -> Element {
    fresh_storage();
    host_keeping_storage()
}

/// A fresh host element, on a device that keeps whatever the test put in its storage.
fn host_keeping_storage() -> Element {
    let el = document().create_element("survey-widget").expect("create element");
    document().body().expect("body").append_child(&el).expect("append");
    el
}

fn options(survey: &str, extra: &str) -> String {
    let survey = serde_json::to_string(survey).expect("a string serialises");
    format!(r#"{{"survey_json": {survey}, "endpoint": "/test-endpoint"{extra}}}"#)
}

fn shadow(el: &Element) -> ShadowRoot {
    el.shadow_root().expect("the widget renders into an open shadow root")
}

fn find(root: &ShadowRoot, selector: &str) -> Element {
    root.query_selector(selector).expect("valid selector").unwrap_or_else(|| panic!("no {selector}"))
}

fn find_all(root: &ShadowRoot, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("valid selector");
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).collect()
}

fn text(el: &web_sys::Node) -> String {
    el.text_content().unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lets pending renders, effects, timers and promise callbacks run until `done` holds; fails
/// after 10 seconds.
async fn until(what: &str, done: impl Fn() -> bool) {
    let deadline = js_sys::Date::now() + 10_000.0;
    while js_sys::Date::now() < deadline {
        yew::scheduler::flush().await;
        if done() {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    panic!("timed out waiting for {what}");
}

fn click(el: &Element) {
    el.dyn_ref::<HtmlElement>().expect("an HTML element").click();
}

fn button(root: &ShadowRoot, label: &str) -> Element {
    find_all(root, "button").into_iter().find(|b| text(b) == label).unwrap_or_else(|| panic!("no button {label}"))
}

/// Replaces `window.fetch` with a fake that records each request and answers with `status`.
fn fake_fetch(status: u16, body: &str) {
    fake_fetch_with(status, body, "{}");
}

/// [`fake_fetch`] with response headers (a JSON object). A GET is answered with the definition
/// in `window.__definition`, if a test put one there; every request is recorded with what it
/// asked of the browser (credentials, referrer policy, redirect mode). Reach events (to
/// `/events`, beside the test endpoint) are answered 204 and recorded apart ([`reach_sent`]).
fn fake_fetch_with(status: u16, body: &str, headers: &str) {
    let f = js_sys::Function::new_with_args(
        "status, body, headers",
        "window.__requests = [];
         window.__reach = [];
         window.fetch = async (req) => {
           const text = await req.text();
           // Reach events are kept apart: the tests of delivery count the answers' requests.
           if (new URL(req.url).pathname === '/events') {
             window.__reach.push({ credentials: req.credentials, referrerPolicy: req.referrerPolicy,
                                   keepalive: req.keepalive, body: JSON.parse(text) });
             return new Response(null, { status: 204 });
           }
           window.__requests.push({ url: req.url, method: req.method, key: req.headers.get('Idempotency-Key'),
                                    type: req.headers.get('Content-Type'), credentials: req.credentials,
                                    referrerPolicy: req.referrerPolicy, redirect: req.redirect, body: text });
           if (req.method === 'GET' && window.__definition)
             return new Response(window.__definition, { status: 200, headers: { 'Content-Type': 'application/json' } });
           if (status === 0) throw new TypeError('Failed to fetch');
           return new Response(body, { status, headers: { 'Content-Type': 'application/json', ...JSON.parse(headers) } });
         };",
    );
    f.call3(&JsValue::NULL, &JsValue::from(status), &JsValue::from_str(body), &JsValue::from_str(headers))
        .expect("install fake fetch");
}

fn requests() -> Vec<serde_json::Value> {
    let v = js_sys::Reflect::get(&web_sys::window().expect("window"), &"__requests".into()).expect("requests");
    let json = js_sys::JSON::stringify(&v).expect("stringify").as_string().unwrap_or_default();
    serde_json::from_str(&json).unwrap_or_default()
}

/// The reach events sent so far, with how they were sent.
fn reach_sent() -> Vec<serde_json::Value> {
    let v = js_sys::Reflect::get(&web_sys::window().expect("window"), &"__reach".into()).expect("reach events");
    let json = js_sys::JSON::stringify(&v).expect("stringify").as_string().unwrap_or_default();
    serde_json::from_str(&json).unwrap_or_default()
}

/// Records every `survey:*` event the host element dispatches.
fn record_events(el: &Element) {
    let f = js_sys::Function::new_with_args(
        "el",
        "el.__events = [];
         for (const name of ['ready','start','page','submit','queued','complete','error'])
           el.addEventListener('survey:' + name, (e) => el.__events.push({ name: e.type, detail: e.detail,
                                                                          bubbles: e.bubbles, composed: e.composed }));",
    );
    f.call1(&JsValue::NULL, el).expect("install listeners");
}

fn events(el: &Element) -> Vec<serde_json::Value> {
    let v = js_sys::Reflect::get(el, &"__events".into()).expect("events");
    let json = js_sys::JSON::stringify(&v).expect("stringify").as_string().unwrap_or_default();
    serde_json::from_str(&json).unwrap_or_default()
}

fn radio(root: &ShadowRoot, label: &str) -> HtmlInputElement {
    let l = find_all(root, "label").into_iter().find(|l| text(l) == label).unwrap_or_else(|| panic!("no label {label}"));
    let id = l.get_attribute("for").expect("labels name their control");
    root.get_element_by_id(&id).expect("the control is in the same root").dyn_into().expect("an input")
}

async fn mounted(el: &Element, opts: &str) -> WidgetHandle {
    let handle = mount_element(el.clone(), opts).expect("mount");
    let root = shadow(el);
    until("the survey to render", || root.query_selector("form").ok().flatten().is_some()).await;
    handle
}

#[wasm_bindgen_test]
async fn questions_are_fieldsets_and_labels_with_hints_tied_by_describedby() {
    let el = host();
    let _h = mounted(&el, &options(DEMO, "")).await;
    let root = shadow(&el);
    let legend = find(&root, "fieldset legend");
    assert_eq!(text(&legend), "How did you hear about this survey?");
    // The multiple choice question's hint is referenced from its fieldset, in the same root.
    let fieldsets = find_all(&root, "fieldset");
    let multi = &fieldsets[1];
    let described = multi.get_attribute("aria-describedby").expect("hint is tied to the fieldset");
    for id in described.split_whitespace() {
        assert!(root.get_element_by_id(id).is_some(), "aria-describedby id {id} is in the same root");
    }
    assert!(text(multi).contains("(optional)"), "optional questions say so in words");
    // No inline style attributes anywhere (a strict CSP would block them).
    assert!(find_all(&root, "[style]").is_empty());
    // The stylesheet is loaded inside the shadow root.
    assert_eq!(find_all(&root, "link[rel=stylesheet]").len(), 0, "no stylesheet URL was given in this test");
}

#[wasm_bindgen_test]
async fn a_missing_answer_shows_a_focused_error_summary_linked_to_the_field() {
    let el = host();
    let _h = mounted(&el, &options(DEMO, "")).await;
    let root = shadow(&el);
    click(&button(&root, "Continue"));
    until("the error summary", || root.query_selector(".sw-error-summary").ok().flatten().is_some()).await;
    let summary = find(&root, ".sw-error-summary");
    until("focus on the summary", || root.active_element().as_ref() == Some(&summary)).await;
    assert!(summary.query_selector("[role=alert]").ok().flatten().is_some());
    let heading = summary.query_selector("h3").ok().flatten().expect("the summary has a heading");
    assert_eq!(text(&heading), "There is a problem");
    let link = find(&root, ".sw-error-summary a");
    let inline = find(&root, ".sw-error-message");
    let inline_text = text(&inline);
    assert_eq!(inline_text, format!("Error: {}", text(&link)), "link text equals the inline message");
    let fieldset = find(&root, "fieldset");
    let described = fieldset.get_attribute("aria-describedby").unwrap_or_default();
    assert!(described.split_whitespace().any(|id| Some(id.to_owned()) == inline.get_attribute("id")));
    // Following the link focuses the first radio, inside the shadow root.
    click(&link);
    let first = radio(&root, "Social media");
    assert_eq!(root.active_element(), Some(first.into()));
}

#[wasm_bindgen_test]
async fn answers_are_posted_once_with_the_payload_of_the_spec() {
    fake_fetch(201, r#"{"reference":"K7Q2-9XMD"}"#);
    let el = host();
    record_events(&el);
    let _h = mounted(&el, &options(DEMO, r#", "hidden": {"channel": "test", "undeclared": "x"}"#)).await;
    let root = shadow(&el);
    radio(&root, "Our website").click();
    click(&button(&root, "Continue"));
    until("page 2", || text(&root).contains("Page 2 of 3")).await;
    click(&rating(&root, "4"));
    click(&button(&root, "Continue"));
    until("page 3", || text(&root).contains("Page 3 of 3")).await;
    radio(&root, "I understand how my answers will be used").click();
    // Two presses in a row: the second is ignored while the first is sending.
    click(&button(&root, "Send answers"));
    click(&button(&root, "Send answers"));
    until("the confirmation", || text(&root).contains("Thank you for your views")).await;
    let reqs = requests();
    assert_eq!(reqs.len(), 1, "one POST: {reqs:?}");
    let r = &reqs[0];
    assert_eq!(r["type"], "application/json");
    assert_eq!(r["credentials"], "omit", "no cookies are sent");
    let payload: serde_json::Value = serde_json::from_str(r["body"].as_str().unwrap_or("")).expect("JSON body");
    assert_eq!(r["key"], payload["submission_id"], "Idempotency-Key is the submission id");
    assert!(survey_widget::model::is_uuid(payload["submission_id"].as_str().unwrap_or("")));
    assert_eq!(payload["format"], "survey-response/1");
    assert_eq!(payload["survey"], serde_json::json!({"id": "digital-engagement", "version": 1}));
    assert_eq!(payload["anonymous"], true);
    assert!(payload.get("context").is_none(), "an anonymous payload has no context");
    assert_eq!(payload["answers"], serde_json::json!({"heard": "website", "ease": 4, "consent": true}));
    assert_eq!(payload["hidden"], serde_json::json!({"channel": "test"}), "only declared hidden fields");
    assert!(text(&root).contains("K7Q2-9XMD"), "the reference is shown");
    let names: Vec<String> = events(&el).iter().map(|e| e["name"].as_str().unwrap_or("").to_owned()).collect();
    for expected in ["survey:ready", "survey:start", "survey:page", "survey:submit", "survey:complete"] {
        assert!(names.iter().any(|n| n == expected), "{expected} fired: {names:?}");
    }
    let complete = events(&el).into_iter().find(|e| e["name"] == "survey:complete").expect("complete");
    assert_eq!(complete["detail"]["reference"], "K7Q2-9XMD");
    assert_eq!(complete["detail"]["submission_id"], payload["submission_id"]);
    // The hidden field `channel` is the response's channel, and the channel of its reach events.
    assert_eq!(payload["channel"], "test");
    let mut reach: Vec<String> = reach_sent()
        .iter()
        .map(|e| {
            assert_eq!((&e["credentials"], &e["referrerPolicy"], &e["keepalive"]), (&"omit".into(), &"no-referrer".into(), &true.into()));
            assert_eq!(e["body"]["channel"], "test");
            format!("{}{}", e["body"]["kind"].as_str().unwrap_or("?"), e["body"]["page"].as_str().map(|p| format!(":{p}")).unwrap_or_default())
        })
        .collect();
    reach.sort();
    assert_eq!(reach, ["page:finding-us", "page:send", "page:your-views", "started", "viewed"]);
    assert_eq!(complete["bubbles"], true);
    assert_eq!(complete["composed"], true);
}

/// A rating radio, by its number.
fn rating(root: &ShadowRoot, number: &str) -> Element {
    find_all(root, "input[type=radio]")
        .into_iter()
        .find(|i| i.get_attribute("value").as_deref() == Some(number))
        .expect("a rating radio")
}

/// Empties both storages, so each test starts as a first visit.
fn fresh_storage() {
    let w = web_sys::window().expect("window");
    let _ = js_sys::Reflect::delete_property(&w, &"__definition".into());
    for store in [w.local_storage(), w.session_storage()] {
        store.ok().flatten().expect("storage").clear().expect("clear");
    }
}

fn stored(local: bool, key: &str) -> Option<String> {
    let w = web_sys::window().expect("window");
    let store = if local { w.local_storage() } else { w.session_storage() };
    store.ok().flatten().expect("storage").get_item(key).expect("read")
}

/// How many keys a storage area holds, besides the reach marks (which every survey keeps in
/// `sessionStorage` for the tab, anonymous or not: docs/submission.md, "Reach events").
fn storage_len(local: bool) -> u32 {
    let w = web_sys::window().expect("window");
    let store = if local { w.local_storage() } else { w.session_storage() };
    let store = store.ok().flatten().expect("storage");
    let keys = (0..store.length().expect("length")).filter_map(|i| store.key(i).expect("key"));
    keys.filter(|k| !k.starts_with("survey-widget:reach:")).count() as u32
}

/// Every key of the outbox on the device: one per submission (`survey-widget:outbox:{id}`), and
/// an earlier release's list (`survey-widget:outbox`).
fn outbox_keys() -> Vec<String> {
    let store = local();
    (0..store.length().expect("length"))
        .filter_map(|i| store.key(i).expect("key"))
        .filter(|k| k.starts_with("survey-widget:outbox"))
        .collect()
}

/// Every entry of the outbox, across its keys, as JSON (an earlier release's list counts each
/// of its elements).
fn outbox() -> Vec<serde_json::Value> {
    let mut all = Vec::new();
    for k in outbox_keys() {
        let v: serde_json::Value = serde_json::from_str(&stored(true, &k).unwrap_or_default()).unwrap_or_default();
        match v {
            serde_json::Value::Array(list) if k == "survey-widget:outbox" => all.extend(list),
            v => all.push(v),
        }
    }
    all
}

/// The outbox's text, every key's value together, for "is it in there" checks.
fn outbox_text() -> String {
    outbox_keys().iter().filter_map(|k| stored(true, k)).collect::<Vec<_>>().join("\n")
}

const ONE_TEXT: &str = r#"{"format":1,"id":"one","title":"One","pages":[{"id":"p","questions":[
    {"id":"q","type":"text","title":"Your view","required":true}]}]}"#;

fn type_text(root: &ShadowRoot, value: &str) {
    let input: HtmlInputElement = find(root, "input").dyn_into().expect("input");
    input.set_value(value);
    input.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
}

#[wasm_bindgen_test]
async fn a_failed_post_is_kept_on_the_device_and_sent_again_with_the_same_bytes() {
    fake_fetch(0, "");
    let el = host();
    record_events(&el);
    let _h = mounted(&el, &options(ONE_TEXT, "")).await;
    let root = shadow(&el);
    type_text(&root, "Kept");
    let live = find(&root, "[role=status][aria-live=polite]");
    assert_eq!(text(&live), "", "the live region is there, silent, before anything happens");
    click(&button(&root, "Send answers"));
    until("the queued panel", || root.query_selector(".sw-queued").ok().flatten().is_some()).await;
    assert!(text(&root).contains("saved on this device"), "{}", text(&root));
    let live_now = find(&root, "[role=status][aria-live=polite]");
    assert!(live.is_same_node(Some(&live_now)), "the same live region announces the change");
    assert!(text(&live_now).contains("saved on this device"), "announced: {}", text(&live_now));
    let kept = outbox();
    assert_eq!(kept.len(), 1, "the submission is in the outbox: {kept:?}");
    assert!(kept[0]["body"].as_str().is_some_and(|b| b.contains("Kept")));
    let id = kept[0]["submission_id"].as_str().unwrap_or_default();
    assert_eq!(outbox_keys(), [format!("survey-widget:outbox:{id}")], "under its own key");
    assert_eq!(stored(true, "survey-widget:draft:one:1"), None, "kept once, not as a draft too");
    until("survey:queued", || events(&el).iter().any(|e| e["name"] == "survey:queued")).await;
    let first = requests();
    assert_eq!(first.len(), 1);
    fake_fetch(201, r#"{"reference":"AAAA-BBBB"}"#);
    click(&button(&root, "Try sending now"));
    until("the confirmation", || text(&root).contains("AAAA-BBBB")).await;
    let retried = requests();
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0]["body"], first[0]["body"], "a retry sends exactly the same body");
    assert_eq!(retried[0]["key"], first[0]["key"]);
    assert_eq!(storage_len(true) + storage_len(false), 0, "nothing is left on the device once delivered");
}

#[wasm_bindgen_test]
async fn a_submission_left_on_the_device_is_sent_when_the_survey_is_opened_again() {
    let id = "5f0c2a52-6d8f-4e1b-9a3c-2b7d1e0f4a11";
    let body = r#"{"format":"survey-response/1","survey":{"id":"one","version":1},"submission_id":"5f0c2a52-6d8f-4e1b-9a3c-2b7d1e0f4a11","submitted_at":"2026-11-22T10:00:00.000Z","language":"en","anonymous":false,"answers":{"q":"From before"}}"#;
    let entry = serde_json::json!({ "submission_id": id, "survey_id": "one",
        "survey_version": 1, "endpoint": "/test-endpoint", "body": body });
    // Under its own key, and in the one list an earlier release kept.
    for (key, value) in [(format!("survey-widget:outbox:{id}"), entry.clone()), ("survey-widget:outbox".into(), serde_json::json!([entry]))] {
        let el = host();
        local().set_item(&key, &value.to_string()).expect("write");
        fake_fetch(200, r#"{"reference":"OLD1-SENT"}"#);
        let _h = mount_element(el.clone(), &options(ONE_TEXT, "")).expect("mount");
        let root = shadow(&el);
        until("the confirmation", || text(&root).contains("OLD1-SENT")).await;
        let reqs = requests();
        assert_eq!(reqs.len(), 1, "{key}");
        assert_eq!(reqs[0]["body"], body);
        assert_eq!(reqs[0]["key"], id);
        until("the outbox emptied", || outbox_keys().is_empty()).await;
        el.remove();
    }
}

#[wasm_bindgen_test]
async fn answers_in_progress_come_back_and_start_again_clears_them() {
    let el = host();
    let mut h = mounted(&el, &options(ONE_TEXT, "")).await;
    let root = shadow(&el);
    type_text(&root, "Half done");
    until("the draft", || stored(true, "survey-widget:draft:one:1").is_some()).await;
    assert_eq!(storage_len(false), 0, "a survey that is not anonymous keeps its draft in localStorage");
    h.destroy();
    let _again = mounted(&el, &options(ONE_TEXT, "")).await;
    let input: HtmlInputElement = find(&root, "input").dyn_into().expect("input");
    assert_eq!(input.value(), "Half done");
    assert!(text(&root).contains("brought back the answers"));
    click(&button(&root, "Not you? Start again"));
    until("a cleared form", || {
        root.query_selector("input").ok().flatten().and_then(|i| i.dyn_into::<HtmlInputElement>().ok())
            .is_some_and(|i| i.value().is_empty())
    }).await;
    until("the draft removed", || stored(true, "survey-widget:draft:one:1").is_none()).await;
}

#[wasm_bindgen_test]
async fn an_anonymous_draft_lives_only_in_the_tab_and_a_changed_version_is_explained() {
    let el = host();
    let mut h = mounted(&el, &options(ONE_TEXT, r#", "anonymous": true"#)).await;
    let root = shadow(&el);
    type_text(&root, "Private");
    until("the draft", || stored(false, "survey-widget:draft:one:1").is_some()).await;
    assert_eq!(storage_len(true), 0, "nothing of an anonymous survey in localStorage");
    h.destroy();
    let v2 = ONE_TEXT.replacen(r#""id":"one","#, r#""id":"one","version":2,"#, 1);
    let _again = mounted(&el, &options(&v2, r#", "anonymous": true"#)).await;
    assert!(text(&root).contains("survey has changed"), "{}", text(&root));
    assert_eq!(stored(false, "survey-widget:draft:one:1"), None, "the stale draft is removed");
}

#[wasm_bindgen_test]
async fn a_refused_submission_says_so_and_is_not_retried() {
    fake_fetch(422, r#"{"error":"invalid_response"}"#);
    let survey = r#"{"format":1,"id":"one","title":"One","pages":[{"id":"p","questions":[
        {"id":"c","type":"consent","title":"OK?","label":"I agree","required":true}]}]}"#;
    let el = host();
    record_events(&el);
    let _h = mounted(&el, &options(survey, "")).await;
    let root = shadow(&el);
    radio(&root, "I agree").click();
    click(&button(&root, "Send answers"));
    until("the refusal notice", || root.query_selector(".sw-notice").ok().flatten().is_some()).await;
    assert!(text(&find(&root, ".sw-notice")).contains("not accepted"));
    assert_eq!(requests().len(), 1);
    let error = events(&el).into_iter().find(|e| e["name"] == "survey:error").expect("survey:error");
    assert_eq!(error["detail"]["code"], "submission_refused");
}

#[wasm_bindgen_test]
async fn a_malformed_definition_is_refused_with_every_problem_by_path() {
    let bad = r#"{"format":1,"id":"bad","title":"Bad","pages":[{"id":"p","questions":[
        {"id":"q","type":"single_choice","title":"A","options":[]},
        {"id":"q","type":"sliders","title":"B"}]}]}"#;
    let el = host();
    record_events(&el);
    let _h = mount_element(el.clone(), &options(bad, "")).expect("mount");
    let root = shadow(&el);
    until("the problem list", || root.query_selector(".sw-problem").ok().flatten().is_some()).await;
    let shown = text(&find(&root, ".sw-problem"));
    assert!(shown.contains("pages[0].questions[0].options: must not be empty"), "{shown}");
    assert!(shown.contains("pages[0].questions[1].type"), "{shown}");
    assert!(shown.contains("pages[0].questions[1].id: repeats the question id"), "{shown}");
    until("survey:error", || events(&el).iter().any(|e| e["name"] == "survey:error")).await;
    let error = events(&el).into_iter().find(|e| e["name"] == "survey:error").expect("event");
    assert_eq!(error["detail"]["code"], "bad_definition");
    assert_eq!(error["detail"]["survey_id"], "bad");
}

#[wasm_bindgen_test]
async fn missing_options_are_named_instead_of_a_blank_box() {
    let el = host();
    let _h = mount_element(el.clone(), r#"{"render": "sideways"}"#).expect("mount");
    let root = shadow(&el);
    until("the problem list", || root.query_selector(".sw-problem").ok().flatten().is_some()).await;
    let shown = text(&find(&root, ".sw-problem"));
    assert!(shown.contains("no survey") && shown.contains("no endpoint") && shown.contains("sideways"), "{shown}");
}

#[wasm_bindgen_test]
async fn a_light_render_replaces_the_pages_placeholder_and_a_shadow_render_leaves_it_unrendered() {
    let placeholder = |el: &Element| {
        let p = document().create_element("div").expect("create");
        p.set_attribute("data-survey-placeholder", "").expect("attribute");
        p.set_text_content(Some("Help us improve (before the widget)"));
        el.append_child(&p).expect("append");
    };
    let light = host();
    placeholder(&light);
    let _h = mount_element(light.clone(), &options(DEMO, r#", "render": "light""#)).expect("mount");
    until("the form", || light.query_selector("form").ok().flatten().is_some()).await;
    assert!(light.query_selector("[data-survey-placeholder]").expect("selector").is_none(), "the placeholder is gone");
    // In a shadow root the placeholder stays in the light DOM, where the root hides it: nothing
    // is taken from the page that the page may still want (its noscript reading, say).
    let shadowed = host();
    placeholder(&shadowed);
    let _s = mounted(&shadowed, &options(DEMO, "")).await;
    assert!(shadowed.query_selector("[data-survey-placeholder]").expect("selector").is_some());
}

#[wasm_bindgen_test]
async fn two_widgets_of_the_same_survey_in_light_mode_share_no_ids() {
    let (a, b) = (host(), host());
    let _ha = mount_element(a.clone(), &options(DEMO, r#", "render": "light""#)).expect("mount a");
    let _hb = mount_element(b.clone(), &options(DEMO, r#", "render": "light""#)).expect("mount b");
    until("both forms", || document().query_selector_all("survey-widget form").map(|l| l.length()).unwrap_or(0) >= 2)
        .await;
    assert!(a.shadow_root().is_none(), "light mode renders in the page's DOM");
    let all = document().query_selector_all("[id]").expect("selector");
    let mut seen = std::collections::BTreeSet::new();
    for i in 0..all.length() {
        let id = all.item(i).and_then(|n| n.dyn_into::<Element>().ok()).map(|e| e.id()).unwrap_or_default();
        assert!(seen.insert(id.clone()), "duplicate id {id}");
    }
    let names = document().query_selector_all("survey-widget input[type=radio]").expect("selector");
    let first = names.item(0).and_then(|n| n.dyn_into::<Element>().ok()).expect("a radio");
    let name = first.get_attribute("name").unwrap_or_default();
    let same = document().query_selector_all(&format!("input[name='{name}']")).expect("selector");
    assert_eq!(same.length(), 5, "radio names are per widget");
}

#[wasm_bindgen_test]
async fn destroy_removes_everything_the_widget_added() {
    let el = host();
    let mut h = mounted(&el, &options(DEMO, r#", "stylesheet": "/survey-widget.css""#)).await;
    let root = shadow(&el);
    assert_eq!(find_all(&root, "link[rel=stylesheet]").len(), 1);
    h.destroy();
    yew::scheduler::flush().await;
    assert_eq!(root.child_element_count(), 0, "nothing left in the shadow root");
    h.destroy(); // twice is harmless
    // Mounting again into the same element works (the shadow root is reused).
    let _again = mounted(&el, &options(DEMO, "")).await;
    assert_eq!(find_all(&root, "form").len(), 1);
}

#[wasm_bindgen_test]
async fn every_error_summary_link_points_at_a_control_of_every_question_type() {
    let every_type = r#"{"format":1,"id":"all","title":"All types","pages":[{"id":"p","questions":[
        {"id":"radios","type":"single_choice","title":"R","required":true,"options":[{"value":"a","label":"A"}]},
        {"id":"drop","type":"single_choice","display":"dropdown","title":"D","required":true,"options":[{"value":"a","label":"A"}]},
        {"id":"multi","type":"multiple_choice","title":"M","required":true,"options":[{"value":"a","label":"A"}]},
        {"id":"text","type":"text","title":"T","required":true},
        {"id":"long","type":"long_text","title":"L","required":true},
        {"id":"rate","type":"rating","title":"Ra","required":true},
        {"id":"grid","type":"matrix","title":"G","required":true,"rows":[{"value":"r","label":"Row"}],"columns":[{"value":"c","label":"Col"}]},
        {"id":"date","type":"date","title":"Da","required":true},
        {"id":"rank","type":"ranking","title":"Rk","required":true,"options":[{"value":"a","label":"A"},{"value":"b","label":"B"}]},
        {"id":"ok","type":"consent","title":"C","label":"I agree","required":true}]}]}"#;
    let el = host();
    let _h = mounted(&el, &options(every_type, "")).await;
    let root = shadow(&el);
    click(&button(&root, "Send answers"));
    until("the error summary", || root.query_selector(".sw-error-summary").ok().flatten().is_some()).await;
    let links = find_all(&root, ".sw-error-summary a");
    assert_eq!(links.len(), 10, "one link per question");
    for link in links {
        let href = link.get_attribute("href").unwrap_or_default();
        let id = href.trim_start_matches('#');
        let target = root.get_element_by_id(id).unwrap_or_else(|| panic!("{href} points at nothing"));
        click(&link);
        assert_eq!(root.active_element(), Some(target), "{href} focuses its control");
    }
}

const ONE_PER_PAGE: &str = r#"{"format": 1, "id": "one-per-page", "title": "Quick check",
  "one_question_per_page": true,
  "pages": [
    {"id": "visit", "title": "Your visit", "questions": [
      {"id": "seen", "type": "single_choice", "title": "Were you seen on time?", "required": true,
       "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]},
      {"id": "wait", "type": "text", "input": "number", "integer": true, "title": "How many minutes did you wait?",
       "visible_if": {"question": "seen", "equals": "no"}}
    ]},
    {"id": "end", "title": "Last question", "questions": [
      {"id": "ok", "type": "consent", "title": "Consent", "label": "I am happy for my answers to be used", "required": true}
    ]}
  ]}"#;

#[wasm_bindgen_test]
async fn one_question_per_page_shows_each_question_alone_and_skips_hidden_ones() {
    let el = host();
    let _handle = mounted(&el, &options(ONE_PER_PAGE, "")).await;
    let root = shadow(&el);
    let questions = || find_all(&root, ".sw-question").len();
    until("the first question", || questions() == 1).await;
    assert_eq!(text(&find(&root, ".sw-page-title")), "Your visit", "the section's title heads each of its questions");
    click(&radio(&root, "No").into());
    click(&button(&root, "Continue"));
    until("the revealed question, alone", || text(&find(&root, ".sw-question")).contains("How many minutes")).await;
    click(&button(&root, "Back"));
    until("the first question again", || find_all(&root, "input[type=radio]").len() == 2).await;
    click(&radio(&root, "Yes").into());
    click(&button(&root, "Continue"));
    until("the consent, skipping the hidden question", || text(&find(&root, ".sw-question")).contains("I am happy")).await;
    assert_eq!(questions(), 1);
}

#[wasm_bindgen_test]
async fn a_host_can_replace_the_widgets_words_and_a_mistyped_key_is_only_a_warning() {
    let el = host();
    let extra = r#", "words": {"continue_button": "Next", "sned": "x", "cy": {"continue_button": "Nesaf"}}"#;
    let _handle = mounted(&el, &options(DEMO, extra)).await;
    let root = shadow(&el);
    until("the first page", || !find_all(&root, "button[type=submit]").is_empty()).await;
    assert_eq!(text(&find(&root, "button[type=submit]")), "Next");
}

fn local() -> web_sys::Storage {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten()).expect("storage")
}

/// Runs `body` (JavaScript, with `el` bound) and returns its result as JSON.
fn js(body: &str, el: &JsValue) -> serde_json::Value {
    let f = js_sys::Function::new_with_args("el", body);
    let v = f.call1(&JsValue::NULL, el).expect("script runs");
    let json = js_sys::JSON::stringify(&v).ok().and_then(|s| s.as_string()).unwrap_or_else(|| "null".into());
    serde_json::from_str(&json).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_definition_and_the_answers_go_without_referrer_or_cookies_and_never_follow_a_redirect() {
    fake_fetch(201, r#"{"reference":"AAAA-CCCC"}"#);
    let el = host();
    js("window.__definition = el;", &JsValue::from_str(DEMO));
    let opts = r#"{"survey_url": "/surveys/digital-engagement.json", "endpoint": "/test-endpoint"}"#;
    let _h = mounted(&el, opts).await;
    let root = shadow(&el);
    radio(&root, "Our website").click();
    click(&button(&root, "Continue"));
    until("page 2", || text(&root).contains("Page 2 of 3")).await;
    click(&rating(&root, "4"));
    click(&button(&root, "Continue"));
    until("page 3", || text(&root).contains("Page 3 of 3")).await;
    radio(&root, "I understand how my answers will be used").click();
    click(&button(&root, "Send answers"));
    until("the confirmation", || text(&root).contains("AAAA-CCCC")).await;
    let reqs = requests();
    let methods: Vec<&str> = reqs.iter().map(|r| r["method"].as_str().unwrap_or("")).collect();
    assert!(methods.contains(&"GET") && methods.contains(&"POST"), "{methods:?}");
    for r in &reqs {
        assert_eq!(r["credentials"], "omit", "{r}");
        assert_eq!(r["referrerPolicy"], "no-referrer", "{r}");
        assert_eq!(r["redirect"], "error", "a redirect is a failure, never a delivery: {r}");
    }
    let post = reqs.iter().find(|r| r["method"] == "POST").expect("the POST");
    let payload: serde_json::Value = serde_json::from_str(post["body"].as_str().unwrap_or("")).expect("JSON body");
    let at = payload["submitted_at"].as_str().unwrap_or("");
    assert!(at.ends_with(":00:00.000Z"), "an anonymous survey is sent at the hour, not the second: {at}");
}

#[wasm_bindgen_test]
async fn any_anonymous_value_but_false_makes_the_survey_anonymous_and_an_unknown_one_is_warned_about() {
    js("window.__warnings = []; window.__warn = window.__warn || console.warn;
        console.warn = (...a) => { window.__warnings.push(a.join(' ')); window.__warn(...a); };", &JsValue::NULL);
    fake_fetch(201, "{}");
    let el = host();
    let _h = mounted(&el, &options(ONE_TEXT, r#", "anonymous": " Yes ""#)).await;
    let root = shadow(&el);
    type_text(&root, "Mine");
    click(&button(&root, "Send answers"));
    until("the confirmation", || root.query_selector(".sw-panel").ok().flatten().is_some()).await;
    let payload: serde_json::Value = serde_json::from_str(requests()[0]["body"].as_str().unwrap_or("")).expect("body");
    js("console.warn = window.__warn;", &JsValue::NULL);
    assert_eq!(payload["anonymous"], true, "\"Yes\" is not \"false\": anonymous");
    assert!(payload.get("context").is_none());
    let warnings = js("return window.__warnings;", &JsValue::NULL);
    assert!(warnings.as_array().into_iter().flatten().any(|w| w.as_str().unwrap_or("").contains("anonymous")),
        "an unknown value is reported: {warnings}");
}

#[wasm_bindgen_test]
async fn a_closed_survey_says_so_and_keeps_the_answers_on_screen_and_on_the_device() {
    fake_fetch(422, r#"{"code":"closed","message":"This survey is closed."}"#);
    let el = host();
    record_events(&el);
    let _h = mounted(&el, &options(ONE_TEXT, "")).await;
    let root = shadow(&el);
    type_text(&root, "Too late");
    click(&button(&root, "Send answers"));
    until("the notice", || root.query_selector(".sw-notice").ok().flatten().is_some()).await;
    assert!(text(&find(&root, ".sw-notice")).contains("closed"), "{}", text(&root));
    let input: HtmlInputElement = find(&root, "input").dyn_into().expect("input");
    assert_eq!(input.value(), "Too late", "the answers stay on screen");
    let kept = outbox();
    assert!(kept.len() == 1 && kept[0]["body"].as_str().is_some_and(|b| b.contains("Too late")), "kept on the device until the respondent chooses: {kept:?}");
    assert_eq!(kept[0]["held"], serde_json::json!({"status": 422, "closed": true}));
    // Copying the answers is the other choice: a plain-text copy, and a polite word that it worked.
    let said = || find_all(&root, ".sw-notice-slot [role=status]").iter().map(|n| text(n)).collect::<String>();
    js("Object.defineProperty(navigator, 'clipboard', { configurable: true, value: \
        { writeText: t => { window.__copied = t; return Promise.resolve(); } } });", &JsValue::NULL);
    click(&button(&root, "Copy my answers"));
    until("the copy announced", || said() == "Answers copied").await;
    assert_eq!(js("return window.__copied;", &JsValue::NULL), "One\nYour view: Too late");
    // Where the clipboard refuses, the respondent is told how to copy them by hand.
    js("navigator.clipboard.writeText = () => Promise.reject(new Error('denied'));", &JsValue::NULL);
    click(&button(&root, "Copy my answers"));
    until("the fallback announced", || said().contains("Select them on the page")).await;
    js("delete navigator.clipboard;", &JsValue::NULL);
    // Starting again is the respondent's choice, and it lets the answers go.
    click(&button(&root, "Start again"));
    until("the outbox emptied", || outbox_keys().is_empty()).await;
    assert_eq!(requests().len(), 1, "a refusal is never retried by itself");
}

#[wasm_bindgen_test]
async fn a_429_keeps_the_answers_and_waits_at_least_its_retry_after() {
    fake_fetch_with(429, "{}", r#"{"Retry-After": "120"}"#);
    let el = host();
    let _h = mounted(&el, &options(ONE_TEXT, "")).await;
    let root = shadow(&el);
    type_text(&root, "Busy");
    let sent_at = js_sys::Date::now();
    click(&button(&root, "Send answers"));
    until("the queued panel", || root.query_selector(".sw-queued").ok().flatten().is_some()).await;
    until("the earliest next try", || {
        outbox().first().and_then(|kept| kept["not_before"].as_f64()).is_some_and(|t| t >= sent_at + 119_000.0)
    })
    .await;
}

#[wasm_bindgen_test]
async fn an_unreadable_outbox_entry_is_kept_as_it_is_and_the_others_are_still_sent() {
    let garbage = r#"{"submission_id":5,"survey_id":["?"]}"#;
    let newer = r#"{"format":9,"id":"from-a-newer-release","sealed":"AAECAw=="}"#;
    let readable = serde_json::json!({"submission_id": "5f0c2a52-6d8f-4e1b-9a3c-2b7d1e0f4a22", "survey_id": "other",
        "survey_version": 1, "endpoint": "/test-endpoint", "body": "{\"elsewhere\":true}"});
    fresh_storage();
    // An earlier release's list, and an entry under its own key that only a newer release reads.
    local().set_item("survey-widget:outbox", &format!("[{garbage},{newer},{readable}]")).expect("write");
    local().set_item("survey-widget:outbox:from-a-newer-release", newer).expect("write");
    fake_fetch(201, "{}");
    let el = host_keeping_storage();
    let _h = mounted(&el, &options(ONE_TEXT, "")).await;
    // The background flush sends what it can read…
    until("the readable entry delivered", || requests().iter().any(|r| r["body"] == "{\"elsewhere\":true}")).await;
    // …and keeps, byte for byte, what it cannot.
    until("only the unreadable entries left", || !outbox_text().contains("elsewhere")).await;
    assert_eq!(stored(true, "survey-widget:outbox"), Some(format!("[{garbage},{newer}]")), "kept verbatim");
    assert_eq!(stored(true, "survey-widget:outbox:from-a-newer-release").as_deref(), Some(newer), "kept verbatim");
    // A new submission is added beside them, never over them.
    fake_fetch(0, "");
    let root = shadow(&el);
    type_text(&root, "Mine too");
    click(&button(&root, "Send answers"));
    until("the queued panel", || root.query_selector(".sw-queued").ok().flatten().is_some()).await;
    assert_eq!(stored(true, "survey-widget:outbox"), Some(format!("[{garbage},{newer}]")));
    assert_eq!(stored(true, "survey-widget:outbox:from-a-newer-release").as_deref(), Some(newer));
    assert!(outbox_text().contains("Mine too"), "{}", outbox_text());
}

#[wasm_bindgen_test]
async fn the_outbox_is_written_only_under_the_lock_that_tabs_share() {
    let el = host();
    fake_fetch(0, "");
    let _h = mounted(&el, &options(ONE_TEXT, "")).await;
    let root = shadow(&el);
    type_text(&root, "Wait your turn");
    // Another tab holds the outbox's lock.
    js("window.__held = new Promise((held) => navigator.locks.request('survey-widget:outbox',
          () => { held(); return new Promise((release) => { window.__release = release; }); }));
        return null;", &JsValue::NULL);
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(
        js_sys::Reflect::get(&web_sys::window().expect("window"), &"__held".into()).expect("held"),
    ))
    .await
    .expect("the lock is taken");
    click(&button(&root, "Send answers"));
    until("sending", || text(&root).contains("Sending your answers")).await;
    for _ in 0..5 {
        yew::scheduler::flush().await;
    }
    assert_eq!(outbox_keys(), Vec::<String>::new(), "nothing is written while another tab holds the lock");
    js("window.__release(); return null;", &JsValue::NULL);
    until("written once the lock is free", || outbox_text().contains("Wait your turn")).await;
}

#[wasm_bindgen_test]
async fn without_web_locks_the_outbox_is_still_written() {
    let el = host();
    fake_fetch(0, "");
    // A browser without Web Locks (Safari before 15.4).
    js("Object.defineProperty(navigator, 'locks', { value: undefined, configurable: true }); return null;", &JsValue::NULL);
    let _h = mounted(&el, &options(ONE_TEXT, "")).await;
    let root = shadow(&el);
    type_text(&root, "No locks here");
    click(&button(&root, "Send answers"));
    until("the queued panel", || root.query_selector(".sw-queued").ok().flatten().is_some()).await;
    js("delete navigator.locks; return null;", &JsValue::NULL);
    assert!(outbox_text().contains("No locks here"), "{}", outbox_text());
    assert!(text(&root).contains("saved on this device"), "{}", text(&root));
}

/// Makes this page read `localStorage` as another tab of the device would if it had not yet
/// taken in the writes made since this call: Chromium gives each renderer process its own copy,
/// updated a moment after another process writes, whoever holds the Web Lock. What this page
/// writes goes to the real storage, and into its copy. [`fresh_view`] ends it.
fn stale_view_from_now() {
    js("const copy = new Map();
        for (let i = 0; i < localStorage.length; i++) copy.set(localStorage.key(i), localStorage.getItem(localStorage.key(i)));
        window.__copy = copy;
        return null;", &JsValue::NULL);
}

/// Starts reading the copy taken by [`stale_view_from_now`].
fn read_stale_view() {
    js("const proto = Storage.prototype, copy = window.__copy;
        const real = { getItem: proto.getItem, setItem: proto.setItem, removeItem: proto.removeItem, key: proto.key,
                       length: Object.getOwnPropertyDescriptor(proto, 'length') };
        const mine = (s) => s === window.localStorage;
        proto.getItem = function (k) { return mine(this) ? (copy.has(String(k)) ? copy.get(String(k)) : null) : real.getItem.call(this, k); };
        proto.setItem = function (k, v) { real.setItem.call(this, k, v); if (mine(this)) copy.set(String(k), String(v)); };
        proto.removeItem = function (k) { real.removeItem.call(this, k); if (mine(this)) copy.delete(String(k)); };
        proto.key = function (i) { return mine(this) ? ([...copy.keys()][i] ?? null) : real.key.call(this, i); };
        Object.defineProperty(proto, 'length', { configurable: true, enumerable: true,
          get() { return mine(this) ? copy.size : real.length.get.call(this); } });
        window.__fresh = () => { Object.assign(proto, { getItem: real.getItem, setItem: real.setItem, removeItem: real.removeItem, key: real.key });
                                 Object.defineProperty(proto, 'length', real.length); };
        return null;", &JsValue::NULL);
}

/// Reads the real storage again.
fn fresh_view() {
    js("window.__fresh(); return null;", &JsValue::NULL);
}

#[wasm_bindgen_test]
async fn a_tab_reading_a_stale_copy_of_the_storage_never_removes_another_tabs_submission() {
    use survey_widget::delivery::outbox;
    fresh_storage();
    // An earlier release's list, as both tabs saw it.
    let old = serde_json::json!([{"submission_id": "old-1", "survey_id": "other", "survey_version": 1,
        "endpoint": "/test-endpoint", "body": "{\"old\":1}", "not_before": 99_999_999_999_999u64}]);
    local().set_item("survey-widget:outbox", &old.to_string()).expect("write");
    stale_view_from_now();
    // Tab 1 keeps X (its first attempt hangs, say), after tab 2 last took in the device's writes.
    let x = outbox::Outgoing {
        submission_id: "5f0c2a52-6d8f-4e1b-9a3c-2b7d1e0f4a33".into(),
        survey_id: "other".into(),
        survey_version: 1,
        endpoint: "/test-endpoint".into(),
        body: "{\"x\":1}".into(),
        timeout_ms: 1_000,
        held: None,
        not_before: None,
    };
    assert!(outbox::keep(&x, None).await);
    // Not before long: the page's background flush (there is one tab here, really) leaves it be.
    outbox::settle(x.submission_id.clone(), outbox::Settle::Defer(99_999_999_999_999)).await;
    let written = stored(true, &outbox::key(&x.submission_id)).expect("X is kept");
    // Tab 2, which has not seen X, takes the lock and settles its own submission Y: kept, asked
    // to wait by a 503, then delivered; and it moves the earlier release's list.
    read_stale_view();
    let unseen = local().get_item(&outbox::key(&x.submission_id)).expect("read");
    fake_fetch_with(503, "{}", r#"{"Retry-After": "1"}"#);
    let el = host_keeping_storage();
    let _h = mounted(&el, &options(ONE_TEXT, "")).await;
    let root = shadow(&el);
    type_text(&root, "Tab two");
    click(&button(&root, "Send answers"));
    until("the queued panel", || root.query_selector(".sw-queued").ok().flatten().is_some()).await;
    fake_fetch(201, r#"{"reference":"TAB2-SENT"}"#);
    click(&button(&root, "Try sending now"));
    until("the confirmation", || text(&root).contains("TAB2-SENT")).await;
    fresh_view();
    assert_eq!(unseen, None, "tab 2 really read a copy without X");
    assert!(requests().iter().all(|r| r["key"] != x.submission_id.as_str()), "X is tab 1's to send");
    assert_eq!(stored(true, &outbox::key(&x.submission_id)), Some(written), "X is exactly as tab 1 wrote it");
    let ids: Vec<String> = outbox().iter().filter_map(|e| e["submission_id"].as_str().map(str::to_owned)).collect();
    assert_eq!(ids.len(), 2, "X and the earlier release's entry, nothing else: {ids:?}");
    assert!(ids.contains(&x.submission_id) && ids.contains(&"old-1".to_owned()), "{ids:?}");
    assert_eq!(stored(true, "survey-widget:outbox"), None, "the earlier release's list is moved");
}

#[wasm_bindgen_test]
async fn a_draft_older_than_a_day_is_deleted_and_a_fresh_one_offers_not_you_start_again() {
    let day = 24.0 * 3_600_000.0;
    let draft = |saved_at: f64| {
        let saved_at = saved_at as u64;
        serde_json::json!({"answers": {"values": {"q": {"t": "text", "v": "Someone else"}}, "other_text": {}},
            "page": 0, "seed": 1, "lang": null, "saved_at": saved_at}).to_string()
    };
    let el = host();
    local().set_item("survey-widget:draft:one:1", &draft(js_sys::Date::now() - day - 60_000.0)).expect("write");
    let mut h = mounted(&el, &options(ONE_TEXT, "")).await;
    let root = shadow(&el);
    let input: HtmlInputElement = find(&root, "input").dyn_into().expect("input");
    assert_eq!(input.value(), "", "an expired draft is not restored");
    assert_eq!(stored(true, "survey-widget:draft:one:1"), None, "an expired draft is deleted");
    h.destroy();

    local().set_item("survey-widget:draft:one:1", &draft(js_sys::Date::now() - 60_000.0)).expect("write");
    let _again = mounted(&el, &options(ONE_TEXT, "")).await;
    let input: HtmlInputElement = find(&root, "input").dyn_into().expect("input");
    assert_eq!(input.value(), "Someone else");
    assert!(text(&root).contains("a day"), "the restored view says how long answers are kept: {}", text(&root));
    click(&button(&root, "Not you? Start again"));
    until("the draft removed", || stored(true, "survey-widget:draft:one:1").is_none()).await;
}

#[wasm_bindgen_test]
async fn the_draft_is_written_after_a_pause_in_typing_and_at_once_when_the_page_or_the_widget_goes() {
    const KEY: &str = "survey-widget:draft:one:1";
    let has = |text: &str| stored(true, KEY).is_some_and(|d| d.contains(&format!("\"{text}\"")));
    let el = host();
    let mut h = mounted(&el, &options(ONE_TEXT, "")).await;
    let root = shadow(&el);
    for typed in ["H", "Ha"] {
        type_text(&root, typed);
        yew::scheduler::flush().await;
    }
    assert_eq!(stored(true, KEY), None, "not written on every keystroke");
    until("the draft, after the pause", || has("Ha")).await;

    type_text(&root, "Half");
    yew::scheduler::flush().await;
    assert!(has("Ha"), "the last change waits for the pause");
    let pagehide = web_sys::Event::new("pagehide").expect("event");
    web_sys::window().expect("window").dispatch_event(&pagehide).expect("dispatch");
    assert!(has("Half"), "written at once when the page is left");

    type_text(&root, "Half done");
    yew::scheduler::flush().await;
    h.destroy();
    yew::scheduler::flush().await;
    assert!(has("Half done"), "written when the widget is removed: {:?}", stored(true, KEY));
}

#[wasm_bindgen_test]
async fn a_preview_keeps_nothing_sends_nothing_and_takes_a_changed_definition_in_place() {
    fake_fetch(201, r#"{"reference":"NOT0-SENT"}"#);
    let el = host();
    record_events(&el);
    let mut handle = mounted(&el, &options(DEMO, r#", "preview": true, "channel": "editor""#)).await;
    let root = shadow(&el);
    radio(&root, "Our website").click();
    click(&button(&root, "Continue"));
    until("page 2", || text(&root).contains("Page 2 of 3")).await;
    click(&rating(&root, "4"));

    // The author changes the first question's title: the answers and the page stay.
    let mut edited: serde_json::Value = serde_json::from_str(DEMO).expect("JSON");
    edited["pages"][1]["questions"][0]["title"] = "How easy is it, really?".into();
    handle.update(&edited.to_string()).map_err(|_| "update").expect("a valid definition is taken");
    until("the new title", || text(&root).contains("How easy is it, really?")).await;
    assert!(text(&root).contains("Page 2 of 3"), "still on the same page");
    assert!(rating(&root, "4").dyn_into::<HtmlInputElement>().map(|r| r.checked()).unwrap_or(false), "the answer is kept");
    // A broken definition is refused, and the last good one stays.
    assert!(handle.update(r#"{"format": 1, "id": "x"}"#).is_err());
    assert!(text(&root).contains("How easy is it, really?"));

    click(&button(&root, "Continue"));
    until("page 3", || text(&root).contains("Page 3 of 3")).await;
    radio(&root, "I understand how my answers will be used").click();
    click(&button(&root, "Send answers"));
    until("the confirmation", || text(&root).contains("Preview: these answers were not sent.")).await;
    assert!(requests().is_empty(), "nothing was sent: {:?}", requests());
    assert!(reach_sent().is_empty(), "no reach events: {:?}", reach_sent());
    // No draft of this survey in either storage (nothing went to the outbox: the native test
    // of `Action::PreviewSend` shows it builds no request). Other tests' deliveries may still be
    // finishing in localStorage, so only this survey's keys count.
    let session = web_sys::window().and_then(|w| w.session_storage().ok().flatten()).expect("sessionStorage");
    let keys = |s: &web_sys::Storage| (0..s.length().expect("length")).filter_map(|i| s.key(i).expect("key")).collect::<Vec<_>>();
    let kept: Vec<String> = keys(&local()).into_iter().chain(keys(&session)).filter(|k| k.contains("digital-engagement")).collect();
    assert!(kept.is_empty(), "nothing kept on the device: {kept:?}");
    let names: Vec<String> = events(&el).iter().map(|e| e["name"].as_str().unwrap_or("").to_owned()).collect();
    assert!(!names.iter().any(|n| n == "survey:submit" || n == "survey:complete"), "{names:?}");
}

#[wasm_bindgen_test]
async fn a_definition_given_while_the_first_is_still_loading_is_not_replaced_when_it_arrives() {
    // The definition's request is answered only when the test says so.
    js(
        "window.__ownFetch = window.__ownFetch || window.fetch;
         window.fetch = () => new Promise((resolve) => {
           window.__answerDefinition = () => resolve(new Response(el, { status: 200, headers: { 'Content-Type': 'application/json' } }));
         });",
        &JsValue::from_str(DEMO),
    );
    let el = host();
    let opts = r#"{"survey_url": "/surveys/digital-engagement.json", "endpoint": "/test-endpoint", "preview": true}"#;
    let mut handle = mount_element(el.clone(), opts).expect("mount");
    let root = shadow(&el);
    let mut edited: serde_json::Value = serde_json::from_str(DEMO).expect("JSON");
    edited["title"] = "The edited title".into();
    handle.update(&edited.to_string()).map_err(|_| "update").expect("a valid definition is taken");
    until("the given definition", || text(&root).contains("The edited title")).await;

    js("window.__answerDefinition();", &JsValue::NULL);
    // The fetched definition has arrived and been read by now, or never will be.
    for _ in 0..20 {
        yew::scheduler::flush().await;
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    js("window.fetch = window.__ownFetch;", &JsValue::NULL);
    assert!(text(&root).contains("The edited title"), "the later answer replaced it: {}", text(&root));
}
