//! The questions a condition may test: for a question, those before it in the survey; for a
//! page, those on earlier pages. Read from the definition as written, so the choice is there
//! even while something elsewhere is still wrong.

use serde_json::Value;
use std::rc::Rc;

/// What a condition needs to know of a question to offer its tests and its possible answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    pub id: String,
    /// "Page 1, question 2: Where do you live?"
    pub name: String,
    pub type_name: String,
    /// `(value, label)` of each option; with `other`, `("other", its label)` last.
    pub options: Vec<(String, String)>,
    /// The `input` of a text question.
    pub input: String,
    /// A rating's scale.
    pub scale: (i64, i64),
}

/// Every question of `doc`, in order, with the index of its page and its own.
pub fn all(doc: &Value, main: &str) -> Vec<(usize, usize, Asked)> {
    let mut out = Vec::new();
    let pages = doc.get("pages").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    for (i, page) in pages.iter().enumerate() {
        let questions = page.get("questions").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        for (j, q) in questions.iter().enumerate() {
            let Some(id) = q.get("id").and_then(Value::as_str).filter(|id| !id.is_empty()) else { continue };
            let type_name = q.get("type").and_then(Value::as_str).unwrap_or("").to_owned();
            if type_name == "statement" {
                continue;
            }
            let title = words(q.get("title"), main);
            let name = if title.is_empty() {
                format!("Page {}, question {}", i + 1, j + 1)
            } else {
                format!("Page {}, question {}: {title}", i + 1, j + 1)
            };
            let mut options: Vec<(String, String)> = q
                .get("options")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|o| {
                    let v = o.get("value")?.as_str()?.to_owned();
                    let label = words(o.get("label"), main);
                    Some((v.clone(), if label.is_empty() { v } else { label }))
                })
                .collect();
            if let Some(other) = q.get("other").filter(|o| o.is_object()) {
                let label = words(other.get("label"), main);
                options.push(("other".to_owned(), if label.is_empty() { "Other".to_owned() } else { label }));
            }
            let scale = (
                q.get("min").and_then(Value::as_i64).unwrap_or(1),
                q.get("max").and_then(Value::as_i64).unwrap_or(5),
            );
            let input = q.get("input").and_then(Value::as_str).unwrap_or("text").to_owned();
            out.push((i, j, Asked { id: id.to_owned(), name, type_name, options, input, scale }));
        }
    }
    out
}

/// The questions before question `question` of page `page` (or before the page, with `None`):
/// how many of `all` (which is in order) come before it.
pub fn count_before(all: &[(usize, usize, Asked)], page: usize, question: Option<usize>) -> usize {
    all.iter().take_while(|(i, j, _)| *i < page || (*i == page && question.is_some_and(|q| *j < q))).count()
}

/// The questions before a place: the first `len` of every question, shared and never copied, so
/// a form of fifty questions can hand each its own list on every keystroke at no cost.
#[derive(Debug, Clone, Default)]
pub struct Earlier {
    all: Rc<Vec<(usize, usize, Asked)>>,
    len: usize,
}

impl Earlier {
    pub fn new(all: Rc<Vec<(usize, usize, Asked)>>, len: usize) -> Self {
        let len = len.min(all.len());
        Self { all, len }
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = &Asked> {
        self.all[..self.len].iter().map(|(_, _, a)| a)
    }

    pub fn first(&self) -> Option<&Asked> {
        self.iter().next()
    }
}

impl PartialEq for Earlier {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && (Rc::ptr_eq(&self.all, &other.all) || self.all[..self.len] == other.all[..other.len])
    }
}

/// The questions before question `question` of page `page` (or before the page, with `None`).
pub fn before(all: &Rc<Vec<(usize, usize, Asked)>>, page: usize, question: Option<usize>) -> Earlier {
    Earlier::new(all.clone(), count_before(all, page, question))
}

/// A text's words in `main`, else any.
pub fn words(v: Option<&Value>, main: &str) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(m)) => m
            .get(main)
            .or_else(|| m.values().next())
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_earlier_questions_that_take_answers_are_offered() {
        let doc = json!({"pages": [
            {"questions": [
                {"id": "a", "type": "single_choice", "title": {"en": "Seen?", "cy": "Gweld?"},
                 "options": [{"value": "yes", "label": "Yes"}], "other": {"label": "Else"}},
                {"id": "s", "type": "statement", "title": "Read this"}
            ]},
            {"questions": [{"id": "b", "type": "rating", "title": "", "min": 0, "max": 10}, {"id": "c", "type": "text", "title": "C"}]}
        ]});
        let all = Rc::new(all(&doc, "en"));
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].2.name, "Page 1, question 1: Seen?");
        assert_eq!(all[0].2.options, vec![("yes".into(), "Yes".into()), ("other".into(), "Else".into())]);
        assert_eq!(all[1].2.name, "Page 2, question 1");
        assert_eq!(all[1].2.scale, (0, 10));
        let ids = |v: Earlier| v.iter().map(|a| a.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(before(&all, 1, Some(1))), ["a", "b"]);
        assert_eq!(ids(before(&all, 1, None)), ["a"]);
        assert!(before(&all, 0, Some(0)).is_empty());
        // Equal when the questions are, whichever list they come from.
        let again = Rc::new(super::all(&doc, "en"));
        assert_eq!(before(&all, 1, None), before(&again, 1, None));
        assert_ne!(before(&all, 1, None), before(&again, 1, Some(1)));
    }
}
