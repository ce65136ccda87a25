//! The pattern corpus (widget/model/tests/patterns.json) through the browser's own RegExp, in
//! headless Chromium: what the widget would accept and refuse if it matched `pattern` with the
//! browser's engine instead of regex-lite (about 20 KB of the gzipped Wasm, BENCHMARKS.md).
//!
//! Each pattern is compiled as `Pattern::new` does: alone first, then anchored as
//! `^(?:pattern)$`, with flag `u` so that it matches by code point as regex-lite does. Entries
//! without a `regexp` note must come out exactly as the model's tests/patterns.rs finds them;
//! entries with one must come out differently, so that a note can never outlive the difference
//! it describes.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Reflect, RegExp};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CORPUS: &str = include_str!("../model/tests/patterns.json");

/// `new RegExp(source, "u")`, or `None` where the browser refuses the pattern.
fn regexp(source: &str) -> Option<RegExp> {
    let constructor: Function = Reflect::get(&js_sys::global(), &JsValue::from_str("RegExp")).ok()?.dyn_into().ok()?;
    let args = Array::of2(&JsValue::from_str(source), &JsValue::from_str("u"));
    Reflect::construct(&constructor, &args).ok()?.dyn_into().ok()
}

/// The pattern as the widget would compile it with RegExp, or `None` where it would refuse it.
fn compile(source: &str) -> Option<RegExp> {
    regexp(source)?;
    regexp(&format!("^(?:{source})$"))
}

fn strings<'a>(entry: &'a Value, key: &str) -> Vec<&'a str> {
    entry.get(key).and_then(Value::as_array).map_or(Vec::new(), |a| a.iter().filter_map(Value::as_str).collect())
}

/// How RegExp disagrees with the entry: empty when it reads the pattern exactly as written.
fn disagreements(entry: &Value) -> Vec<String> {
    let source = entry["pattern"].as_str().unwrap_or_default();
    let invalid = entry.get("invalid") == Some(&Value::Bool(true));
    match (compile(source), invalid) {
        (None, true) => Vec::new(),
        (Some(_), true) => vec![format!("{source:?} compiles in RegExp but regex-lite refuses it")],
        (None, false) => vec![format!("{source:?} is refused by RegExp but regex-lite compiles it")],
        (Some(re), false) => {
            let mut out = Vec::new();
            out.extend(strings(entry, "accept").into_iter().filter(|t| !re.test(t)).map(|t| format!("{source:?}: RegExp refuses {t:?}")));
            out.extend(strings(entry, "refuse").into_iter().filter(|t| re.test(t)).map(|t| format!("{source:?}: RegExp accepts {t:?}")));
            out
        }
    }
}

#[wasm_bindgen_test]
fn the_browsers_regexp_agrees_with_the_corpus_except_where_it_is_noted() {
    let corpus: Value = serde_json::from_str(CORPUS).expect("the corpus is JSON");
    let entries = corpus["patterns"].as_array().expect("the corpus has a list of patterns");
    let mut wrong = Vec::new();
    let mut noted = 0;
    for entry in entries {
        let found = disagreements(entry);
        match entry.get("regexp").and_then(Value::as_str) {
            None => wrong.extend(found),
            Some(note) => {
                noted += 1;
                if found.is_empty() {
                    wrong.push(format!("{:?} is noted ({note}) but RegExp agrees with regex-lite", entry["pattern"]));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "RegExp and the corpus:\n{}", wrong.join("\n"));
    assert!(noted >= 5, "the corpus keeps the known differences: {noted}");
}
