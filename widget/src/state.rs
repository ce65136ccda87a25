//! The state of one survey being answered, and every change to it. No DOM here: rendering
//! only renders, and this is tested natively.

use crate::answer_book::AnswerBook;
use crate::delivery::Outgoing;
use crate::drafts::{Draft, DraftLookup};
use std::rc::Rc;
use survey_model::{Answer, Answers, Envelope, FieldError, Payload, Survey, Visibility};
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
    /// The first control of the question in `State::focus_question` (after "Change").
    Question,
}

/// Where the respondent is in the survey's flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The start page: what the survey is for, the privacy notice, and "Start now".
    Start,
    /// Answering the questions, page by page.
    Pages,
    /// "Check your answers", with a Change button per answer and the Send button.
    Review,
}

/// Delivery of the submission.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Answering,
    /// A POST is under way; `attempt` counts attempts so each one starts exactly once.
    Sending { attempt: u32 },
    /// Not delivered yet: kept (on the device, if `stored`) and retried with backoff, when the
    /// browser comes back online, and on the next page load; not before `not_before` (ms since
    /// the epoch) if the endpoint said so.
    Queued { attempt: u32, stored: bool, not_before: Option<u64> },
    /// The endpoint refused the submission (400, 413, 422; `closed`: the survey has closed):
    /// answers kept on screen and on the device, no automatic retry.
    Refused { status: u16, closed: bool },
    /// The endpoint holds a different body under this submission id (409): these answers were
    /// not delivered. Kept on screen and on the device; sending them again makes a new submission.
    Conflict,
    Complete { reference: Option<String> },
}

/// One survey being answered.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub survey: Rc<Survey>,
    /// Shared with the state this one was made from, and changed in place ([`AnswerBook`]).
    pub answers: Rc<AnswerBook>,
    pub stage: Stage,
    /// Index into `survey.pages` of the page on screen; always a visible page.
    pub page: usize,
    /// Set by "Change" on the review page: Continue goes back to the review once every answer
    /// is valid, as GOV.UK's check-answers pattern does.
    pub return_to_review: bool,
    /// Seeds the order of shuffled options: kept in the draft, so the order is stable.
    pub seed: u64,
    /// The language the respondent chose with the switch, over the host's choice.
    pub lang: Option<String>,
    /// Errors shown for the page on screen (empty until the respondent tries to go on).
    pub errors: Vec<FieldError>,
    pub status: Status,
    /// Made at the first send and kept for every retry, so the endpoint stores it once.
    pub submission_id: Option<String>,
    /// The exact request being delivered: built once, so every retry sends the same bytes.
    pub outgoing: Option<Rc<Outgoing>>,
    /// The outbox entry the answers on screen are held in after a refusal or a conflict, until
    /// the respondent sends them again (which replaces it) or starts again (which lets it go).
    pub held: Option<String>,
    /// The held entry the submission being sent replaces in the outbox.
    pub replaces: Option<String>,
    /// Something to tell the respondent about their earlier visit.
    pub notice: Option<Notice>,
    pub focus: Focus,
    /// The question [`Focus::Question`] means.
    pub focus_question: Option<String>,
    /// Bumped whenever `focus` is set, so setting the same target twice still moves focus.
    pub focus_seq: u32,
    /// Bumped by every action that changes anything: telling a new state from the same one
    /// costs a comparison of two numbers (the draft saver uses it), not of all the answers.
    pub revision: u64,
}

/// What the respondent is told about answers from an earlier visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// Their answers in progress were restored.
    Restored,
    /// The survey changed since they started, so their earlier answers were dropped.
    VersionChanged,
}

/// Everything that can happen to a survey being answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A question's answer changed (`None` clears it).
    Answer { question: String, answer: Option<Answer> },
    /// The "other" detail text of a question changed.
    OtherText { question: String, text: String },
    /// Leave the start page for the first page of questions.
    Start,
    /// Continue to the next visible page (or the review), if this one is valid.
    Continue,
    /// Back to the previous visible page (or the start page); answers are kept.
    Back,
    /// From the review page, go to a question to change its answer.
    Change { question: String },
    /// Show the survey in another of its languages.
    SetLanguage { lang: String },
    /// Send the answers, if every visible question is valid. The envelope's submission id is
    /// used only if the submission does not have one yet.
    Send { envelope: Envelope, endpoint: String, timeout_ms: u32 },
    /// What became of a delivery attempt.
    Delivered { reference: Option<String> },
    /// Not delivered; kept for retry (`stored` says whether it is on the device), not before
    /// `not_before` if the endpoint said.
    Queued { stored: bool, not_before: Option<u64> },
    /// The endpoint will not take it (`closed`: the survey has closed).
    Refused { status: u16, closed: bool },
    /// The endpoint holds a different body under this submission id.
    Conflict,
    /// Time to try a queued submission again.
    Retry,
    /// Clear every answer and begin again.
    StartAgain,
    /// The definition was replaced in place (a preview being edited): answers to questions it
    /// still has are kept, and so is the page on screen if it is still there and shown.
    Redefine { survey: Rc<Survey> },
    /// Preview only: check the answers exactly as sending would, then show the confirmation
    /// without sending anything.
    PreviewSend,
}

impl State {
    /// A fresh state for a survey; `seed` orders its shuffled options.
    pub fn new(survey: Rc<Survey>, seed: u64) -> State {
        let page = first_page(&survey, &Answers::default());
        let stage = if survey.start_page { Stage::Start } else { Stage::Pages };
        State {
            survey,
            answers: AnswerBook::new(Answers::default()),
            stage,
            page,
            return_to_review: false,
            seed,
            lang: None,
            errors: Vec::new(),
            status: Status::Answering,
            submission_id: None,
            outgoing: None,
            held: None,
            replaces: None,
            notice: None,
            focus: Focus::None,
            focus_question: None,
            focus_seq: 0,
            revision: 0,
        }
    }

    /// The state for a respondent coming back: a submission still waiting on the device comes
    /// first (held: shown with what the endpoint said; otherwise shown as queued and sent
    /// again); otherwise their draft, if any.
    pub fn resume(survey: Rc<Survey>, draft: DraftLookup, pending: Option<Outgoing>, seed: u64) -> State {
        let mut s = State::new(survey, seed);
        if let Some(out) = pending {
            // Its answers come back into the form as well: should the endpoint refuse it, the
            // respondent still has them on screen to correct and send, or to copy.
            s.restore_from(&out.body);
            if let Some(held) = out.held {
                // They have seen it, perhaps, and changed answers since: their draft is newer.
                if let DraftLookup::Found(d) = draft {
                    s.restore_draft(d);
                }
                s.held = Some(out.submission_id.clone());
                s.status = if held.status == 409 {
                    Status::Conflict
                } else {
                    s.submission_id = Some(out.submission_id);
                    Status::Refused { status: held.status, closed: held.closed }
                };
                return s;
            }
            s.submission_id = Some(out.submission_id.clone());
            // It failed at least once on the earlier visit: it is queued, shown as saved on the
            // device, and tried again after the first backoff (or at once when back online).
            s.status = Status::Queued { attempt: 1, stored: true, not_before: out.not_before };
            s.outgoing = Some(Rc::new(out));
            return s;
        }
        match draft {
            DraftLookup::Found(d) => {
                s.restore_draft(d);
                s.notice = Some(Notice::Restored);
            }
            DraftLookup::VersionChanged => s.notice = Some(Notice::VersionChanged),
            DraftLookup::None => {}
        }
        s
    }

    fn restore_draft(&mut self, Draft { answers, page, seed, lang }: Draft) {
        self.answers = AnswerBook::new(answers);
        let vis = self.visibility();
        self.page = if vis.page(page) { page } else { first_page(&self.survey, &self.answers.read()) };
        // They have started already: no start page again.
        self.stage = Stage::Pages;
        if seed != 0 {
            self.seed = seed;
        }
        self.lang = lang;
    }

    /// Fills the answers from a payload body this widget built, and shows where it was sent
    /// from (the review, or the last page). Answers the survey cannot take are left out.
    fn restore_from(&mut self, body: &str) {
        let Ok(payload) = Payload::parse(body.as_bytes()) else { return };
        for (id, value) in &payload.answers {
            if let Some(answer) = self.survey.question(id).and_then(|q| Answer::from_payload(&q.kind, value).ok()) {
                self.answers.set(id.clone(), Some(answer));
            }
        }
        self.answers.replace_other_texts(payload.other_text);
        self.lang = Some(payload.language);
        self.stage = if self.survey.review { Stage::Review } else { Stage::Pages };
        if let Some(&last) = self.visible_pages().last() {
            self.page = last;
        }
    }

    /// The draft to keep for these answers.
    pub fn draft(&self) -> Draft {
        Draft { answers: self.answers.read().clone(), page: self.page, seed: self.seed, lang: self.lang.clone() }
    }

    /// Which pages and questions are shown for the current answers.
    pub fn visibility(&self) -> Visibility {
        Visibility::compute(&self.survey, &self.answers.read())
    }

    /// The visible pages' indices, in order.
    pub fn visible_pages(&self) -> Vec<usize> {
        let all = 0..self.survey.pages.len();
        // Without page conditions every page shows: no need to work out every question's (the
        // buttons ask this on each render, so on each keystroke).
        if self.survey.pages.iter().all(|p| p.visible_if.is_none()) {
            return all.collect();
        }
        let vis = self.visibility();
        all.filter(|&i| vis.page(i)).collect()
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

    /// Whether the main button on screen sends the answers (rather than continuing).
    pub fn sends_here(&self) -> bool {
        match self.stage {
            Stage::Start => false,
            Stage::Review => true,
            Stage::Pages => !self.survey.review && self.is_last_page(),
        }
    }

    /// Whether there is somewhere for Back to go.
    pub fn can_go_back(&self) -> bool {
        match self.stage {
            Stage::Start => false,
            Stage::Review => true,
            Stage::Pages => self.previous_page().is_some() || self.survey.start_page,
        }
    }

    /// Whether the respondent may change answers: not once the submission is made (sending,
    /// queued or delivered), except after a refusal, when they may fix and send again.
    pub fn editable(&self) -> bool {
        matches!(self.status, Status::Answering | Status::Refused { .. } | Status::Conflict)
    }

    fn focus_on(&mut self, focus: Focus) {
        self.focus = focus;
        self.focus_seq = self.focus_seq.wrapping_add(1);
    }

    fn show_page(&mut self, page: usize) {
        self.stage = Stage::Pages;
        self.page = page;
        self.errors.clear();
        self.notice = None;
        self.focus_on(Focus::PageHeading);
    }

    fn show_review(&mut self) {
        self.stage = Stage::Review;
        self.return_to_review = false;
        self.errors.clear();
        self.notice = None;
        // The review follows the last visible page, which is where Back returns to.
        if let Some(&last) = self.visible_pages().last() {
            self.page = last;
        }
        self.focus_on(Focus::PageHeading);
    }

    /// Takes the respondent to the first visible page with a problem, showing that page's errors.
    fn show_first_problem(&mut self, errors: &[FieldError]) {
        let vis = self.visibility();
        let first = errors.first().map(|e| e.question.as_str()).unwrap_or_default();
        if let Some(page) = self.survey.pages.iter().position(|p| p.questions.iter().any(|q| q.id == first)) {
            if vis.page(page) {
                self.stage = Stage::Pages;
                self.page = page;
            }
        }
        self.errors = self.survey.validate_page(self.page, &self.answers.read());
    }
}

impl State {
    /// Sets `errors` to what stops the answers being sent: the page on screen first, then any
    /// earlier page that became invalid (a condition changed what is shown), which is then put
    /// on screen, with a way back to the review once it is fixed.
    fn check_before_sending(&mut self) {
        self.errors = match self.stage {
            Stage::Pages => self.survey.validate_page(self.page, &self.answers.read()),
            _ => Vec::new(),
        };
        if self.errors.is_empty() {
            let all = self.survey.validate_all(&self.answers.read());
            if let Err(errors) = all {
                self.return_to_review = self.stage == Stage::Review;
                self.show_first_problem(&errors);
            }
        }
    }

    /// Takes a new definition in place ([`Action::Redefine`]).
    fn redefine(&mut self, survey: Rc<Survey>) {
        let page_id = self.survey.pages.get(self.page).map(|p| p.id.clone());
        self.answers.keep_only(|id| survey.question(id).is_some());
        self.survey = survey;
        self.errors.clear();
        let vis = self.visibility();
        let same = page_id.and_then(|id| self.survey.pages.iter().position(|p| p.id == id)).filter(|&i| vis.page(i));
        self.page = same.unwrap_or_else(|| first_page(&self.survey, &self.answers.read()));
        if self.stage == Stage::Start && !self.survey.start_page {
            self.stage = Stage::Pages;
        }
        if self.stage == Stage::Review && !self.survey.review {
            self.stage = Stage::Pages;
        }
    }
}

fn first_page(survey: &Survey, answers: &Answers) -> usize {
    let vis = Visibility::compute(survey, answers);
    (0..survey.pages.len()).find(|&i| vis.page(i)).unwrap_or(0)
}

/// When the respondent sent the answers, as the payload says it: `now` (an RFC 3339 time in UTC
/// to the millisecond, as `Date.toISOString()` writes it), rounded down to the hour for an
/// anonymous survey, so that the time cannot be matched against a proxy's access log.
pub fn submitted_at(now: &str, anonymous: bool) -> String {
    let b = now.as_bytes();
    let shaped = b.len() == 24 && b[13] == b':' && b[16] == b':' && b[19] == b'.' && b[23] == b'Z';
    if anonymous && shaped {
        format!("{}00:00.000Z", &now[..14])
    } else {
        now.to_owned()
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // The answers are shared and changed in place ([`AnswerBook`]); the rest is small.
        let mut s = (*self).clone();
        match action {
            Action::Answer { question, answer } => {
                if !s.editable() {
                    return self;
                }
                s.answers.set(question, answer);
                // Errors stay until the respondent tries again (GOV.UK: no validation as you
                // type), but a question that is now hidden has nothing to fix. (Without errors
                // there is nothing to check: a keystroke need not work out every condition.)
                if !s.errors.is_empty() {
                    let vis = s.visibility();
                    s.errors.retain(|e| vis.question(&e.question));
                }
            }
            Action::OtherText { question, text } => {
                if !s.editable() {
                    return self;
                }
                s.answers.set_other_text(question, text);
            }
            Action::Start => {
                if s.stage != Stage::Start || !s.editable() {
                    return self;
                }
                let page = s.page;
                s.show_page(page);
            }
            Action::Continue => {
                if !s.editable() {
                    return self;
                }
                match s.stage {
                    Stage::Start => {
                        let page = s.page;
                        s.show_page(page);
                    }
                    Stage::Review => return self,
                    Stage::Pages => {
                        s.errors = s.survey.validate_page(s.page, &s.answers.read());
                        if !s.errors.is_empty() {
                            s.focus_on(Focus::ErrorSummary);
                        } else if s.return_to_review && s.survey.validate_all(&s.answers.read()).is_ok() {
                            s.show_review();
                        } else if let Some(next) = s.next_page() {
                            s.show_page(next);
                        } else if s.survey.review {
                            s.show_review();
                        }
                    }
                }
            }
            Action::Back => {
                if !s.editable() {
                    return self;
                }
                match s.stage {
                    Stage::Start => return self,
                    Stage::Review => {
                        let page = s.page;
                        s.show_page(page);
                    }
                    Stage::Pages => match s.previous_page() {
                        Some(prev) => s.show_page(prev),
                        None if s.survey.start_page => {
                            s.stage = Stage::Start;
                            s.errors.clear();
                            s.focus_on(Focus::PageHeading);
                        }
                        None => return self,
                    },
                }
            }
            Action::Change { question } => {
                if s.stage != Stage::Review || !s.editable() {
                    return self;
                }
                let vis = s.visibility();
                let Some(page) = s
                    .survey
                    .pages
                    .iter()
                    .position(|p| p.questions.iter().any(|q| q.id == question))
                    .filter(|&p| vis.page(p) && vis.question(&question))
                else {
                    return self;
                };
                s.show_page(page);
                s.return_to_review = true;
                s.focus_question = Some(question);
                s.focus_on(Focus::Question);
            }
            Action::SetLanguage { lang } => {
                if s.lang.as_deref() == Some(lang.as_str()) {
                    return self;
                }
                s.lang = Some(lang);
            }
            Action::Send { mut envelope, endpoint, timeout_ms } => {
                if !s.editable() {
                    // A second press while sending, queued or delivered does nothing: this is
                    // what keeps a double tap from sending twice.
                    return self;
                }
                if s.stage == Stage::Start {
                    return self;
                }
                s.check_before_sending();
                if s.errors.is_empty() {
                    envelope.submission_id = s.submission_id.get_or_insert(envelope.submission_id).clone();
                    let built = Payload::build(&s.survey, &s.answers.read(), envelope);
                    match built {
                        Ok(payload) => {
                            s.outgoing = Some(Rc::new(Outgoing {
                                submission_id: payload.submission_id.clone(),
                                survey_id: s.survey.id.clone(),
                                survey_version: s.survey.version,
                                endpoint,
                                body: serde_json::to_string(&payload).unwrap_or_default(),
                                timeout_ms,
                                held: None,
                                not_before: None,
                            }));
                            s.replaces = s.held.take();
                            s.status = Status::Sending { attempt: 1 };
                            s.notice = None;
                            s.focus_on(Focus::Status);
                        }
                        Err(errors) => s.errors = errors,
                    }
                }
                if !s.errors.is_empty() {
                    s.focus_on(Focus::ErrorSummary);
                }
            }
            Action::Delivered { reference } => {
                s.status = Status::Complete { reference };
                s.focus_on(Focus::Confirmation);
            }
            Action::Queued { stored, not_before } => {
                let Status::Sending { attempt } = s.status else { return self };
                s.status = Status::Queued { attempt, stored, not_before };
                if attempt == 1 {
                    s.focus_on(Focus::Status);
                }
            }
            Action::Retry => {
                let Status::Queued { attempt, .. } = s.status else { return self };
                s.status = Status::Sending { attempt: attempt + 1 };
            }
            Action::Refused { status, closed } => {
                s.status = Status::Refused { status, closed };
                // A refused body is never sent again; a corrected one is built afresh, under the
                // same id (nothing was stored under it), and replaces it on the device.
                s.outgoing = None;
                s.held = s.submission_id.clone();
                s.focus_on(Focus::Status);
            }
            Action::Conflict => {
                s.status = Status::Conflict;
                // Another body holds this id: sending these answers again needs a new one, and
                // that new submission replaces this one on the device.
                s.outgoing = None;
                s.held = s.submission_id.take();
                s.focus_on(Focus::Status);
            }
            Action::StartAgain => {
                if !s.editable() {
                    return self;
                }
                let (survey, seed, lang) = (Rc::clone(&s.survey), s.seed, s.lang.clone());
                s = State::new(survey, seed);
                s.lang = lang;
                s.focus_on(Focus::PageHeading);
            }
            Action::Redefine { survey } => s.redefine(survey),
            Action::PreviewSend => {
                if !s.editable() || s.stage == Stage::Start {
                    return self;
                }
                s.check_before_sending();
                if s.errors.is_empty() {
                    s.status = Status::Complete { reference: None };
                    s.focus_on(Focus::Confirmation);
                } else {
                    s.focus_on(Focus::ErrorSummary);
                }
            }
        }
        s.revision = self.revision.wrapping_add(1);
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
        let s = act(Rc::new(State::new(survey(), 1)), Action::Continue);
        assert_eq!(s.page, 0);
        assert_eq!(s.errors.len(), 1);
        assert_eq!(s.errors[0].question, "heard");
        assert_eq!(s.focus, Focus::ErrorSummary);
    }

    #[test]
    fn pages_move_on_and_back_keeping_answers() {
        let mut s = Rc::new(State::new(survey(), 1));
        s = act(s, answer("heard", Answer::Choice("website".into())));
        s = act(s, Action::Continue);
        assert_eq!((s.page, s.focus), (1, Focus::PageHeading));
        s = act(s, Action::Back);
        assert_eq!(s.page, 0);
        assert_eq!(s.answers.read().get("heard"), Some(&Answer::Choice("website".into())));
    }

    fn send(id: &str) -> Action {
        Action::Send {
            envelope: Envelope {
                submission_id: id.into(),
                submitted_at: "2026-11-22T10:00:00.000Z".into(),
                language: "en".into(),
                ..Envelope::default()
            },
            endpoint: "/api/responses".into(),
            timeout_ms: 20_000,
        }
    }

    fn answered() -> Rc<State> {
        let mut s = Rc::new(State::new(survey(), 1));
        for a in [
            answer("heard", Answer::Choice("website".into())),
            Action::Continue,
            answer("ease", Answer::Rating(4)),
            Action::Continue,
            answer("consent", Answer::Consent(true)),
        ] {
            s = act(s, a);
        }
        s
    }

    #[test]
    fn an_answer_changes_the_shared_answers_in_place_and_a_fresh_start_has_its_own() {
        let before = answered();
        let after = act(Rc::clone(&before), answer("heard", Answer::Choice("radio".into())));
        assert!(Rc::ptr_eq(&before.answers, &after.answers), "the answers are not copied into the new state");
        assert_eq!(after.answers.read().get("heard"), Some(&Answer::Choice("radio".into())));
        assert_eq!(after.answers.read().values.len(), 3, "the others are as they were");
        assert_eq!(after.revision, before.revision + 1, "the new state is still told apart");
        let again = act(after, Action::StartAgain);
        assert!(!Rc::ptr_eq(&again.answers, &before.answers), "starting again starts a book of its own");
        assert!(again.answers.read().is_empty());
        assert_eq!(before.answers.read().values.len(), 3, "and leaves the one before alone");
    }

    /// The demo survey with the `ease` question taken out of its second page.
    fn without_ease() -> Rc<Survey> {
        let mut json: serde_json::Value =
            serde_json::from_str(include_str!("../../demo/surveys/digital-engagement.json")).expect("JSON");
        let questions = json["pages"][1]["questions"].as_array_mut().expect("a list");
        questions.retain(|q| q["id"] != "ease");
        Rc::new(Survey::parse(&json.to_string()).expect("still valid"))
    }

    #[test]
    fn a_new_definition_in_place_keeps_the_answers_it_still_asks_for_and_the_page() {
        let s = answered();
        assert_eq!(s.page, 2);
        let s = act(s, Action::Redefine { survey: without_ease() });
        assert_eq!(s.page, 2, "the same page");
        assert_eq!(s.answers.read().get("heard"), Some(&Answer::Choice("website".into())));
        assert_eq!(s.answers.read().get("consent"), Some(&Answer::Consent(true)));
        assert_eq!(s.answers.read().get("ease"), None, "a question no longer asked has no answer");
        assert!(s.survey.question("ease").is_none());
        // A page that is gone: the first page shown.
        let mut json: serde_json::Value =
            serde_json::from_str(include_str!("../../demo/surveys/digital-engagement.json")).expect("JSON");
        json["pages"].as_array_mut().expect("a list").truncate(1);
        let one_page = Rc::new(Survey::parse(&json.to_string()).expect("valid"));
        let s = act(s, Action::Redefine { survey: one_page });
        assert_eq!(s.page, 0);
    }

    #[test]
    fn a_preview_send_checks_like_a_send_and_completes_without_a_request() {
        let empty = act(Rc::new(State::new(survey(), 1)), Action::PreviewSend);
        assert!(!empty.errors.is_empty(), "the same checks as sending");
        assert_eq!(empty.status, Status::Answering);
        let done = act(answered(), Action::PreviewSend);
        assert_eq!(done.status, Status::Complete { reference: None });
        assert!(done.outgoing.is_none() && done.submission_id.is_none(), "nothing to deliver");
        assert_eq!(done.focus, Focus::Confirmation);
    }

    #[test]
    fn a_double_send_makes_one_submission_with_one_id_and_one_body() {
        let mut s = act(answered(), send("a"));
        assert_eq!(s.status, Status::Sending { attempt: 1 });
        let body = s.outgoing.as_ref().map(|o| o.body.clone()).expect("the body is built once");
        assert!(body.contains(r#""submission_id":"a""#));
        let again = act(s.clone(), send("b"));
        assert!(Rc::ptr_eq(&s, &again), "a second press while sending changes nothing");
        s = act(s, Action::Queued { stored: true, not_before: None });
        assert_eq!(s.status, Status::Queued { attempt: 1, stored: true, not_before: None });
        let pressed = act(s.clone(), send("c"));
        assert!(Rc::ptr_eq(&s, &pressed), "sending again while queued changes nothing");
        s = act(s, Action::Retry);
        assert_eq!(s.status, Status::Sending { attempt: 2 });
        assert_eq!(s.outgoing.as_ref().map(|o| o.body.clone()), Some(body), "a retry sends the same bytes");
        s = act(s, Action::Delivered { reference: Some("K7Q2-9XMD".into()) });
        assert_eq!(s.focus, Focus::Confirmation);
        let after = act(s.clone(), answer("heard", Answer::Choice("social".into())));
        assert!(Rc::ptr_eq(&s, &after), "nothing changes once delivered");
    }

    #[test]
    fn a_refusal_lets_the_respondent_fix_and_send_again_under_the_same_id() {
        let mut s = act(answered(), send("a"));
        s = act(s, Action::Refused { status: 422, closed: false });
        assert!(s.editable() && s.outgoing.is_none());
        s = act(s, answer("ease", Answer::Rating(5)));
        s = act(s, send("b"));
        let out = s.outgoing.as_ref().expect("a new body");
        assert_eq!(out.submission_id, "a");
        assert!(out.body.contains(r#""ease":5"#));
    }

    #[test]
    fn a_pending_submission_comes_back_queued_and_a_draft_comes_back_restored() {
        let pending = Outgoing {
            submission_id: "p".into(),
            survey_id: "digital-engagement".into(),
            survey_version: 1,
            endpoint: "/api".into(),
            body: "{}".into(),
            timeout_ms: 20_000,
            held: None,
            not_before: Some(1_800_000_000_000),
        };
        let s = State::resume(survey(), DraftLookup::None, Some(pending), 1);
        assert_eq!(s.status, Status::Queued { attempt: 1, stored: true, not_before: Some(1_800_000_000_000) });
        assert_eq!(s.submission_id.as_deref(), Some("p"));
        let s = act(Rc::new(s), Action::Retry);
        assert_eq!(s.status, Status::Sending { attempt: 2 }, "a resumed retry is shown as a retry, not as the form");
        let draft = answered().draft();
        let s = State::resume(survey(), DraftLookup::Found(draft.clone()), None, 1);
        assert_eq!((s.answers.read().clone(), s.page, s.notice), (draft.answers, draft.page, Some(Notice::Restored)));
        let s = Rc::new(s);
        let s = act(s, Action::StartAgain);
        assert!(s.answers.read().is_empty() && s.notice.is_none());
        assert_eq!(s.page, 0);
        let s = State::resume(survey(), DraftLookup::VersionChanged, None, 1);
        assert_eq!(s.notice, Some(Notice::VersionChanged));
    }

    #[test]
    fn an_anonymous_survey_is_sent_at_the_hour() {
        assert_eq!(submitted_at("2026-11-22T10:37:12.345Z", true), "2026-11-22T10:00:00.000Z");
        assert_eq!(submitted_at("2026-11-22T10:37:12.345Z", false), "2026-11-22T10:37:12.345Z");
        assert_eq!(submitted_at("+012026-11-22T10:37:12.345Z", true), "+012026-11-22T10:37:12.345Z", "an odd shape is left as it is");
    }

    #[test]
    fn a_conflict_keeps_the_answers_and_sending_them_again_makes_a_new_submission() {
        let s = act(act(answered(), send("a")), Action::Conflict);
        assert_eq!(s.status, Status::Conflict);
        assert!(s.editable() && s.outgoing.is_none());
        assert_eq!((s.held.as_deref(), s.submission_id.as_deref()), (Some("a"), None));
        assert_eq!(s.answers, answered().answers, "the answers stay on screen");
        let s = act(s, send("b"));
        let out = s.outgoing.as_ref().expect("a new body");
        assert_eq!(out.submission_id, "b", "a new submission, never the copied id again");
        assert_eq!(s.replaces.as_deref(), Some("a"), "it takes the place of the held one on the device");
        assert_eq!(s.held, None);
    }

    #[test]
    fn a_held_submission_comes_back_with_what_the_endpoint_said() {
        const H: &str = "5f0c2a9e-1b7d-4c3e-9a51-0d2b6c8e4f18";
        let sent = act(answered(), send(H));
        let mut out = (**sent.outgoing.as_ref().expect("a body")).clone();
        out.held = Some(crate::delivery::Held { status: 422, closed: true });
        let s = State::resume(survey(), DraftLookup::None, Some(out.clone()), 1);
        assert_eq!(s.status, Status::Refused { status: 422, closed: true });
        assert_eq!((s.held.as_deref(), s.submission_id.as_deref()), (Some(H), Some(H)));
        assert_eq!(s.answers, sent.answers);
        assert_eq!(s.outgoing, None, "never sent again by itself");
        // Answers changed since, in a draft, are the newer ones.
        let mut later = sent.draft();
        later.answers.values.insert("ease".into(), Answer::Rating(1));
        out.held = Some(crate::delivery::Held { status: 409, closed: false });
        let s = State::resume(survey(), DraftLookup::Found(later.clone()), Some(out), 1);
        assert_eq!(s.status, Status::Conflict);
        assert_eq!((s.held.as_deref(), s.submission_id.as_deref()), (Some(H), None));
        assert_eq!(*s.answers.read(), later.answers);
        assert_eq!(s.notice, None);
    }

    #[test]
    fn sending_with_a_missing_required_answer_is_refused_on_the_page() {
        let mut s = Rc::new(State::new(survey(), 1));
        s = act(s, answer("heard", Answer::Choice("website".into())));
        s = act(s, Action::Continue);
        s = act(s, answer("ease", Answer::Rating(2)));
        s = act(s, Action::Continue);
        s = act(s, send("x"));
        assert_eq!(s.status, Status::Answering);
        assert_eq!(s.errors.iter().map(|e| e.question.as_str()).collect::<Vec<_>>(), ["consent"]);
        assert_eq!(s.submission_id, None);
    }

    fn gp() -> Rc<Survey> {
        let json = include_str!("../../demo/surveys/gp-experience.json");
        Rc::new(Survey::parse(json).expect("the every-type demo survey is valid"))
    }

    fn titles(s: &State) -> (Stage, &str) {
        (s.stage, s.survey.pages[s.page].id.as_str())
    }

    /// Answers the every-type survey's required questions, not wanting a reply.
    fn gp_answered_to_review() -> Rc<State> {
        let mut s = Rc::new(State::new(gp(), 7));
        let mut matrix = std::collections::BTreeMap::new();
        for row in ["booking", "reception", "information"] {
            matrix.insert(row.to_owned(), "good".to_owned());
        }
        for a in [
            Action::Start,
            answer("contact_method", Answer::Choice("online".into())),
            answer("practice", Answer::Choice("hillview".into())),
            Action::Continue,
            answer("ease", Answer::Rating(5)),
            answer("aspects", Answer::Matrix(matrix)),
            Action::Continue,
            answer("recommend", Answer::Rating(8)),
            answer("follow_up", Answer::Choice("no".into())),
            Action::Continue,
            Action::Continue,
            answer("use_answers", Answer::Consent(true)),
            Action::Continue,
        ] {
            s = act(s, a);
            assert!(s.errors.is_empty(), "{:?}", s.errors);
        }
        s
    }

    #[test]
    fn the_start_page_comes_first_and_back_returns_to_it() {
        let s = Rc::new(State::new(gp(), 7));
        assert_eq!(s.stage, Stage::Start);
        assert!(!s.can_go_back() && !s.sends_here());
        let s = act(s, Action::Start);
        assert_eq!((titles(&s), s.focus), ((Stage::Pages, "last-contact"), Focus::PageHeading));
        assert!(s.can_go_back(), "Back from the first page goes to the start page");
        let s = act(s, Action::Back);
        assert_eq!(s.stage, Stage::Start);
        let restored = State::resume(gp(), DraftLookup::Found(answered().draft()), None, 7);
        assert_eq!(restored.stage, Stage::Pages, "someone coming back has started already");
    }

    #[test]
    fn the_last_page_continues_to_the_review_which_sends() {
        let s = gp_answered_to_review();
        assert_eq!(s.stage, Stage::Review);
        assert_eq!(s.focus, Focus::PageHeading);
        assert!(s.sends_here());
        assert_eq!(titles(&act(s.clone(), Action::Back)), (Stage::Pages, "before-you-send"));
        let sent = act(s, send("r"));
        assert_eq!(sent.status, Status::Sending { attempt: 1 });
        let body = &sent.outgoing.as_ref().expect("a body").body;
        assert!(body.contains(r#""practice":"hillview""#) && !body.contains("contact-details"), "{body}");
    }

    #[test]
    fn change_goes_to_the_question_and_continue_comes_back_to_the_review() {
        let s = act(gp_answered_to_review(), Action::Change { question: "ease".into() });
        assert_eq!(titles(&s), (Stage::Pages, "experience"));
        assert_eq!((s.focus, s.focus_question.as_deref()), (Focus::Question, Some("ease")));
        let s = act(s, answer("ease", Answer::Rating(4)));
        let s = act(s, Action::Continue);
        assert_eq!(s.stage, Stage::Review, "straight back to the review");

        // A change that reveals a required question on a later page goes through that page first.
        let s = act(s, Action::Change { question: "follow_up".into() });
        let s = act(s, answer("follow_up", Answer::Choice("yes".into())));
        let s = act(s, Action::Continue);
        assert_eq!(titles(&s), (Stage::Pages, "contact-details"));
        let s = act(s, answer("email", Answer::Text("sam@example.org".into())));
        let s = act(s, Action::Continue);
        assert_eq!(s.stage, Stage::Review);
        let nowhere = act(s.clone(), Action::Change { question: "why_low".into() });
        assert!(Rc::ptr_eq(&s, &nowhere), "a hidden question cannot be changed");
    }

    #[test]
    fn sending_from_the_review_with_a_problem_goes_to_its_page_and_back_after() {
        let s = (*gp_answered_to_review()).clone();
        // The respondent cleared an answer in another tab's draft: the review must not send it.
        s.answers.set("practice".into(), None);
        let s = act(Rc::new(s), send("r"));
        assert_eq!((titles(&s), s.focus), ((Stage::Pages, "last-contact"), Focus::ErrorSummary));
        assert_eq!(s.errors.iter().map(|e| e.question.as_str()).collect::<Vec<_>>(), ["practice"]);
        let s = act(s, answer("practice", Answer::Choice("riverside".into())));
        assert_eq!(act(s, Action::Continue).stage, Stage::Review);
    }

    #[test]
    fn the_chosen_language_is_kept_in_the_draft_and_survives_start_again() {
        let s = act(Rc::new(State::new(gp(), 7)), Action::SetLanguage { lang: "cy".into() });
        assert_eq!(s.lang.as_deref(), Some("cy"));
        assert_eq!(s.draft().lang.as_deref(), Some("cy"));
        assert_eq!(s.draft().seed, 7);
        let s = act(act(s, Action::Start), Action::StartAgain);
        assert_eq!(s.lang.as_deref(), Some("cy"));
    }

    #[test]
    fn a_resumed_submission_that_is_refused_leaves_its_answers_on_screen() {
        let sent = act(gp_answered_to_review(), send("5f0c2a9e-1b7d-4c3e-9a51-0d2b6c8e4f17"));
        let out = (**sent.outgoing.as_ref().expect("a body")).clone();
        let s = State::resume(gp(), DraftLookup::None, Some(out), 9);
        assert_eq!(s.status, Status::Queued { attempt: 1, stored: true, not_before: None });
        let s = act(act(Rc::new(s), Action::Retry), Action::Refused { status: 422, closed: false });
        assert!(s.editable());
        assert_eq!(s.stage, Stage::Review, "back where it was sent from");
        assert_eq!(s.lang.as_deref(), Some("en"), "in the language it was answered in");
        assert_eq!(s.answers, sent.answers, "every answer is back, ready to correct and send again");
        assert!(s.survey.validate_all(&s.answers.read()).is_ok());
    }
}
