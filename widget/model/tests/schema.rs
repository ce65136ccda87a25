//! The JSON Schema of the definition format: the committed file is what the types generate, the
//! real definitions fit it, and what it refuses `Survey::parse` refuses too, except unknown keys,
//! which the schema marks (for editors) and the parser ignores with a warning.
//!
//! Built only with the `schema` feature, which this crate's own tests always turn on (see the
//! dev-dependency on itself in Cargo.toml), so `cargo test --workspace` runs it.

mod common;

use common::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use survey_model::{schema, Survey};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn committed() -> String {
    let path = manifest_dir().join("survey-definition.schema.json");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema::definition_schema()).expect("the generated schema compiles")
}

/// Every schema error for `v`, as `path: message`.
fn schema_errors(v: &Value) -> Vec<String> {
    validator().iter_errors(v).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

const REGENERATE: &str =
    "regenerate it: cargo run -p survey-model --features schema --bin survey-schema > widget/model/survey-definition.schema.json";

#[test]
fn the_committed_schema_is_what_the_types_generate() {
    assert!(committed() == schema::definition_schema_json(), "survey-definition.schema.json is stale; {REGENERATE}");
}

#[test]
fn the_survey_schema_binary_prints_the_committed_schema() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_survey-schema")).output().expect("survey-schema runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout) == committed(), "survey-definition.schema.json is stale; {REGENERATE}");
}

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema() {
    let s = schema::definition_schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert!(jsonschema::meta::is_valid(&s));
}

fn definitions_in(dir: &Path) -> Vec<PathBuf> {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_definition_fits_the_schema_and_parses() {
    let root = manifest_dir().join("../..");
    let mut files = definitions_in(&root.join("demo/surveys"));
    files.extend(definitions_in(&root.join("tests/e2e/fixtures/surveys")));
    assert!(files.len() >= 2, "expected the demo and e2e definitions, found {files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let v: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(schema_errors(&v), Vec::<String>::new(), "{}", file.display());
        // The schema marks unknown keys, so a shipped definition has none: a definition that
        // shows a newer key being ignored belongs inline in its own test, not in these folders.
        match Survey::parse_with_warnings(&text) {
            Ok((_, warnings)) => assert!(warnings.is_empty(), "{}: {warnings:?}", file.display()),
            Err(e) => panic!("{}: {e}", file.display()),
        }
    }
}

/// One of everything the format has: every type with every field, every condition form.
fn everything() -> Value {
    json!({
        "$schema": "./survey-definition.schema.json",
        "format": 1, "id": "everything", "version": 2,
        "title": { "en": "Everything", "cy": "Popeth" }, "description": "All of it.\n\nTwice.",
        "default_language": "en", "languages": ["en", "cy"], "anonymous": true,
        "privacy": { "notice": "Nothing kept.", "url": "https://example.org/privacy" },
        "link": "/s/everything", "hidden_fields": ["channel"],
        "start_page": true, "review": true, "one_question_per_page": false,
        "opens_at": "2026-03-01T09:00:00Z", "closes_at": "2026-03-31T17:00:00.5+01:00", "publish_results": true,
        "completion": { "title": "Thanks", "message": "Sent.", "share": { "url": "https://example.org/s", "text": "Share" } },
        "pages": [
            { "id": "one", "title": "One", "visible_if": null, "questions": [
                question("single", "single_choice", json!({ "hint": "Pick", "required": true, "shuffle": true,
                    "display": "dropdown", "options": [{ "value": "a", "label": "A", "hint": "first" }, { "value": "b", "label": "B" }],
                    "other": { "label": "Else", "detail_label": "What?" } })),
                question("multi", "multiple_choice", json!({ "min_selected": 1, "max_selected": 2, "shuffle": false,
                    "options": [{ "value": "x", "label": "X" }, { "value": "y", "label": "Y" }, { "value": "none", "label": "None", "exclusive": true }],
                    "other": { "label": "Else" } })),
                question("words", "text", json!({ "input": "text", "autocomplete": "off", "min_length": 2, "max_length": 9,
                    "pattern": "[A-Z]{2}[0-9]+", "pattern_message": { "en": "Like AB12" },
                    "visible_if": { "question": "single", "equals": "a" } })),
                question("count", "text", json!({ "input": "number", "min": -1.5, "max": 10, "integer": false,
                    "visible_if": { "question": "multi", "includes": "x" } })),
            ]},
            { "id": "two", "visible_if": { "any": [
                    { "question": "count", "at_least": 1 }, { "question": "count", "at_most": 0 },
                    { "not": { "question": "words", "answered": true } },
                    { "all": [{ "question": "single", "not_equals": "other" }, { "question": "multi", "equals": ["y", "x"] }] },
                ] }, "questions": [
                question("story", "long_text", json!({ "max_length": 500, "rows": 4 })),
                question("nps", "rating", json!({ "min": 0, "max": 10, "min_label": "Never", "max_label": "Always" })),
                question("grid", "matrix", json!({ "rows": options(&["r1", "r2"]), "columns": options(&["c1", "c2"]) })),
                question("order", "ranking", json!({ "options": options(&["p", "q"]) })),
                question("when", "date", json!({ "min": "2000-01-01", "max": "2030-12-31" })),
                question("ok", "consent", json!({ "label": "I agree", "required": true })),
                question("note", "statement", json!({ "required": false })),
            ]},
        ],
    })
}

#[test]
fn a_definition_with_everything_fits_the_schema_and_parses() {
    let v = everything();
    assert_eq!(schema_errors(&v), Vec::<String>::new());
    parse(&v);
}

#[test]
fn broken_definitions_are_refused_by_both_the_schema_and_the_parser() {
    type Break = fn(&mut Value);
    let breaks: [(&str, Break); 20] = [
        ("an unknown question type", |d| d["pages"][0]["questions"][0]["type"] = json!("slider")),
        ("no options", |d| {
            d["pages"][0]["questions"][0].as_object_mut().unwrap().remove("options");
        }),
        ("empty options", |d| d["pages"][0]["questions"][1]["options"] = json!([])),
        ("no pages", |d| d["pages"] = json!([])),
        ("a page without questions", |d| d["pages"][1]["questions"] = json!([])),
        ("an id with capitals and a space", |d| d["pages"][0]["questions"][0]["id"] = json!("Heard Of")),
        ("answered: false", |d| d["pages"][0]["questions"][2]["visible_if"] = json!({ "question": "single", "answered": false })),
        ("a condition without a question", |d| d["pages"][0]["questions"][2]["visible_if"] = json!({ "equals": "a" })),
        ("a condition with two tests", |d| {
            d["pages"][0]["questions"][2]["visible_if"] = json!({ "question": "single", "equals": "a", "answered": true })
        }),
        ("a rating up to 11", |d| d["pages"][1]["questions"][1]["max"] = json!(11)),
        ("an unknown input", |d| d["pages"][0]["questions"][2]["input"] = json!("phone")),
        ("a text keyed by a word, not a language tag", |d| d["title"] = json!({ "english": "Everything" })),
        ("a script link", |d| d["link"] = json!("javascript:alert(1)")),
        ("format 2", |d| d["format"] = json!(2)),
        ("a required statement", |d| d["pages"][1]["questions"][6]["required"] = json!(true)),
        ("a date written 1/1/2000", |d| d["pages"][1]["questions"][4]["min"] = json!("1/1/2000")),
        ("opens_at without a time", |d| d["opens_at"] = json!("2026-03-01")),
        ("closes_at with a space for the T", |d| d["closes_at"] = json!("2026-03-31 17:00:00Z")),
        ("a condition with both all and any", |d| {
            d["pages"][1]["visible_if"]["all"] = json!([{ "question": "count", "at_least": 1 }])
        }),
        ("an includes with a list", |d| {
            d["pages"][0]["questions"][3]["visible_if"] = json!({ "question": "multi", "includes": ["x"] })
        }),
    ];
    for (what, break_it) in breaks {
        let mut d = everything();
        break_it(&mut d);
        assert!(!schema_errors(&d).is_empty(), "the schema accepts {what}");
        assert!(Survey::parse(&d.to_string()).is_err(), "the parser accepts {what}");
    }
}

#[test]
fn an_unknown_key_at_any_level_is_marked_by_the_schema_and_only_a_warning_for_the_parser() {
    for pointer in [
        "", "/privacy", "/completion", "/completion/share", "/pages/0", "/pages/0/questions/0",
        "/pages/0/questions/0/options/0", "/pages/0/questions/0/other", "/pages/0/questions/1/options/2",
        "/pages/0/questions/2/visible_if", "/pages/1/visible_if", "/pages/1/visible_if/any/2",
        "/pages/1/visible_if/any/2/not", "/pages/1/questions/2/rows/0",
    ] {
        let mut d = everything();
        let target = d.pointer_mut(pointer).and_then(Value::as_object_mut).unwrap_or_else(|| panic!("{pointer}"));
        target.insert("requried".into(), json!(true));
        assert!(!schema_errors(&d).is_empty(), "the schema lets an editor miss a typo at {pointer:?}");
        let (survey, warnings) = Survey::parse_with_warnings(&d.to_string()).expect("the parser accepts it");
        assert_eq!(warnings.len(), 1, "{pointer:?}: {warnings:?}");
        assert_eq!(warnings[0].message, "is not a known field; ignored");
        assert_eq!(survey, parse(&everything()), "{pointer:?}: the unknown key changes nothing");
    }
}
