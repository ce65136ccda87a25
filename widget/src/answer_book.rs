//! The answers to one survey on screen, kept once and changed in place.
//!
//! The survey's state is a yew reducer: each action makes a new state from the one before, and
//! yew keeps the one before alive (every handle a render gave out holds it), so the reducer
//! cannot change it; it copies it. Copied whole, a keystroke in a text field would copy every
//! answer given so far, and cost more the longer the survey. Instead every state made from
//! another shares that one's [`AnswerBook`], and an action changes the one entry it is about,
//! in place. The rest of the state is a few numbers, flags and short strings, copied as before.
//!
//! What sharing means: a state kept from before an action sees the answers as they are now.
//! Nothing needs them as they were. A handle is read only to act on the newest answers (the draft
//! saver writes the newest; a retry sends the body built once at the first send), and a state
//! made afresh (a survey shown anew, Start again) gets a book of its own.

use std::cell::{Ref, RefCell};
use std::rc::Rc;
use survey_model::{Answer, Answers};

/// The answers given so far to one survey on screen (see the module's documentation).
#[derive(Debug, Default)]
pub struct AnswerBook(RefCell<Answers>);

impl AnswerBook {
    /// A book of its own for a state made afresh.
    pub fn new(answers: Answers) -> Rc<AnswerBook> {
        Rc::new(AnswerBook(RefCell::new(answers)))
    }

    /// The answers as they are now. Read and let go: nothing may hold this across an action.
    pub fn read(&self) -> Ref<'_, Answers> {
        self.0.borrow()
    }

    /// Sets the answer to `question`, or clears it (`None`).
    pub fn set(&self, question: String, answer: Option<Answer>) {
        let mut answers = self.0.borrow_mut();
        match answer {
            Some(a) => {
                answers.values.insert(question, a);
            }
            None => {
                answers.values.remove(&question);
            }
        }
    }

    /// Sets the "other" detail text of `question`.
    pub fn set_other_text(&self, question: String, text: String) {
        self.0.borrow_mut().other_text.insert(question, text);
    }

    /// Replaces every "other" detail text.
    pub fn replace_other_texts(&self, texts: std::collections::BTreeMap<String, String>) {
        self.0.borrow_mut().other_text = texts;
    }

    /// Forgets the answers to questions that `asked` says are no longer asked.
    pub fn keep_only(&self, asked: impl Fn(&str) -> bool) {
        let mut answers = self.0.borrow_mut();
        answers.values.retain(|id, _| asked(id));
        answers.other_text.retain(|id, _| asked(id));
    }
}

/// Two books are equal when they hold the same answers (a state compared with one made from it
/// shares the book, so they are equal in answers, as they are now).
impl PartialEq for AnswerBook {
    fn eq(&self, other: &AnswerBook) -> bool {
        *self.read() == *other.read()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_set_cleared_and_kept_only_while_asked() {
        let book = AnswerBook::new(Answers::default());
        book.set("a".into(), Some(Answer::Text("x".into())));
        book.set("b".into(), Some(Answer::Rating(3)));
        book.set_other_text("b".into(), "more".into());
        book.set("a".into(), None);
        assert_eq!(book.read().get("a"), None);
        assert_eq!(book.read().get("b"), Some(&Answer::Rating(3)));
        book.keep_only(|id| id != "b");
        assert!(book.read().values.is_empty() && book.read().other_text.is_empty());
    }

    #[test]
    fn books_compare_by_their_answers() {
        let (one, two) = (AnswerBook::new(Answers::default()), AnswerBook::new(Answers::default()));
        assert!(one == two);
        one.set("a".into(), Some(Answer::Consent(true)));
        assert!(one != two);
        assert!(one == one, "a book is equal to itself while read twice at once");
    }
}
