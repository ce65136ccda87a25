//! The GOV.UK error summary: a list of links at the top of the page that take focus when shown.

use wasm_bindgen::JsCast;
use web_sys::{Element, FocusOptions, HtmlElement, ScrollIntoViewOptions, ScrollLogicalPosition};
use yew::prelude::*;

/// One entry: the id of the field to focus and the message (identical to the inline one).
#[derive(Clone, PartialEq)]
pub struct SummaryItem {
    pub target: AttrValue,
    pub message: AttrValue,
}

#[derive(Properties, PartialEq, Clone)]
pub struct ErrorSummaryProps {
    pub title: AttrValue,
    pub items: Vec<SummaryItem>,
    pub heading_level: u8,
    pub node_ref: NodeRef,
}

/// Focuses the field with `id` in the same root as `anchor` (a shadow root's ids are invisible
/// to `document.getElementById`), without the browser's jump, then brings its question's legend
/// or label into view so the question is read with it.
pub fn focus_field(anchor: &Element, id: &str) {
    let root = anchor.get_root_node();
    let field = if let Some(shadow) = root.dyn_ref::<web_sys::ShadowRoot>() {
        shadow.get_element_by_id(id)
    } else if let Some(doc) = root.dyn_ref::<web_sys::Document>() {
        doc.get_element_by_id(id)
    } else {
        None
    };
    let Some(field) = field.and_then(|f| f.dyn_into::<HtmlElement>().ok()) else { return };
    let options = FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = field.focus_with_options(&options);
    // A matrix's rows are fieldsets of their own: show the matrix's title, not the first row's.
    let context = field
        .closest(".sw-matrix")
        .ok()
        .flatten()
        .or_else(|| field.closest("fieldset").ok().flatten().and_then(|fs| fs.query_selector("legend").ok().flatten()))
        .or_else(|| field.closest(".sw-question").ok().flatten())
        .unwrap_or_else(|| field.clone().into());
    let scroll = ScrollIntoViewOptions::new();
    scroll.set_block(ScrollLogicalPosition::Start);
    context.scroll_into_view_with_scroll_into_view_options(&scroll);
}

#[component]
pub fn ErrorSummary(props: &ErrorSummaryProps) -> Html {
    let level = props.heading_level.clamp(1, 6);
    let title = html! { <@{format!("h{level}")} class="sw-error-summary__title">{ &props.title }</@> };
    html! {
        <div class="sw-error-summary" tabindex="-1" ref={props.node_ref.clone()}>
            <div role="alert">
                { title }
                <ul class="sw-error-summary__list">
                    { for props.items.iter().map(|item| {
                        let target = item.target.clone();
                        let onclick = Callback::from(move |e: MouseEvent| {
                            e.prevent_default();
                            if let Some(anchor) = e.target_dyn_into::<Element>() {
                                focus_field(&anchor, &target);
                            }
                        });
                        html! {
                            <li><a href={format!("#{}", item.target)} {onclick}>{ &item.message }</a></li>
                        }
                    }) }
                </ul>
            </div>
        </div>
    }
}
