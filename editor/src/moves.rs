//! The buttons that move an item of a list up or down, or remove it. Each is named with the
//! item it acts on ("Move question 3 up"), and focus follows the item (or, once it is removed,
//! goes to where it was).

use crate::ctx::use_ctx;
use crate::doc::{Edit, Path, Seg};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct MovesProps {
    /// The item's path, ending in its index.
    pub path: Path,
    pub n: usize,
    pub count: usize,
    /// "question 3", "option 2".
    pub what: AttrValue,
}

#[function_component]
pub fn Moves(props: &MovesProps) -> Html {
    let ctx = use_ctx();
    let sibling = |i: usize| -> Path {
        let mut p = props.path.parent().unwrap_or_default();
        if let Some(Seg::Index(_)) = props.path.segments().last() {
            p = p.index(i);
        }
        p
    };
    let mover = |to: usize, label: &'static str| {
        let (ctx, path) = (ctx.clone(), props.path.clone());
        // Focus follows the item: the same button at its new place, or the other one at an end.
        let other = if label == "up" { "down" } else { "up" };
        let ids = [format!("{}-{label}", sibling(to).dom_id()), format!("{}-{other}", sibling(to).dom_id())];
        Callback::from(move |_| {
            ctx.edit.emit(Edit::Move(path.clone(), to));
            crate::focus::later_first(ids.to_vec());
        })
    };
    let remove = {
        let (ctx, path) = (ctx.clone(), props.path.clone());
        let what = props.what.to_string();
        // Focus goes where the item was: to the item that takes its place, or the one before
        // it if it was the last, or the list if it was the only one (never left on nothing).
        let list = props.path.parent().unwrap_or_default().dom_id();
        let then: Vec<String> =
            [Some(sibling(props.n).dom_id()), props.n.checked_sub(1).map(|i| sibling(i).dom_id()), Some(list)]
                .into_iter()
                .flatten()
                .collect();
        Callback::from(move |_| {
            let confirmed = web_sys::window()
                .and_then(|w| w.confirm_with_message(&format!("Remove {what}? This cannot be undone.")).ok())
                .unwrap_or(false);
            if confirmed {
                ctx.edit.emit(Edit::Remove(path.clone()));
                crate::focus::later_first(then.clone());
            }
        })
    };
    let id = props.path.dom_id();
    html! {
        <div class="moves">
            if props.n > 0 {
                <button type="button" class="secondary small" id={format!("{id}-up")} onclick={mover(props.n - 1, "up")}>
                    { "Move up" }<span class="visually-hidden">{ format!(" {}", props.what) }</span>
                </button>
            }
            if props.n + 1 < props.count {
                <button type="button" class="secondary small" id={format!("{id}-down")} onclick={mover(props.n + 1, "down")}>
                    { "Move down" }<span class="visually-hidden">{ format!(" {}", props.what) }</span>
                </button>
            }
            <button type="button" class="warning small" onclick={remove}>
                { "Remove" }<span class="visually-hidden">{ format!(" {}", props.what) }</span>
            </button>
        </div>
    }
}
