//! The pattern corpus (tests/patterns.json) against the model's `Pattern`, the regex-lite engine
//! the widget and the collector share. widget/tests/patterns.rs runs the same corpus through the
//! browser's RegExp, so the file is where the two are compared.

use serde_json::Value;
use survey_model::Pattern;

const CORPUS: &str = include_str!("patterns.json");

fn strings<'a>(entry: &'a Value, key: &str) -> Vec<&'a str> {
    entry.get(key).and_then(Value::as_array).map_or(Vec::new(), |a| a.iter().filter_map(Value::as_str).collect())
}

#[test]
fn every_pattern_in_the_corpus_accepts_and_refuses_as_written() {
    let corpus: Value = serde_json::from_str(CORPUS).expect("the corpus is JSON");
    let entries = corpus["patterns"].as_array().expect("the corpus has a list of patterns");
    assert!(entries.len() >= 30, "the corpus lost entries: {}", entries.len());
    let mut wrong = Vec::new();
    for entry in entries {
        let source = entry["pattern"].as_str().expect("each entry has a pattern");
        match (Pattern::new(source), entry.get("invalid") == Some(&Value::Bool(true))) {
            (Err(_), true) => {}
            (Ok(_), true) => wrong.push(format!("{source:?} compiles but the corpus says it is invalid")),
            (Err(e), false) => wrong.push(format!("{source:?} does not compile: {e}")),
            (Ok(p), false) => {
                let (accept, refuse) = (strings(entry, "accept"), strings(entry, "refuse"));
                assert!(!accept.is_empty() && !refuse.is_empty(), "{source:?} needs strings to accept and to refuse");
                wrong.extend(accept.iter().filter(|t| !p.is_match(t)).map(|t| format!("{source:?} refuses {t:?}")));
                wrong.extend(refuse.iter().filter(|t| p.is_match(t)).map(|t| format!("{source:?} accepts {t:?}")));
            }
        }
    }
    assert!(wrong.is_empty(), "the model disagrees with the corpus:\n{}", wrong.join("\n"));
}
