//! `survey-schema`: prints the JSON Schema of the survey definition format (format 1).
//!
//! The committed `widget/model/survey-definition.schema.json` is exactly this output; refresh it
//! with `cargo run -p survey-model --features schema --bin survey-schema > widget/model/survey-definition.schema.json`.

use std::io::Write;

fn main() -> std::process::ExitCode {
    let schema = survey_model::schema::definition_schema_json();
    match std::io::stdout().lock().write_all(schema.as_bytes()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("survey-schema: cannot write the schema: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
