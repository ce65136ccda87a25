//! The collector's survey editor (docs/collector.md, "Writing a survey in the browser").
//!
//! A yew app that writes a survey definition through forms. It keeps the definition as JSON
//! ([`doc`]), checks every change with the model crate the widget and the collector use
//! ([`state`]), lists each problem by its place in the form ([`places`], [`problems`]), and
//! hands every definition the model accepts to the real widget in preview mode ([`preview`]).
//! It saves and publishes through the collector's editor API ([`api`]).
//!
//! Imports point one way: `app` → `autosave` → `store` → `state`, `preview`; `app` → the sections (`settings`, `page`, `question`, `condition`,
//! `options`, `transfer`, `preview`) → `fields` → `ctx`, `doc`; `doc`, `places`, `earlier` and
//! `languages` need nothing of yew.

pub mod api;
pub mod app;
pub mod autosave;
pub mod condition;
pub mod ctx;
pub mod doc;
pub mod earlier;
pub mod fields;
pub mod focus;
pub mod languages;
pub mod moves;
pub mod options;
pub mod page;
pub mod places;
pub mod preview;
pub mod problems;
pub mod question;
pub mod settings;
pub mod state;
pub mod store;
pub mod transfer;
pub mod when;

use wasm_bindgen::prelude::*;

/// Starts the editor in `root`. Its `data-survey` attribute names the survey to edit; without
/// it, a new survey is written.
#[wasm_bindgen]
pub fn start(root: web_sys::Element) {
    let id = root.get_attribute("data-survey").filter(|s| !s.is_empty()).map(yew::AttrValue::from);
    yew::Renderer::<app::App>::with_root_and_props(root, app::AppProps { id }).render();
}
