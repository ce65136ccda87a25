//! The pieces of the hand-written JSON of the records the widget keeps on the device (drafts,
//! the outbox). serde's derives for those records (and for `Answers`, `Answer` and `DateParts`,
//! which only a draft stores) cost 7 KB of gzipped Wasm, paid by every respondent, for a few small
//! fixed shapes (BENCHMARKS.md, "Bundle size"). Each record's own module writes and reads its
//! shape with these, next to its type.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A JSON string literal, escaped exactly as serde_json escapes every other string.
pub fn string(out: &mut String, s: &str) {
    // Serialising a `str` cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

/// `"key":`, after a comma unless it is the first (every key here is a plain identifier).
pub fn key(out: &mut String, first: bool, k: &str) {
    if !first {
        out.push(',');
    }
    out.push('"');
    out.push_str(k);
    out.push_str("\":");
}

/// `["a","b"]`.
pub fn string_list(out: &mut String, items: &[String]) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        string(out, item);
    }
    out.push(']');
}

/// `{"k":"v"}`.
pub fn string_map(out: &mut String, map: &BTreeMap<String, String>) {
    out.push('{');
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        string(out, k);
        out.push(':');
        string(out, v);
    }
    out.push('}');
}

/// A string value.
pub fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

/// A whole number that fits a `u32`.
pub fn u32_of(v: &Value) -> Option<u32> {
    u32::try_from(v.as_u64()?).ok()
}

/// A list of strings.
pub fn list(v: &Value) -> Option<Vec<String>> {
    v.as_array()?.iter().map(text).collect()
}

/// An object of strings. Filled by insert, not collect(): collecting into a BTreeMap sorts a Vec
/// first and compiles a copy of the sort per call site (about 3 KB of Wasm each).
pub fn map(v: &Value) -> Option<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (k, v) in v.as_object()? {
        out.insert(k.clone(), text(v)?);
    }
    Some(out)
}

/// A field that may be absent (written before it existed); present, it must be valid.
pub fn optional<T>(o: &Map<String, Value>, k: &str, read: impl FnOnce(&Value) -> Option<T>, absent: T) -> Option<T> {
    match o.get(k) {
        None => Some(absent),
        Some(v) => read(v),
    }
}

/// Parses JSON text. from_slice, not from_str, everywhere the widget parses JSON: the same result
/// for a `str`, and one instance of serde_json's reader in the Wasm instead of two
/// (`Payload::parse` reads bytes).
pub fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_slice(text.as_bytes()).ok()
}
