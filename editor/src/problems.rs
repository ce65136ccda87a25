//! The list of what the model finds wrong, each named by its place in the editor and linked to
//! its field (GOV.UK's error summary). Following a link moves focus to the field.

use crate::doc::Path;
use crate::places;
use serde_json::Value;
use std::rc::Rc;
use survey_model::Problem;
use yew::prelude::*;

#[derive(Properties, Clone)]
pub struct SummaryProps {
    pub doc: Rc<Value>,
    pub problems: Rc<Vec<Problem>>,
    /// "There are 3 problems to fix before publishing".
    pub heading: AttrValue,
    /// Changes when the summary should take focus (after a refused publish).
    #[prop_or_default]
    pub focus_token: u32,
}

impl PartialEq for SummaryProps {
    /// The definition matters only for naming the places of problems: with none to list, a
    /// keystroke does not compare it.
    fn eq(&self, other: &Self) -> bool {
        self.problems == other.problems
            && self.heading == other.heading
            && self.focus_token == other.focus_token
            && (self.problems.is_empty() || Rc::ptr_eq(&self.doc, &other.doc) || self.doc == other.doc)
    }
}

#[function_component]
pub fn ProblemSummary(props: &SummaryProps) -> Html {
    let summary = use_node_ref();
    {
        let summary = summary.clone();
        use_effect_with(props.focus_token, move |token| {
            if *token > 0 {
                if let Some(el) = summary.cast::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        });
    }
    if props.problems.is_empty() {
        return html! {};
    }
    html! {
        <div class="error-summary" tabindex="-1" ref={summary}>
            <h2 id="problems-heading">{ props.heading.clone() }</h2>
            <ul>
                { for props.problems.iter().map(|p| {
                    let path = Path::parse(&p.path).unwrap_or_default();
                    let place = places::describe(&props.doc, &path);
                    let href = format!("#{}", path.dom_id());
                    let onclick = Callback::from(move |e: MouseEvent| {
                        e.prevent_default();
                        crate::focus::focus_path(&path);
                    });
                    html! {
                        <li><a {href} {onclick}>
                            <span class="place">{ place }</span>{ ": " }{ crate::ctx::sentence(std::slice::from_ref(&p.message)) }
                        </a></li>
                    }
                }) }
            </ul>
        </div>
    }
}
