//! The results page, the pages of written answers and the filtered exports: the numbers in the
//! tables, what a filter takes out (of the page and of the CSV and JSON), paging and search, and
//! a clear 400 for a filter that cannot be used.

mod common;

use axum::http::{header, StatusCode};
use common::*;
use serde_json::{json, Value};

const ID: &str = "library-visit";
const PAGE: &str = "/admin/surveys/library-visit";

/// A survey with a question of every type the page draws.
fn definition() -> Value {
    let options = |values: &[&str]| -> Value {
        values.iter().map(|v| json!({ "value": v, "label": format!("Label {v}") })).collect()
    };
    json!({
        "format": 1, "id": ID, "version": 1, "title": "Your library visit",
        "default_language": "en", "languages": ["en"], "anonymous": true,
        "pages": [{ "id": "visit", "title": "Your visit", "questions": [
            { "id": "came", "type": "single_choice", "title": "Why did you come?",
              "options": options(&["books", "study"]), "other": { "label": "Something else" } },
            { "id": "used", "type": "multiple_choice", "title": "What did you use?", "options": options(&["wifi", "print"]) },
            { "id": "rate", "type": "rating", "title": "How was it?", "min": 1, "max": 3,
              "min_label": "Poor", "max_label": "Good" },
            { "id": "grid", "type": "matrix", "title": "How were these?",
              "rows": options(&["staff", "space"]), "columns": options(&["ok", "bad"]) },
            { "id": "order", "type": "ranking", "title": "Rank these", "options": options(&["quiet", "late"]) },
            { "id": "say", "type": "long_text", "title": "Anything else?" },
            { "id": "ok", "type": "consent", "title": "Agreement", "label": "I agree" }
        ]}]
    })
}

fn surveys() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(format!("{ID}.json")), definition().to_string()).expect("definition written");
    dir
}

/// A response through `channel` (none if `None`) with these answers.
fn response(channel: Option<&str>, answers: Value, other: Option<&str>) -> Value {
    let mut p = json!({
        "format": "survey-response/1",
        "survey": { "id": ID, "version": 1 },
        "submission_id": new_id(),
        "submitted_at": "2026-11-22T10:00:00Z",
        "language": "en",
        "anonymous": true,
        "answers": answers,
    });
    if let Some(channel) = channel {
        p["channel"] = json!(channel);
    }
    if let Some(other) = other {
        p["other_text"] = json!({ "came": other });
    }
    p
}

async fn post(app: &axum::Router, payload: &Value) -> String {
    let (status, body) = send_json(app, post_json(payload)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    payload["submission_id"].as_str().expect("an id").to_owned()
}

/// Three responses: two through the newsletter, one through the website.
async fn seed(app: &axum::Router) -> Vec<String> {
    let answers = [
        (Some("newsletter"), json!({ "came": "books", "used": ["wifi", "print"], "rate": 3,
            "grid": { "staff": "ok", "space": "bad" }, "order": ["quiet", "late"], "say": "More seats please", "ok": true }), None),
        (Some("newsletter"), json!({ "came": "books", "used": ["wifi"], "rate": 2,
            "grid": { "staff": "ok", "space": "ok" }, "order": ["quiet", "late"], "ok": true }), None),
        (Some("website"), json!({ "came": "other", "rate": 1, "grid": { "staff": "bad" },
            "order": ["late", "quiet"], "say": "Open later on Sundays" }), Some("A school trip")),
    ];
    let mut ids = Vec::new();
    for (channel, answers, other) in answers {
        ids.push(post(app, &response(channel, answers, other)).await);
    }
    ids
}

fn csv_rows(text: &str) -> usize {
    csv::Reader::from_reader(text.as_bytes()).records().inspect(|r| assert!(r.is_ok(), "valid CSV")).count()
}

async fn page(app: &axum::Router, uri: &str) -> String {
    let response = send(app, get_admin(uri)).await;
    assert_eq!(response.status(), StatusCode::OK, "{uri}");
    body_text(response).await
}

on_both_engines! {
    async fn every_question_has_a_chart_and_a_table_of_its_numbers(engine) {
        let dir = surveys();
        let env = TestEnv::on_with_surveys(engine, dir.path().to_owned());
        let app = env.app().await;
        seed(&app).await;
        let html = page(&app, PAGE).await;
        assert!(html.contains("<strong>3</strong> responses"), "{html}");
        // A single choice: percent of those who answered, "other" included.
        assert!(html.contains("<th scope=\"row\">Label books</th><td class=\"num\">2</td><td class=\"num\">67%</td>"), "{html}");
        assert!(html.contains("<th scope=\"row\">Something else</th><td class=\"num\">1</td><td class=\"num\">33%</td>"), "{html}");
        // A multiple choice: each option of those who answered (2), adding up past 100.
        assert!(html.contains("<th scope=\"row\">Label wifi</th><td class=\"num\">2</td><td class=\"num\">100%</td>"), "{html}");
        assert!(html.contains("<th scope=\"row\">Label print</th><td class=\"num\">1</td><td class=\"num\">50%</td>"), "{html}");
        assert!(html.contains("add up to more than 100"));
        // A rating, with its labels and average.
        assert!(html.contains("<th scope=\"row\">3 (Good)</th><td class=\"num\">1</td><td class=\"num\">33%</td>"), "{html}");
        assert!(html.contains("Average: <strong>2.0</strong> on a scale of 1 to 3."), "{html}");
        // A matrix: each row's answers, with that row's percentages.
        assert!(html.contains("<tr><th scope=\"row\">Label staff</th><td class=\"num\">2 <span class=\"share\">(67%)</span></td>\
            <td class=\"num\">1 <span class=\"share\">(33%)</span></td></tr>"), "{html}");
        assert!(html.contains("<tr><th scope=\"row\">Label space</th><td class=\"num\">1 <span class=\"share\">(50%)</span></td>\
            <td class=\"num\">1 <span class=\"share\">(50%)</span></td></tr>"), "{html}");
        // A ranking: how often at each position, and the average position.
        assert!(html.contains("<th scope=\"col\" class=\"num\">1st</th><th scope=\"col\" class=\"num\">2nd</th>\
            <th scope=\"col\" class=\"num\">Average position</th>"), "{html}");
        assert!(html.contains("<tr><th scope=\"row\">Label quiet</th><td class=\"num\">2 <span class=\"share\">(67%)</span></td>\
            <td class=\"num\">1 <span class=\"share\">(33%)</span></td><td class=\"num\">1.3</td></tr>"), "{html}");
        // Consent, and how many answered each question.
        assert!(html.contains("<th scope=\"row\">Agreed</th><td class=\"num\">2</td><td class=\"num\">100%</td>"), "{html}");
        assert!(html.contains("2 of 3 answered"));
        // Written answers are links, never on this page.
        assert!(html.contains("<a href=\"/admin/surveys/library-visit/answers/say\">Read the 2 answers"), "{html}");
        assert!(html.contains("<a href=\"/admin/surveys/library-visit/answers/came\">Read the 1 written answer to “Something else”"), "{html}");
        assert!(!html.contains("More seats please"));
        // One chart per question that has numbers, hidden from screen readers (the table reads).
        let questions = &html[html.find("class=\"question-result\"").expect("questions")..];
        assert_eq!(questions.matches("<svg class=\"chart\"").count(), 6, "{html}");
        assert_eq!(questions.matches("aria-hidden=\"true\" focusable=\"false\"").count(), 6);
        assert!(html.contains("class=\"chart-bar\" x=\"0\" y=\"17\" width=\"187\""), "67% of the track: {html}");
        assert!(!html.contains("style="), "no inline styles");
        assert!(!html.contains("<script"), "no scripts");
    }
}

on_both_engines! {
    async fn a_channel_filter_narrows_the_page_and_both_exports(engine) {
        let dir = surveys();
        let env = TestEnv::on_with_surveys(engine, dir.path().to_owned());
        let app = env.app().await;
        seed(&app).await;
        // One without a channel: in the totals, in no channel.
        post(&app, &response(None, json!({ "came": "study" }), None)).await;

        let html = page(&app, PAGE).await;
        assert!(html.contains("<strong>4</strong> responses"), "{html}");
        assert!(html.contains("<option value=\"newsletter\">newsletter</option>\n<option value=\"website\">website</option>"), "{html}");

        let html = page(&app, &format!("{PAGE}?channel=Newsletter")).await;
        assert!(html.contains("<strong>2</strong> responses through the channel “newsletter”"), "{html}");
        assert!(html.contains("<option value=\"newsletter\" selected>"), "{html}");
        assert!(html.contains("<th scope=\"row\">Label books</th><td class=\"num\">2</td><td class=\"num\">100%</td>"), "{html}");
        assert!(html.contains("href=\"/admin/surveys/library-visit/responses.csv?channel=newsletter\""), "{html}");
        assert!(html.contains("href=\"/admin/surveys/library-visit/responses.json?channel=newsletter\""), "{html}");
        assert!(html.contains("href=\"/admin/surveys/library-visit/answers/say?channel=newsletter\">Read the 1 answer<"), "{html}");
        assert!(html.contains("<p>Nobody wrote anything for “Something else”.</p>"), "no link to nothing: {html}");

        let csv = body_text(send(&app, get_admin(&format!("{PAGE}/responses.csv?channel=newsletter"))).await).await;
        assert_eq!(csv_rows(&csv), 2, "{csv}");
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let column = reader.headers().expect("a header").iter().position(|h| h == "channel").expect("a channel column");
        let channels: Vec<String> = reader.records().map(|r| r.expect("valid CSV")[column].to_owned()).collect();
        assert_eq!(channels, ["newsletter", "newsletter"]);
        assert_eq!(csv_rows(&body_text(send(&app, get_admin(&format!("{PAGE}/responses.csv"))).await).await), 4);
        let json = body_json(send(&app, get_admin(&format!("{PAGE}/responses.json?channel=website"))).await).await;
        let json = json.as_array().expect("a list");
        assert_eq!(json.len(), 1);
        assert_eq!(json[0]["channel"], "website");
        // A channel nobody came through: nothing, and the form still says which.
        let html = page(&app, &format!("{PAGE}?channel=facebook")).await;
        assert!(html.contains("<strong>0</strong> responses"), "{html}");
        assert!(html.contains("<option value=\"facebook\" selected>facebook</option>"), "{html}");
    }
}

on_both_engines! {
    async fn a_date_range_takes_utc_days_both_included(engine) {
        let dir = surveys();
        let env = TestEnv::on_with_surveys(engine, dir.path().to_owned());
        let app = env.app().await;
        let ids = seed(&app).await;
        // The arrival times, behind the collector's back: the first and last instants of two days.
        for (id, at) in ids.iter().zip(["2026-11-20T00:00:00.000Z", "2026-11-21T23:00:00.000Z", "2026-11-22T00:00:00.000Z"]) {
            env.execute(&format!("UPDATE responses SET received_at = '{at}' WHERE submission_id = '{id}'")).await;
        }
        let count = |html: &str| {
            let marker = "<p class=\"total\"><strong>";
            let start = html.find(marker).expect("a total") + marker.len();
            html[start..].split('<').next().expect("a number").parse::<u32>().expect("a number")
        };
        for (query, expected) in [
            ("from=2026-11-20&to=2026-11-20", 1),
            ("from=2026-11-20&to=2026-11-21", 2),
            ("from=2026-11-21", 2),
            ("to=2026-11-21", 2),
            ("from=2026-11-22&to=2026-11-22", 1),
            ("from=2026-11-23", 0),
            ("channel=newsletter&from=2026-11-21", 1),
        ] {
            let html = page(&app, &format!("{PAGE}?{query}")).await;
            assert_eq!(count(&html), expected, "{query}");
            let csv = body_text(send(&app, get_admin(&format!("{PAGE}/responses.csv?{query}"))).await).await;
            assert_eq!(csv_rows(&csv), expected as usize, "CSV {query}");
            let json = body_json(send(&app, get_admin(&format!("{PAGE}/responses.json?{query}"))).await).await;
            assert_eq!(json.as_array().map(Vec::len), Some(expected as usize), "JSON {query}");
        }
        let html = page(&app, &format!("{PAGE}?from=2026-11-20&to=2026-11-21")).await;
        assert!(html.contains("from 2026-11-20 to 2026-11-21 (UTC, both included)"), "{html}");
        assert!(html.contains("responses.csv?from=2026-11-20&amp;to=2026-11-21\""), "{html}");
        assert!(html.contains("value=\"2026-11-20\""), "the form keeps the filter: {html}");
    }
}

on_both_engines! {
    async fn a_filter_that_cannot_be_used_is_a_400_that_says_why(engine) {
        let dir = surveys();
        let env = TestEnv::on_with_surveys(engine, dir.path().to_owned());
        let app = env.app().await;
        seed(&app).await;
        let response = send(&app, get_admin(&format!("{PAGE}?from=2026-02-30&to=yesterday"))).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
        let html = body_text(response).await;
        assert!(html.contains("<h2 id=\"error-summary-title\">There is a problem</h2>"), "{html}");
        assert!(html.contains("<a href=\"#from\">The start date must be a real date written as year-month-day, for example 2026-11-22</a>"), "{html}");
        assert!(html.contains("<a href=\"#to\">The end date must be a real date"), "{html}");
        assert!(html.contains("value=\"2026-02-30\""), "what was typed stays: {html}");
        assert!(!html.contains("<svg"), "no results for a filter that cannot be used");

        let html = body_text(send(&app, get_admin(&format!("{PAGE}?from=2026-11-30&to=2026-11-01"))).await).await;
        assert!(html.contains("The end date must be the same as or after the start date"), "{html}");

        for uri in [
            format!("{PAGE}/responses.csv?from=2026-13-01"),
            format!("{PAGE}/responses.json?channel=not%20a%20channel"),
            format!("{PAGE}/answers/say?to=nope"),
        ] {
            let (status, body) = send_json(&app, get_admin(&uri)).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
            assert_eq!(body["error"], "bad_request");
            let message = body["message"].as_str().expect("a message");
            assert!(message.starts_with("The filter cannot be used. "), "{message}");
            assert!(message.contains("date must be a real date") || message.contains("channel must use only"), "{message}");
        }
    }
}

on_both_engines! {
    async fn written_answers_are_paged_searchable_and_filtered(engine) {
        let dir = surveys();
        let env = TestEnv::on_with_surveys(engine, dir.path().to_owned());
        let app = env.app().await;
        for i in 0..45 {
            let channel = if i % 3 == 0 { "website" } else { "newsletter" };
            let say = if i % 5 == 0 { format!("Answer {i}: the BUS stop is far") } else { format!("Answer {i}: <fine> & quiet") };
            post(&app, &response(Some(channel), json!({ "say": say }), None)).await;
        }
        let path = format!("{PAGE}/answers/say");
        let html = page(&app, &path).await;
        assert!(html.contains("<h1>Answers to “Anything else?”</h1>"), "{html}");
        assert!(html.contains("<strong>45</strong> answers. Showing 1 to 20, page 1 of 3."), "{html}");
        assert_eq!(html.matches("<p class=\"answer-text\">").count(), 20);
        assert!(html.contains("&lt;fine&gt; &amp; quiet"), "escaped");
        assert!(html.contains("<nav class=\"pagination\" aria-label=\"Pages of answers\">"), "{html}");
        assert!(html.contains("<a href=\"/admin/surveys/library-visit/answers/say?page=2\" aria-label=\"Page 2\">2</a>"), "{html}");
        assert!(html.contains("aria-label=\"Page 1\" aria-current=\"page\""));
        assert!(!html.contains("rel=\"prev\""), "no previous on the first page");
        assert!(!html.contains("style="));

        let last = page(&app, &format!("{path}?page=3")).await;
        assert!(last.contains("Showing 41 to 45, page 3 of 3."), "{last}");
        assert_eq!(last.matches("<p class=\"answer-text\">").count(), 5);
        assert!(last.contains("<ol class=\"answers\" start=\"41\">"));
        assert!(!last.contains("rel=\"next\""), "no next on the last page");
        // Every answer once across the pages: the order is stable.
        let mut seen = Vec::new();
        for n in 1..=3 {
            let html = page(&app, &format!("{path}?page={n}")).await;
            for piece in html.split("<p class=\"answer-text\">Answer ").skip(1) {
                seen.push(piece.split(':').next().expect("a number").parse::<u32>().expect("a number"));
            }
        }
        seen.sort_unstable();
        assert_eq!(seen, (0..45).collect::<Vec<_>>());

        // Search ignores case; 0, 5, … 40 mention the bus.
        let found = page(&app, &format!("{path}?q=bus")).await;
        assert!(found.contains("<strong>9</strong> answers containing “bus”."), "{found}");
        assert!(found.contains("value=\"bus\""));
        assert!(!found.contains("class=\"pagination\""), "one page only");
        // With a filter, carried in the form and in the links: 0, 15, 30 are on the website.
        let filtered = page(&app, &format!("{path}?q=BUS&channel=website")).await;
        assert!(filtered.contains("<strong>3</strong> answers containing “BUS”, through the channel “website”."), "{filtered}");
        assert!(filtered.contains("<input type=\"hidden\" name=\"channel\" value=\"website\">"), "{filtered}");
        assert!(filtered.contains("<a href=\"/admin/surveys/library-visit?channel=website\">Back to the results</a>"), "{filtered}");
        let none = page(&app, &format!("{path}?q=tram")).await;
        assert!(none.contains("<strong>0</strong> answers containing “tram”."), "{none}");

        // A page past the end says so; a page that is not a number is a 400 in the page.
        let past = page(&app, &format!("{path}?page=9")).await;
        assert!(past.contains("There is no page 9; the last is page 3."), "{past}");
        let response = send(&app, get_admin(&format!("{path}?page=two"))).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let html = body_text(response).await;
        assert!(html.contains("<a href=\"#page\">The page must be a whole number, 1 or more</a>"), "{html}");
    }
}

on_both_engines! {
    async fn other_texts_are_read_on_their_own_page_and_only_texts_have_one(engine) {
        let dir = surveys();
        let env = TestEnv::on_with_surveys(engine, dir.path().to_owned());
        let app = env.app().await;
        seed(&app).await;
        let html = page(&app, &format!("{PAGE}/answers/came")).await;
        assert!(html.contains("<strong>1</strong> answer."), "{html}");
        assert!(html.contains("<p class=\"answer-text\">A school trip</p>"), "{html}");
        for uri in [format!("{PAGE}/answers/rate"), format!("{PAGE}/answers/nope"), "/admin/surveys/nope/answers/say".to_owned()] {
            let (status, _) = send_json(&app, get_admin(&uri)).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        }
        // Behind the sign-in like every admin page.
        assert_eq!(send(&app, get(&format!("{PAGE}/answers/say"))).await.status(), StatusCode::UNAUTHORIZED);
    }
}

#[test]
fn the_test_survey_is_valid() {
    let text = definition().to_string();
    survey_model::Survey::parse(&text).expect("a valid survey");
}
