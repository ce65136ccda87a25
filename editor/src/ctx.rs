//! What every part of the form needs from the editor: how to change the definition, which
//! languages it is written in, and what the model says is wrong where.

use crate::doc::{Edit, Path};
use std::collections::BTreeMap;
use std::rc::Rc;
use survey_model::Problem;
use yew::prelude::*;

/// Shared with every field through a yew context.
#[derive(Clone, PartialEq)]
pub struct Ctx {
    /// Applies one change to the definition, and draws the form again at once.
    pub edit: Callback<Edit>,
    /// Applies a change typed into a text field: the preview shows it at once, the rest of the
    /// form follows a frame later (`store::Store::typed`).
    pub typed: Callback<Edit>,
    /// The survey's languages, the main one first.
    pub languages: Rc<Vec<String>>,
    /// The model's problems, by path.
    pub problems: Rc<Problems>,
}

impl Ctx {
    pub fn main_language(&self) -> &str {
        self.languages.first().map_or("en", String::as_str)
    }
}

/// The model's problems, found by the path they name.
#[derive(Debug, Default, PartialEq)]
pub struct Problems {
    by_path: BTreeMap<String, Vec<String>>,
}

impl Problems {
    pub fn new(problems: &[Problem]) -> Self {
        let mut by_path: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for p in problems {
            by_path.entry(p.path.clone()).or_default().push(p.message.clone());
        }
        Self { by_path }
    }

    /// What is wrong with the value at `path` itself, as one sentence.
    pub fn at(&self, path: &Path) -> Option<String> {
        self.by_path.get(&path.json()).map(|messages| sentence(messages))
    }
}

/// The model's messages ("must not be empty") read as one sentence about the field.
pub fn sentence(messages: &[String]) -> String {
    let mut s = messages.join("; ");
    if let Some(first) = s.get(..1) {
        let upper = first.to_uppercase();
        s.replace_range(..1, &upper);
    }
    s
}

/// The editor's context, from any component under the app.
#[hook]
pub fn use_ctx() -> Ctx {
    use_context::<Ctx>().expect("every editor component is rendered inside the editor's context")
}
