//! Rendering only renders: components get the state they show and `Callback`s named `on<verb>`,
//! never the state itself.

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

/// Space-separated ids for `aria-describedby`, or `None` when there are none.
pub(crate) fn ids(list: &[Option<String>]) -> Option<String> {
    let joined = list.iter().flatten().cloned().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}
