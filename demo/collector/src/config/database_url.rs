//! `DATABASE_URL`: the PostgreSQL database, if any, and how it is shown (never with its password).

use crate::error::{Error, Result};

/// The default of `DATABASE_POOL_SIZE`: enough for the two cores of a small server to keep
/// busy while commits wait for the disk, and for several instances to fit under PostgreSQL's
/// default `max_connections` of 100.
pub const DEFAULT_POOL_SIZE: usize = 16;

/// A PostgreSQL database, as `DATABASE_URL` names it: `postgres://USER:PASSWORD@HOST:PORT/DB`,
/// with any of libpq's URL parameters tokio-postgres knows (`?host=/run/postgresql` for a Unix
/// socket, `connect_timeout=10`, `application_name=…`). Shown without its password.
#[derive(Debug, Clone)]
pub struct DatabaseUrl {
    config: tokio_postgres::Config,
    described: String,
}

impl DatabaseUrl {
    /// Parses and checks a `postgres://` or `postgresql://` URL. Nothing of the text is echoed
    /// in an error, since it may hold a password.
    pub fn parse(text: &str) -> Result<DatabaseUrl> {
        let bad = |why: &str| Error::Config {
            name: "DATABASE_URL",
            message: format!("{why} (write it like postgres://collector:PASSWORD@db.internal:5432/survey)"),
        };
        let text = text.trim();
        if !(text.starts_with("postgres://") || text.starts_with("postgresql://")) {
            return Err(bad("must start with postgres:// (unset it to keep the responses in SQLite in DATA_DIR)"));
        }
        let config: tokio_postgres::Config = text.parse().map_err(|_| bad("is not a PostgreSQL URL"))?;
        if config.get_hosts().is_empty() {
            return Err(bad("names no host (for a Unix socket, give its folder: postgres://USER@%2Frun%2Fpostgresql/DB)"));
        }
        if config.get_ssl_mode() == tokio_postgres::config::SslMode::Require {
            return Err(bad("asks for TLS (sslmode=require), which this release cannot speak: reach the database over a Unix socket or a private network"));
        }
        let described = describe_database(&config);
        Ok(DatabaseUrl { config, described })
    }

    /// The connection settings.
    pub fn config(&self) -> &tokio_postgres::Config {
        &self.config
    }

    /// `database DB as USER on HOST:PORT`, without the password.
    pub fn describe(&self) -> &str {
        &self.described
    }
}

fn describe_database(config: &tokio_postgres::Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|host| match host {
            tokio_postgres::config::Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            tokio_postgres::config::Host::Unix(path) => format!("socket {}", path.display()),
        })
        .collect();
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "database {} as {} on {} port {port}{}",
        config.get_dbname().unwrap_or("(the user's)"),
        config.get_user().unwrap_or("(unset)"),
        hosts.join(", "),
        if config.get_password().is_some() { " (password set)" } else { "" }
    )
}
