//! The "Reach" section of the results page: the funnel per channel, returns per day and
//! drop-off by page. Each is a table (what a screen reader reads), and the funnel and the
//! drop-off also a chart that repeats the table ([`crate::results::charts`]).

use super::{Funnel, Metrics, NO_CHANNEL};
use crate::html::escape;
use crate::results::charts::{self, Bar};
use std::fmt::Write as _;
use survey_model::Survey;

/// The whole section, for the survey's default language.
pub fn section(survey: &Survey, metrics: &Metrics, metrics_json_href: &str) -> String {
    let mut out = String::from("<section class=\"reach\" aria-labelledby=\"reach-heading\">\n");
    out.push_str("<h2 id=\"reach-heading\">Reach</h2>\n");
    // `write!` into a String cannot fail; results are ignored for that reason.
    let _ = writeln!(
        out,
        "<p>Views, starts and pages come from counters the widget adds to, with nothing about who \
         answered; responses sent are counted from the stored responses. \
         <a href=\"{}\">These numbers as JSON</a>.</p>",
        escape(metrics_json_href)
    );
    funnel(&mut out, metrics);
    days(&mut out, metrics);
    pages(&mut out, survey, metrics);
    out.push_str("</section>\n");
    out
}

fn rate(part: u64, whole: u64) -> String {
    Funnel::percent(part, whole).map_or_else(|| "–".to_owned(), |p| format!("{p}%"))
}

/// A count with its share of `whole` after it, "2 (67%)": one cell, so the table stays narrow
/// enough for a phone.
fn count_and_rate(part: u64, whole: u64) -> String {
    match Funnel::percent(part, whole) {
        Some(p) => format!("{part} ({p}%)"),
        None => part.to_string(),
    }
}

fn funnel_row(out: &mut String, name: &str, f: &Funnel) {
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
        escape(name),
        f.views,
        count_and_rate(f.starts, f.views),
        count_and_rate(f.completions, f.views),
    );
}

fn funnel(out: &mut String, m: &Metrics) {
    out.push_str("<h3>Views, starts and responses by channel</h3>\n");
    if m.total == Funnel::default() {
        out.push_str("<p>Nothing counted yet for this selection.</p>\n");
        return;
    }
    let bars: Vec<Bar> = m
        .by_channel
        .iter()
        .map(|(name, f)| Bar {
            label: format!("{}: responses per view", channel_label(name)),
            percent: Funnel::percent(f.completions, f.views).unwrap_or(0),
        })
        .collect();
    out.push_str("<div class=\"chart-and-table\">\n");
    out.push_str(&charts::bars(&bars));
    out.push_str(
        "<table class=\"counts funnel\">\n<caption>Funnel by channel (percentages of views)</caption>\n<thead><tr>\
         <th scope=\"col\">Channel</th><th scope=\"col\">Views</th><th scope=\"col\">Started</th>\
         <th scope=\"col\">Sent</th></tr></thead>\n<tbody>\n",
    );
    for (name, f) in &m.by_channel {
        funnel_row(out, &channel_label(name), f);
    }
    out.push_str("</tbody>\n<tfoot>\n");
    funnel_row(out, "All channels", &m.total);
    out.push_str("</tfoot>\n</table>\n</div>\n");
}

fn channel_label(name: &str) -> String {
    if name == NO_CHANNEL { "No channel given".to_owned() } else { name.to_owned() }
}

fn days(out: &mut String, m: &Metrics) {
    out.push_str("<h3>Returns per day</h3>\n");
    if m.by_day.is_empty() {
        out.push_str("<p>No days to show for this selection.</p>\n");
        return;
    }
    out.push_str(
        "<table class=\"counts days\">\n<caption>Views, starts and answers sent per day (UTC)</caption>\n<thead><tr>\
         <th scope=\"col\">Day</th><th scope=\"col\">Views</th><th scope=\"col\">Started</th>\
         <th scope=\"col\">Sent</th></tr></thead>\n<tbody>\n",
    );
    for d in &m.by_day {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&d.date),
            d.funnel.views,
            d.funnel.starts,
            d.funnel.completions
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

fn pages(out: &mut String, survey: &Survey, m: &Metrics) {
    out.push_str("<h3>Drop-off by page</h3>\n");
    let first = m.by_page.first().map_or(0, |p| p.reached);
    if m.by_page.iter().all(|p| p.reached == 0) {
        out.push_str("<p>No page has been reached yet for this selection.</p>\n");
        return;
    }
    let lang = survey.default_language.as_str();
    let title = |id: &str, i: usize| -> String {
        match survey.pages.iter().find(|p| p.id == id) {
            Some(p) => p.title.as_ref().map_or_else(|| format!("Page {}", i + 1), |t| t.get(lang, lang).to_owned()),
            None => format!("{id} (an earlier version's page)"),
        }
    };
    let bars: Vec<Bar> = m
        .by_page
        .iter()
        .enumerate()
        .map(|(i, p)| Bar { label: title(&p.page, i), percent: Funnel::percent(p.reached, first).unwrap_or(0) })
        .collect();
    out.push_str("<div class=\"chart-and-table\">\n");
    out.push_str(&charts::bars(&bars));
    out.push_str(
        "<table class=\"counts pages\">\n<caption>How many reached each page</caption>\n<thead><tr>\
         <th scope=\"col\">Page</th><th scope=\"col\">Reached</th><th scope=\"col\">Of page 1</th>\
         </tr></thead>\n<tbody>\n",
    );
    for (i, p) in m.by_page.iter().enumerate() {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
            escape(&title(&p.page, i)),
            p.reached,
            rate(p.reached, first)
        );
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
}
