//! The public pages' HTML: the list of surveys and each survey's own page.
//!
//! Both work without script. The survey page shows its heading and introduction before the
//! widget arrives, inside `<survey-widget>`: once the widget attaches its shadow root those
//! light-DOM children are no longer rendered, so the heading is never there twice.

use super::{description, title, when, Listing, SHARE_SCRIPT_PATH};
use crate::html::{escape, page};
use axum::response::Html;
use std::fmt::Write as _;
use survey_model::{Availability, Channel, Survey, Timestamp};

/// The results of a closed survey that publishes them.
pub struct Results {
    /// How many responses were stored.
    pub responses: u64,
    /// The per-question summary, already HTML (counts only; see [`crate::results::questions::question_results`]).
    pub sections: String,
}

/// `GET /surveys`: the open surveys, then the closed ones with published results. `base` is
/// the collector's absolute address, for the links people copy; `responses[i]` is how many
/// responses `listing.closed[i]` has.
pub fn list(base: &str, listing: &Listing<'_>, responses: &[u64]) -> Html<String> {
    let mut body = String::from(
        "<main>\n<h1>Surveys</h1>\n\
         <p>Have your say: these surveys are open now. Each takes you to a page where you can answer it.</p>\n",
    );
    body.push_str("<h2>Open surveys</h2>\n");
    if listing.open.is_empty() {
        body.push_str("<p>No surveys are open at the moment.</p>\n");
    } else {
        body.push_str("<ul class=\"survey-list\">\n");
        for survey in &listing.open {
            let closes = survey
                .closes_at
                .as_ref()
                .map(|c| format!("<p class=\"survey-dates\">Closes at {}.</p>\n", when::in_words(c)));
            list_item(&mut body, base, survey, closes.as_deref().unwrap_or(""));
        }
        body.push_str("</ul>\n");
    }
    if !listing.closed.is_empty() {
        body.push_str(
            "<h2>Results of closed surveys</h2>\n\
             <p>These surveys have closed. Their authors publish what people said, as counts: \
             no one's own words are shown.</p>\n<ul class=\"survey-list\">\n",
        );
        for (i, (survey, closed)) in listing.closed.iter().enumerate() {
            let n = responses.get(i).copied().unwrap_or(0);
            let extra = format!(
                "<p class=\"survey-dates\">Closed at {}. {n} {} answered.</p>\n\
                 <p><a href=\"/s/{}#results\">Read the results<span class=\"visually-hidden\"> of {}</span></a></p>\n",
                when::in_words(closed),
                if n == 1 { "person" } else { "people" },
                escape(&survey.id),
                escape(title(survey)),
            );
            list_item(&mut body, base, survey, &extra);
        }
        body.push_str("</ul>\n");
    }
    body.push_str(
        "<p>New surveys are also in the <a href=\"/surveys.atom\">Atom feed of surveys</a>, \
         for a feed reader.</p>\n</main>\n",
    );
    let head = format!(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Surveys\" href=\"/surveys.atom\">\n\
         <script src=\"{SHARE_SCRIPT_PATH}\" defer></script>\n"
    );
    page("en", "Surveys", &head, &body)
}

/// One survey in the list: its title as a link to its page, its introduction, `extra` (HTML:
/// dates, results), and its address to share. The script turns the address into buttons.
fn list_item(out: &mut String, base: &str, survey: &Survey, extra: &str) {
    let id = escape(&survey.id);
    let name = escape(title(survey));
    let url = escape(&format!("{base}/s/{}", survey.id));
    let lang = escape(&survey.default_language);
    let _ = write!(out, "<li class=\"survey-item\">\n<h3 lang=\"{lang}\"><a href=\"/s/{id}\">{name}</a></h3>\n");
    for p in description(survey) {
        let _ = writeln!(out, "<p lang=\"{lang}\">{}</p>", escape(p));
    }
    out.push_str(extra);
    // The status starts empty and is in the page from the start: a live region added at the
    // moment it speaks is often not announced.
    let _ = write!(
        out,
        "<div class=\"survey-share\" data-share-url=\"{url}\" data-share-title=\"{name}\">\n\
         <p class=\"share-link\">Link to share: <a href=\"{url}\">{url}</a></p>\n\
         <p class=\"share-status\" role=\"status\"></p>\n</div>\n</li>\n"
    );
}

/// `GET /s/{id}`: the survey on a page of its own. Open (or not yet open): the widget, with
/// the heading and introduction already in the HTML. Closed: says so, with the date, and the
/// results if the author publishes them (`results`). `channel` is what the widget counts the
/// visit under (the link's `?channel=`, or `link`).
pub fn survey(base: &str, survey: &Survey, now: i64, results: Option<&Results>, channel: &Channel) -> Html<String> {
    let lang = survey.default_language.as_str();
    let name = title(survey);
    let id = escape(&survey.id);
    let mut head = meta(base, survey);
    let mut body = String::from("<main class=\"standalone\">\n");
    match survey.availability(now) {
        Availability::Closed { closed } => closed_survey(&mut body, survey, closed, results),
        state => {
            head.push_str("<script src=\"/survey-widget/survey-widget.js\" async></script>\n");
            let notice = match state {
                Availability::NotYetOpen { opens } => {
                    format!("<p class=\"notice\" lang=\"en\">This survey opens at {}.</p>\n", when::in_words(opens))
                }
                _ => String::new(),
            };
            // The widget's heading is the page's main heading, as the placeholder's is. The
            // placeholder is light DOM inside the host: the widget's shadow root stops it being
            // rendered. (`data-survey-placeholder` names it for a light-DOM render to remove.)
            let _ = write!(
                body,
                "<survey-widget src=\"/surveys/{id}.json\" endpoint=\"/api/responses\" heading-level=\"1\" \
                 channel=\"{}\">\n\
                 <div class=\"survey-intro\" data-survey-placeholder>\n<h1>{}</h1>\n{}{notice}</div>\n</survey-widget>\n\
                 <noscript><p>This survey needs JavaScript. Please turn it on, or use a browser that \
                 supports it, to answer.</p></noscript>\n",
                escape(channel.as_str()),
                escape(name),
                paragraphs(survey),
            );
        }
    }
    body.push_str("<p class=\"more\" lang=\"en\"><a href=\"/surveys\">All surveys</a></p>\n</main>\n");
    page(lang, name, &head, &body)
}

fn closed_survey(body: &mut String, survey: &Survey, closed: &Timestamp, results: Option<&Results>) {
    let _ = write!(
        body,
        "<h1>{}</h1>\n<p class=\"notice\" lang=\"en\">This survey closed at {}. It no longer takes answers.</p>\n{}",
        escape(title(survey)),
        when::in_words(closed),
        paragraphs(survey),
    );
    if let Some(results) = results {
        let n = results.responses;
        let _ = write!(
            body,
            "<h2 id=\"results\" lang=\"en\">Results</h2>\n<p lang=\"en\"><strong>{n}</strong> {} answered. These are \
             counts; what people wrote in their own words is not published.</p>\n{}",
            if n == 1 { "person" } else { "people" },
            results.sections,
        );
    }
}

fn paragraphs(survey: &Survey) -> String {
    description(survey).iter().map(|p| format!("<p>{}</p>\n", escape(p))).collect()
}

/// Open Graph and Twitter card meta, so a shared link shows the survey's title and
/// description, and the canonical address (`base` is absolute). A survey without a description
/// gets no description tags rather than empty ones.
fn meta(base: &str, survey: &Survey) -> String {
    let name = escape(title(survey));
    let url = escape(&format!("{base}/s/{}", survey.id));
    let locale = escape(&survey.default_language.replace('-', "_"));
    let mut out = format!(
        "<link rel=\"canonical\" href=\"{url}\">\n\
         <meta property=\"og:type\" content=\"website\">\n\
         <meta property=\"og:title\" content=\"{name}\">\n\
         <meta property=\"og:url\" content=\"{url}\">\n\
         <meta property=\"og:locale\" content=\"{locale}\">\n\
         <meta name=\"twitter:card\" content=\"summary\">\n\
         <meta name=\"twitter:title\" content=\"{name}\">\n"
    );
    let summary = description(survey).join(" ");
    if !summary.is_empty() {
        let summary = escape(&summary);
        let _ = write!(
            out,
            "<meta name=\"description\" content=\"{summary}\">\n\
             <meta property=\"og:description\" content=\"{summary}\">\n\
             <meta name=\"twitter:description\" content=\"{summary}\">\n"
        );
    }
    out
}
