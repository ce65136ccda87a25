//! Where a problem is, in the words of the editor's own headings and labels rather than as a
//! JSON path: "Page 2 “About you” › Question 1 “Your postcode” › Pattern".

use crate::doc::{get, Path, Seg};
use serde_json::Value;

/// The label of a key, as its field is labelled in the editor.
pub fn key_label(key: &str) -> Option<&'static str> {
    Some(match key {
        "id" => "Id",
        "title" => "Title",
        "description" => "Description",
        "default_language" => "Main language",
        "languages" => "Languages",
        "anonymous" => "Anonymous",
        "privacy" => "Privacy notice",
        "notice" => "Notice",
        "url" => "Link",
        "link" => "Survey's own page",
        "hidden_fields" => "Hidden fields",
        "start_page" => "Start page",
        "review" => "Review page",
        "one_question_per_page" => "One question per page",
        "opens_at" => "Opens",
        "closes_at" => "Closes",
        "publish_results" => "Publish results",
        "completion" => "Completion",
        "message" => "Message",
        "share" => "Share link",
        "text" => "Text",
        "pages" => "Pages",
        "questions" => "Questions",
        "type" => "Type",
        "hint" => "Hint",
        "required" => "Required",
        "visible_if" => "Shown only when",
        "options" => "Options",
        "value" => "Value",
        "label" => "Label",
        "exclusive" => "Clears the others",
        "other" => "“Other” option",
        "detail_label" => "Detail label",
        "shuffle" => "Shuffle",
        "display" => "Display",
        "min_selected" => "At least",
        "max_selected" => "At most",
        "input" => "Input",
        "autocomplete" => "Autocomplete",
        "min_length" => "Shortest answer",
        "max_length" => "Longest answer",
        "pattern" => "Pattern",
        "pattern_message" => "Pattern message",
        "min" => "Lowest",
        "max" => "Highest",
        "integer" => "Whole numbers only",
        "rows" => "Rows",
        "columns" => "Columns",
        "min_label" => "Label of the lowest",
        "max_label" => "Label of the highest",
        "format" => "Format",
        "version" => "Version",
        _ => return None,
    })
}

/// The place of `path` in `doc`, for a person: each page, question, option, row or column by
/// its number and title, then the field's label; a language key by its tag.
pub fn describe(doc: &Value, path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut here = Path::root();
    let mut parent_key: Option<&str> = None;
    let main = doc.get("default_language").and_then(Value::as_str).unwrap_or("en");
    for seg in path.segments() {
        match seg {
            Seg::Key(k) => {
                here = here.key(k);
                // Containers are named by their items ("Page 2"), so "Pages" itself is only said
                // when the path stops there.
                let label = match key_label(k) {
                    Some(l) => l.to_owned(),
                    None if parent_key.is_some_and(is_text_key) || survey_model::is_language_tag(k) => {
                        crate::languages::label(k)
                    }
                    None => k.clone(),
                };
                parts.push(label);
                parent_key = Some(k);
            }
            Seg::Index(i) => {
                here = here.index(*i);
                let item = item_name(parent_key.unwrap_or(""), *i, get(doc, &here), main);
                if matches!(parent_key, Some("pages" | "questions" | "options" | "rows" | "columns")) {
                    parts.pop();
                }
                parts.push(item);
            }
        }
    }
    if parts.is_empty() {
        "The survey as a whole".to_owned()
    } else {
        parts.join(" › ")
    }
}

fn is_text_key(key: &str) -> bool {
    matches!(
        key,
        "title" | "description" | "notice" | "message" | "text" | "hint" | "label" | "detail_label"
            | "pattern_message" | "min_label" | "max_label"
    )
}

/// "Page 2 “About you”", "Question 1", "Option 3 “Yes”", "Hidden field 1".
fn item_name(container: &str, i: usize, item: Option<&Value>, main: &str) -> String {
    let noun = match container {
        "pages" => "Page",
        "questions" => "Question",
        "options" => "Option",
        "rows" => "Row",
        "columns" => "Column",
        "hidden_fields" => "Hidden field",
        "languages" => "Language",
        "all" | "any" => "Condition",
        _ => "Item",
    };
    let title = crate::earlier::words(item.and_then(|v| v.get("title").or_else(|| v.get("label"))), main);
    if title.trim().is_empty() {
        format!("{noun} {}", i + 1)
    } else {
        format!("{noun} {} “{}”", i + 1, shorten(title.trim()))
    }
}

fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(MAX - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn place(doc: &Value, path: &str) -> String {
        describe(doc, &Path::parse(path).unwrap())
    }

    #[test]
    fn pages_questions_and_options_are_named_by_number_and_title() {
        let doc = json!({"pages": [
            {"id": "p1", "questions": []},
            {"id": "p2", "title": "About you", "questions": [
                {"id": "q", "title": {"en": "Where do you live?", "cy": "Ble rydych chi’n byw?"},
                 "options": [{"value": "", "label": "Wales"}]}
            ]}
        ]});
        assert_eq!(place(&doc, "pages[1].questions[0].options[0].value"),
                   "Page 2 “About you” › Question 1 “Where do you live?” › Option 1 “Wales” › Value");
        assert_eq!(place(&doc, "pages[0].questions"), "Page 1 › Questions");
        assert_eq!(place(&doc, "pages[1].questions[0].title.cy"),
                   "Page 2 “About you” › Question 1 “Where do you live?” › Title › Cymraeg (Welsh)");
        assert_eq!(place(&doc, ""), "The survey as a whole");
        assert_eq!(place(&doc, "closes_at"), "Closes");
    }

    #[test]
    fn long_titles_are_shortened() {
        let doc = json!({"pages": [{"title": "a".repeat(80)}]});
        let p = place(&doc, "pages[0].id");
        assert!(p.starts_with("Page 1 “aaaa"), "{p}");
        assert!(p.contains("…”"), "{p}");
        assert!(p.chars().count() < 70, "{p}");
    }

    #[test]
    fn every_key_the_model_knows_of_has_a_label() {
        // The keys a format-1 definition may have (the model warns about any other).
        for key in [
            "format", "id", "version", "title", "description", "default_language", "languages", "anonymous",
            "privacy", "notice", "url", "link", "hidden_fields", "start_page", "review", "one_question_per_page",
            "opens_at", "closes_at", "publish_results", "completion", "message", "share", "text", "pages",
            "questions", "type", "hint", "required", "visible_if", "options", "value", "label", "exclusive",
            "other", "detail_label", "shuffle", "display", "min_selected", "max_selected", "input",
            "autocomplete", "min_length", "max_length", "pattern", "pattern_message", "min", "max", "integer",
            "rows", "columns", "min_label", "max_label",
        ] {
            assert!(key_label(key).is_some(), "{key} has no label");
        }
    }
}
