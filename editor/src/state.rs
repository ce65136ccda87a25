//! The editor's state and every way it changes, as a reducer: a change to the definition is
//! applied, then checked by the model at once, so the problem list and the preview always
//! follow what is on screen.

use crate::api::Failure;
use crate::doc::{self, Edit, Path, Reach};
use serde_json::{json, Value};
use std::rc::Rc;
use survey_model::{Problem, Survey};
use yew::prelude::*;

/// Where saving and publishing stand.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Loading,
    /// Nothing changed since it was loaded or saved; with when it was saved, if it was.
    Saved(Option<String>),
    Unsaved,
    Saving,
    Publishing,
    Published { version: u64, snippet: String },
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The survey's id once it is fixed: an existing survey's, or a new one's after its first
    /// save. `None` while a new survey's id can still be chosen.
    pub id: Option<String>,
    pub doc: Rc<Value>,
    pub problems: Rc<Vec<Problem>>,
    /// The newest definition the model accepted, as JSON text for the preview.
    pub valid: Option<Rc<String>>,
    /// Whether `doc` is what `valid` holds.
    pub current_is_valid: bool,
    pub status: Status,
    /// Bumped to move focus to the problem list (after a refused publish).
    pub focus_problems: u32,
    /// Bumped on every change to the definition, so a save can tell whether it is still current.
    pub revision: u64,
    /// For each page, the `generation` in which it last changed: a page is drawn again when its
    /// number moves, and compares nothing else of the definition to know it (`doc::Reach`).
    pub page_changes: Rc<Vec<u64>>,
    /// Counts every change to `doc`, a definition loaded or imported included.
    generation: u64,
    /// The published version this started from.
    pub published_version: Option<u64>,
    /// Whether saving by itself is held back: the stored draft could not be read, or changed
    /// elsewhere, and only the author may decide to write over it (with Save draft).
    pub hold_autosave: bool,
    /// The etag of the stored draft this editor last read or saved; `None` if there was none.
    /// Every save is made over that draft only (`api::Base`).
    pub etag: Option<String>,
    /// The author has been told the stored draft changed elsewhere: their next Save draft or
    /// Publish replaces it.
    pub replace_stored: bool,
}

/// What the author is told when the stored draft changed elsewhere since this editor read it.
pub const DRAFT_CHANGED: &str = "Not saved: this survey's draft was changed somewhere else (in another tab, or by someone else) \
    since you opened it, and it has not been saved over. Your changes are still here. To keep yours, choose Save draft: \
    they will replace the other draft. To see the other draft instead, reload this page (your changes here would be lost).";

/// A new survey's starting point: one page with one question, and nothing else to decide yet.
pub fn blank() -> Value {
    json!({
        "format": survey_model::FORMAT,
        "id": "",
        "title": "",
        "pages": [{"id": "page-1", "questions": [
            {"id": "question-1", "type": "single_choice", "title": "",
             "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]}
        ]}],
    })
}

pub enum Action {
    /// The definition to edit, from the collector (or the blank one).
    Loaded { id: Option<String>, doc: Value, saved_at: Option<String>, published_version: Option<u64>, etag: Option<String> },
    /// The stored draft is not JSON: it stays as it is until the author saves over it.
    UnreadableDraft,
    Edit(Edit),
    /// A whole definition from a file.
    Import(Value),
    Saving,
    /// Saved under `id`: the revision that was sent, when the collector kept it, and its etag.
    Saved { id: String, revision: u64, at: String, etag: String },
    Publishing,
    Published { version: u64, snippet: String },
    Failed(Failure),
}

impl State {
    pub fn new() -> Self {
        Self {
            id: None,
            doc: Rc::new(Value::Null),
            problems: Rc::default(),
            valid: None,
            current_is_valid: false,
            status: Status::Loading,
            focus_problems: 0,
            revision: 0,
            page_changes: Rc::default(),
            generation: 0,
            published_version: None,
            hold_autosave: false,
            etag: None,
            replace_stored: false,
        }
    }

    /// The definition as the text that is saved: pretty, so a downloaded file reads well.
    pub fn source(&self) -> String {
        serde_json::to_string_pretty(&*self.doc).unwrap_or_default()
    }

    /// The survey's languages, the main one first.
    pub fn languages(&self) -> Vec<String> {
        let main = self.doc.get("default_language").and_then(Value::as_str).unwrap_or("en").to_owned();
        let mut out = vec![main.clone()];
        for l in self.doc.get("languages").and_then(Value::as_array).into_iter().flatten() {
            if let Some(l) = l.as_str().filter(|l| *l != main) {
                out.push(l.to_owned());
            }
        }
        out
    }

    /// Whether leaving the page now would lose changes: made since the last save, or a save
    /// that failed.
    pub fn has_unsaved_work(&self) -> bool {
        self.revision > 0 && matches!(self.status, Status::Unsaved | Status::Saving | Status::Publishing | Status::Failed(_))
    }

    /// The id the definition gives, whatever it is.
    pub fn written_id(&self) -> String {
        self.doc.get("id").and_then(Value::as_str).unwrap_or("").to_owned()
    }

    /// Checks the definition with the model, as the collector will (the JSON as it is, with no
    /// text in between: the model reads a value exactly as it reads the text of one).
    fn check(&mut self) {
        let mut problems = match Survey::from_value(&self.doc) {
            Ok(_) => Vec::new(),
            Err(e) => e.problems().to_vec(),
        };
        if let Some(id) = &self.id {
            if self.written_id() != *id && !problems.iter().any(|p| p.path == "id") {
                problems.push(Problem::new("id", format!("must be \"{id}\": a survey's id cannot change once it is saved")));
            }
        }
        self.current_is_valid = problems.is_empty();
        if self.current_is_valid {
            // For the preview: compact, since it is read again at once, not by a person.
            self.valid = Some(Rc::new(serde_json::to_string(&*self.doc).unwrap_or_default()));
        }
        self.problems = Rc::new(problems);
    }

    /// Notes which pages a change to `doc` reached.
    fn note_pages(&mut self, reach: Reach) {
        self.generation += 1;
        let (now, pages) = (self.generation, doc::get_array(&self.doc, &Path::root().key("pages")).len());
        match reach {
            Reach::NoPage => {}
            Reach::Page(i) if i < pages && self.page_changes.len() == pages => Rc::make_mut(&mut self.page_changes)[i] = now,
            _ => self.page_changes = Rc::new(vec![now; pages]),
        }
    }

    fn changed(&mut self) {
        self.revision += 1;
        self.check();
        if !matches!(self.status, Status::Saving | Status::Publishing) {
            self.status = Status::Unsaved;
        }
    }
}

impl Default for State {
    fn default() -> Self {
        Self::new()
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Loaded { id, doc, saved_at, published_version, etag } => {
                s.id = id;
                s.etag = etag;
                s.doc = Rc::new(doc);
                s.note_pages(Reach::AllPages);
                s.published_version = published_version;
                s.check();
                s.status = Status::Saved(saved_at);
            }
            Action::Edit(edit) => {
                if !edit.apply(Rc::make_mut(&mut s.doc)) {
                    return self;
                }
                s.note_pages(edit.reach());
                s.changed();
            }
            Action::Import(doc) => {
                s.doc = Rc::new(doc);
                s.note_pages(Reach::AllPages);
                s.changed();
            }
            Action::UnreadableDraft => {
                s.hold_autosave = true;
                s.status = Status::Failed(
                    "The saved draft of this survey is not a JSON definition, so the editor could not read it. It is kept as it is, \
                     and is not saved over by itself: Save draft replaces it with what is here."
                        .into(),
                );
            }
            Action::Saving => s.status = Status::Saving,
            Action::Saved { id, revision, at, etag } => {
                s.id = Some(id);
                s.etag = Some(etag);
                s.hold_autosave = false;
                s.replace_stored = false;
                s.status = if revision == s.revision { Status::Saved(Some(at)) } else { Status::Unsaved };
            }
            Action::Publishing => s.status = Status::Publishing,
            Action::Published { version, snippet } => {
                s.published_version = Some(version);
                // Publishing forgets the draft: the next save is a first draft again (and if a
                // draft from elsewhere took its place meanwhile, that save is refused and told).
                s.etag = None;
                s.status = Status::Published { version, snippet };
            }
            Action::Failed(failure) if failure.draft_changed => {
                s.hold_autosave = true;
                s.replace_stored = true;
                s.status = Status::Failed(DRAFT_CHANGED.into());
            }
            Action::Failed(failure) => {
                if !failure.problems.is_empty() {
                    s.problems = Rc::new(failure.problems);
                    s.current_is_valid = false;
                    s.focus_problems += 1;
                }
                s.status = Status::Failed(failure.message);
            }
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Path;

    fn reduce(s: Rc<State>, a: Action) -> Rc<State> {
        s.reduce(a)
    }

    fn loaded(doc: Value, id: Option<&str>) -> Rc<State> {
        reduce(Rc::new(State::new()), Action::Loaded { id: id.map(str::to_owned), doc, saved_at: None, published_version: None, etag: None })
    }

    #[test]
    fn a_blank_survey_lists_what_is_missing_and_previews_nothing() {
        let s = loaded(blank(), None);
        assert!(s.valid.is_none());
        let paths: Vec<&str> = s.problems.iter().map(|p| p.path.as_str()).collect();
        assert!(paths.contains(&"id"), "{paths:?}");
    }

    #[test]
    fn each_edit_is_checked_and_the_last_valid_definition_is_kept_for_the_preview() {
        let mut s = loaded(blank(), None);
        for (path, value) in [
            ("id", json!("gp-access")),
            ("title", json!("Your GP")),
            ("pages[0].questions[0].title", json!("Could you get through?")),
        ] {
            s = reduce(s, Action::Edit(Edit::Set(Path::parse(path).unwrap(), value)));
        }
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        assert!(s.current_is_valid);
        let valid = s.valid.clone().unwrap();
        assert!(valid.contains("Could you get through?"));
        assert_eq!(s.status, Status::Unsaved);
        // A change that breaks it keeps the last good one for the preview.
        s = reduce(s, Action::Edit(Edit::Set(Path::parse("pages[0].questions[0].id").unwrap(), json!("Not An Id"))));
        assert!(!s.current_is_valid);
        assert_eq!(s.problems[0].path, "pages[0].questions[0].id");
        assert_eq!(s.valid.as_deref(), Some(&*valid));
    }

    #[test]
    fn only_the_pages_an_edit_reaches_are_marked_changed() {
        let mut doc = blank();
        doc["pages"] = json!([{"id": "a", "questions": []}, {"id": "b", "questions": []}, {"id": "c", "questions": []}]);
        let s = loaded(doc, Some("x"));
        let at_load = s.page_changes.clone();
        assert_eq!(at_load.len(), 3);
        let set = |s: Rc<State>, path: &str| reduce(s, Action::Edit(Edit::Set(Path::parse(path).unwrap(), json!("T"))));
        let s = set(s, "pages[1].title");
        assert_eq!((s.page_changes[0], s.page_changes[2]), (at_load[0], at_load[2]), "the others are as they were");
        assert!(s.page_changes[1] > at_load[1], "the page typed in is marked");
        let before = s.page_changes.clone();
        let s = set(s, "title");
        assert_eq!(s.page_changes, before, "a setting marks no page");
        let s = reduce(s, Action::Edit(Edit::Remove(Path::parse("pages[0]").unwrap())));
        assert_eq!(s.page_changes.len(), 2);
        assert!(s.page_changes.iter().all(|&c| c > before[1]), "a page taken out shifts every page after it");
        let s = reduce(s, Action::Edit(Edit::Set(Path::parse("pages[9].title").unwrap(), json!("T"))));
        assert_eq!(s.page_changes.len(), 2, "an edit that changed nothing marks nothing");
        let again = loaded(blank(), Some("x"));
        assert_eq!(again.page_changes.len(), 1, "a definition loaded marks its own pages");
    }

    #[test]
    fn a_save_that_raced_a_change_leaves_the_change_unsaved() {
        let s = loaded(blank(), Some("x"));
        let sent = s.revision;
        let s = reduce(s, Action::Saving);
        let s = reduce(s, Action::Edit(Edit::Set(Path::parse("title").unwrap(), json!("T"))));
        let s = reduce(s, Action::Saved { id: "x".into(), revision: sent, at: "now".into(), etag: "t".into() });
        assert_eq!(s.status, Status::Unsaved);
    }

    #[test]
    fn an_unreadable_draft_is_not_saved_over_until_the_author_saves() {
        let s = reduce(loaded(blank(), Some("x")), Action::UnreadableDraft);
        assert!(s.hold_autosave);
        assert!(matches!(s.status, Status::Failed(_)));
        let revision = s.revision;
        let s = reduce(s, Action::Saved { id: "x".into(), revision, at: "now".into(), etag: "t".into() });
        assert!(!s.hold_autosave);
    }

    #[test]
    fn a_draft_changed_elsewhere_stops_saving_by_itself_until_the_author_chooses_to_replace_it() {
        let s = loaded(blank(), Some("x"));
        let s = reduce(s, Action::Edit(Edit::Set(Path::parse("title").unwrap(), json!("Mine"))));
        let changed = Failure { draft_changed: true, ..Failure::plain("412") };
        let s = reduce(s, Action::Failed(changed));
        assert!(s.hold_autosave && s.replace_stored);
        assert_eq!(s.status, Status::Failed(DRAFT_CHANGED.into()), "the author is told in the editor's words");
        assert!(s.has_unsaved_work(), "leaving would still ask first");
        assert_eq!(s.doc["title"], "Mine", "nothing typed is lost");
        let revision = s.revision;
        let s = reduce(s, Action::Saved { id: "x".into(), revision, at: "now".into(), etag: "mine".into() });
        assert!(!s.hold_autosave && !s.replace_stored);
        assert_eq!(s.etag.as_deref(), Some("mine"), "the next save is over this one");
    }

    #[test]
    fn after_a_publish_the_next_save_is_a_first_draft() {
        let s = loaded(blank(), Some("x"));
        let revision = s.revision;
        let s = reduce(s, Action::Saved { id: "x".into(), revision, at: "now".into(), etag: "t".into() });
        let s = reduce(s, Action::Published { version: 2, snippet: String::new() });
        assert_eq!(s.etag, None, "the collector forgot the draft it published");
    }

    /// Changes the author could lose by leaving the page.
    #[test]
    fn unsaved_work_is_known() {
        let s = loaded(blank(), Some("x"));
        assert!(!s.has_unsaved_work());
        let s = reduce(s, Action::Edit(Edit::Set(Path::parse("title").unwrap(), json!("T"))));
        assert!(s.has_unsaved_work());
        let s = reduce(s.clone(), Action::Saved { id: "x".into(), revision: s.revision, at: "now".into(), etag: "t".into() });
        assert!(!s.has_unsaved_work());
    }

    #[test]
    fn an_imported_file_of_another_survey_is_a_problem_with_the_id() {
        let mut other = blank();
        other["id"] = json!("other");
        let s = reduce(loaded(blank(), Some("mine")), Action::Import(other));
        assert!(s.problems.iter().any(|p| p.path == "id" && p.message.contains("\"mine\"")), "{:?}", s.problems);
    }
}
