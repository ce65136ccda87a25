//! How a definition's pages become the pages a respondent sees. No DOM here.
//!
//! With `one_question_per_page`, every question gets a page of its own. The page keeps its
//! section's title (shown as the page heading, with the question under it), and takes both its
//! section's condition and its question's, so a question is shown exactly when it would be in the
//! paged survey. Answers are keyed by question id either way, so the payload, the collector's
//! validation and the review page are unchanged.

use std::rc::Rc;
use survey_model::{Condition, Page, Survey};

/// The survey as it is shown: itself, or one question per page when the definition asks for it.
pub fn as_shown(survey: Rc<Survey>) -> Rc<Survey> {
    if !survey.one_question_per_page {
        return survey;
    }
    let mut pages = Vec::new();
    for page in &survey.pages {
        for question in &page.questions {
            let mut q = question.clone();
            let visible_if = match (page.visible_if.clone(), q.visible_if.take()) {
                (None, None) => None,
                (Some(c), None) | (None, Some(c)) => Some(c),
                (Some(a), Some(b)) => Some(Condition::All(vec![a, b])),
            };
            pages.push(Page {
                id: format!("{}--{}", page.id, q.id),
                title: page.title.clone(),
                visible_if,
                questions: vec![q],
            });
        }
    }
    Rc::new(Survey { pages, ..(*survey).clone() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use survey_model::{Answer, Answers, Visibility};

    fn gp() -> Survey {
        Survey::parse(include_str!("../../demo/surveys/gp-experience.json")).expect("the demo survey is valid")
    }

    #[test]
    fn a_paged_survey_is_shown_as_it_is() {
        let s = Rc::new(gp());
        assert!(Rc::ptr_eq(&as_shown(Rc::clone(&s)), &s));
    }

    #[test]
    fn one_question_per_page_shows_each_question_exactly_when_the_paged_survey_would() {
        let mut paged = gp();
        paged.one_question_per_page = true;
        let single = as_shown(Rc::new(paged.clone()));
        let count: usize = paged.pages.iter().map(|p| p.questions.len()).sum();
        assert_eq!(single.pages.len(), count);
        assert!(single.pages.iter().all(|p| p.questions.len() == 1));

        let mut answers = Answers::default();
        let check = |answers: &Answers| {
            let (a, b) = (Visibility::compute(&paged, answers), Visibility::compute(&single, answers));
            for (i, p) in single.pages.iter().enumerate() {
                let q = &p.questions[0].id;
                assert_eq!(b.page(i) && b.question(q), a.question(q), "question {q}");
            }
        };
        check(&answers);
        for (q, a) in [
            ("contact_method", Answer::Choice("did_not".into())),
            ("contact_method", Answer::Choice("phone".into())),
            ("ease", Answer::Rating(2)),
            ("difficulties", Answer::Choices(vec!["booking".into()])),
            ("follow_up", Answer::Choice("yes".into())),
            ("recommend", Answer::Rating(10)),
        ] {
            answers.values.insert(q.into(), a);
            check(&answers);
        }
    }
}
