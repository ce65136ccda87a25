//! The state of one survey being answered, and every change to it. No DOM here: rendering
//! only renders, and this is tested natively.

use std::rc::Rc;
use survey_model::{Answer, Answers, FieldError, Survey, Visibility};
use yew::Reducible;

/// Where focus goes after the next render. WCAG 2.4.3: moving to a new page or showing errors
/// must move focus there, or a screen reader user is left on a button that no longer exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    None,
    PageHeading,
    ErrorSummary,
    Confirmation,
    Status,
}

/// Delivery of the submission.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Answering,
    /// A POST is under way; `attempt` counts attempts so each one starts exactly once.
    Sending { attempt: u32 },
    /// The last attempt failed in a way worth retrying (the respondent can send again).
    NotSent { attempt: u32 },
    /// The endpoint refused the submission (400, 413, 422): answers kept, no automatic retry.
    Refused { status: u16 },
    Complete { reference: Option<String> },
}

/// One survey being answered.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub survey: Rc<Survey>,
    pub answers: Answers,
    /// Index into `survey.pages` of the page on screen; always a visible page.
    pub page: usize,
    /// Errors shown for the page on screen (empty until the respondent tries to go on).
    pub errors: Vec<FieldError>,
    pub status: Status,
    /// Made at the first send and kept for every retry, so the endpoint stores it once.
    pub submission_id: Option<String>,
    pub focus: Focus,
    /// Bumped whenever `focus` is set, so setting the same target twice still moves focus.
    pub focus_seq: u32,
}

/// Everything that can happen to a survey being answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A question's answer changed (`None` clears it).
    Answer { question: String, answer: Option<Answer> },
    /// The "other" detail text of a question changed.
    OtherText { question: String, text: String },
    /// Continue to the next visible page, if this one is valid.
    Continue,
    /// Back to the previous visible page; answers are kept.
    Back,
    /// Send the answers, if every visible question is valid. `fresh_id` is used only if the
    /// submission does not have an id yet.
    Send { fresh_id: String },
    /// What became of a delivery attempt.
    Delivered { reference: Option<String> },
    NotSent,
    Refused { status: u16 },
}

impl State {
    /// A fresh state for a survey.
    pub fn new(survey: Rc<Survey>) -> State {
        let answers = Answers::default();
        let vis = Visibility::compute(&survey, &answers);
        let page = (0..survey.pages.len()).find(|&i| vis.page(i)).unwrap_or(0);
        State {
            survey,
            answers,
            page,
            errors: Vec::new(),
            status: Status::Answering,
            submission_id: None,
            focus: Focus::None,
            focus_seq: 0,
        }
    }

    /// Which pages and questions are shown for the current answers.
    pub fn visibility(&self) -> Visibility {
        Visibility::compute(&self.survey, &self.answers)
    }

    /// The visible pages' indices, in order.
    pub fn visible_pages(&self) -> Vec<usize> {
        let vis = self.visibility();
        (0..self.survey.pages.len()).filter(|&i| vis.page(i)).collect()
    }

    fn next_page(&self) -> Option<usize> {
        self.visible_pages().into_iter().find(|&i| i > self.page)
    }

    /// The previous visible page, if any.
    pub fn previous_page(&self) -> Option<usize> {
        self.visible_pages().into_iter().rev().find(|&i| i < self.page)
    }

    /// Whether the page on screen is the last one to answer.
    pub fn is_last_page(&self) -> bool {
        self.next_page().is_none()
    }

    /// Whether the respondent may change answers (not while sending or after delivery).
    pub fn editable(&self) -> bool {
        matches!(self.status, Status::Answering | Status::NotSent { .. } | Status::Refused { .. })
    }

    fn focus_on(&mut self, focus: Focus) {
        self.focus = focus;
        self.focus_seq = self.focus_seq.wrapping_add(1);
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Answer { question, answer } => {
                if !s.editable() {
                    return self;
                }
                match answer {
                    Some(a) => {
                        s.answers.values.insert(question.clone(), a);
                    }
                    None => {
                        s.answers.values.remove(&question);
                    }
                }
                // Errors stay until the respondent tries again (GOV.UK: no validation as you
                // type), but a question that is now hidden has nothing to fix.
                let vis = s.visibility();
                s.errors.retain(|e| vis.question(&e.question));
            }
            Action::OtherText { question, text } => {
                if !s.editable() {
                    return self;
                }
                s.answers.other_text.insert(question, text);
            }
            Action::Continue => {
                if !s.editable() {
                    return self;
                }
                s.errors = s.survey.validate_page(s.page, &s.answers);
                if !s.errors.is_empty() {
                    s.focus_on(Focus::ErrorSummary);
                } else if let Some(next) = s.next_page() {
                    s.page = next;
                    s.focus_on(Focus::PageHeading);
                }
            }
            Action::Back => {
                if let Some(prev) = s.previous_page().filter(|_| s.editable()) {
                    s.page = prev;
                    s.errors.clear();
                    s.focus_on(Focus::PageHeading);
                } else {
                    return self;
                }
            }
            Action::Send { fresh_id } => {
                let attempt = match s.status {
                    Status::Answering | Status::Refused { .. } => 1,
                    Status::NotSent { attempt } => attempt + 1,
                    // A second press while sending, or after delivery, does nothing: this is
                    // what keeps a double tap from sending twice.
                    Status::Sending { .. } | Status::Complete { .. } => return self,
                };
                s.errors = s.survey.validate_page(s.page, &s.answers);
                if s.errors.is_empty() {
                    if let Err(errors) = s.survey.validate_all(&s.answers) {
                        // An earlier page became invalid (a condition changed what is shown):
                        // take the respondent to the first page with a problem.
                        let vis = s.visibility();
                        let first = errors.first().map(|e| e.question.clone()).unwrap_or_default();
                        if let Some(page) = s.survey.pages.iter().position(|p| {
                            p.questions.iter().any(|q| q.id == first)
                        }) {
                            if vis.page(page) {
                                s.page = page;
                            }
                        }
                        s.errors = s.survey.validate_page(s.page, &s.answers);
                    }
                }
                if !s.errors.is_empty() {
                    s.focus_on(Focus::ErrorSummary);
                } else {
                    s.submission_id.get_or_insert(fresh_id);
                    s.status = Status::Sending { attempt };
                    s.focus_on(Focus::Status);
                }
            }
            Action::Delivered { reference } => {
                s.status = Status::Complete { reference };
                s.focus_on(Focus::Confirmation);
            }
            Action::NotSent => {
                let Status::Sending { attempt } = s.status else { return self };
                s.status = Status::NotSent { attempt };
                s.focus_on(Focus::Status);
            }
            Action::Refused { status } => {
                s.status = Status::Refused { status };
                s.focus_on(Focus::Status);
            }
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey() -> Rc<Survey> {
        let json = include_str!("../../demo/surveys/digital-engagement.json");
        Rc::new(Survey::parse(json).expect("the demo survey is valid"))
    }

    fn act(s: Rc<State>, a: Action) -> Rc<State> {
        s.reduce(a)
    }

    fn answer(q: &str, a: Answer) -> Action {
        Action::Answer { question: q.into(), answer: Some(a) }
    }

    #[test]
    fn continue_with_missing_answers_shows_errors_and_focuses_summary() {
        let s = act(Rc::new(State::new(survey())), Action::Continue);
        assert_eq!(s.page, 0);
        assert_eq!(s.errors.len(), 1);
        assert_eq!(s.errors[0].question, "heard");
        assert_eq!(s.focus, Focus::ErrorSummary);
    }

    #[test]
    fn pages_move_on_and_back_keeping_answers() {
        let mut s = Rc::new(State::new(survey()));
        s = act(s, answer("heard", Answer::Choice("website".into())));
        s = act(s, Action::Continue);
        assert_eq!((s.page, s.focus), (1, Focus::PageHeading));
        s = act(s, Action::Back);
        assert_eq!(s.page, 0);
        assert_eq!(s.answers.get("heard"), Some(&Answer::Choice("website".into())));
    }

    #[test]
    fn a_double_send_makes_one_submission_with_one_id() {
        let mut s = Rc::new(State::new(survey()));
        for a in [
            answer("heard", Answer::Choice("website".into())),
            Action::Continue,
            answer("ease", Answer::Rating(4)),
            Action::Continue,
            answer("consent", Answer::Consent(true)),
        ] {
            s = act(s, a);
        }
        s = act(s, Action::Send { fresh_id: "a".into() });
        assert_eq!(s.status, Status::Sending { attempt: 1 });
        let again = act(s.clone(), Action::Send { fresh_id: "b".into() });
        assert!(Rc::ptr_eq(&s, &again), "a second press while sending changes nothing");
        s = act(s, Action::NotSent);
        s = act(s, Action::Send { fresh_id: "c".into() });
        assert_eq!(s.status, Status::Sending { attempt: 2 });
        assert_eq!(s.submission_id.as_deref(), Some("a"), "a retry keeps the submission id");
        s = act(s, Action::Delivered { reference: Some("K7Q2-9XMD".into()) });
        assert_eq!(s.focus, Focus::Confirmation);
        let after = act(s.clone(), answer("heard", Answer::Choice("social".into())));
        assert!(Rc::ptr_eq(&s, &after), "nothing changes once delivered");
    }

    #[test]
    fn sending_with_a_missing_required_answer_is_refused_on_the_page() {
        let mut s = Rc::new(State::new(survey()));
        s = act(s, answer("heard", Answer::Choice("website".into())));
        s = act(s, Action::Continue);
        s = act(s, answer("ease", Answer::Rating(2)));
        s = act(s, Action::Continue);
        s = act(s, Action::Send { fresh_id: "x".into() });
        assert_eq!(s.status, Status::Answering);
        assert_eq!(s.errors.iter().map(|e| e.question.as_str()).collect::<Vec<_>>(), ["consent"]);
        assert_eq!(s.submission_id, None);
    }
}
