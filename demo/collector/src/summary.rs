//! The admin results page: totals per option for choice and rating questions, the number of
//! answers for the others. Plain semantic HTML (headings, tables with headers) so it reads well
//! in a screen reader and prints cleanly.

use crate::html::{escape, page};
use crate::pages::admin_nav;
use axum::response::Html;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use survey_model::{ChoiceOption, Payload, Question, QuestionKind, Survey, Text};

/// Renders the summary of `payloads` for `survey`.
/// `snippet` is the HTML that embeds the survey, shown for copying.
pub fn render(survey: &Survey, payloads: &[Payload], snippet: &str) -> Html<String> {
    let lang = survey.default_language.as_str();
    let text = |t: &Text| t.get(lang, lang).to_owned();
    let title = text(&survey.title);
    let total = payloads.len();
    let mut body = admin_nav();
    let id = escape(&survey.id);
    // `write!` into a String cannot fail; the results are ignored for that reason.
    let _ = write!(
        body,
        "<header>\n<p class=\"eyebrow\">Results summary</p>\n<h1>{}</h1>\n</header>\n<main>\n\
         <p class=\"total\"><strong>{total}</strong> {} (survey <code>{id}</code>, version {}).</p>\n\
         <p>Every response: <a href=\"/admin/surveys/{id}/responses.csv\">download as CSV</a> or \
         <a href=\"/admin/surveys/{id}/responses.json\">as JSON</a>.</p>\n\
         <details class=\"snippet\">\n<summary>Embed this survey in a web page</summary>\n\
         <p>Paste this where the survey should appear:</p>\n<pre><code>{}</code></pre>\n</details>\n",
        escape(&title),
        if total == 1 { "response" } else { "responses" },
        survey.version,
        escape(snippet),
    );
    versions_note(&mut body, survey.version, payloads);
    for (_, q) in survey.questions() {
        if q.kind.takes_answer() {
            question_section(&mut body, q, payloads, &text);
        }
    }
    body.push_str("</main>\n");
    page(lang, &format!("Results: {title}"), "", &body)
}

/// Responses can answer older versions of the survey (a widget delivers what it queued, even
/// after the author published a new version). The page summarises the current questions, so
/// say how the responses split and where the rest is.
fn versions_note(out: &mut String, current: u32, payloads: &[Payload]) {
    let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
    for p in payloads {
        *counts.entry(p.survey.version).or_insert(0) += 1;
    }
    if counts.keys().all(|v| *v == current) {
        return;
    }
    let split: Vec<String> = counts.iter().map(|(v, n)| format!("version {v}: {n}")).collect();
    let _ = writeln!(
        out,
        "<p class=\"versions\">Responses by survey version: {}. Below are the current version's \
         questions; answers to questions only an earlier version asked are in the exports.</p>",
        split.join(", ")
    );
}

fn question_section(out: &mut String, q: &Question, payloads: &[Payload], text: &dyn Fn(&Text) -> String) {
    let answers: Vec<&Value> = payloads.iter().filter_map(|p| p.answers.get(&q.id)).collect();
    let total = payloads.len();
    let id = escape(&q.id);
    let _ = write!(
        out,
        "<section aria-labelledby=\"q-{id}\">\n<h2 id=\"q-{id}\">{}</h2>\n<p>{} of {total} answered.</p>\n",
        escape(&text(&q.title)),
        answers.len(),
    );
    match &q.kind {
        QuestionKind::SingleChoice { options, other, .. } | QuestionKind::MultipleChoice { options, other, .. } => {
            let mut rows: Vec<(String, String)> = options.iter().map(|o| (o.value.clone(), text(&o.label))).collect();
            if let Some(other) = other {
                rows.push(("other".into(), text(&other.label)));
            }
            let counts = count_values(&answers);
            let multiple = matches!(q.kind, QuestionKind::MultipleChoice { .. });
            let caption = if multiple { "People could choose more than one." } else { "" };
            counts_table(out, "Option", caption, &rows, &counts, answers.len());
        }
        QuestionKind::Rating { min, max, min_label, max_label } => {
            let rows: Vec<(String, String)> = (*min..=*max)
                .map(|n| {
                    let label = match (n == *min, n == *max) {
                        (true, _) => min_label.as_ref().map(|l| format!("{n} ({})", text(l))),
                        (_, true) => max_label.as_ref().map(|l| format!("{n} ({})", text(l))),
                        _ => None,
                    };
                    (n.to_string(), label.unwrap_or_else(|| n.to_string()))
                })
                .collect();
            let counts = count_values(&answers);
            counts_table(out, "Rating", "", &rows, &counts, answers.len());
            let numbers: Vec<f64> = answers.iter().filter_map(|v| v.as_f64()).collect();
            if !numbers.is_empty() {
                let mean = numbers.iter().sum::<f64>() / numbers.len() as f64;
                let _ = writeln!(out, "<p>Average: <strong>{mean:.1}</strong> on a scale of {min} to {max}.</p>");
            }
        }
        QuestionKind::Matrix { rows, columns } => matrix_table(out, rows, columns, &answers, text),
        QuestionKind::Ranking { options } => ranking_table(out, options, &answers, text),
        QuestionKind::Consent { .. } => {
            let agreed = answers.iter().filter(|v| **v == &Value::Bool(true)).count();
            let _ = writeln!(out, "<p>{agreed} agreed.</p>");
        }
        QuestionKind::Text { .. } | QuestionKind::LongText { .. } | QuestionKind::Date { .. } => {
            // Free text is read in the export, not summarised: counting is all that is safe here.
        }
        QuestionKind::Statement => {}
    }
    out.push_str("</section>\n");
}

/// How many answers chose each value; a list answer counts once per value in it.
fn count_values(answers: &[&Value]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for v in answers {
        let values: Vec<String> = match v {
            Value::Array(items) => items.iter().map(value_key).collect(),
            other => vec![value_key(other)],
        };
        for key in values {
            *counts.entry(key).or_insert(0) += 1;
        }
    }
    counts
}

fn value_key(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn percent(count: usize, of: usize) -> usize {
    (count * 100 + of / 2).checked_div(of).unwrap_or(0)
}

fn counts_table(
    out: &mut String,
    heading: &str,
    caption: &str,
    rows: &[(String, String)],
    counts: &BTreeMap<String, usize>,
    answered: usize,
) {
    out.push_str("<table>\n");
    if !caption.is_empty() {
        let _ = writeln!(out, "<caption>{}</caption>", escape(caption));
    }
    let _ = writeln!(
        out,
        "<thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">Count</th>\
         <th scope=\"col\" class=\"num\">% of answers</th></tr></thead>\n<tbody>",
        escape(heading)
    );
    for (value, label) in rows {
        let count = counts.get(value).copied().unwrap_or(0);
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{count}</td><td class=\"num\">{}%</td></tr>",
            escape(label),
            percent(count, answered),
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

fn matrix_table(
    out: &mut String,
    rows: &[ChoiceOption],
    columns: &[ChoiceOption],
    answers: &[&Value],
    text: &dyn Fn(&Text) -> String,
) {
    out.push_str("<table>\n<thead><tr><td></td>");
    for c in columns {
        let _ = write!(out, "<th scope=\"col\" class=\"num\">{}</th>", escape(&text(&c.label)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape(&text(&r.label)));
        for c in columns {
            let count = answers
                .iter()
                .filter(|a| a.get(&r.value).and_then(Value::as_str) == Some(c.value.as_str()))
                .count();
            let _ = write!(out, "<td class=\"num\">{count}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn ranking_table(out: &mut String, options: &[ChoiceOption], answers: &[&Value], text: &dyn Fn(&Text) -> String) {
    out.push_str(
        "<table>\n<thead><tr><th scope=\"col\">Option</th><th scope=\"col\" class=\"num\">Ranked first</th>\
         <th scope=\"col\" class=\"num\">Average position</th></tr></thead>\n<tbody>\n",
    );
    for o in options {
        let positions: Vec<usize> = answers
            .iter()
            .filter_map(|a| a.as_array()?.iter().position(|v| v.as_str() == Some(o.value.as_str())))
            .collect();
        let first = positions.iter().filter(|p| **p == 0).count();
        let average = if positions.is_empty() {
            "–".to_owned()
        } else {
            format!("{:.1}", positions.iter().map(|p| (p + 1) as f64).sum::<f64>() / positions.len() as f64)
        };
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{first}</td><td class=\"num\">{average}</td></tr>",
            escape(&text(&o.label))
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_and_never_divide_by_zero() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(0, 0), 0);
    }

    #[test]
    fn list_answers_count_each_value() {
        let a = serde_json::json!(["x", "y"]);
        let b = serde_json::json!(["x"]);
        let counts = count_values(&[&a, &b]);
        assert_eq!(counts.get("x"), Some(&2));
        assert_eq!(counts.get("y"), Some(&1));
    }
}
