//! The pages and their questions.

use crate::condition::ConditionEditor;
use crate::ctx::use_ctx;
use crate::doc::{Edit, New, Path};
use crate::earlier::{self, Asked, Earlier};
use crate::fields::{TextField, TranslatableField};
use crate::moves::Moves;
use crate::question::QuestionEditor;
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, Clone)]
pub struct PagesProps {
    pub doc: Rc<Value>,
    /// For each page, when it last changed (`state::State::page_changes`).
    pub page_changes: Rc<Vec<u64>>,
}

impl PartialEq for PagesProps {
    /// Drawn again when a page changed: what conditions can choose from (every question's
    /// title and answers) is made here. A setting does not reach the pages (the languages, which
    /// do, come through the context). Nothing of the definition is compared.
    fn eq(&self, other: &Self) -> bool {
        self.page_changes == other.page_changes
    }
}

/// Every page, then "Add a page".
#[function_component]
pub fn PagesEditor(props: &PagesProps) -> Html {
    let ctx = use_ctx();
    let doc = &props.doc;
    let pages = crate::doc::get_array(doc, &Path::root().key("pages"));
    let all = Rc::new(earlier::all(doc, ctx.main_language()));
    let add_page = {
        let (ctx, n) = (ctx.clone(), pages.len());
        Callback::from(move |_| {
            let path = Path::root().key("pages").index(n);
            ctx.edit.emit(Edit::Add(path.clone(), New::Page));
            crate::focus::later(path.key("title").dom_id());
        })
    };
    let error = ctx.problems.at(&Path::root().key("pages"));
    html! {
        <section class="pages" id={Path::root().key("pages").dom_id()} tabindex="-1" aria-labelledby="pages-heading"
            aria-describedby={error.is_some().then_some("ed-pages-error")}>
            <h2 id="pages-heading">{ "Pages and questions" }</h2>
            if let Some(message) = error {
                <p class="error-message" id="ed-pages-error"><span class="visually-hidden">{ "Error: " }</span>{ message }</p>
            }
            { for (0..pages.len()).map(|i| html! {
                <PageEditor path={Path::root().key("pages").index(i)} n={i} count={pages.len()}
                    all={all.clone()} doc={doc.clone()} changed={props.page_changes.get(i).copied().unwrap_or_default()} />
            }) }
            <button type="button" onclick={add_page}>{ "Add a page" }</button>
        </section>
    }
}

#[derive(Properties, Clone)]
struct PageProps {
    /// The whole definition; the page is the part at `path`.
    doc: Rc<Value>,
    /// When the page last changed: compared instead of the page itself.
    changed: u64,
    path: Path,
    n: usize,
    count: usize,
    /// Every question that a condition may test, in order.
    all: Rc<Vec<(usize, usize, Asked)>>,
}

impl PageProps {
    fn value(&self) -> &Value {
        crate::doc::get(&self.doc, &self.path).unwrap_or(&Value::Null)
    }

    /// The questions up to the end of this page: what its conditions can choose from.
    fn through(&self) -> Earlier {
        earlier::before(&self.all, self.n + 1, None)
    }

    fn has_condition(&self) -> bool {
        let page = self.value();
        page.get("visible_if").is_some()
            || page.get("questions").and_then(Value::as_array).is_some_and(|qs| qs.iter().any(|q| q.get("visible_if").is_some()))
    }
}

impl PartialEq for PageProps {
    /// Drawn again only when the page changes (as the state's count of changes says), or what
    /// its conditions can choose from does; typing in one page leaves the others alone.
    fn eq(&self, other: &Self) -> bool {
        let (mine, theirs) = (self.through(), other.through());
        let before = earlier::count_before(&self.all, self.n, None) == earlier::count_before(&other.all, other.n, None);
        self.path == other.path
            && self.n == other.n
            && self.count == other.count
            && before
            && self.changed == other.changed
            && if self.has_condition() { mine == theirs } else { mine.is_empty() == theirs.is_empty() }
    }
}

#[function_component]
fn PageEditor(props: &PageProps) -> Html {
    let ctx = use_ctx();
    let path = &props.path;
    let page = props.value();
    let count = page.get("questions").and_then(Value::as_array).map_or(0, Vec::len);
    let add_question = {
        let (ctx, path, n) = (ctx.clone(), path.clone(), count);
        Callback::from(move |_| {
            let q = path.key("questions").index(n);
            ctx.edit.emit(Edit::Add(q.clone(), New::Question));
            crate::focus::later(q.key("title").dom_id());
        })
    };
    let heading = format!("Page {}", props.n + 1);
    let qerror = ctx.problems.at(&path.key("questions"));
    html! {
        <section class="page" id={path.dom_id()} tabindex="-1" aria-labelledby={format!("{}-heading", path.dom_id())}>
            <h3 id={format!("{}-heading", path.dom_id())}>{ heading.clone() }</h3>
            <TranslatableField path={path.key("title")} label="Page title (optional)" value={page.get("title").cloned()} />
            <TextField path={path.key("id")} label="Page id" narrow=true optional={false} spellcheck={Some(false)}
                value={page.get("id").and_then(Value::as_str).unwrap_or("").to_owned()}
                hint={AttrValue::from("a-z, 0-9, _ and -; used for the drop-off figures in the results")} />
            <ConditionEditor path={path.key("visible_if")} value={page.get("visible_if").cloned()}
                earlier={earlier::before(&props.all, props.n, None)} what="page" />
            <div class="questions" id={path.key("questions").dom_id()} tabindex="-1" role="group" aria-label={format!("Questions of page {}", props.n + 1)}
                aria-describedby={qerror.is_some().then(|| format!("{}-error", path.key("questions").dom_id()))}>
                if let Some(message) = qerror {
                    <p class="error-message" id={format!("{}-error", path.key("questions").dom_id())}><span class="visually-hidden">{ "Error: " }</span>{ message }</p>
                }
                { for (0..count).map(|j| html! {
                    <QuestionEditor doc={props.doc.clone()} path={path.key("questions").index(j)} n={j} count={count}
                        earlier={earlier::before(&props.all, props.n, Some(j))} />
                }) }
            </div>
            <button type="button" class="secondary" onclick={add_question}>
                { "Add a question" }<span class="visually-hidden">{ format!(" to page {}", props.n + 1) }</span>
            </button>
            <Moves path={path.clone()} n={props.n} count={props.count} what={heading.to_lowercase()} />
        </section>
    }
}
