//! The definition being written, as JSON, and the places in it.
//!
//! The editor keeps the definition as a `serde_json::Value`, exactly what will be saved, so a
//! key it has no form for (or a newer format's) is never lost. Every form field is bound to a
//! [`Path`] in it; the same path names the field in the page (its `id`) and matches the paths the
//! model gives its problems, so a problem leads to its field.

use serde_json::{json, Map, Value};
use std::fmt;

/// One step into the document: a key of an object or an index of an array.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Where a value is in the definition, such as `pages[1].questions[0].title`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Path(Vec<Seg>);

impl Path {
    /// The whole definition.
    pub fn root() -> Self {
        Self::default()
    }

    /// This path, then the key `key`.
    pub fn key(&self, key: &str) -> Self {
        let mut segs = self.0.clone();
        segs.push(Seg::Key(key.to_owned()));
        Self(segs)
    }

    /// This path, then the index `i`.
    pub fn index(&self, i: usize) -> Self {
        let mut segs = self.0.clone();
        segs.push(Seg::Index(i));
        Self(segs)
    }

    pub fn segments(&self) -> &[Seg] {
        &self.0
    }

    /// The path without its last step; the root has none.
    pub fn parent(&self) -> Option<Self> {
        let (_, rest) = self.0.split_last()?;
        Some(Self(rest.to_vec()))
    }

    /// The path as the model writes it in its problems (`pages[1].questions[0].title`).
    ///
    /// ```
    /// use survey_editor::doc::Path;
    /// assert_eq!(Path::root().key("pages").index(1).key("title").json(), "pages[1].title");
    /// ```
    pub fn json(&self) -> String {
        let mut out = String::new();
        for seg in &self.0 {
            match seg {
                Seg::Key(k) if out.is_empty() => out.push_str(k),
                Seg::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Seg::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    /// Reads a path the model wrote. Keys are `[a-z0-9_-]` or language tags, so a `.` or `[`
    /// always separates; `None` for anything that is not such a path.
    ///
    /// ```
    /// use survey_editor::doc::Path;
    /// let p = Path::parse("pages[2].questions[0].title.cy").unwrap();
    /// assert_eq!(p, Path::root().key("pages").index(2).key("questions").index(0).key("title").key("cy"));
    /// assert_eq!(Path::parse(""), Some(Path::root()));
    /// assert_eq!(Path::parse("pages[x]"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        let mut segs = Vec::new();
        for part in s.split('.').filter(|p| !p.is_empty()) {
            let (key, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if !key.is_empty() {
                segs.push(Seg::Key(key.to_owned()));
            }
            while let Some(after) = rest.strip_prefix('[') {
                let end = after.find(']')?;
                segs.push(Seg::Index(after[..end].parse().ok()?));
                rest = &after[end + 1..];
            }
            if !rest.is_empty() {
                return None;
            }
        }
        Some(Self(segs))
    }

    /// The `id` of the form field bound to this path: `ed-` and the path with every `.`, `[`
    /// and `]` made a `-`, so it is a plain HTML id and a plain URL fragment.
    ///
    /// ```
    /// use survey_editor::doc::Path;
    /// assert_eq!(Path::parse("pages[1].questions[0].title").unwrap().dom_id(), "ed-pages-1-questions-0-title");
    /// ```
    pub fn dom_id(&self) -> String {
        let mut out = String::from("ed");
        for seg in &self.0 {
            out.push('-');
            match seg {
                Seg::Key(k) => out.push_str(k),
                Seg::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.json())
    }
}

/// The value at `path`, if there is one.
pub fn get<'a>(doc: &'a Value, path: &Path) -> Option<&'a Value> {
    path.segments().iter().try_fold(doc, |v, seg| match seg {
        Seg::Key(k) => v.get(k.as_str()),
        Seg::Index(i) => v.get(*i),
    })
}

/// The string at `path`, or `""`.
pub fn get_str<'a>(doc: &'a Value, path: &Path) -> &'a str {
    get(doc, path).and_then(Value::as_str).unwrap_or("")
}

/// The array at `path`, or an empty one.
pub fn get_array<'a>(doc: &'a Value, path: &Path) -> &'a [Value] {
    get(doc, path).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// One change to the definition.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Puts `value` at the path, making the objects on the way if they are missing.
    Set(Path, Value),
    /// Takes the key or the array item at the path out.
    Remove(Path),
    /// Puts `value` into the array at the path's parent, at the path's index.
    Insert(Path, Value),
    /// Moves the array item at the path to index `to` of the same array.
    Move(Path, usize),
    /// Puts a new question or page into the array at the path's parent, at the path's index.
    /// Its id is one nobody has in the definition it goes into, worked out then: the form that
    /// asks for it may have been drawn from an older definition, and an id free in that one may
    /// have been taken since.
    Add(Path, New),
}

/// What [`Edit::Add`] puts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum New {
    /// A single choice of yes or no, the question most surveys start with.
    Question,
    /// A page with one such question.
    Page,
}

impl New {
    /// The new item, with ids nobody has in `doc`.
    pub fn make(self, doc: &Value) -> Value {
        let question = |doc: &Value| {
            json!({"id": free_id(doc, "question"), "type": "single_choice", "title": "",
                   "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]})
        };
        match self {
            New::Question => question(doc),
            New::Page => json!({"id": free_id(doc, "page"), "questions": [question(doc)]}),
        }
    }
}

/// `page-3` or `question-7`: the first id of that kind that no page or question in `doc` has.
fn free_id(doc: &Value, prefix: &str) -> String {
    let mut taken = Vec::new();
    for page in doc.get("pages").and_then(Value::as_array).into_iter().flatten() {
        taken.extend(page.get("id").and_then(Value::as_str));
        for q in page.get("questions").and_then(Value::as_array).into_iter().flatten() {
            taken.extend(q.get("id").and_then(Value::as_str));
        }
    }
    (1..).map(|n| format!("{prefix}-{n}")).find(|id| !taken.contains(&id.as_str())).unwrap_or_default()
}

/// Which pages of the definition an edit can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// None: it is outside `pages` (a setting, the completion message).
    NoPage,
    /// The page at this index, and no other.
    Page(usize),
    /// Any page: the list of pages itself (a page added, removed or moved shifts the others).
    AllPages,
}

impl Edit {
    /// The path it changes.
    pub fn path(&self) -> &Path {
        match self {
            Edit::Set(path, _) | Edit::Remove(path) | Edit::Insert(path, _) | Edit::Move(path, _) | Edit::Add(path, _) => path,
        }
    }

    /// Which pages it can change (what a page compares to know whether to draw itself again).
    pub fn reach(&self) -> Reach {
        let in_place = matches!(self, Edit::Set(..));
        match self.path().segments() {
            [Seg::Key(k), rest @ ..] if k == "pages" => match rest {
                [Seg::Index(i), _, ..] => Reach::Page(*i),
                // The page itself replaced: only it. Put in, taken out or moved: the rest shift.
                [Seg::Index(i)] if in_place => Reach::Page(*i),
                _ => Reach::AllPages,
            },
            [] => Reach::AllPages,
            _ => Reach::NoPage,
        }
    }

    /// Applies the change. A path that leads through something of the wrong shape (a string
    /// where an object should be) is left as it is, and `false` says nothing changed.
    pub fn apply(&self, doc: &mut Value) -> bool {
        match self {
            Edit::Set(path, value) => set(doc, path, value.clone()),
            Edit::Remove(path) => remove(doc, path),
            Edit::Insert(path, value) => insert(doc, path, value.clone()),
            Edit::Move(path, to) => move_item(doc, path, *to),
            Edit::Add(path, new) => {
                let value = new.make(doc);
                insert(doc, path, value)
            }
        }
    }
}

fn set(doc: &mut Value, path: &Path, value: Value) -> bool {
    let Some(last) = path.segments().last() else {
        *doc = value;
        return true;
    };
    let Some(parent) = make_parents(doc, path.segments()) else { return false };
    match (last, parent) {
        (Seg::Key(k), Value::Object(map)) => {
            map.insert(k.clone(), value);
            true
        }
        (Seg::Index(i), Value::Array(items)) if *i < items.len() => {
            items[*i] = value;
            true
        }
        (Seg::Index(i), Value::Array(items)) if *i == items.len() => {
            items.push(value);
            true
        }
        _ => false,
    }
}

/// The value at the path's parent, with what is missing on the way made: an empty array where
/// an index comes next, else an empty object.
fn make_parents<'a>(doc: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    let segs = &path[..path.len().saturating_sub(1)];
    let mut v = doc;
    for (n, seg) in segs.iter().enumerate() {
        v = match seg {
            Seg::Key(k) => {
                let map = v.as_object_mut()?;
                let next_is_index = matches!(path.get(n + 1), Some(Seg::Index(_)));
                map.entry(k.clone()).or_insert_with(|| if next_is_index { Value::Array(Vec::new()) } else { Value::Object(Map::new()) })
            }
            Seg::Index(i) => v.as_array_mut()?.get_mut(*i)?,
        };
    }
    Some(v)
}

fn get_mut<'a>(doc: &'a mut Value, segs: &[Seg]) -> Option<&'a mut Value> {
    segs.iter().try_fold(doc, |v, seg| match seg {
        Seg::Key(k) => v.get_mut(k.as_str()),
        Seg::Index(i) => v.get_mut(*i),
    })
}

fn remove(doc: &mut Value, path: &Path) -> bool {
    let Some((last, parents)) = path.segments().split_last() else { return false };
    match (last, get_mut(doc, parents)) {
        (Seg::Key(k), Some(Value::Object(map))) => map.remove(k).is_some(),
        (Seg::Index(i), Some(Value::Array(items))) if *i < items.len() => {
            items.remove(*i);
            true
        }
        _ => false,
    }
}

fn insert(doc: &mut Value, path: &Path, value: Value) -> bool {
    let Some(Seg::Index(i)) = path.segments().last() else { return false };
    let Some(parent) = make_parents(doc, path.segments()) else { return false };
    if parent.is_null() {
        *parent = Value::Array(Vec::new());
    }
    match parent {
        Value::Array(items) if *i <= items.len() => {
            items.insert(*i, value);
            true
        }
        _ => false,
    }
}

fn move_item(doc: &mut Value, path: &Path, to: usize) -> bool {
    let Some((Seg::Index(from), parents)) = path.segments().split_last() else { return false };
    match get_mut(doc, parents) {
        Some(Value::Array(items)) if *from < items.len() && to < items.len() && *from != to => {
            let item = items.remove(*from);
            items.insert(to, item);
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Path {
        Path::parse(s).unwrap()
    }

    #[test]
    fn what_is_added_takes_ids_nobody_has_in_the_definition_it_goes_into() {
        let mut doc = json!({"pages": [
            {"id": "page-1", "questions": [{"id": "question-1"}]},
            {"id": "page-2", "questions": [{"id": "question-2"}, {"id": "question-3"}]},
        ]});
        assert!(Edit::Add(p("pages[0].questions[1]"), New::Question).apply(&mut doc));
        assert_eq!(doc["pages"][0]["questions"][1]["id"], "question-4");
        assert_eq!(doc["pages"][0]["questions"][1]["options"][0]["value"], "yes");
        assert!(Edit::Add(p("pages[2]"), New::Page).apply(&mut doc));
        assert_eq!((&doc["pages"][2]["id"], &doc["pages"][2]["questions"][0]["id"]), (&json!("page-3"), &json!("question-5")));
        assert!(!Edit::Add(p("pages[0].title"), New::Question).apply(&mut doc), "only into an array");
    }

    #[test]
    fn an_edit_says_which_pages_it_can_change() {
        let set = |s: &str| Edit::Set(p(s), json!("x"));
        assert_eq!(set("pages[2].questions[0].title").reach(), Reach::Page(2));
        assert_eq!(set("pages[2]").reach(), Reach::Page(2), "a page replaced leaves the others where they were");
        assert_eq!(Edit::Move(p("pages[1].questions[3]"), 0).reach(), Reach::Page(1));
        assert_eq!(Edit::Add(p("pages[1].questions[3]"), New::Question).reach(), Reach::Page(1));
        for shifting in [Edit::Remove(p("pages[1]")), Edit::Insert(p("pages[1]"), json!({})), Edit::Move(p("pages[1]"), 0), Edit::Add(p("pages[3]"), New::Page)] {
            assert_eq!(shifting.reach(), Reach::AllPages, "{shifting:?}");
        }
        assert_eq!(set("pages").reach(), Reach::AllPages);
        assert_eq!(set("").reach(), Reach::AllPages, "the whole definition");
        assert_eq!(set("title").reach(), Reach::NoPage);
        assert_eq!(set("completion.title").reach(), Reach::NoPage);
    }

    #[test]
    fn json_paths_read_back_as_they_were_written() {
        for s in ["", "title", "pages[0]", "pages[12].questions[3].options[0].label.cy", "languages[1]"] {
            assert_eq!(p(s).json(), s);
        }
        assert_eq!(Path::parse("pages[1"), None);
        assert_eq!(Path::parse("pages[1]x"), None);
    }

    #[test]
    fn set_makes_the_objects_on_the_way_and_keeps_everything_else() {
        let mut doc = json!({"title": "T", "colour": "teal"});
        assert!(Edit::Set(p("privacy.notice"), json!("N")).apply(&mut doc));
        assert!(Edit::Set(p("hidden_fields[0]"), json!("channel")).apply(&mut doc));
        assert_eq!(doc, json!({"title": "T", "colour": "teal", "privacy": {"notice": "N"}, "hidden_fields": ["channel"]}));
        // Through a string: nothing happens.
        assert!(!Edit::Set(p("title.cy"), json!("Teitl")).apply(&mut doc));
        assert_eq!(doc["title"], "T");
    }

    #[test]
    fn insert_remove_and_move_work_on_arrays() {
        let mut doc = json!({"pages": [{"id": "a"}, {"id": "c"}]});
        assert!(Edit::Insert(p("pages[1]"), json!({"id": "b"})).apply(&mut doc));
        assert!(Edit::Move(p("pages[0]"), 2).apply(&mut doc));
        assert_eq!(doc, json!({"pages": [{"id": "b"}, {"id": "c"}, {"id": "a"}]}));
        assert!(Edit::Remove(p("pages[1]")).apply(&mut doc));
        assert!(Edit::Remove(p("pages[0].id")).apply(&mut doc));
        assert_eq!(doc, json!({"pages": [{}, {"id": "a"}]}));
        assert!(!Edit::Move(p("pages[0]"), 5).apply(&mut doc));
        assert!(!Edit::Remove(p("pages[9]")).apply(&mut doc));
        assert!(Edit::Insert(p("pages[0].questions[0]"), json!({"id": "q"})).apply(&mut doc));
        assert_eq!(doc["pages"][0]["questions"], json!([{"id": "q"}]));
    }

    #[test]
    fn dom_ids_are_distinct_for_distinct_paths() {
        assert_ne!(p("pages[1].questions[0]").dom_id(), p("pages[10].questions[0]").dom_id());
        assert_eq!(p("").dom_id(), "ed");
    }
}
