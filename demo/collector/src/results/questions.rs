//! One question's results: a chart and, beside it, the table with its numbers (counts and
//! percentages), drawn from counts alone ([`QuestionTally`]), so the admin's results page and a
//! published summary render them the same way.
//!
//! Per type: choices and ratings get a bar per option (percent of those who answered); a matrix
//! a stacked bar per row (its columns' shares); a ranking a stacked bar per option (how often it
//! was put at each position); consent the number who agreed; free text and dates only how many
//! answered, with a link to read the texts where there are some.

use super::charts::{self, percent, Bar, Stack};
use super::tally::QuestionTally;
use crate::html::escape;
use std::fmt::Write as _;
use survey_model::{ChoiceOption, Question, QuestionKind, Text};

/// The section for `question`: heading, how many answered out of `responses`, chart and table.
/// `lang` is the language of the labels; `texts_href`, if given, is the page of the question's
/// written answers (text questions, and a choice's "other" texts), carrying any filter.
pub fn question_results(
    question: &Question,
    counts: &QuestionTally,
    responses: u64,
    lang: &str,
    texts_href: Option<&str>,
) -> String {
    let text = |t: &Text| t.get(lang, lang).to_owned();
    let title = text(&question.title);
    let id = escape(&question.id);
    let mut out = String::new();
    // `write!` into a String cannot fail; the results are ignored for that reason.
    let _ = write!(
        out,
        "<section class=\"question-result\" aria-labelledby=\"q-{id}\">\n<h2 id=\"q-{id}\">{}</h2>\n\
         <p>{} of {responses} answered.</p>\n",
        escape(&title),
        counts.answered,
    );
    match &question.kind {
        QuestionKind::SingleChoice { options, other, .. } | QuestionKind::MultipleChoice { options, other, .. } => {
            let mut rows: Vec<(String, String)> = options.iter().map(|o| (o.value.clone(), text(&o.label))).collect();
            if let Some(other) = other {
                rows.push(("other".into(), text(&other.label)));
            }
            let caption = match question.kind {
                QuestionKind::MultipleChoice { .. } => {
                    "People could choose more than one, so the percentages can add up to more than 100."
                }
                _ => "",
            };
            options_figure(&mut out, &title, "Option", caption, &rows, counts);
            if let (Some(other), Some(href)) = (other, texts_href) {
                let label = escape(&text(&other.label));
                if counts.other_texts == 0 {
                    let _ = writeln!(out, "<p>Nobody wrote anything for “{label}”.</p>");
                } else {
                    let _ = writeln!(
                        out,
                        "<p><a href=\"{}\">Read the {} to “{label}”<span class=\"visually-hidden\"> for {}</span></a></p>",
                        escape(href),
                        plural(counts.other_texts, "written answer", "written answers"),
                        escape(&title),
                    );
                }
            }
        }
        QuestionKind::Rating { min, max, min_label, max_label } => {
            let rows: Vec<(String, String)> = (*min..=*max)
                .map(|n| {
                    let end = if n == *min { min_label.as_ref() } else if n == *max { max_label.as_ref() } else { None };
                    (n.to_string(), end.map_or_else(|| n.to_string(), |l| format!("{n} ({})", text(l))))
                })
                .collect();
            options_figure(&mut out, &title, "Rating", "", &rows, counts);
            if counts.answered > 0 {
                let mean = counts.sum / counts.answered as f64;
                let _ = writeln!(out, "<p>Average: <strong>{mean:.1}</strong> on a scale of {min} to {max}.</p>");
            }
        }
        QuestionKind::Matrix { rows, columns } => {
            let series: Vec<String> = columns.iter().map(|c| text(&c.label)).collect();
            let stacks: Vec<Stack> = rows
                .iter()
                .map(|r| Stack { label: text(&r.label), counts: columns.iter().map(|c| counts.cell(&r.value, &c.value)).collect() })
                .collect();
            grid_figure(&mut out, &title, "Each row’s answers; percentages are of that row’s answers.", &series, &stacks, None);
        }
        QuestionKind::Ranking { options } => ranking(&mut out, &title, options, counts, &text),
        QuestionKind::Consent { .. } => {
            let rows = [("true".to_owned(), "Agreed".to_owned())];
            options_figure(&mut out, &title, "Answer", "", &rows, counts);
        }
        QuestionKind::Text { .. } | QuestionKind::LongText { .. } => {
            if let (Some(href), true) = (texts_href, counts.answered > 0) {
                let _ = writeln!(
                    out,
                    "<p><a href=\"{}\">Read the {}<span class=\"visually-hidden\"> to “{}”</span></a></p>",
                    escape(href),
                    plural(counts.answered, "answer", "answers"),
                    escape(&title),
                );
            }
        }
        // A date's answers are in the exports; counting is all the page does with them.
        QuestionKind::Date { .. } | QuestionKind::Statement => {}
    }
    out.push_str("</section>\n");
    out
}

/// A bar per option and the table of counts and percentages of those who answered.
fn options_figure(out: &mut String, title: &str, heading: &str, caption: &str, rows: &[(String, String)], counts: &QuestionTally) {
    let bars: Vec<Bar> = rows
        .iter()
        .map(|(value, label)| Bar { label: label.clone(), percent: percent(counts.count(value), counts.answered) })
        .collect();
    out.push_str("<div class=\"chart-and-table\">\n");
    out.push_str(&charts::bars(&bars));
    let _ = writeln!(
        out,
        "<table>\n<caption><span class=\"visually-hidden\">{}</span>{}</caption>\n\
         <thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">Count</th>\
         <th scope=\"col\" class=\"num\">% of answers</th></tr></thead>\n<tbody>",
        escape(title),
        caption_note(caption),
        escape(heading),
    );
    for (value, label) in rows {
        let count = counts.count(value);
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{count}</td><td class=\"num\">{}%</td></tr>",
            escape(label),
            percent(count, counts.answered),
        );
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
}

/// A ranking: how often each option was put at each position, and its average position.
fn ranking(out: &mut String, title: &str, options: &[ChoiceOption], counts: &QuestionTally, text: &dyn Fn(&Text) -> String) {
    let positions = options.len();
    let series: Vec<String> = (1..=positions).map(ordinal).collect();
    let stacks: Vec<Stack> = options
        .iter()
        .map(|o| Stack {
            label: text(&o.label),
            counts: (1..=positions).map(|p| counts.cell(&o.value, &p.to_string())).collect(),
        })
        .collect();
    let averages: Vec<String> = stacks
        .iter()
        .map(|s| {
            let ranked: u64 = s.counts.iter().sum();
            let total: u64 = s.counts.iter().zip(1u64..).map(|(n, p)| n * p).sum();
            if ranked == 0 {
                "–".to_owned()
            } else {
                format!("{:.1}", total as f64 / ranked as f64)
            }
        })
        .collect();
    grid_figure(
        out,
        title,
        "How often each option was put at each position; percentages are of those who ranked it.",
        &series,
        &stacks,
        Some(("Average position", &averages)),
    );
}

/// A stacked bar per row and the table of counts with each row's percentages, with an optional
/// last column (`heading`, one value per row).
fn grid_figure(out: &mut String, title: &str, caption: &str, series: &[String], stacks: &[Stack], last: Option<(&str, &[String])>) {
    out.push_str("<div class=\"chart-and-table\">\n");
    out.push_str(&charts::stacked(series, stacks));
    let _ = write!(
        out,
        "<table>\n<caption><span class=\"visually-hidden\">{}</span>{}</caption>\n<thead><tr><td></td>",
        escape(title),
        caption_note(caption),
    );
    for name in series {
        let _ = write!(out, "<th scope=\"col\" class=\"num\">{}</th>", escape(name));
    }
    if let Some((heading, _)) = last {
        let _ = write!(out, "<th scope=\"col\" class=\"num\">{}</th>", escape(heading));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, stack) in stacks.iter().enumerate() {
        let total: u64 = stack.counts.iter().sum();
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape(&stack.label));
        for count in &stack.counts {
            let _ = write!(out, "<td class=\"num\">{count} <span class=\"share\">({}%)</span></td>", percent(*count, total));
        }
        if let Some((_, values)) = last {
            let _ = write!(out, "<td class=\"num\">{}</td>", values.get(i).map_or("", String::as_str));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
}

/// A caption's visible note, after the hidden title that names the table.
fn caption_note(caption: &str) -> String {
    if caption.is_empty() {
        String::new()
    } else {
        format!(" {}", escape(caption))
    }
}

/// "1 answer", "2 answers".
fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "1st", "2nd", "3rd", "4th"… for a ranking's positions.
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22].into_iter().map(ordinal).collect();
        assert_eq!(got, ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd"]);
    }
}
