//! The editor: the toolbar (save, publish), the problem list and the form; its store
//! ([`crate::store`]) feeds the preview beside it.

use crate::api::{self, Failure};
use crate::autosave::use_autosave;
use crate::ctx::{Ctx, Problems};
use crate::page::PagesEditor;
use crate::preview::PreviewStatus;
use crate::problems::ProblemSummary;
use crate::settings::{CompletionSection, Settings};
use crate::state::{blank, Action, Status};
use crate::store::{use_store, Store};
use crate::transfer::Transfer;
use serde_json::Value;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    /// The survey to edit; `None` for a new one.
    pub id: Option<AttrValue>,
}

#[function_component]
pub fn App(props: &AppProps) -> Html {
    let store = use_store();
    let state = store.get();

    // Load the draft, or the newest version, or start blank.
    {
        let store = store.clone();
        use_effect_with(props.id.clone(), move |id| {
            let id = id.as_ref().map(|i| i.to_string());
            spawn_local(async move { load(store, id).await });
        });
    }

    // Save a settled survey by itself a moment after the last change.
    use_autosave(&store, &state, |store| spawn_local(save(store, false)));

    // Leaving with unsaved changes asks first (the browser's own question).
    use_effect_with(state.has_unsaved_work(), |unsaved| {
        let listener = (*unsaved).then(|| {
            web_sys::window().map(|window| {
                gloo_events::EventListener::new_with_options(
                    &window,
                    "beforeunload",
                    gloo_events::EventListenerOptions::enable_prevent_default(),
                    |event| event.prevent_default(),
                )
            })
        });
        move || drop(listener)
    });

    // The context changes only when what it holds does: every field reads it, so a new one on
    // each keystroke would draw the whole form again.
    let edit = use_callback(store.clone(), |e, store| store.dispatch(Action::Edit(e)));
    let typed = use_callback(store.clone(), |e, store| store.typed(e));
    let languages = use_memo(state.languages(), Clone::clone);
    let problems = use_memo(state.problems.clone(), |p| Problems::new(p));
    let ctx = Ctx { edit, typed, languages, problems };
    if state.status == Status::Loading {
        return html! { <p class="loading" role="status">{ "Loading the survey…" }</p> };
    }
    let on_save = {
        let store = store.clone();
        Callback::from(move |_| spawn_local(save(store.clone(), true)))
    };
    let on_publish = {
        let store = store.clone();
        Callback::from(move |_| spawn_local(publish(store.clone())))
    };
    let on_import = {
        let store = store.clone();
        Callback::from(move |doc: Value| store.dispatch(Action::Import(doc)))
    };
    let count = state.problems.len();
    let heading = match count {
        0 => String::new(),
        1 => "There is 1 problem to fix before publishing".to_owned(),
        n => format!("There are {n} problems to fix before publishing"),
    };
    let new = state.id.is_none();
    html! {
        <ContextProvider<Ctx> context={ctx}>
            <div class="editor-bar">
                <button type="button" onclick={on_save}>{ "Save draft" }</button>
                <button type="button" class="publish" onclick={on_publish}>{ "Publish" }</button>
                <StatusLine status={state.status.clone()} published={state.published_version} />
            </div>
            <Outcome status={state.status.clone()} id={state.id.clone().unwrap_or_default()} />
            <ProblemSummary doc={state.doc.clone()} problems={state.problems.clone()} heading={heading} focus_token={state.focus_problems} />
            <div class="editor-form">
                <Settings doc={state.doc.clone()} new={new} />
                <PagesEditor doc={state.doc.clone()} page_changes={state.page_changes.clone()} />
                <CompletionSection doc={state.doc.clone()} new={new} />
                <Transfer id={state.id.clone()} on_import={on_import} published={state.published_version} />
            </div>
            <PreviewStatus shown={state.valid.is_some()} behind={!state.current_is_valid} />
        </ContextProvider<Ctx>>
    }
}

async fn load(store: Store, id: Option<String>) {
    let Some(id) = id else {
        store.dispatch(Action::Loaded { id: None, doc: blank(), saved_at: None, published_version: None, etag: None });
        return;
    };
    match api::load(&id).await {
        Ok(Some(body)) => {
            let source = body.get("source").and_then(Value::as_str).unwrap_or("");
            // A draft is any text at all (the API keeps half-written JSON). One that does not
            // read is left alone: the editor starts blank, says so, and does not save over it
            // by itself.
            let parsed: Option<Value> = serde_json::from_str(source).ok().filter(Value::is_object);
            let unreadable = parsed.is_none();
            let doc = parsed.unwrap_or_else(|| {
                let mut b = blank();
                b["id"] = Value::String(id.clone());
                b
            });
            store.dispatch(Action::Loaded {
                id: Some(id),
                doc,
                saved_at: body.get("saved_at").and_then(Value::as_str).map(str::to_owned),
                published_version: body.get("published_version").and_then(Value::as_u64),
                etag: body.get("etag").and_then(Value::as_str).map(str::to_owned),
            });
            if unreadable {
                store.dispatch(Action::UnreadableDraft);
            }
        }
        Ok(None) => {
            let mut doc = blank();
            doc["id"] = Value::String(id.clone());
            store.dispatch(Action::Loaded { id: None, doc, saved_at: None, published_version: None, etag: None });
        }
        Err(failure) => {
            store.dispatch(Action::Loaded { id: Some(id), doc: blank(), saved_at: None, published_version: None, etag: None });
            store.dispatch(Action::Failed(failure));
        }
    }
}

/// Saves the draft. A new survey's first save settles its id: it must be a valid id that no
/// other survey has. `by_hand` is the Save button (an autosave that fails says so quietly,
/// unless the stored draft changed elsewhere, which the author must always be told).
async fn save(store: Store, by_hand: bool) {
    if let Err(failure) = save_draft(&store, by_hand).await {
        if by_hand || failure.problems.is_empty() || failure.draft_changed {
            store.dispatch(Action::Failed(failure));
        }
    }
}

/// Saves over the stored draft this editor last read or saved, and no other; by the author's
/// own hand (Save draft, Publish) over whatever is stored, once they have been told it changed.
/// Resolves to the id and the new draft's etag.
async fn save_draft(store: &Store, by_hand: bool) -> Result<(String, String), Failure> {
    // What is saved is the state as it is now, the id it is saved under included (a change
    // made meanwhile is saved next).
    let state = store.get();
    let settling = state.id.is_none();
    let id = match &state.id {
        Some(id) => id.clone(),
        None => settle_id(&state.written_id()).await?,
    };
    let over = if by_hand && state.replace_stored { api::Base::Any } else { api::Base::from_etag(state.etag.as_deref()) };
    let (source, revision) = (state.source(), state.revision);
    store.dispatch(Action::Saving);
    let body = api::save(&id, &source, &over).await.map_err(|failure| {
        // A new survey's first save, refused because a draft with its id was saved a moment
        // before (after the check above): that is another survey, never to be replaced.
        if settling && failure.draft_changed { id_taken(&id) } else { failure }
    })?;
    let at = body.get("saved_at").and_then(Value::as_str).unwrap_or("").to_owned();
    let etag = body.get("etag").and_then(Value::as_str).unwrap_or("").to_owned();
    store.dispatch(Action::Saved { id: id.clone(), revision, at, etag: etag.clone() });
    if settling {
        address(&id);
    }
    Ok((id, etag))
}

/// The id a new survey is first saved under, once it is checked: well formed, and not already
/// some survey's.
async fn settle_id(written: &str) -> Result<String, Failure> {
    let id = written.to_owned();
    if !survey_model::is_id(&id) {
        return Err(id_problem(if id.is_empty() {
            "must be chosen before the draft is saved".into()
        } else {
            "must use only a-z, 0-9, \"_\" and \"-\", at most 64 of them".into()
        }));
    }
    if api::load(&id).await?.is_some() {
        return Err(id_taken(&id));
    }
    Ok(id)
}

/// A new survey's first save refused for its id.
fn id_problem(message: String) -> Failure {
    Failure {
        problems: vec![survey_model::Problem::new("id", message)],
        ..Failure::plain("The draft was not saved: the survey needs an id first.")
    }
}

fn id_taken(id: &str) -> Failure {
    id_problem(format!("is already the id of another survey (\"{id}\"); choose another"))
}

/// Puts the survey's own editor address in the location bar, so a reload opens it again.
fn address(id: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("/admin/editor/{id}")));
    }
}

/// Saves, then publishes the draft as the next version.
async fn publish(store: Store) {
    let problems = store.get().problems.clone();
    if !problems.is_empty() {
        store.dispatch(Action::Failed(Failure {
            problems: (*problems).clone(),
            ..Failure::plain("Not published: fix the problems listed first.")
        }));
        return;
    }
    let result = async {
        let (id, etag) = save_draft(&store, true).await?;
        store.dispatch(Action::Publishing);
        // Only the draft just saved: one saved in between from elsewhere is not published unseen.
        api::publish(&id, &etag).await
    }
    .await;
    match result {
        Ok(body) => store.dispatch(Action::Published {
            version: body.get("version").and_then(Value::as_u64).unwrap_or(0),
            snippet: body.get("embed_snippet").and_then(Value::as_str).unwrap_or("").to_owned(),
        }),
        Err(failure) => store.dispatch(Action::Failed(failure)),
    }
}

#[derive(Properties, PartialEq, Clone)]
struct StatusProps {
    status: Status,
    published: Option<u64>,
}

/// Where saving stands, said politely to screen readers as it changes.
#[function_component]
fn StatusLine(props: &StatusProps) -> Html {
    let text = match &props.status {
        Status::Loading => "Loading…".to_owned(),
        Status::Saved(Some(at)) if !at.is_empty() => format!("Draft saved ({})", short_time(at)),
        Status::Saved(_) => match props.published {
            Some(v) => format!("Version {v} is published; no draft changes"),
            None => "Not saved yet".to_owned(),
        },
        Status::Unsaved => "Changes not saved yet".to_owned(),
        Status::Saving => "Saving…".to_owned(),
        Status::Publishing => "Publishing…".to_owned(),
        Status::Published { version, .. } => format!("Version {version} published"),
        Status::Failed(_) => "Not saved: see the message below".to_owned(),
    };
    html! { <p class="save-status" role="status">{ text }</p> }
}

/// `2026-12-06T10:42:07Z` as `10:42 UTC`.
fn short_time(rfc3339: &str) -> String {
    match rfc3339.get(11..16) {
        Some(hm) if rfc3339.ends_with('Z') => format!("{hm} UTC"),
        _ => rfc3339.to_owned(),
    }
}

#[derive(Properties, PartialEq, Clone)]
struct OutcomeProps {
    status: Status,
    id: String,
}

/// What came of the last publish or failure: the snippet to embed, or what went wrong.
#[function_component]
fn Outcome(props: &OutcomeProps) -> Html {
    let panel = use_node_ref();
    {
        let panel = panel.clone();
        use_effect_with(props.status.clone(), move |status| {
            if matches!(status, Status::Published { .. }) {
                if let Some(el) = panel.cast::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        });
    }
    match &props.status {
        Status::Failed(message) => html! {
            <div class="notice notice-error" role="alert"><p>{ message.clone() }</p></div>
        },
        Status::Published { version, snippet } => {
            let copy = {
                let snippet = snippet.clone();
                Callback::from(move |_| crate::transfer::copy_text(&snippet, "snippet-copied"))
            };
            html! {
                <div class="notice notice-success" tabindex="-1" ref={panel}>
                    <h2 id="published-heading">{ format!("Version {version} is published") }</h2>
                    <p>{ "While it is open it is on the public list of surveys, with its own page at " }
                        <a href={format!("/s/{}", props.id)}>{ format!("/s/{}", props.id) }</a>
                        { ". Its answers are counted on " }<a href={format!("/admin/surveys/{}", props.id)}>{ "the results page" }</a>{ "." }</p>
                    <label for="embed-snippet">{ "To put it in a web page, paste this snippet where the survey should appear:" }</label>
                    <textarea id="embed-snippet" class="snippet" readonly=true rows="5" value={snippet.clone()} />
                    <button type="button" class="secondary" onclick={copy}>{ "Copy the snippet" }</button>
                    <p class="hint" id="snippet-copied" role="status"></p>
                </div>
            }
        }
        _ => html! {},
    }
}
