//! The survey-widget collector: it receives, keeps and shows the answers that widgets post.
//!
//! It serves the built widget bundle and the survey definitions to pages on any origin,
//! receives answers at `POST /api/responses`, and lets the team that runs a survey sign in and
//! read them (`docs/collector.md` is the user's view; `docs/deploying.md` how to run it).
//!
//! Design principles:
//! - One model, two consumers: a response is parsed and validated with `survey-model`, the very
//!   code the widget ran in the browser, so the two can never disagree about what is valid.
//! - Nothing submitted is lost, nothing is stored twice: a response is acknowledged only after
//!   a durable commit, and stored once per `submission_id` however often and however
//!   concurrently the widget retries. A fault on the server (a broken definition, a full
//!   quota, a flood) is answered "later" (503, 429), never "refused" (422), so the widget keeps
//!   the answers.
//! - Private by default: no IP address, user agent or other metadata is stored or logged, for
//!   any survey; request bodies are never logged.
//! - Errors inform without leaking: clients get a code and a plain sentence (and, for a refused
//!   response, every problem by JSON path); internals go to the log only.
//!
//! Layout: [`config`] reads the environment, [`store`] the database (SQLite or PostgreSQL,
//! behind one interface), [`surveys`] the stored definitions (imported from `SURVEYS_DIR` at
//! start; every older version through the store), [`live`] the catalog every instance keeps
//! current, [`editing`] drafts and publishing, [`routes`] the HTTP surface built by [`app`], [`serve`] the accept loop
//! around it, [`limits`] the per-client brake, [`auth`] the admin token and sessions, [`export`],
//! [`filter`] and [`results`] the admin views, [`pages`] the other pages, [`html`] their layout and
//! security headers.

pub mod auth;
pub mod config;
pub mod editing;
pub mod error;
pub mod export;
pub mod filter;
pub mod html;
pub mod limits;
pub mod live;
pub mod metrics;
pub mod pages;
pub mod public;
pub mod reference;
pub mod results;
pub mod routes;
pub mod serve;
pub mod store;
pub mod surveys;

pub use config::{AdminToken, Config};
pub use error::{Error, Result};
pub use routes::app;
pub use routes::responses::MAX_BODY_BYTES;

use std::io::{IsTerminal as _, Write as _};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use store::Store;
use survey_model::Survey;
use live::LiveCatalog;
use surveys::{Catalog, History};
use tokio::net::TcpListener;

/// What every request handler shares. Cloning is cheap, and takes the newest catalog (see the
/// `Clone` impl).
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    /// The current surveys, as they were when this state was cloned for the request.
    pub surveys: Catalog,
    /// The current surveys as every instance keeps them up to date ([`live`]).
    pub catalog: LiveCatalog,
    /// Older versions of the surveys, for responses that were written before the current one.
    pub history: History,
    pub admin_token: AdminToken,
    /// Wrong admin tokens per client, in memory.
    pub guesses: auth::GuessBrake,
    /// Posted responses per client, in memory.
    pub posts: limits::RateLimiter,
    /// Reach events per client, in memory: a budget of their own, so they never crowd out
    /// responses.
    pub events: limits::RateLimiter,
}

/// axum clones the state for every request (and every middleware on its way), so a request
/// finds in `surveys` the catalog as it was when it arrived, the same throughout, and a publish
/// reaches the next request without any handler having to ask for it.
impl Clone for AppState {
    fn clone(&self) -> AppState {
        AppState {
            config: Arc::clone(&self.config),
            store: self.store.clone(),
            surveys: self.catalog.current(),
            catalog: self.catalog.clone(),
            history: self.history.clone(),
            admin_token: self.admin_token.clone(),
            guesses: self.guesses.clone(),
            posts: self.posts.clone(),
            events: self.events.clone(),
        }
    }
}

impl AppState {
    /// Opens the database and loads the surveys. Errs, with a message meant for whoever runs
    /// the server, if a folder or the database cannot be used.
    pub async fn new(config: Config) -> Result<AppState> {
        check_static_dir("DIST_DIR", &config.dist_dir)?;
        let store = Store::open(&config).await?;
        tracing::info!(database = %store.describe(), "database open");
        let problems = surveys::import(&config.surveys_dir, &store).await?;
        let catalog = LiveCatalog::start(store.clone(), problems).await?;
        let surveys = catalog.current();
        tracing::info!(count = surveys.len(), ids = ?surveys.ids().collect::<Vec<_>>(), "surveys loaded");
        Ok(AppState {
            admin_token: config.admin_token.clone(),
            posts: limits::RateLimiter::new(config.limits.rate_per_minute)?,
            events: limits::RateLimiter::new(config.limits.rate_per_minute.saturating_mul(limits::EVENTS_PER_RESPONSE))?,
            config: Arc::new(config),
            store,
            surveys,
            catalog,
            history: History::default(),
            guesses: auth::GuessBrake::default(),
        })
    }

    /// The definition of `version` of survey `id`: the current one (the newest good version
    /// stored), or an older one stored before. `None` if the survey is not served or that
    /// version was never stored.
    pub async fn definition(&self, id: &str, version: u32) -> Result<Option<Arc<Survey>>> {
        let Some(current) = self.surveys.get(id) else { return Ok(None) };
        if current.survey.version == version {
            return Ok(Some(Arc::clone(&current.survey)));
        }
        self.history.get(&self.store, id, version).await
    }
}

/// A static folder that does not exist yet is only a warning (the bundle may not be built);
/// one that exists but is not a readable folder is a mistake in the settings.
fn check_static_dir(name: &'static str, dir: &Path) -> Result<()> {
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::warn!(dir = %dir.display(), "{name} does not exist (yet); its files will be 404");
            Ok(())
        }
        Err(e) => Err(Error::io(format!("{name} {} cannot be read", dir.display()), e)),
        Ok(m) if !m.is_dir() => {
            Err(Error::Config { name, message: format!("{} is not a folder", dir.display()) })
        }
        Ok(_) => std::fs::read_dir(dir)
            .map(|_| ())
            .map_err(|e| Error::io(format!("{name} {} cannot be read", dir.display()), e)),
    }
}

/// A server that is ready: state built and port bound, not yet accepting.
pub struct Server {
    listener: TcpListener,
    state: AppState,
}

impl Server {
    /// Builds the state and binds `HOST:PORT`.
    pub async fn bind(config: Config) -> Result<Server> {
        let addr = SocketAddr::from((config.host, config.port));
        let state = AppState::new(config).await?;
        let listener =
            TcpListener::bind(addr).await.map_err(|e| Error::io(format!("cannot listen on {addr}"), e))?;
        Ok(Server { listener, state })
    }

    /// The address actually bound (the real port when `PORT=0`).
    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.listener.local_addr().map_err(|e| Error::io("cannot read the bound address", e))
    }

    /// Prints the settings in use, the line scripts wait for (`survey-collector listening on
    /// http://HOST:PORT`), and the admin token if it was generated (no one else could know it).
    pub fn announce(&self) -> Result<()> {
        let addr = self.local_addr()?;
        let mut out = std::io::stdout().lock();
        let mut print = || -> std::io::Result<()> {
            write!(out, "survey-collector settings:\n{}", self.state.config.describe())?;
            writeln!(out, "survey-collector listening on http://{addr}")?;
            if self.state.admin_token.is_generated() {
                writeln!(
                    out,
                    "survey-collector admin token: {} (generated; set ADMIN_TOKEN to choose one)",
                    self.state.admin_token.as_str()
                )?;
            }
            out.flush()
        };
        print().map_err(|e| Error::io("cannot write to stdout", e))
    }

    /// Serves until SIGTERM or Ctrl-C, then finishes the requests in flight.
    pub async fn serve(self) -> Result<()> {
        let limits = self.state.config.limits;
        serve::run(self.listener, app(self.state), limits, shutdown_signal()).await?;
        tracing::info!("stopped");
        Ok(())
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// Reports a panic by its location only. The default hook prints the panic message, which can
/// quote request data (a respondent's answers); the location is enough to find the bug.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| match info.location() {
        Some(at) => tracing::error!("panic at {}:{}:{}", at.file(), at.line(), at.column()),
        None => tracing::error!("panic"),
    }));
}

/// Logs to stderr (stdout is kept for the startup line); `RUST_LOG` adjusts the level.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Only fails if a subscriber is already set, which is then fine to keep.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
