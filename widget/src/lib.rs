//! survey-widget: an accessible, optionally anonymous survey that any website can embed.
//!
//! Layers, each usable alone:
//! - [`survey_model`] (re-exported as [`model`]): definitions, conditions, validation and the
//!   payload, with no browser dependency; the collector validates with the same code.
//! - [`state`]: one survey being answered, as a yew `Reducible`; no DOM.
//! - [`components`]: rendering only. [`Survey`] is the component a yew app mounts.
//! - [`mount`]: the JavaScript boundary: `mount(element, options)` for the script-tag loader and
//!   the JS API, with a handle that cleans up after itself.
//!
//! Never panic on outside input: with `panic = "abort"` one panic ends every widget on the page.

pub mod components;
pub mod config;
pub mod error;
pub mod flow;
mod http;
pub mod i18n;
pub mod mount;
pub mod state;
pub mod storage;

pub use components::{Survey, SurveyEvent, SurveyProps};
pub use error::{Error, Result};
pub use survey_model as model;
