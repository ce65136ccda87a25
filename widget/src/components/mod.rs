//! Rendering only renders: components get the state they show and `Callback`s named `on<verb>`,
//! never the state itself.

mod delivery;
mod draft_saver;
mod embed;
mod error_summary;
mod question;
mod review;
mod share;
mod survey;

pub use embed::{Embed, EmbedProps};
pub use survey::{Survey, SurveyEvent, SurveyProps};

use std::ops::Deref;
use std::rc::Rc;

/// An `Rc` whose equality is identity: props compare in O(1), and a definition never changes
/// under a component without being replaced.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Default> Default for Shared<T> {
    fn default() -> Self {
        Shared(Rc::new(T::default()))
    }
}

impl<T> From<Rc<T>> for Shared<T> {
    fn from(rc: Rc<T>) -> Self {
        Shared(rc)
    }
}

/// A click handler for a `type="button"` that changes what is shown. yew re-renders while the
/// click is still being dispatched, and may reuse the pressed `<button>` element for another one
/// in the new view; if that one is the form's submit button, the browser would then submit the
/// form as the click's default action (Back would go back, then straight on again). Cancelling
/// the default makes the press do exactly what its handler says.
pub(crate) fn on_press(f: impl Fn() + 'static) -> yew::Callback<web_sys::MouseEvent> {
    yew::Callback::from(move |e: web_sys::MouseEvent| {
        e.prevent_default();
        f();
    })
}

/// Space-separated ids for `aria-describedby`, or `None` when there are none.
pub(crate) fn ids(list: &[Option<String>]) -> Option<String> {
    let joined = list.iter().flatten().cloned().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}
