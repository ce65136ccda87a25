//! "Check your answers": every visible question with its answer and a Change button, grouped by
//! page, as GOV.UK's check-answers pattern does it (a summary list per section). The words of an
//! answer come from one plain formatter, [`Shown`], so the page and the copy the respondent can
//! take away ([`answers_text`]) always say the same.

use crate::i18n::{self, Words};
use survey_model::{Answer, Answers, ChoiceOption, Question, QuestionKind, Survey, Text, Visibility};
use yew::prelude::*;

/// An answer in the respondent's words, as "Check your answers" shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    Line(String),
    Lines(Vec<String>),
    /// A ranking, first choice first.
    Ranked(Vec<String>),
}

impl Shown {
    /// The answer on one line of plain text: lines joined by "; ", a ranking numbered.
    pub fn plain(&self) -> String {
        match self {
            Shown::Line(l) => l.clone(),
            Shown::Lines(ls) => ls.join("; "),
            Shown::Ranked(ls) => ls.iter().enumerate().map(|(i, l)| format!("{}. {l}", i + 1)).collect::<Vec<_>>().join("; "),
        }
    }

    fn html(self) -> Html {
        match self {
            Shown::Line(l) => html! { l },
            Shown::Lines(ls) => html! { <>{ for ls.into_iter().map(|l| html! { <p>{ l }</p> }) }</> },
            Shown::Ranked(ls) => html! {
                <ol class="sw-summary__ranking">{ for ls.into_iter().map(|l| html! { <li>{ l }</li> }) }</ol>
            },
        }
    }
}

/// Turns answers into the respondent's words, in their language.
pub struct Formatter<'a> {
    pub survey: &'a Survey,
    pub answers: &'a Answers,
    pub words: &'a Words,
    pub lang: &'a str,
}

impl Formatter<'_> {
    fn t<'t>(&self, text: &'t Text) -> &'t str {
        text.get(self.lang, &self.survey.default_language)
    }

    fn label_of(&self, options: &[ChoiceOption], value: &str) -> String {
        options.iter().find(|o| o.value == value).map(|o| self.t(&o.label).to_owned()).unwrap_or_else(|| value.to_owned())
    }

    /// A choice's words: the option's label, or for "other" what the respondent wrote.
    fn choice_text(&self, q: &Question, value: &str) -> String {
        let (options, other) = match &q.kind {
            QuestionKind::SingleChoice { options, other, .. } | QuestionKind::MultipleChoice { options, other, .. } => {
                (options.as_slice(), other.as_ref())
            }
            _ => return value.to_owned(),
        };
        match other {
            Some(o) if value == "other" => {
                let detail = self.answers.other_text(&q.id).trim();
                if detail.is_empty() {
                    self.t(&o.label).to_owned()
                } else {
                    format!("{}: {detail}", self.t(&o.label))
                }
            }
            _ => self.label_of(options, value),
        }
    }

    /// The answer to `q` as it is shown back.
    pub fn shown(&self, q: &Question, answer: &Answer) -> Shown {
        match (answer, &q.kind) {
            (Answer::Choice(v), _) => Shown::Line(self.choice_text(q, v)),
            (Answer::Choices(vs), _) => Shown::Lines(vs.iter().map(|v| self.choice_text(q, v)).collect()),
            (Answer::Text(t), _) => Shown::Lines(t.split('\n').filter(|l| !l.trim().is_empty()).map(str::to_owned).collect()),
            (Answer::Rating(n), QuestionKind::Rating { min, max, min_label, max_label }) => {
                let end = if n == min { min_label.as_ref() } else if n == max { max_label.as_ref() } else { None };
                Shown::Line(match end {
                    Some(label) => format!("{n} ({})", self.t(label)),
                    None => n.to_string(),
                })
            }
            (Answer::Matrix(m), QuestionKind::Matrix { rows, columns }) => Shown::Lines(
                rows.iter()
                    .filter_map(|r| Some(format!("{}: {}", self.t(&r.label), self.label_of(columns, m.get(&r.value)?))))
                    .collect(),
            ),
            (Answer::Ranking(order), QuestionKind::Ranking { options }) => {
                Shown::Ranked(order.iter().map(|v| self.label_of(options, v)).collect())
            }
            (Answer::Date(d), _) => {
                let iso = format!("{}-{:0>2}-{:0>2}", d.year.trim(), d.month.trim(), d.day.trim());
                Shown::Line(i18n::format_date(self.words, &iso))
            }
            (Answer::Consent(true), QuestionKind::Consent { label }) => Shown::Line(self.t(label).to_owned()),
            _ => Shown::Line(self.words.not_answered.to_string()),
        }
    }
}

/// The visible pages' questions that take an answer, in order.
fn asked<'s>(survey: &'s Survey, visibility: &'s Visibility) -> impl Iterator<Item = &'s Question> {
    survey
        .pages
        .iter()
        .enumerate()
        .filter(|(i, _)| visibility.page(*i))
        .flat_map(|(_, p)| p.questions.iter())
        .filter(|q| q.kind.takes_answer() && visibility.question(&q.id))
}

/// The answers as plain text for the respondent to keep: the survey's title, then
/// "Question: answer" for each visible question they answered, in their language.
pub fn answers_text(survey: &Survey, answers: &Answers, visibility: &Visibility, words: &Words, lang: &str) -> String {
    let f = Formatter { survey, answers, words, lang };
    let mut text = f.t(&survey.title).to_owned();
    for q in asked(survey, visibility) {
        if let Some(a) = answers.get(&q.id) {
            text.push('\n');
            text.push_str(f.t(&q.title));
            text.push_str(": ");
            text.push_str(&f.shown(q, a).plain());
        }
    }
    text
}

/// Everything the review list shows; `onchange` gets the id of the question to change.
pub struct Review<'a> {
    pub survey: &'a Survey,
    pub answers: &'a Answers,
    pub visibility: &'a Visibility,
    pub words: &'a Words,
    pub lang: &'a str,
    pub heading_level: u8,
    pub onchange: Callback<String>,
}

impl Review<'_> {
    fn formatter(&self) -> Formatter<'_> {
        Formatter { survey: self.survey, answers: self.answers, words: self.words, lang: self.lang }
    }

    /// The review list, one section per visible page that asks something.
    pub fn render(&self) -> Html {
        let level = self.heading_level.clamp(1, 6);
        let f = self.formatter();
        let sections = self.survey.pages.iter().enumerate().filter(|(i, _)| self.visibility.page(*i)).map(|(_, page)| {
            let rows: Vec<Html> = page
                .questions
                .iter()
                .filter(|q| q.kind.takes_answer() && self.visibility.question(&q.id))
                .map(|q| self.row(&f, q))
                .collect();
            if rows.is_empty() {
                return Html::default();
            }
            html! {
                <section class="sw-review__section">
                    if let Some(title) = &page.title {
                        <@{format!("h{level}")} class="sw-review__title">{ f.t(title) }</@>
                    }
                    <dl class="sw-summary">{ for rows }</dl>
                </section>
            }
        });
        html! { <div class="sw-review">{ for sections }</div> }
    }

    fn row(&self, f: &Formatter<'_>, q: &Question) -> Html {
        let title = f.t(&q.title).to_owned();
        let onclick = {
            let on = self.onchange.clone();
            let id = q.id.clone();
            super::on_press(move || on.emit(id.clone()))
        };
        let value = match self.answers.get(&q.id) {
            Some(a) => f.shown(q, a).html(),
            None => html! { <span class="sw-summary__empty">{ self.words.not_answered.clone() }</span> },
        };
        html! {
            <div class="sw-summary__row" key={q.id.clone()}>
                <dt class="sw-summary__key">{ title.clone() }</dt>
                <dd class="sw-summary__value">{ value }</dd>
                <dd class="sw-summary__actions">
                    <button type="button" class="sw-link-button" {onclick}>
                        { self.words.change.clone() }
                        <span class="sw-visually-hidden">{ " " }{ title }</span>
                    </button>
                </dd>
            </div>
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use survey_model::DateParts;

    fn gp() -> Survey {
        Survey::parse(include_str!("../../../demo/surveys/gp-experience.json")).expect("the every-type demo survey is valid")
    }

    fn answered() -> Answers {
        let mut a = Answers::default();
        let mut put = |q: &str, v: Answer| a.values.insert(q.to_owned(), v);
        put("contact_method", Answer::Choice("online".into()));
        put("contact_date", Answer::Date(DateParts { day: "7".into(), month: "3".into(), year: "2026".into() }));
        put("ease", Answer::Rating(5));
        put("recommend", Answer::Rating(8));
        // Hidden: asked only when the recommendation is 6 or lower.
        put("why_low", Answer::Text("Nothing shown".into()));
        put("priorities", Answer::Ranking(vec!["waits".into(), "online".into()]));
        put("age", Answer::Text("41".into()));
        a
    }

    #[test]
    fn the_copy_is_the_title_then_each_visible_answer_as_the_review_shows_it() {
        let survey = gp();
        let answers = answered();
        let vis = Visibility::compute(&survey, &answers);
        let text = answers_text(&survey, &answers, &vis, &i18n::words("en"), "en");
        assert!(!text.contains("Nothing shown"), "a hidden question's answer is left out: {text}");
        // Unanswered questions ("Which practice…") are left out; the rest read as on the review.
        assert_eq!(
            text,
            "Tell us about your GP practice\n\
             How did you last contact your GP practice?: Online form or app\n\
             When did you last contact them?: 7 March 2026\n\
             How easy was it to get the help you needed?: 5 (Very easy)\n\
             How likely are you to recommend your practice to a friend?: 8\n\
             Put these improvements in order, most important first: 1. Shorter waits; 2. Better online booking\n\
             How old are you?: 41"
        );
    }

    #[test]
    fn the_copy_is_in_the_respondents_language() {
        let survey = gp();
        let answers = answered();
        let vis = Visibility::compute(&survey, &answers);
        let text = answers_text(&survey, &answers, &vis, &i18n::words("cy"), "cy");
        assert!(text.starts_with("Dywedwch wrthym am eich meddygfa\n"), "{text}");
        assert!(text.contains("Faint yw eich oed?: 41"), "{text}");
        assert!(text.contains(": 7 Mawrth 2026"), "{text}");
    }

    #[test]
    fn several_lines_join_and_a_ranking_is_numbered() {
        assert_eq!(Shown::Lines(vec!["a".into(), "b".into()]).plain(), "a; b");
        assert_eq!(Shown::Ranked(vec!["x".into(), "y".into()]).plain(), "1. x; 2. y");
    }
}
