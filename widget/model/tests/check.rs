//! `survey-check`, run as a web team would run it: its output and its exit status.

mod common;

use common::*;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn survey_check(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_survey-check"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("survey-check starts");
    let mut input = child.stdin.take().expect("a piped stdin");
    input.write_all(stdin.unwrap_or_default()).expect("stdin is written");
    drop(input);
    child.wait_with_output().expect("survey-check finishes")
}

/// Writes `contents` to a file of its own in cargo's temporary folder for tests.
fn file(name: &str, contents: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("survey-check");
    std::fs::create_dir_all(&dir).expect("the temporary folder");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("the file is written");
    path.to_string_lossy().into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn good() -> String {
    definition(json!([
        { "id": "p1", "questions": [question("a", "text", json!({})), question("b", "statement", json!({}))] },
        { "id": "p2", "questions": [question("c", "consent", json!({ "label": "ok" }))] },
    ]))
    .to_string()
}

fn bad() -> String {
    definition(json!([
        { "id": "p1", "questions": [
            question("a", "single_choice", json!({ "options": [] })),
            question("b", "rating", json!({ "max": 11, "visible_if": { "question": "z", "answered": true } })),
        ]},
    ]))
    .to_string()
}

#[test]
fn a_good_definition_is_ok_with_its_id_version_and_size() {
    let path = file("good.json", &good());
    let o = survey_check(&[&path], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), format!("{path}: ok (survey \"s\" version 1, 2 pages, 3 questions)\n"));
    assert_eq!(stderr(&o), "");
}

#[test]
fn every_problem_of_a_bad_definition_is_listed_by_path() {
    let path = file("bad.json", &bad());
    let o = survey_check(&[&path], None);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        format!(
            "{path}: pages[0].questions[0].options: must not be empty\n\
             {path}: pages[0].questions[1].max: must be from 2 to 10 and more than min\n\
             {path}: pages[0].questions[1].visible_if.question: \"z\" is not a question of this survey\n"
        )
    );
}

/// The good definition with keys this version does not know, at the top and on a question.
fn newer() -> String {
    let mut d: serde_json::Value = serde_json::from_str(&good()).expect("JSON");
    d["theme"] = json!({ "accent": "teal" });
    d["pages"][0]["questions"][0]["colour"] = json!("red");
    d.to_string()
}

#[test]
fn unknown_keys_are_warnings_and_the_definition_is_still_ok() {
    let path = file("newer.json", &newer());
    let o = survey_check(&[&path], None);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(
        stdout(&o),
        format!(
            "{path}: warning: theme: is not a known field; ignored\n\
             {path}: warning: pages[0].questions[0].colour: is not a known field; ignored\n\
             {path}: ok (survey \"s\" version 1, 2 pages, 3 questions)\n"
        )
    );
    assert_eq!(stderr(&o), "");
}

#[test]
fn warnings_do_not_fail_a_run_but_a_problem_still_does() {
    let mut bad_and_newer: serde_json::Value = serde_json::from_str(&bad()).expect("JSON");
    bad_and_newer["theme"] = json!("dark");
    let (n, b) = (file("with-warnings.json", &newer()), file("with-warnings-bad.json", &bad_and_newer.to_string()));
    let o = survey_check(&[&n, &n], None);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    let o = survey_check(&[&n, &b], None);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    let count = |prefix: String| out.lines().filter(|l| l.starts_with(&prefix)).count();
    assert_eq!(count(format!("{n}: warning: ")), 2, "{out}");
    assert_eq!(count(format!("{n}: ok (")), 1, "{out}");
    assert_eq!(count(format!("{b}: pages[0]")), 3, "{out}");
    assert_eq!(count(format!("{b}: warning: ")), 0, "a refused definition lists its problems only: {out}");
}

#[test]
fn several_files_are_each_reported_and_one_bad_file_fails_the_run() {
    let (g, b) = (file("several-good.json", &good()), file("several-bad.json", &bad()));
    let o = survey_check(&[&g, &b, &g], None);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<String> = stdout(&o).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert!(lines[0].starts_with(&format!("{g}: ok")));
    assert!(lines[1..4].iter().all(|l| l.starts_with(&format!("{b}: pages[0]"))));
    assert!(lines[4].starts_with(&format!("{g}: ok")));
}

#[test]
fn a_dash_reads_standard_input() {
    let o = survey_check(&["-"], Some(good().as_bytes()));
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("-: ok (survey \"s\""), "{}", stdout(&o));
    let o = survey_check(&["-"], Some(b"{\"format\": 1"));
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with("-: is not valid JSON: "), "{}", stdout(&o));
}

#[test]
fn invalid_json_and_other_bytes_are_problems_not_crashes() {
    let path = file("not-json.json", "<html>");
    let o = survey_check(&[&path], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with(&format!("{path}: is not valid JSON")), "{}", stdout(&o));
    let o = survey_check(&["-"], Some(b"\xff\xfe{}"));
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "-: is not UTF-8 text\n");
}

#[test]
fn an_unreadable_file_is_a_usage_error_naming_it_and_the_rest_are_still_checked() {
    let g = file("with-missing.json", &good());
    let missing = format!("{}/no-such-survey.json", env!("CARGO_TARGET_TMPDIR"));
    let o = survey_check(&[&missing, &g], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(&format!("cannot read {missing}")), "{}", stderr(&o));
    assert!(stdout(&o).starts_with(&format!("{g}: ok")));
}

#[test]
fn no_arguments_or_an_unknown_option_is_a_usage_error() {
    for args in [&[][..], &["--fix"]] {
        let o = survey_check(args, None);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("usage: survey-check FILE..."), "{}", stderr(&o));
        assert_eq!(stdout(&o), "");
    }
    let o = survey_check(&["--help"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("usage: survey-check FILE..."));
}

#[test]
fn the_shipped_demo_definition_is_ok() {
    let path = format!("{}/../../demo/surveys/digital-engagement.json", env!("CARGO_MANIFEST_DIR"));
    let o = survey_check(&[&path], None);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(!stdout(&o).contains("warning:"), "{}", stdout(&o));
}
