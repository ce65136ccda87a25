//! The pages and their questions.

use crate::condition::ConditionEditor;
use crate::ctx::use_ctx;
use crate::doc::{Edit, Path};
use crate::earlier::{self, Asked};
use crate::fields::{TextField, TranslatableField};
use crate::moves::Moves;
use crate::question::QuestionEditor;
use serde_json::{json, Value};
use std::rc::Rc;
use yew::prelude::*;

/// `page-3` or `q-7`: an id of that kind nobody has yet.
pub fn free_id(doc: &Value, prefix: &str) -> String {
    let mut taken = Vec::new();
    for page in doc.get("pages").and_then(Value::as_array).into_iter().flatten() {
        taken.extend(page.get("id").and_then(Value::as_str).map(str::to_owned));
        for q in page.get("questions").and_then(Value::as_array).into_iter().flatten() {
            taken.extend(q.get("id").and_then(Value::as_str).map(str::to_owned));
        }
    }
    (1..).map(|n| format!("{prefix}-{n}")).find(|id| !taken.contains(id)).unwrap_or_default()
}

/// A new question, of the type most surveys start with.
pub fn new_question(doc: &Value) -> Value {
    json!({"id": free_id(doc, "question"), "type": "single_choice", "title": "",
           "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]})
}

#[derive(Properties, PartialEq, Clone)]
pub struct PagesProps {
    pub doc: Rc<Value>,
}

/// Every page, then "Add a page".
#[function_component]
pub fn PagesEditor(props: &PagesProps) -> Html {
    let ctx = use_ctx();
    let doc = &props.doc;
    let pages = crate::doc::get_array(doc, &Path::root().key("pages"));
    let all = earlier::all(doc, ctx.main_language());
    let add_page = {
        let (ctx, doc) = (ctx.clone(), doc.clone());
        Callback::from(move |_| {
            let n = crate::doc::get_array(&doc, &Path::root().key("pages")).len();
            let page = json!({"id": free_id(&doc, "page"), "questions": [new_question(&doc)]});
            let path = Path::root().key("pages").index(n);
            ctx.edit.emit(Edit::Insert(path.clone(), page));
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
            { for pages.iter().enumerate().map(|(i, page)| html! {
                <PageEditor path={Path::root().key("pages").index(i)} value={page.clone()} n={i} count={pages.len()}
                    earlier={earlier::before(&all, i, None)} questions={questions_before(&all, i, page)} doc={doc.clone()} />
            }) }
            <button type="button" onclick={add_page}>{ "Add a page" }</button>
        </section>
    }
}

/// For each question of page `i`, the questions before it.
fn questions_before(all: &[(usize, usize, Asked)], i: usize, page: &Value) -> Rc<Vec<Rc<Vec<Asked>>>> {
    let n = page.get("questions").and_then(Value::as_array).map_or(0, Vec::len);
    Rc::new((0..n).map(|j| earlier::before(all, i, Some(j))).collect())
}

#[derive(Properties, Clone)]
struct PageProps {
    path: Path,
    value: Value,
    n: usize,
    count: usize,
    earlier: Rc<Vec<Asked>>,
    questions: Rc<Vec<Rc<Vec<Asked>>>>,
    /// The whole definition, for the ids of new questions; not compared.
    doc: Rc<Value>,
}

impl PartialEq for PageProps {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
            && self.n == other.n
            && self.count == other.count
            && self.value == other.value
            && self.earlier == other.earlier
            && self.questions == other.questions
    }
}

#[function_component]
fn PageEditor(props: &PageProps) -> Html {
    let ctx = use_ctx();
    let path = &props.path;
    let page = &props.value;
    let questions = page.get("questions").and_then(Value::as_array).cloned().unwrap_or_default();
    let add_question = {
        let (ctx, doc, path, n) = (ctx.clone(), props.doc.clone(), path.clone(), questions.len());
        Callback::from(move |_| {
            let q = path.key("questions").index(n);
            ctx.edit.emit(Edit::Insert(q.clone(), new_question(&doc)));
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
                earlier={props.earlier.clone()} what="page" />
            <div class="questions" id={path.key("questions").dom_id()} tabindex="-1" role="group" aria-label={format!("Questions of page {}", props.n + 1)}
                aria-describedby={qerror.is_some().then(|| format!("{}-error", path.key("questions").dom_id()))}>
                if let Some(message) = qerror {
                    <p class="error-message" id={format!("{}-error", path.key("questions").dom_id())}><span class="visually-hidden">{ "Error: " }</span>{ message }</p>
                }
                { for questions.iter().enumerate().map(|(j, q)| html! {
                    <QuestionEditor path={path.key("questions").index(j)} value={q.clone()} n={j} count={questions.len()}
                        earlier={props.questions.get(j).cloned().unwrap_or_default()} />
                }) }
            </div>
            <button type="button" class="secondary" onclick={add_question}>
                { "Add a question" }<span class="visually-hidden">{ format!(" to page {}", props.n + 1) }</span>
            </button>
            <Moves path={path.clone()} n={props.n} count={props.count} what={heading.to_lowercase()} />
        </section>
    }
}
