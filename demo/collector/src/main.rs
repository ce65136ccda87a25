//! `survey-collector`: reads its settings from the environment and serves. See the library docs.
//!
//! `survey-collector migrate-sqlite-to-postgres --from DATA_DIR/responses.sqlite3` copies a
//! SQLite collector's data into the PostgreSQL database `DATABASE_URL` names, and exits
//! ([`survey_collector::store::copy`]).

use std::process::ExitCode;
use survey_collector::store::copy::{self, CopyArgs};

#[tokio::main]
async fn main() -> ExitCode {
    survey_collector::init_tracing();
    survey_collector::install_panic_hook();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.split_first() {
        None => serve().await,
        Some((command, rest)) if command == copy::COMMAND => migrate(rest).await,
        Some((other, _)) => {
            eprintln!("survey-collector: unknown command {other:?}; run it without arguments to serve, or as `survey-collector {} --from FILE`", copy::COMMAND);
            ExitCode::from(2)
        }
    }
}

/// Serves until stopped. Any failure before serving is a setting to fix: say which, exit 2,
/// no backtrace.
async fn serve() -> ExitCode {
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

/// Copies SQLite into PostgreSQL: exit 0 when the target holds everything the source did, 1 if
/// something was left as the target had it (listed), 2 if it could not run.
async fn migrate(args: &[String]) -> ExitCode {
    let target = match survey_collector::Config::from_env() {
        Ok(config) => config.database_url,
        Err(e) => {
            eprintln!("survey-collector: {e}");
            return ExitCode::from(2);
        }
    };
    let (args, Some(target)) = (CopyArgs::parse(args), target) else {
        eprintln!("survey-collector: DATABASE_URL: set it to the PostgreSQL database to copy into");
        return ExitCode::from(2);
    };
    let report = match args {
        Ok(args) => copy::sqlite_to_postgres(&args.from, &target).await,
        Err(e) => Err(e),
    };
    match report {
        Ok(report) => {
            print!("{report}");
            if report.is_complete() {
                ExitCode::SUCCESS
            } else {
                eprintln!("survey-collector: the target already held other data under some ids; it was left as it was (listed above)");
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("survey-collector: {e}");
            ExitCode::from(2)
        }
    }
}
