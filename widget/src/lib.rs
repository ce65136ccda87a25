//! survey-widget: an accessible, optionally anonymous survey that any website can embed.
//!
//! Layers, each usable alone, and imports point down this list, never up:
//! - [`survey_model`] (re-exported as [`model`]): definitions, conditions, validation and the
//!   payload, with no browser dependency; the collector validates with the same code.
//! - [`storage`]: strings under keys in the browser's storage, and the Web Lock that orders the
//!   tabs' changes to it. Nothing else.
//! - [`drafts`] and [`delivery`]: the records kept on the device, each with its encoding beside
//!   it. Delivery is everything about getting answers to the endpoint: the outbox, posting,
//!   backoff, ownership and the background flush.
//! - [`state`]: one survey being answered, as a yew `Reducible`; no DOM. Its answers are an
//!   [`answer_book`], shared from state to state and changed in place.
//! - [`components`]: rendering only. [`Survey`] is the component a yew app mounts.
//! - [`mount`]: the JavaScript boundary: `mount(element, options)` for the script-tag loader and
//!   the JS API, with a handle that cleans up after itself.
//!
//! Never panic on outside input: with `panic = "abort"` one panic ends every widget on the page.

pub mod answer_book;
pub mod components;
pub mod config;
pub mod delivery;
pub mod drafts;
pub mod error;
pub mod flow;
mod http;
pub mod i18n;
mod json;
pub mod mount;
pub mod reach;
pub mod state;
pub mod storage;

pub use components::{Survey, SurveyEvent, SurveyProps};
pub use error::{Error, Result};
pub use survey_model as model;

/// Imports point one way (the layers of the crate's doc above): each module may use only the
/// crate modules listed for it, so the layers stay layers as the code grows.
#[cfg(test)]
mod layering {
    /// Module, its source, and the crate modules it may import.
    const LAYERS: &[(&str, &str, &[&str])] = &[
        ("json", include_str!("json.rs"), &[]),
        ("storage", include_str!("storage.rs"), &[]),
        ("http", include_str!("http.rs"), &[]),
        ("drafts", include_str!("drafts.rs"), &["json", "storage"]),
        ("delivery", include_str!("delivery/mod.rs"), &["http", "json", "storage"]),
        ("delivery::outbox", include_str!("delivery/outbox.rs"), &["config", "json", "storage"]),
        ("answer_book", include_str!("answer_book.rs"), &[]),
        ("state", include_str!("state.rs"), &["answer_book", "delivery", "drafts", "flow"]),
        ("reach", include_str!("reach.rs"), &["config", "http", "storage"]),
    ];

    #[test]
    fn imports_point_one_way() {
        for (module, source, allowed) in LAYERS {
            for (i, _) in source.match_indices("crate::") {
                let used: String = source[i + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                assert!(allowed.contains(&used.as_str()), "{module} imports crate::{used}; it may import only {allowed:?}");
            }
        }
    }
}
