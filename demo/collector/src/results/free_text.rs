//! What people wrote: a text question's answers, or a choice's "other" texts, a page at a time,
//! with a search box (`/admin/surveys/{id}/answers/{question}?q=…&page=…`, plus the results
//! page's filter). A GET form and plain links, so it works without script.
//!
//! The rows are streamed through the filter and the search; only the page shown is kept, so the
//! memory a page takes does not grow with the number of responses. Answers come in export order
//! (the random order keys), which is stable from one page to the next and says nothing about
//! who answered after whom.

use crate::error::Result;
use crate::export;
use crate::filter::{FilterProblem, ResultsFilter};
use crate::html::escape;
use crate::store::Store;
use serde_json::Value;
use std::fmt::Write as _;
use survey_model::{Payload, Question, QuestionKind};

/// Answers on one page.
pub const PAGE_SIZE: u64 = 20;

/// The longest search, in characters.
const MAX_SEARCH_CHARS: usize = 200;

/// Whether `question` has written answers to read: a text question, or a choice with "other".
pub fn has_texts(question: &Question) -> bool {
    match &question.kind {
        QuestionKind::Text { .. } | QuestionKind::LongText { .. } => true,
        QuestionKind::SingleChoice { other, .. } | QuestionKind::MultipleChoice { other, .. } => other.is_some(),
        _ => false,
    }
}

/// The search and the page asked for, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextQuery {
    /// What the answers must contain (ignoring case); empty for every answer.
    pub search: String,
    /// Which page, from 1.
    pub page: u64,
}

impl TextQuery {
    /// Reads `q` and `page` from a query's pairs (the last of a repeated one wins). On a
    /// problem, also gives what can be shown again in the form.
    pub fn from_pairs(pairs: &[(String, String)]) -> (String, Result<TextQuery, Vec<FilterProblem>>) {
        let last = |name: &str| pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned());
        let search = last("q").unwrap_or_default();
        let mut problems = Vec::new();
        if search.chars().count() > MAX_SEARCH_CHARS {
            problems.push(FilterProblem { field: "q", message: format!("The search must be {MAX_SEARCH_CHARS} characters or fewer") });
        }
        let page = match last("page").filter(|p| !p.is_empty()) {
            None => 1,
            Some(p) => p.parse::<u64>().ok().filter(|n| *n >= 1).unwrap_or_else(|| {
                problems.push(FilterProblem { field: "page", message: "The page must be a whole number, 1 or more".into() });
                1
            }),
        };
        let result = if problems.is_empty() { Ok(TextQuery { search: search.clone(), page }) } else { Err(problems) };
        (search, result)
    }
}

/// One page of written answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextPage {
    /// Answers that match, on every page.
    pub matches: u64,
    /// This page's answers: the response's reference and what was written.
    pub texts: Vec<(String, String)>,
}

impl TextPage {
    /// How many pages the matches fill (at least 1, so an empty result is page 1 of 1).
    pub fn pages(&self) -> u64 {
        self.matches.div_ceil(PAGE_SIZE).max(1)
    }
}

/// Reads the answers to `question` that `filter` and `query` let through, keeping only those on
/// the page asked for.
pub async fn read_texts(store: &Store, survey_id: &str, question: &Question, filter: &ResultsFilter, query: &TextQuery) -> Result<TextPage> {
    let needle = query.search.to_lowercase();
    let first = (query.page - 1).saturating_mul(PAGE_SIZE);
    let mut page = TextPage::default();
    let mut rows = store.filtered_rows(survey_id, filter);
    while let Some(row) = rows.next().await {
        let row = row?;
        let Some(text) = text_of(question, &export::parse(&row)?) else { continue };
        if !needle.is_empty() && !text.to_lowercase().contains(&needle) {
            continue;
        }
        if page.matches >= first && page.matches < first + PAGE_SIZE {
            page.texts.push((row.reference, text));
        }
        page.matches += 1;
    }
    Ok(page)
}

/// What a response wrote for `question`, if anything.
fn text_of(question: &Question, payload: &Payload) -> Option<String> {
    match &question.kind {
        QuestionKind::Text { .. } | QuestionKind::LongText { .. } => match payload.answers.get(&question.id)? {
            Value::String(s) if s.is_empty() => None,
            Value::String(s) => Some(s.clone()),
            // A number input's answer is a number.
            other => Some(other.to_string()),
        },
        _ => payload.other_text.get(&question.id).filter(|t| !t.is_empty()).cloned(),
    }
}

/// Where the answers of one question are read, and how to link to one of its pages.
pub struct TextsPlace<'a> {
    /// `/admin/surveys/{id}/answers/{question}`.
    pub path: &'a str,
    pub filter: &'a ResultsFilter,
}

impl TextsPlace<'_> {
    /// The link to page `page` of the answers containing `search`, keeping the filter.
    pub fn href(&self, search: &str, page: u64) -> String {
        let mut query = self.filter.query();
        let mut add = |part: String| {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&part);
        };
        if !search.is_empty() {
            add(format!("q={}", crate::filter::encode_component(search)));
        }
        if page > 1 {
            add(format!("page={page}"));
        }
        if query.is_empty() {
            self.path.to_owned()
        } else {
            format!("{}?{query}", self.path)
        }
    }
}

/// The search form: the search box, and the filter carried along in hidden fields.
pub fn search_form(place: &TextsPlace<'_>, search: &str, problems: &[FilterProblem]) -> String {
    let mut out = format!("<form method=\"get\" action=\"{}\" class=\"search\" role=\"search\" novalidate>\n", escape(place.path));
    let filter = place.filter;
    let hidden = [
        ("channel", filter.channel.clone()),
        ("from", filter.from.map(crate::filter::day_text)),
        ("to", filter.to.map(crate::filter::day_text)),
    ];
    for (name, value) in hidden {
        if let Some(value) = value {
            // `write!` into a String cannot fail; the results are ignored for that reason.
            let _ = writeln!(out, "<input type=\"hidden\" name=\"{name}\" value=\"{}\">", escape(&value));
        }
    }
    let problem = problems.iter().find(|p| p.field == "q");
    let (class, described, error) = match problem {
        None => ("field", "", String::new()),
        Some(p) => (
            "field field-error",
            " aria-describedby=\"q-error\"",
            format!("<p class=\"error-message\" id=\"q-error\"><span class=\"visually-hidden\">Error:</span> {}</p>\n", escape(&p.message)),
        ),
    };
    let _ = write!(
        out,
        "<div class=\"{class}\">\n<label for=\"q\">Search the answers</label>\n{error}\
         <input type=\"search\" id=\"q\" name=\"q\" value=\"{}\" spellcheck=\"false\"{described}>\n</div>\n\
         <button type=\"submit\">Search</button>\n</form>\n",
        escape(search)
    );
    out
}

/// The answers of this page as a numbered list, numbered on from the pages before.
pub fn answer_list(page: &TextPage, number: u64) -> String {
    if page.texts.is_empty() {
        return String::new();
    }
    let start = (number - 1) * PAGE_SIZE + 1;
    let mut out = format!("<ol class=\"answers\" start=\"{start}\">\n");
    for (reference, text) in &page.texts {
        let _ = writeln!(
            out,
            "<li><p class=\"answer-text\">{}</p><p class=\"muted\">Response {}</p></li>",
            escape(text),
            escape(reference)
        );
    }
    out.push_str("</ol>\n");
    out
}

/// GOV.UK-style pagination: previous and next, the first and last pages, and the pages around
/// the current one, each link with a name that says which page it is.
pub fn pagination(place: &TextsPlace<'_>, search: &str, current: u64, last: u64) -> String {
    if last <= 1 {
        return String::new();
    }
    let mut out = String::from("<nav class=\"pagination\" aria-label=\"Pages of answers\">\n");
    if current > 1 {
        let _ = writeln!(
            out,
            "<a class=\"pagination-prev\" href=\"{}\" rel=\"prev\">Previous<span class=\"visually-hidden\"> page</span></a>",
            escape(&place.href(search, current - 1))
        );
    }
    out.push_str("<ul class=\"pagination-list\">\n");
    let mut shown_gap = false;
    for n in 1..=last {
        let near = n == 1 || n == last || n.abs_diff(current) <= 1;
        if !near {
            if !shown_gap {
                out.push_str("<li class=\"pagination-ellipsis\">…</li>\n");
                shown_gap = true;
            }
            continue;
        }
        shown_gap = false;
        let href = escape(&place.href(search, n));
        if n == current {
            let _ = writeln!(
                out,
                "<li class=\"pagination-current\"><a href=\"{href}\" aria-label=\"Page {n}\" aria-current=\"page\">{n}</a></li>"
            );
        } else {
            let _ = writeln!(out, "<li><a href=\"{href}\" aria-label=\"Page {n}\">{n}</a></li>");
        }
    }
    out.push_str("</ul>\n");
    if current < last {
        let _ = writeln!(
            out,
            "<a class=\"pagination-next\" href=\"{}\" rel=\"next\">Next<span class=\"visually-hidden\"> page</span></a>",
            escape(&place.href(search, current + 1))
        );
    }
    out.push_str("</nav>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn page_and_search_are_checked() {
        let (_, ok) = TextQuery::from_pairs(&pairs(&[("q", " faster "), ("page", "3")]));
        assert_eq!(ok, Ok(TextQuery { search: "faster".into(), page: 3 }));
        for bad in ["0", "-1", "two", "1.5"] {
            let (_, result) = TextQuery::from_pairs(&pairs(&[("page", bad)]));
            assert_eq!(result.expect_err(bad)[0].message, "The page must be a whole number, 1 or more");
        }
        let (_, long) = TextQuery::from_pairs(&pairs(&[("q", &"x".repeat(201))]));
        assert_eq!(long.expect_err("too long")[0].field, "q");
    }

    #[test]
    fn pagination_shows_the_ends_and_the_neighbours() {
        let filter = ResultsFilter { channel: Some("web".into()), ..ResultsFilter::default() };
        let place = TextsPlace { path: "/a", filter: &filter };
        let nav = pagination(&place, "x y", 5, 9);
        assert!(nav.contains("href=\"/a?channel=web&amp;q=x%20y&amp;page=4\" rel=\"prev\""), "{nav}");
        assert!(nav.contains("aria-label=\"Page 5\" aria-current=\"page\""), "{nav}");
        let numbers: Vec<&str> = nav.match_indices("aria-label=\"Page ").map(|(i, _)| &nav[i + 17..i + 18]).collect();
        assert_eq!(numbers, ["1", "4", "5", "6", "9"]);
        assert_eq!(nav.matches("pagination-ellipsis").count(), 2);
        assert!(pagination(&place, "", 1, 1).is_empty());
        assert_eq!(place.href("", 1), "/a?channel=web");
    }
}
