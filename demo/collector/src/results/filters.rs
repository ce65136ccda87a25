//! The filter form at the top of the results page (channel, and a range of UTC days), and the
//! GOV.UK error summary it shows when a value cannot be used. A GET form: the filter is in the
//! address, so a filtered page can be bookmarked, shared with the team, or reloaded.

use crate::filter::{FilterInput, FilterProblem};
use crate::html::escape;
use std::fmt::Write as _;

/// The form, filled with what was asked for (`input`), `channels` to choose from, and each
/// field's problem beside it.
pub fn filter_form(action: &str, input: &FilterInput, channels: &[String], problems: &[FilterProblem]) -> String {
    let mut out = String::new();
    // `write!` into a String cannot fail; the results are ignored for that reason.
    let _ = write!(
        out,
        "<form method=\"get\" action=\"{}\" class=\"filters\" novalidate>\n\
         <fieldset>\n<legend>Filter the responses</legend>\n",
        escape(action)
    );
    let (class, described, error) = field_state("channel", problems);
    let _ = write!(
        out,
        "<div class=\"{class}\">\n<label for=\"channel\">Channel</label>\n{error}\
         <select id=\"channel\" name=\"channel\"{described}>\n<option value=\"\">All channels</option>\n"
    );
    let mut listed = false;
    for channel in channels {
        let selected = *channel == input.channel;
        listed |= selected;
        let _ = writeln!(
            out,
            "<option value=\"{0}\"{1}>{0}</option>",
            escape(channel),
            if selected { " selected" } else { "" }
        );
    }
    // A channel asked for that no response has (yet) stays chosen, so the form says what the
    // page shows.
    if !listed && !input.channel.is_empty() {
        let _ = writeln!(out, "<option value=\"{0}\" selected>{0}</option>", escape(&input.channel));
    }
    out.push_str("</select>\n</div>\n");
    date_field(&mut out, "from", "From", &input.from, problems);
    date_field(&mut out, "to", "To", &input.to, problems);
    let _ = write!(
        out,
        "</fieldset>\n<p class=\"hint\" id=\"days-hint\">Days are UTC days, and both are included. \
         Leave a field empty to leave that end open.</p>\n\
         <div class=\"form-actions\"><button type=\"submit\">Apply filters</button>\n\
         <a href=\"{}\">Clear filters</a></div>\n</form>\n",
        escape(action)
    );
    out
}

/// The summary of what is wrong, first on the page, each linking to its field.
pub fn error_summary(problems: &[FilterProblem]) -> String {
    let mut out = String::from(
        "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus aria-labelledby=\"error-summary-title\">\n\
         <h2 id=\"error-summary-title\">There is a problem</h2>\n<ul>\n",
    );
    for p in problems {
        let _ = writeln!(out, "<li><a href=\"#{}\">{}</a></li>", p.field, escape(&p.message));
    }
    out.push_str("</ul>\n</div>\n");
    out
}

/// A date field: a text field for `YYYY-MM-DD`. Not `type="date"`, whose picker shows the day in
/// the browser's own format (`mm/dd/yyyy`), which would contradict the hint, and which cannot hold
/// a mistyped value to show again with its error.
fn date_field(out: &mut String, name: &str, label: &str, value: &str, problems: &[FilterProblem]) {
    let (class, described, error) = field_state(name, problems);
    let described = if described.is_empty() {
        " aria-describedby=\"days-hint\"".to_owned()
    } else {
        described.replacen("aria-describedby=\"", "aria-describedby=\"days-hint ", 1)
    };
    let _ = write!(
        out,
        "<div class=\"{class}\">\n<label for=\"{name}\">{label} <span class=\"hint\">(for example 2026-11-22)</span></label>\n\
         {error}<input type=\"text\" id=\"{name}\" name=\"{name}\" value=\"{}\" inputmode=\"numeric\" \
         autocomplete=\"off\" spellcheck=\"false\"{described}>\n</div>\n",
        escape(value)
    );
}

/// A field's class, its `aria-describedby` attribute and its error message, if it has one.
fn field_state(name: &str, problems: &[FilterProblem]) -> (&'static str, String, String) {
    match problems.iter().find(|p| p.field == name) {
        None => ("field", String::new(), String::new()),
        Some(p) => (
            "field field-error",
            format!(" aria-describedby=\"{name}-error\""),
            format!(
                "<p class=\"error-message\" id=\"{name}-error\"><span class=\"visually-hidden\">Error:</span> {}</p>\n",
                escape(&p.message)
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_is_tied_to_its_field_and_the_value_is_kept() {
        let input = FilterInput { channel: "".into(), from: "2026-02-30".into(), to: "".into() };
        let problems = input.parse().expect_err("invalid");
        let form = filter_form("/admin/surveys/s", &input, &["newsletter".into()], &problems);
        assert!(form.contains("id=\"from-error\""), "{form}");
        assert!(form.contains("aria-describedby=\"days-hint from-error\""), "{form}");
        assert!(form.contains("value=\"2026-02-30\""));
        assert!(form.contains("<option value=\"newsletter\">newsletter</option>"));
        assert!(error_summary(&problems).contains("<a href=\"#from\">The start date must be a real date"));
        assert!(!form.contains("style="));
    }
}
