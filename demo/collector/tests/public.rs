//! The public pages: `/surveys`, each survey's `/s/{id}` with its sharing meta, the Atom feed,
//! and the opening and closing rule for posted answers (422 `not_open` and `closed`).
//!
//! Surveys with dates are written to a temporary SURVEYS_DIR. Answers to a closed survey are
//! seeded the way they arrive in life: posted while it was open (version 1), before its author
//! closes it in version 2 and the collector reloads.

mod common;

use axum::http::{header, StatusCode};
use common::*;
use serde_json::{json, Value};
use std::path::Path;
use survey_collector::config::PublicUrl;
use survey_collector::html::CSP;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

const PUBLIC: &str = "https://collect.example.org";

/// The demo survey under another id and title, with `extra` keys set (`null` removes one).
fn definition(id: &str, title: &str, extra: Value) -> String {
    let text = std::fs::read_to_string(demo_surveys().join("digital-engagement.json")).expect("readable");
    let mut v: Value = serde_json::from_str(&text).expect("valid JSON");
    v["id"] = id.into();
    v["title"] = title.into();
    v["link"] = format!("/s/{id}").into();
    for (key, value) in extra.as_object().expect("an object") {
        match value {
            Value::Null => {
                v.as_object_mut().expect("an object").remove(key);
            }
            value => v[key] = value.clone(),
        }
    }
    v.to_string()
}

fn write(dir: &Path, id: &str, text: &str) {
    std::fs::write(dir.join(format!("{id}.json")), text).expect("write a definition");
}

/// A moment `offset` from now, in RFC 3339 (UTC).
fn from_now(offset: Duration) -> String {
    (OffsetDateTime::now_utc() + offset).replace_nanosecond(0).expect("0 is valid").format(&Rfc3339).expect("formats")
}

/// A valid response to survey `id` (a copy of the demo's), written at `submitted_at`.
fn answer(id: &str, version: u32, submitted_at: &str) -> Value {
    let mut p = valid_payload(&new_id());
    p["survey"] = json!({ "id": id, "version": version });
    p["submitted_at"] = submitted_at.into();
    p
}

/// Words only a respondent wrote, or that identify the channel: never on a public page.
const PRIVATE_WORDS: [&str; 3] = ["Answer emails faster", "Cardiff", "A leaflet"];

/// Five surveys: two open, one not yet open, one closed with published results (and two answers
/// given while it was open), one closed without. Returns the folder and the environment.
async fn five_surveys(engine: Engine) -> (tempfile::TempDir, TestEnv) {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    write(d, "always-open", &definition("always-open", "Always open", json!({})));
    write(
        d,
        "closes-soon",
        &definition("closes-soon", "Closes soon", json!({ "closes_at": "2099-01-01T17:00:00+01:00", "description": "Quick one.\n\nSecond paragraph." })),
    );
    write(d, "later", &definition("later", "Not yet", json!({ "opens_at": "2099-06-01T09:00:00Z" })));
    write(d, "private", &definition("private", "Results kept private", json!({ "closes_at": "2020-03-31T17:00:00+01:00" })));
    write(d, "published", &definition("published", "Published results", json!({})));
    let mut env = TestEnv::on_with_surveys(engine, d.to_owned());
    env.config.public_url = Some(PublicUrl::parse(PUBLIC).expect("a valid URL"));

    let app = env.app().await;
    for _ in 0..2 {
        let (status, body) = send_json(&app, post_json(&answer("published", 1, &from_now(-Duration::hours(1))))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    // The author closes it and publishes the results.
    write(
        d,
        "published",
        &definition(
            "published",
            "Published results",
            json!({ "version": 2, "closes_at": "2020-04-30T12:00:00Z", "publish_results": true }),
        ),
    );
    (dir, env)
}

on_both_engines! {
    async fn the_list_shows_open_surveys_and_published_results_only(engine) {
        let (_dir, env) = five_surveys(engine).await;
        let app = env.app().await;
        let response = send(&app, get("/surveys")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_SECURITY_POLICY], CSP);
        let html = body_text(response).await;

        let open = html.find("<h2>Open surveys</h2>").expect("an open section");
        let closed = html.find("<h2>Results of closed surveys</h2>").expect("a closed section");
        let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("no {needle}: {html}"));
        // The soonest to close first, then those with no closing date; results after both.
        assert!(open < at("href=\"/s/closes-soon\"") && at("href=\"/s/closes-soon\"") < at("href=\"/s/always-open\""));
        assert!(at("href=\"/s/always-open\"") < closed && closed < at("href=\"/s/published\""));
        assert!(html.contains("Closes at 5pm on 1 January 2099."), "{html}");
        assert!(html.contains("<p lang=\"en\">Quick one.</p>\n<p lang=\"en\">Second paragraph.</p>"), "{html}");
        assert!(html.contains("Closed at midday on 30 April 2020. 2 people answered."), "{html}");
        assert!(html.contains("href=\"/s/published#results\""), "{html}");
        for hidden in ["/s/later", "/s/private", "Not yet", "Results kept private"] {
            assert!(!html.contains(hidden), "{hidden} is listed: {html}");
        }
        // The link to share is absolute, and works without the script.
        assert!(html.contains(&format!("<a href=\"{PUBLIC}/s/closes-soon\">{PUBLIC}/s/closes-soon</a>")), "{html}");
        assert!(html.contains(&format!("data-share-url=\"{PUBLIC}/s/closes-soon\"")), "{html}");
        assert_eq!(html.matches("role=\"status\"").count(), 3, "one status per survey");
        assert_eq!(html.matches("<script").count(), 1, "{html}");
        assert!(html.contains("<script src=\"/_collector/share.js\" defer></script>"), "{html}");
        assert!(!html.contains("style="), "no inline styles");
        for private in PRIVATE_WORDS {
            assert!(!html.contains(private), "{private} is on the public list");
        }

        let script = send(&app, get("/_collector/share.js")).await;
        assert_eq!(script.status(), StatusCode::OK);
        assert!(script.headers()[header::CONTENT_TYPE].to_str().expect("ascii").starts_with("text/javascript"));
        assert!(body_text(script).await.contains("Link copied"));
    }
}

on_both_engines! {
    async fn a_closed_survey_page_says_so_and_publishes_counts_but_no_words(engine) {
        let (_dir, env) = five_surveys(engine).await;
        let app = env.app().await;
        let html = body_text(send(&app, get("/s/published")).await).await;
        assert!(html.contains("<h1>Published results</h1>"), "{html}");
        assert!(html.contains("This survey closed at midday on 30 April 2020. It no longer takes answers."), "{html}");
        assert!(!html.contains("<survey-widget"), "a closed survey has no form: {html}");
        assert!(html.contains("<h2 id=\"results\" lang=\"en\">Results</h2>"), "{html}");
        assert!(html.contains("<strong>2</strong> people answered."), "{html}");
        // Both chose "other" for how they heard, and rated the ease 4: counts, in tables.
        assert!(html.contains("How did you hear about this survey?"), "{html}");
        assert!(html.contains("<table"), "{html}");
        assert!(html.contains("2 of 2 answered."), "{html}");
        for private in PRIVATE_WORDS {
            assert!(!html.contains(private), "{private} is on the public results");
        }
        assert!(!html.contains("/admin"), "no link into the admin pages: {html}");

        let kept = body_text(send(&app, get("/s/private")).await).await;
        assert!(kept.contains("This survey closed at 5pm on 31 March 2020."), "{kept}");
        assert!(!kept.contains("id=\"results\""), "{kept}");

        let later = body_text(send(&app, get("/s/later")).await).await;
        assert!(later.contains("This survey opens at 9am on 1 June 2099."), "{later}");
        assert!(later.contains("<survey-widget"), "{later}");
    }
}

/// The `content` of the `<meta>` whose `attr` is `name`, unescaped for `&amp;`, `&lt;`, `&gt;`, `&quot;`.
fn meta(html: &str, attr: &str, name: &str) -> String {
    let start = format!("<meta {attr}=\"{name}\" content=\"");
    let from = html.find(&start).unwrap_or_else(|| panic!("no {name}: {html}")) + start.len();
    let raw = &html[from..from + html[from..].find('"').expect("a closing quote")];
    raw.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

on_both_engines! {
    async fn a_survey_page_carries_sharing_meta_and_its_heading_before_the_widget(engine) {
        let dir = tempfile::tempdir().expect("temp dir");
        let title = "Fish & <chips> \"now\"";
        let description = "Tell us <b>what</b> you think & why.\n\nIt's quick.";
        write(dir.path(), "fish", &definition("fish", title, json!({ "description": description })));
        let mut env = TestEnv::on_with_surveys(engine, dir.path().to_owned());
        env.config.public_url = Some(PublicUrl::parse(PUBLIC).expect("a valid URL"));
        let html = body_text(send(&env.app().await, get("/s/fish")).await).await;

        assert_eq!(meta(&html, "property", "og:title"), title);
        assert_eq!(meta(&html, "name", "twitter:title"), title);
        assert_eq!(meta(&html, "property", "og:description"), "Tell us <b>what</b> you think & why. It's quick.");
        assert_eq!(meta(&html, "name", "twitter:description"), meta(&html, "property", "og:description"));
        assert_eq!(meta(&html, "property", "og:url"), format!("{PUBLIC}/s/fish"));
        assert_eq!(meta(&html, "property", "og:type"), "website");
        assert_eq!(meta(&html, "name", "twitter:card"), "summary");
        assert!(!html.contains("<chips>") && !html.contains("<b>what"), "escaped: {html}");

        // The heading and introduction are inside the widget's element: shown until the widget
        // attaches its shadow root, then no longer rendered, so never read twice.
        let widget = html.find("<survey-widget").expect("the widget");
        let end = html.find("</survey-widget>").expect("its end");
        let inside = &html[widget..end];
        assert!(inside.contains("<h1>Fish &amp; &lt;chips&gt; &quot;now&quot;</h1>"), "{inside}");
        assert!(inside.contains("<p>Tell us &lt;b&gt;what&lt;/b&gt; you think &amp; why.</p>\n<p>It&#39;s quick.</p>"), "{inside}");
        assert!(inside.contains("heading-level=\"1\""), "the widget's heading is the page's: {inside}");
        assert_eq!(html.matches("<h1>").count(), 1, "{html}");

        // No description: no empty description tags.
        write(dir.path(), "plain", &definition("plain", "Plain", json!({ "description": null })));
        let plain = body_text(send(&env.app().await, get("/s/plain")).await).await;
        assert_eq!(meta(&plain, "property", "og:title"), "Plain");
        assert!(!plain.contains("description\""), "{plain}");
    }
}

/// The feed, parsed: (id, title, link, updated, summary) per entry, and the feed's `updated`.
fn entries(xml: &str) -> (String, Vec<[String; 5]>) {
    const ATOM: &str = "http://www.w3.org/2005/Atom";
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not well-formed XML ({e}): {xml}"));
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")), "{xml}");
    let child = |node: roxmltree::Node, name: &str| -> String {
        let el = node.children().find(|n| n.has_tag_name((ATOM, name))).unwrap_or_else(|| panic!("no {name}"));
        el.attribute("href").or_else(|| el.text()).unwrap_or("").to_owned()
    };
    for name in ["id", "title", "updated", "author", "link"] {
        assert!(feed.children().any(|n| n.has_tag_name((ATOM, name))), "the feed has no {name}");
    }
    let list = feed
        .children()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .map(|e| [child(e, "id"), child(e, "title"), child(e, "link"), child(e, "updated"), child(e, "summary")])
        .collect();
    (child(feed, "updated"), list)
}

on_both_engines! {
    async fn the_feed_lists_the_public_surveys_newest_first(engine) {
        let (dir, env) = five_surveys(engine).await;
        write(dir.path(), "odd", &definition("odd", "Tea & <biscuits> \u{7}", json!({ "opens_at": "2025-02-01T09:00:00Z" })));
        let app = env.app().await;
        // When each was first loaded, set by hand so the order is certain.
        for (id, at) in [("always-open", "2025-01-10"), ("closes-soon", "2025-01-20"), ("odd", "2025-01-05"), ("published", "2019-12-01")] {
            env.execute(&format!("UPDATE definitions SET first_loaded_at = '{at}T00:00:00.000Z' WHERE survey_id = '{id}'")).await;
        }
        let response = send(&app, get("/surveys.atom")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/atom+xml");
        let xml = body_text(response).await;
        let (updated, list) = entries(&xml);
        let ids: Vec<&str> = list.iter().map(|e| e[0].as_str()).collect();
        // "odd" was loaded first but opened later (1 February): it is new from then.
        assert_eq!(
            ids,
            [
                format!("{PUBLIC}/s/odd"),
                format!("{PUBLIC}/s/closes-soon"),
                format!("{PUBLIC}/s/always-open"),
                format!("{PUBLIC}/s/published"),
            ],
            "{xml}"
        );
        assert_eq!(updated, "2025-02-01T09:00:00Z");
        assert_eq!(list[0][1], "Tea & <biscuits> ", "escaped, and what XML cannot carry dropped");
        assert_eq!(list[0][2], format!("{PUBLIC}/s/odd"));
        assert_eq!(list[1][3], "2025-01-20T00:00:00.000Z");
        assert!(list[1][4].ends_with("Closes at 5pm on 1 January 2099."), "{:?}", list[1]);
        assert!(list[3][4].contains("the results are published"), "{:?}", list[3]);
        assert_eq!(list[3][3], "2020-04-30T12:00:00Z", "a closed survey is new again from its close");
        for private in PRIVATE_WORDS {
            assert!(!xml.contains(private), "{private} is in the feed");
        }
    }
}

on_both_engines! {
    async fn answers_outside_the_opening_times_are_refused_with_a_code(engine) {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        let closed_yesterday = from_now(-Duration::days(1));
        write(d, "long-closed", &definition("long-closed", "Long closed", json!({ "closes_at": "2020-03-31T17:00:00+01:00" })));
        write(d, "just-closed", &definition("just-closed", "Just closed", json!({ "closes_at": closed_yesterday })));
        write(d, "later", &definition("later", "Later", json!({ "opens_at": "2099-06-01T09:00:00Z" })));
        write(d, "open", &definition("open", "Open", json!({ "opens_at": "2020-01-01T00:00:00Z", "closes_at": "2099-01-01T00:00:00Z" })));
        let env = TestEnv::on_with_surveys(engine, d.to_owned());
        let state = env.state().await;
        let app = survey_collector::app(state.clone());

        // Written before the close, delivered within seven days of it: taken.
        let queued = answer("just-closed", 1, &from_now(-Duration::days(2)));
        let (status, body) = send_json(&app, post_json(&queued)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        // Written after the close: refused, with the moment, in words too.
        let (status, body) = send_json(&app, post_json(&answer("just-closed", 1, &from_now(-Duration::hours(1))))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"], "closed");
        assert_eq!(body["closes_at"], closed_yesterday.as_str());
        // Written before the close, but delivered more than seven days after it: refused.
        let (status, body) = send_json(&app, post_json(&answer("long-closed", 1, "2020-03-30T10:00:00Z"))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(
            body,
            json!({
                "error": "closed",
                "code": "closed",
                "message": "This survey closed at 5pm on 31 March 2020. It no longer takes answers.",
                "closes_at": "2020-03-31T17:00:00+01:00",
            })
        );
        // Before the opening, whatever the device's clock says.
        let (status, body) = send_json(&app, post_json(&answer("later", 1, "2099-07-01T10:00:00Z"))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(
            body,
            json!({
                "error": "not_open",
                "code": "not_open",
                "message": "This survey opens at 9am on 1 June 2099. It does not take answers before then.",
                "opens_at": "2099-06-01T09:00:00Z",
            })
        );
        let (status, body) = send_json(&app, post_json(&answer("open", 1, &from_now(Duration::ZERO)))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");

        for (id, stored) in [("just-closed", 1), ("long-closed", 0), ("later", 0), ("open", 1)] {
            assert_eq!(state.store.response_count(id).await.expect("counts"), stored, "{id}");
        }
    }
}

on_both_engines! {
    async fn a_retry_of_an_answer_stored_in_time_is_a_repeat_even_long_after_the_close(engine) {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        write(d, "consultation", &definition("consultation", "Consultation", json!({})));
        let mut env = TestEnv::on_with_surveys(engine, d.to_owned());
        let open = survey_collector::app(env.state().await);
        let stored = answer("consultation", 1, &from_now(Duration::ZERO));
        let (status, first) = send_json(&open, post_json(&stored)).await;
        assert_eq!(status, StatusCode::CREATED, "{first}");

        // Version 2 closed it long ago; the widget's acknowledgement was lost, and it retries.
        let later = tempfile::tempdir().expect("temp dir");
        let closed = json!({ "version": 2, "closes_at": "2020-03-31T17:00:00Z" });
        write(later.path(), "consultation", &definition("consultation", "Consultation", closed));
        env.config.surveys_dir = later.path().to_owned();
        let app = survey_collector::app(env.state().await);
        let (status, again) = send_json(&app, post_json(&stored)).await;
        assert_eq!(status, StatusCode::OK, "told it arrived: {again}");
        assert_eq!(again["reference"], first["reference"]);
        // Other answers under the same id are a conflict, as ever; a new submission is refused.
        let mut other = stored.clone();
        other["answers"]["area"] = "Swansea".into();
        let (status, body) = send_json(&app, post_json(&other)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        let (status, body) = send_json(&app, post_json(&answer("consultation", 1, &from_now(Duration::ZERO)))).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("closed")), "{body}");
    }
}
