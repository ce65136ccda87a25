//! `survey-check`: checks survey definitions with exactly the rules the widget and the collector
//! apply, so a web team finds every problem before publishing rather than in a respondent's
//! browser.
//!
//! ```text
//! survey-check FILE...      (- reads standard input)
//! ```
//!
//! For each file it prints `FILE: ok (survey "id" version N, P pages, Q questions)`, or one line
//! per problem: `FILE: pages[1].questions[3].options: must not be empty`. A key the format does
//! not know is ignored, as the widget ignores it, and is reported before the `ok` line as
//! `FILE: warning: pages[0].questions[2].colour: is not a known field; ignored`: it may be a
//! field of a newer version, or a typo. Exit status: 0 when every file is a valid definition,
//! warnings or not; 1 when any has a problem; 2 when it was used wrongly or a file could not be
//! read (which wins over 1: the check did not happen).

use std::io::{Read, Write};
use std::process::ExitCode;
use survey_model::Survey;

const USAGE: &str = "usage: survey-check FILE...\n\
    Checks survey definitions (format 1) and lists every problem by its JSON path.\n\
    Unknown keys are ignored, as the widget ignores them, with a warning.\n\
    '-' reads a definition from standard input.\n\
    Exit status: 0 all valid (warnings or not), 1 a definition has problems, 2 usage or read error.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if args.is_empty() {
        eprintln!("survey-check: no file given\n{USAGE}");
        return ExitCode::from(2);
    }
    if let Some(option) = args.iter().find(|a| a.starts_with('-') && a.len() > 1) {
        eprintln!("survey-check: unknown option {option}\n{USAGE}");
        return ExitCode::from(2);
    }
    let mut out = std::io::stdout().lock();
    let (mut problems, mut unreadable) = (false, false);
    for name in &args {
        let report = match read(name) {
            Ok(text) => check(name, &text),
            Err(e) => {
                eprintln!("survey-check: {e}");
                unreadable = true;
                continue;
            }
        };
        problems |= !report.ok;
        if let Err(e) = out.write_all(report.text.as_bytes()) {
            eprintln!("survey-check: cannot write the report: {e}");
            return ExitCode::from(2);
        }
    }
    match (unreadable, problems) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::from(1),
        (false, false) => ExitCode::SUCCESS,
    }
}

/// The contents of a file, or of standard input for `-`, or why they could not be read.
fn read(name: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    if name == "-" {
        std::io::stdin().read_to_end(&mut bytes).map_err(|e| format!("cannot read standard input: {e}"))?;
    } else {
        bytes = std::fs::read(name).map_err(|e| format!("cannot read {name}: {e}"))?;
    }
    Ok(bytes)
}

/// What to print for one file, and whether it is a valid definition.
struct Report {
    ok: bool,
    text: String,
}

fn check(name: &str, bytes: &[u8]) -> Report {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Report { ok: false, text: format!("{name}: is not UTF-8 text\n") };
    };
    match Survey::parse_with_warnings(text) {
        Ok((s, warnings)) => {
            let pages = s.pages.len();
            let questions = s.questions().count();
            let mut text: String = warnings.iter().map(|w| format!("{name}: warning: {w}\n")).collect();
            text += &format!(
                "{name}: ok (survey \"{}\" version {}, {pages} {}, {questions} {})\n",
                s.id,
                s.version,
                plural(pages, "page", "pages"),
                plural(questions, "question", "questions"),
            );
            Report { ok: true, text }
        }
        Err(e) => {
            let text = e.problems().iter().map(|p| format!("{name}: {p}\n")).collect();
            Report { ok: false, text }
        }
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}
