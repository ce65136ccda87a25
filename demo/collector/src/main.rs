//! `survey-collector`: reads its settings from the environment and serves. See the library docs.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    survey_collector::init_tracing();
    survey_collector::install_panic_hook();
    // Any failure before serving is a setting to fix: say which, exit 2, no backtrace.
    let server = match survey_collector::Config::from_env() {
        Ok(config) => survey_collector::Server::bind(config).await.and_then(|s| s.announce().map(|()| s)),
        Err(e) => Err(e),
    };
    let server = match server {
        Ok(server) => server,
        Err(e) => {
            eprintln!("survey-collector: {e}");
            return ExitCode::from(2);
        }
    };
    match server.serve().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("survey-collector: {e}");
            ExitCode::FAILURE
        }
    }
}
