//! The signed-in results pages: a survey's results (reach, filters, a chart and a table per
//! question, the exports) and the pages of written answers. Plain semantic HTML through the one
//! layout ([`crate::html::page`]): headings, tables with headers, forms that work without
//! script.
//!
//! One file per view: [`tally`] counts the responses as they stream from the store,
//! [`charts`] draws the SVG, [`questions`] renders one question's chart and table (public, for
//! published results too), [`filters`] the filter form, [`free_text`] the written answers.

pub mod charts;
pub mod filters;
pub mod free_text;
pub mod questions;
pub mod tally;

use crate::filter::{FilterInput, FilterProblem, ResultsFilter};
use crate::html::{escape, page};
use crate::pages::admin_nav;
use axum::response::Html;
use free_text::{TextPage, TextQuery, TextsPlace};
use std::fmt::Write as _;
use survey_model::{Question, Survey, Text};
use tally::Tally;

/// Everything the results page shows.
pub struct ResultsPage<'a> {
    pub survey: &'a Survey,
    pub tally: &'a Tally,
    pub filter: &'a ResultsFilter,
    /// The filter as it was asked for, to fill the form.
    pub input: &'a FilterInput,
    /// The channels responses came through, for the filter's choices.
    pub channels: &'a [String],
    /// The reach section (views, starts, completions), already HTML; goes first.
    pub reach: &'a str,
    /// The HTML that embeds the survey, shown for copying.
    pub snippet: &'a str,
}

/// `GET /admin/surveys/{id}`: the results page.
pub fn results_page(p: &ResultsPage<'_>) -> Html<String> {
    let survey = p.survey;
    let lang = survey.default_language.as_str();
    let title = text(survey, &survey.title);
    let path = format!("/admin/surveys/{}", survey.id);
    let total = p.tally.responses;
    let mut body = admin_nav();
    // `write!` into a String cannot fail; the results are ignored for that reason.
    let _ = write!(
        body,
        "<header>\n<p class=\"eyebrow\">Results summary</p>\n<h1>{}</h1>\n</header>\n<main>\n",
        escape(&title)
    );
    body.push_str(p.reach);
    // The channel as the filter read it (`Facebook` is `facebook`), so the list shows it chosen.
    let shown = FilterInput { channel: p.filter.channel.clone().unwrap_or_default(), ..p.input.clone() };
    body.push_str(&filters::filter_form(&path, &shown, p.channels, &[]));
    let scope = if p.filter.is_empty() { String::new() } else { format!(" {}", escape(&p.filter.describe())) };
    let _ = write!(
        body,
        "<p class=\"total\"><strong>{total}</strong> {}{scope} (survey <code>{}</code>, version {}).</p>\n\
         <p>These responses: <a href=\"{}\">download as CSV</a> or <a href=\"{}\">as JSON</a>.</p>\n\
         <details class=\"snippet\">\n<summary>Embed this survey in a web page</summary>\n\
         <p>Paste this where the survey should appear:</p>\n<pre><code>{}</code></pre>\n</details>\n",
        if total == 1 { "response" } else { "responses" },
        escape(&survey.id),
        survey.version,
        escape(&p.filter.link(&format!("{path}/responses.csv"))),
        escape(&p.filter.link(&format!("{path}/responses.json"))),
        escape(p.snippet),
    );
    versions_note(&mut body, survey.version, p.tally);
    for (id, counts) in &p.tally.questions {
        let Some(question) = survey.question(id) else { continue };
        let href = free_text::has_texts(question).then(|| p.filter.link(&format!("{path}/answers/{id}")));
        body.push_str(&questions::question_results(question, counts, total, lang, href.as_deref()));
    }
    body.push_str("</main>\n");
    page(lang, &format!("Results: {title}"), "", &body)
}

/// The results page when its filter cannot be used: what is wrong, and the form to put it
/// right. Sent with status 400.
pub fn filter_problems_page(survey: &Survey, input: &FilterInput, channels: &[String], problems: &[FilterProblem]) -> Html<String> {
    let title = text(survey, &survey.title);
    let mut body = admin_nav();
    let _ = write!(
        body,
        "<header>\n<p class=\"eyebrow\">Results summary</p>\n<h1>{}</h1>\n</header>\n<main>\n",
        escape(&title)
    );
    body.push_str(&filters::error_summary(problems));
    body.push_str(&filters::filter_form(&format!("/admin/surveys/{}", survey.id), input, channels, problems));
    body.push_str("</main>\n");
    page(survey.default_language.as_str(), &format!("Error: Results: {title}"), "", &body)
}

/// What the page of written answers shows.
pub struct TextsView<'a> {
    pub survey: &'a Survey,
    pub question: &'a Question,
    pub filter: &'a ResultsFilter,
    /// The search as typed, shown again in the box.
    pub search: &'a str,
    /// The page of answers, or what is wrong with the search or page asked for (status 400).
    pub found: std::result::Result<(&'a TextQuery, &'a TextPage), &'a [FilterProblem]>,
}

/// `GET /admin/surveys/{id}/answers/{question}`: a page of what people wrote.
pub fn texts_page(v: &TextsView<'_>) -> Html<String> {
    let survey = v.survey;
    let lang = survey.default_language.as_str();
    let question_title = text(survey, &v.question.title);
    let results = format!("/admin/surveys/{}", survey.id);
    let path = format!("{results}/answers/{}", v.question.id);
    let place = TextsPlace { path: &path, filter: v.filter };
    let mut body = admin_nav();
    let _ = write!(
        body,
        "<header>\n<p class=\"eyebrow\">{}</p>\n<h1>Answers to “{}”</h1>\n</header>\n<main>\n\
         <p><a href=\"{}\">Back to the results</a></p>\n",
        escape(&text(survey, &survey.title)),
        escape(&question_title),
        escape(&v.filter.link(&results)),
    );
    let problems = v.found.err().unwrap_or(&[]);
    if !problems.is_empty() {
        body.push_str(&filters::error_summary(problems));
    }
    body.push_str(&free_text::search_form(&place, v.search, problems));
    if let Ok((query, found)) = v.found {
        let mut scope = Vec::new();
        if !query.search.is_empty() {
            scope.push(format!("containing “{}”", escape(&query.search)));
        }
        if !v.filter.is_empty() {
            scope.push(escape(&v.filter.describe()));
        }
        let scope = if scope.is_empty() { String::new() } else { format!(" {}", scope.join(", ")) };
        let _ = write!(
            body,
            "<p class=\"total\"><strong>{}</strong> {}{scope}.",
            found.matches,
            if found.matches == 1 { "answer" } else { "answers" },
        );
        let shown = u64::try_from(found.texts.len()).unwrap_or(0);
        if shown > 0 && found.pages() > 1 {
            let first = (query.page - 1) * free_text::PAGE_SIZE + 1;
            let _ = write!(body, " Showing {first} to {}, page {} of {}.", first + shown - 1, query.page, found.pages());
        } else if shown == 0 && found.matches > 0 {
            let _ = write!(body, " There is no page {}; the last is page {}.", query.page, found.pages());
        }
        body.push_str("</p>\n");
        body.push_str(&free_text::answer_list(found, query.page));
        body.push_str(&free_text::pagination(&place, &query.search, query.page.min(found.pages()), found.pages()));
    }
    body.push_str("</main>\n");
    let prefix = if problems.is_empty() { "" } else { "Error: " };
    page(lang, &format!("{prefix}Answers to “{question_title}”"), "", &body)
}

/// Responses can answer older versions of the survey (a widget delivers what it queued, even
/// after the author published a new version). The page summarises the current questions, so
/// say how the responses split and where the rest is.
fn versions_note(out: &mut String, current: u32, tally: &Tally) {
    if tally.versions.keys().all(|v| *v == current) {
        return;
    }
    let split: Vec<String> = tally.versions.iter().map(|(v, n)| format!("version {v}: {n}")).collect();
    let _ = writeln!(
        out,
        "<p class=\"versions\">Responses by survey version: {}. Below are the current version's \
         questions; answers to questions only an earlier version asked are in the exports.</p>",
        split.join(", ")
    );
}

/// A text of the survey in its default language.
fn text(survey: &Survey, t: &Text) -> String {
    let lang = survey.default_language.as_str();
    t.get(lang, lang).to_owned()
}
