//! `survey-demo`: reads its settings from the environment and serves. See the library docs.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    survey_demo::init_tracing();
    survey_demo::install_panic_hook();
    // Any failure before serving is a setting to fix: say which, exit 2, no backtrace.
    let server = match survey_demo::Config::from_env() {
        Ok(config) => survey_demo::Server::bind(config).await.and_then(|s| s.announce().map(|()| s)),
        Err(e) => Err(e),
    };
    let server = match server {
        Ok(server) => server,
        Err(e) => {
            eprintln!("survey-demo: {e}");
            return ExitCode::from(2);
        }
    };
    match server.serve().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("survey-demo: {e}");
            ExitCode::FAILURE
        }
    }
}
