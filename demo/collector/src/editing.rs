//! Writing surveys in the collector: what a draft's text is worth, and the text a published
//! version is stored with. No HTTP here (`routes::editing` is the API on top of it).
//!
//! A draft is whatever the editor last saved, valid or not, so nothing typed is ever lost;
//! [`check`] says what the model makes of it, every problem by its JSON path. Publishing stores
//! the draft as the survey's next version, whatever `version` it says: [`with_version`] rewrites
//! that one number in the author's text (nothing else moves), so the text served to widgets
//! and the version it is stored under always agree.

use survey_model::{Problem, Survey};

/// The largest definition the editor may save or publish. A 50-question survey in three
/// languages is a few hundred KiB at most.
pub const MAX_DEFINITION_BYTES: usize = 1024 * 1024;

/// What the model makes of a definition's text that should be survey `id`.
#[derive(Debug)]
pub enum Checked {
    /// Publishable: the survey, and the keys the model ignored (a typo, or a newer field).
    Valid { survey: Box<Survey>, warnings: Vec<Problem> },
    /// Not publishable: every problem, by path.
    Invalid(Vec<Problem>),
}

impl Checked {
    /// The problems that stop it being published (none if valid).
    pub fn problems(&self) -> &[Problem] {
        match self {
            Checked::Valid { .. } => &[],
            Checked::Invalid(problems) => problems,
        }
    }

    /// The keys the model ignored (none if invalid: the problems come first).
    pub fn warnings(&self) -> &[Problem] {
        match self {
            Checked::Valid { warnings, .. } => warnings,
            Checked::Invalid(_) => &[],
        }
    }
}

/// Parses `source` as the definition of survey `id`: the model's own checks, and that it names
/// this survey (its URL, its stored versions and its answers all go by the id).
pub fn check(id: &str, source: &str) -> Checked {
    match Survey::parse_with_warnings(source) {
        Ok((survey, _)) if survey.id != id => Checked::Invalid(vec![Problem::new(
            "id",
            format!("must be \"{id}\": this is the definition of that survey (a survey's id cannot change)"),
        )]),
        Ok((survey, warnings)) => Checked::Valid { survey: Box::new(survey), warnings },
        Err(e) => Checked::Invalid(e.problems().to_vec()),
    }
}

/// Whether `id` has the shape of a survey id: the model's own rule ([`survey_model::is_id`]),
/// checked before a draft is kept under an id no definition has confirmed yet, so that a
/// mistyped URL never becomes a row. Publishing checks the whole definition with the model.
pub fn is_survey_id(id: &str) -> bool {
    survey_model::is_id(id)
}

/// `source`, a definition that [`check`] found valid, with its top-level `version` set to
/// `version`: the number replaced where it stands, or added as the first key if the author left
/// it out (the model then reads 1). Everything else is left exactly as written.
pub fn with_version(source: &str, version: u32) -> String {
    let keys = top_level_keys(source);
    let number = version.to_string();
    let versions: Vec<&Key> = keys.iter().filter(|k| k.name == "version").collect();
    if versions.is_empty() {
        return match keys.first() {
            Some(first) => {
                // The first key's indentation, so a pretty-printed file stays pretty.
                let open = source[..first.start].rfind('{').map_or(first.start, |i| i + 1);
                let gap = &source[open..first.start];
                format!("{}\"version\": {number},{gap}{}", &source[..first.start], &source[first.start..])
            }
            // A valid definition has keys; this is only for the impossible case.
            None => source.to_owned(),
        };
    }
    // Every top-level "version" (JSON lets a key repeat; the last one counts), back to front
    // so the earlier positions still hold.
    let mut out = source.to_owned();
    for key in versions.iter().rev() {
        out.replace_range(key.value.clone(), &number);
    }
    out
}

/// One key of the top-level object: where its name starts, and the span of its value.
struct Key {
    name: String,
    start: usize,
    value: std::ops::Range<usize>,
}

/// The keys of the top-level object of `source`, which must be valid JSON (a [`check`]ed
/// definition), with the spans of their values, in order.
fn top_level_keys(source: &str) -> Vec<Key> {
    let bytes = source.as_bytes();
    let mut keys = Vec::new();
    let (mut depth, mut expecting_key, mut i) = (0usize, false, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let end = string_end(bytes, i);
                if depth == 1 && expecting_key {
                    expecting_key = false;
                    // Decoded, so an escaped name (`"vers\u0069on"`) is still recognised.
                    let name = serde_json::from_str::<String>(&source[i..end]).unwrap_or_default();
                    let value_start = skip_blank(bytes, skip_blank(bytes, end) + 1);
                    keys.push(Key { name, start: i, value: value_start..scalar_end(bytes, value_start) });
                }
                i = end;
                continue;
            }
            b'{' => {
                depth += 1;
                expecting_key = depth == 1;
            }
            b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expecting_key = true,
            _ => {}
        }
        i += 1;
    }
    keys
}

/// Just past the closing quote of the string that opens at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The first position at or after `i` that is not JSON whitespace.
fn skip_blank(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// The end of a number, `true`, `false` or `null` starting at `i`: the only values a valid
/// `version` can be (the span of any other value is not used).
fn scalar_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && !matches!(bytes[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGES: &str = r#"[{"id": "p", "questions": [{"id": "q", "type": "text", "title": "Q"}]}]"#;

    fn definition(head: &str) -> String {
        format!("{{{head}\"format\": 1, \"id\": \"s\", \"title\": \"T\", \"pages\": {PAGES}}}")
    }

    fn version_of(source: &str) -> u32 {
        match check("s", source) {
            Checked::Valid { survey, .. } => survey.version,
            Checked::Invalid(problems) => panic!("{problems:?}: {source}"),
        }
    }

    #[test]
    fn the_version_is_replaced_where_it_stands_and_nothing_else_moves() {
        let source = definition("\"version\":   7 ,\n ");
        let rewritten = with_version(&source, 12);
        assert_eq!(rewritten, source.replace("\"version\":   7 ,", "\"version\":   12 ,"));
        assert_eq!(version_of(&rewritten), 12);
    }

    #[test]
    fn nested_and_quoted_versions_are_left_alone() {
        // A question titled "version", a hidden field named version, and the key itself last.
        let source = r#"{"format": 1, "id": "s", "title": "version", "hidden_fields": ["version"],
            "pages": [{"id": "p", "questions": [{"id": "version", "type": "text", "title": "{\"version\": 3}"}]}],
            "vers\u0069on": 3}"#;
        let rewritten = with_version(source, 4);
        assert_eq!(rewritten, source.replace("\"vers\\u0069on\": 3}", "\"vers\\u0069on\": 4}"));
        assert_eq!(version_of(&rewritten), 4);
    }

    #[test]
    fn a_missing_version_is_added_first_with_the_files_indentation() {
        let source = "{\n  \"format\": 1,\n  \"id\": \"s\",\n  \"title\": \"T\",\n  \"pages\": ".to_owned() + PAGES + "\n}";
        let rewritten = with_version(&source, 2);
        assert!(rewritten.starts_with("{\n  \"version\": 2,\n  \"format\": 1,"), "{rewritten}");
        assert_eq!(version_of(&rewritten), 2);
    }

    #[test]
    fn a_definition_of_another_survey_is_not_this_ones_draft() {
        let checked = check("other", &definition(""));
        assert_eq!(checked.problems().len(), 1);
        assert_eq!(checked.problems()[0].path, "id");
    }

    #[test]
    fn ids_have_the_models_shape() {
        assert!(is_survey_id("digital-engagement_2"));
        for bad in ["", "Upper", "a b", "a/b", "..", &"a".repeat(65)] {
            assert!(!is_survey_id(bad), "{bad:?}");
        }
    }
}
