//! Moving focus: to a field named by a problem, or to what a button just made or moved.

use crate::doc::Path;
use wasm_bindgen::JsCast;

/// Focuses the first of `ids` that is in the page once the coming render is done.
pub fn later_first(ids: Vec<String>) {
    gloo_timers::callback::Timeout::new(0, move || {
        for id in &ids {
            if focus_id(id) {
                return;
            }
        }
    })
    .forget();
}

/// Focuses the element `id` once the coming render is done.
pub fn later(id: String) {
    later_first(vec![id]);
}

/// Focuses the element with this id, scrolled to the middle of the view; `false` if there is
/// none.
pub fn focus_id(id: &str) -> bool {
    let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) else {
        return false;
    };
    let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() else { return false };
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    el.scroll_into_view_with_scroll_into_view_options(&options);
    let focus = web_sys::FocusOptions::new();
    focus.set_prevent_scroll(true);
    el.focus_with_options(&focus).is_ok()
}

/// Focuses the field of `path`, or of the nearest place above it that has one (a problem with
/// a whole list names the list). `false` if not even the survey's first field is there.
pub fn focus_path(path: &Path) -> bool {
    let mut here = Some(path.clone());
    while let Some(p) = here {
        if focus_id(&p.dom_id()) {
            return true;
        }
        here = p.parent();
    }
    false
}
