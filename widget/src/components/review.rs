//! "Check your answers": every visible question with its answer and a Change button, grouped by
//! page, as GOV.UK's check-answers pattern does it (a summary list per section).

use crate::i18n::{self, Words};
use survey_model::{Answer, Answers, ChoiceOption, Question, QuestionKind, Survey, Text, Visibility};
use yew::prelude::*;

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
    fn t<'t>(&self, text: &'t Text) -> &'t str {
        text.get(self.lang, &self.survey.default_language)
    }

    /// The review list, one section per visible page that asks something.
    pub fn render(&self) -> Html {
        let level = self.heading_level.clamp(1, 6);
        let sections = self.survey.pages.iter().enumerate().filter(|(i, _)| self.visibility.page(*i)).map(|(_, page)| {
            let rows: Vec<Html> = page
                .questions
                .iter()
                .filter(|q| q.kind.takes_answer() && self.visibility.question(&q.id))
                .map(|q| self.row(q))
                .collect();
            if rows.is_empty() {
                return Html::default();
            }
            html! {
                <section class="sw-review__section">
                    if let Some(title) = &page.title {
                        <@{format!("h{level}")} class="sw-review__title">{ self.t(title) }</@>
                    }
                    <dl class="sw-summary">{ for rows }</dl>
                </section>
            }
        });
        html! { <div class="sw-review">{ for sections }</div> }
    }

    fn row(&self, q: &Question) -> Html {
        let title = self.t(&q.title).to_owned();
        let onclick = {
            let on = self.onchange.clone();
            let id = q.id.clone();
            super::on_press(move || on.emit(id.clone()))
        };
        let value = match self.answers.get(&q.id) {
            Some(a) => self.value(q, a),
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

    fn value(&self, q: &Question, answer: &Answer) -> Html {
        let lines = |items: Vec<String>| html! { <>{ for items.into_iter().map(|l| html! { <p>{ l }</p> }) }</> };
        match (answer, &q.kind) {
            (Answer::Choice(v), _) => html! { self.choice_text(q, v) },
            (Answer::Choices(vs), _) => lines(vs.iter().map(|v| self.choice_text(q, v)).collect()),
            (Answer::Text(t), _) => lines(t.split('\n').filter(|l| !l.trim().is_empty()).map(str::to_owned).collect()),
            (Answer::Rating(n), QuestionKind::Rating { min, max, min_label, max_label }) => {
                let end = if n == min { min_label.as_ref() } else if n == max { max_label.as_ref() } else { None };
                match end {
                    Some(label) => html! { format!("{n} ({})", self.t(label)) },
                    None => html! { n.to_string() },
                }
            }
            (Answer::Matrix(m), QuestionKind::Matrix { rows, columns }) => lines(
                rows.iter()
                    .filter_map(|r| Some(format!("{}: {}", self.t(&r.label), self.label_of(columns, m.get(&r.value)?))))
                    .collect(),
            ),
            (Answer::Ranking(order), QuestionKind::Ranking { options }) => html! {
                <ol class="sw-summary__ranking">
                    { for order.iter().map(|v| html! { <li>{ self.label_of(options, v) }</li> }) }
                </ol>
            },
            (Answer::Date(d), _) => {
                let iso = format!("{}-{:0>2}-{:0>2}", d.year.trim(), d.month.trim(), d.day.trim());
                html! { i18n::format_date(self.words, &iso) }
            }
            (Answer::Consent(true), QuestionKind::Consent { label }) => html! { self.t(label).to_owned() },
            _ => html! { self.words.not_answered.clone() },
        }
    }
}
