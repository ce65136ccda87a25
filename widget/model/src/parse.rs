//! A small walker over `serde_json::Value` that reads typed fields and collects every problem by
//! JSON path, instead of stopping at the first one as serde's derive would.

use crate::error::Problem;
use crate::text::Text;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub(crate) type Obj = Map<String, Value>;

/// Collected problems while walking one document.
#[derive(Default)]
pub(crate) struct Ctx {
    pub problems: Vec<Problem>,
    /// What was ignored; unlike a problem, a warning does not stop the document being read.
    pub warnings: Vec<Problem>,
}

/// `base.key`, or `key` at the root.
pub(crate) fn field(base: &str, key: &str) -> String {
    if base.is_empty() {
        key.to_string()
    } else {
        format!("{base}.{key}")
    }
}

/// `base.key` as [`field`] writes it, but only when a problem needs it: reading a definition
/// without problems writes no path at all (a keystroke in the editor reads one twice).
#[derive(Clone, Copy)]
pub(crate) struct Field<'a>(pub &'a str, pub &'a str);

impl From<Field<'_>> for String {
    fn from(f: Field<'_>) -> String {
        field(f.0, f.1)
    }
}

/// `base[i]`.
pub(crate) fn index(base: &str, i: usize) -> String {
    format!("{base}[{i}]")
}

pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Ctx {
    pub fn err(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(path, message));
    }

    /// The value as an object, or a problem.
    pub fn object<'v>(&mut self, v: &'v Value, path: &str) -> Option<&'v Obj> {
        match v {
            Value::Object(m) => Some(m),
            other => {
                self.err(path, format!("must be an object, not {}", type_name(other)));
                None
            }
        }
    }

    /// Refuses keys of `obj` that are not in `allowed`. For payloads; a definition ignores them
    /// instead ([`Ctx::ignore_unknown_keys`]).
    pub fn known_keys(&mut self, obj: &Obj, path: &str, allowed: &[&str]) {
        for key in obj.keys() {
            if !allowed.contains(&key.as_str()) {
                self.err(field(path, key), "is not a known field");
            }
        }
    }

    /// Ignores keys of `obj` that are not in `allowed`, with a warning for each. A newer
    /// definition may add fields, and a widget cached from before must still show it; the warning
    /// still catches a typo such as `requried`.
    pub fn ignore_unknown_keys(&mut self, obj: &Obj, path: &str, allowed: &[&str]) {
        for key in obj.keys() {
            if !allowed.contains(&key.as_str()) {
                self.warnings.push(Problem::new(field(path, key), "is not a known field; ignored"));
            }
        }
    }

    /// A field that is present and not null.
    pub fn present<'v>(&self, obj: &'v Obj, key: &str) -> Option<&'v Value> {
        obj.get(key).filter(|v| !v.is_null())
    }

    pub fn required<'v>(&mut self, obj: &'v Obj, key: &str, path: &str) -> Option<&'v Value> {
        let v = self.present(obj, key);
        if v.is_none() {
            self.err(field(path, key), "is required");
        }
        v
    }

    pub fn string(&mut self, v: &Value, path: impl Into<String>) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            other => {
                self.err(path, format!("must be a string, not {}", type_name(other)));
                None
            }
        }
    }

    pub fn opt_string(&mut self, obj: &Obj, key: &str, path: &str) -> Option<String> {
        let v = self.present(obj, key)?;
        self.string(v, Field(path, key))
    }

    pub fn req_string(&mut self, obj: &Obj, key: &str, path: &str) -> Option<String> {
        let v = self.required(obj, key, path)?;
        self.string(v, Field(path, key))
    }

    pub fn opt_bool(&mut self, obj: &Obj, key: &str, path: &str) -> Option<bool> {
        match self.present(obj, key)? {
            Value::Bool(b) => Some(*b),
            other => {
                self.err(field(path, key), format!("must be true or false, not {}", type_name(other)));
                None
            }
        }
    }

    pub fn integer(&mut self, v: &Value, path: impl Into<String>) -> Option<i64> {
        match v.as_i64() {
            Some(n) => Some(n),
            None => {
                self.err(path, format!("must be a whole number, not {}", type_name(v)));
                None
            }
        }
    }

    pub fn opt_integer(&mut self, obj: &Obj, key: &str, path: &str) -> Option<i64> {
        let v = self.present(obj, key)?;
        self.integer(v, Field(path, key))
    }

    /// A count such as `max_length`: a whole number of at least `min`.
    pub fn opt_count(&mut self, obj: &Obj, key: &str, path: &str, min: i64) -> Option<u32> {
        let n = self.opt_integer(obj, key, path)?;
        match u32::try_from(n) {
            Ok(c) if n >= min => Some(c),
            _ => {
                self.err(field(path, key), format!("must be a whole number from {min} up"));
                None
            }
        }
    }

    pub fn opt_number(&mut self, obj: &Obj, key: &str, path: &str) -> Option<f64> {
        let v = self.present(obj, key)?;
        match v.as_f64() {
            Some(n) => Some(n),
            None => {
                self.err(field(path, key), format!("must be a number, not {}", type_name(v)));
                None
            }
        }
    }

    pub fn array<'v>(&mut self, v: &'v Value, path: &str) -> Option<&'v Vec<Value>> {
        match v {
            Value::Array(a) => Some(a),
            other => {
                self.err(path, format!("must be an array, not {}", type_name(other)));
                None
            }
        }
    }

    /// A text value: a non-empty string, or a non-empty map of language tag to string.
    pub fn text(&mut self, v: &Value, path: impl Into<String>) -> Option<Text> {
        match v {
            Value::String(s) => Some(Text::Plain(s.clone())),
            Value::Object(m) => {
                let path: String = path.into();
                let path = path.as_str();
                if m.is_empty() {
                    self.err(path, "must have text for at least one language");
                    return None;
                }
                let mut out = BTreeMap::new();
                let mut ok = true;
                for (lang, t) in m {
                    let p = field(path, lang);
                    if !is_language_tag(lang) {
                        self.err(&p, "is not a language tag such as \"en\" or \"cy\"");
                        ok = false;
                    }
                    match self.string(t, &p) {
                        Some(s) => {
                            out.insert(lang.clone(), s);
                        }
                        None => ok = false,
                    }
                }
                ok.then_some(Text::Translated(out))
            }
            other => {
                self.err(
                    path,
                    format!("must be a string or a map of language to string, not {}", type_name(other)),
                );
                None
            }
        }
    }

    pub fn opt_text(&mut self, obj: &Obj, key: &str, path: &str) -> Option<Text> {
        let v = self.present(obj, key)?;
        self.text(v, Field(path, key))
    }

    /// A text that must be there and say something: a blank one (or one whose every
    /// translation is blank) would show an empty heading or label.
    pub fn req_text(&mut self, obj: &Obj, key: &str, path: &str) -> Option<Text> {
        let v = self.required(obj, key, path)?;
        let p = Field(path, key);
        let text = self.text(v, p)?;
        let blank = match &text {
            Text::Plain(s) => s.trim().is_empty(),
            Text::Translated(map) => map.values().all(|s| s.trim().is_empty()),
        };
        if blank {
            self.err(p, "must not be empty");
            return None;
        }
        Some(text)
    }
}

/// `[a-z0-9_-]+`, at most 64: the shape of every id in a definition (the survey's, a page's, a
/// question's, an option's value, a hidden field's name). Public so the collector and the editor
/// check an id before a definition confirms it by the same rule.
///
/// ```
/// assert!(survey_model::is_id("digital-engagement_2"));
/// assert!(!survey_model::is_id("Has Spaces") && !survey_model::is_id(""));
/// ```
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// A loose BCP 47 shape: letters, digits and hyphens, starting with 2–3 letters.
///
/// ```
/// assert!(survey_model::is_language_tag("cy") && survey_model::is_language_tag("en-GB"));
/// assert!(!survey_model::is_language_tag("english"));
/// ```
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}
