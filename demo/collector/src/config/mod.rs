//! Settings, read once from the environment, each with a default that works from the
//! repository root (`cargo run -p survey-collector`). Whatever is wrong is refused at startup
//! with a sentence naming the setting, never discovered later by a respondent.
//!
//! Each kind of value that needs more than a parse has its module: [`admin_token`],
//! [`public_url`], [`database_url`]; this one reads them all and describes what it read.

mod admin_token;
mod database_url;
mod public_url;

pub use admin_token::{AdminToken, MIN_TOKEN_LEN};
pub use database_url::{DatabaseUrl, DEFAULT_POOL_SIZE};
pub use public_url::PublicUrl;

use crate::error::{Error, Result};
use axum::http::HeaderValue;
use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::time::Duration;

/// Every setting name, in the order startup prints them.
pub const NAMES: [&str; 17] = [
    "HOST",
    "PORT",
    "PUBLIC_URL",
    "TRUSTED_PROXIES",
    "DATA_DIR",
    "DATABASE_URL",
    "DATABASE_POOL_SIZE",
    "SURVEYS_DIR",
    "DIST_DIR",
    "EDITOR_DIR",
    "ALLOWED_ORIGINS",
    "ADMIN_TOKEN",
    "RATE_LIMIT_PER_MINUTE",
    "QUOTA_ROWS",
    "QUOTA_BYTES",
    "MAX_CONNECTIONS",
    "READ_TIMEOUT_SECS",
];

/// The brakes on what anyone on the internet can make the collector do, each a setting with
/// a default meant for a public survey on one small server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// `RATE_LIMIT_PER_MINUTE`: responses one client may post per minute, and at once; `0`
    /// turns the limit off.
    pub rate_per_minute: u32,
    /// `QUOTA_ROWS`: responses stored per survey.
    pub quota_rows: u64,
    /// `QUOTA_BYTES`: bytes of stored payloads per survey.
    pub quota_bytes: u64,
    /// `MAX_CONNECTIONS`: connections open at once; more wait to be accepted.
    pub max_connections: usize,
    /// `READ_TIMEOUT_SECS`: how long a client may take to send a request's headers (or to
    /// start its next request on a kept-alive connection), and then how long the request may
    /// take until its answer starts, body included.
    pub read_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            rate_per_minute: 30,
            quota_rows: 1_000_000,
            quota_bytes: 2 * GIB,
            max_connections: 512,
            read_timeout: Duration::from_secs(30),
        }
    }
}

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;
const GIB: u64 = 1024 * MIB;

/// Everything the server can be told, already checked.
#[derive(Debug, Clone)]
pub struct Config {
    /// `HOST`: the address to listen on (127.0.0.1 unless a proxy on another machine must reach it).
    pub host: IpAddr,
    /// `PORT`: the port to listen on; 0 picks a free one.
    pub port: u16,
    /// `PUBLIC_URL`: the collector's address as browsers see it (behind a proxy), without a
    /// trailing slash. `None`: built from each request's `Host` header.
    pub public_url: Option<PublicUrl>,
    /// `TRUSTED_PROXIES`: addresses of the reverse proxies whose `X-Forwarded-For` tells who the
    /// client is. Empty: the peer of the connection is the client.
    pub trusted_proxies: Vec<IpAddr>,
    /// `DATA_DIR`: where `responses.sqlite3` lives; created if missing. Unused when
    /// `DATABASE_URL` is set.
    pub data_dir: PathBuf,
    /// `DATABASE_URL`: a PostgreSQL database to keep everything in instead of SQLite.
    pub database_url: Option<DatabaseUrl>,
    /// `DATABASE_POOL_SIZE`: connections to PostgreSQL each instance may hold at once.
    pub database_pool_size: usize,
    /// `SURVEYS_DIR`: the definitions (`{id}.json`) served and validated against.
    pub surveys_dir: PathBuf,
    /// `DIST_DIR`: the widget bundle, served at `/survey-widget/`.
    pub dist_dir: PathBuf,
    /// `EDITOR_DIR`: the survey editor's files (pkg-scripts/build-editor.sh), served at
    /// `/_collector/editor/` for the editor pages under `/admin/editor`.
    pub editor_dir: PathBuf,
    /// `ALLOWED_ORIGINS`: origins whose pages may POST answers (CORS).
    pub allowed_origins: Vec<HeaderValue>,
    /// `ADMIN_TOKEN`: signs people in to `/admin/`, and is the bearer token of scripts.
    pub admin_token: AdminToken,
    /// `RATE_LIMIT_PER_MINUTE`, `QUOTA_ROWS`, `QUOTA_BYTES`, `MAX_CONNECTIONS`, `READ_TIMEOUT_SECS`.
    pub limits: Limits,
}

impl Config {
    /// Reads the settings from the process environment.
    pub fn from_env() -> Result<Config> {
        // A value that is not UTF-8 is refused rather than silently changed into another path.
        for name in NAMES {
            if let Err(std::env::VarError::NotUnicode(_)) = std::env::var(name) {
                return Err(Error::Config { name, message: "must be valid UTF-8".into() });
            }
        }
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config> {
        let host = match lookup("HOST") {
            None => IpAddr::V4(Ipv4Addr::LOCALHOST),
            Some(s) => s.trim().parse::<IpAddr>().map_err(|_| Error::Config {
                name: "HOST",
                message: format!("must be an IP address such as 127.0.0.1, 0.0.0.0 or ::1, not {s:?}"),
            })?,
        };
        let port = match lookup("PORT") {
            None => 8080,
            Some(s) => s.trim().parse::<u16>().map_err(|_| Error::Config {
                name: "PORT",
                message: format!("must be a port number from 0 to 65535, not {s:?}"),
            })?,
        };
        let dir = |name: &'static str, default: &str| -> Result<PathBuf> {
            match lookup(name) {
                None => Ok(PathBuf::from(default)),
                Some(s) if s.trim().is_empty() => Err(Error::Config { name, message: "must not be empty".into() }),
                Some(s) => Ok(PathBuf::from(s)),
            }
        };
        let public_url = match lookup("PUBLIC_URL") {
            Some(s) if !s.trim().is_empty() => Some(PublicUrl::parse(&s)?),
            _ => None,
        };
        let trusted_proxies = match lookup("TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(s) => parse_addresses(&s)?,
        };
        let allowed_origins = match lookup("ALLOWED_ORIGINS") {
            None => Vec::new(),
            Some(s) => parse_origins(&s)?,
        };
        let admin_token = match lookup("ADMIN_TOKEN") {
            Some(t) => AdminToken::new(t)?,
            None => AdminToken::generate()?,
        };
        let defaults = Limits::default();
        let limits = Limits {
            rate_per_minute: number(&lookup, "RATE_LIMIT_PER_MINUTE", defaults.rate_per_minute, 0, "0 turns it off")?,
            quota_rows: number(&lookup, "QUOTA_ROWS", defaults.quota_rows, 1, "responses per survey")?,
            quota_bytes: match lookup("QUOTA_BYTES") {
                None => defaults.quota_bytes,
                Some(s) => parse_bytes(&s)?,
            },
            max_connections: number(&lookup, "MAX_CONNECTIONS", defaults.max_connections, 1, "connections")?,
            read_timeout: Duration::from_secs(number(
                &lookup,
                "READ_TIMEOUT_SECS",
                defaults.read_timeout.as_secs(),
                1,
                "seconds",
            )?),
        };
        Ok(Config {
            host,
            port,
            public_url,
            trusted_proxies,
            data_dir: dir("DATA_DIR", ".data")?,
            database_url: match lookup("DATABASE_URL") {
                Some(s) if !s.trim().is_empty() => Some(DatabaseUrl::parse(&s)?),
                _ => None,
            },
            database_pool_size: number(&lookup, "DATABASE_POOL_SIZE", DEFAULT_POOL_SIZE, 1, "connections per instance")?,
            surveys_dir: dir("SURVEYS_DIR", "demo/surveys")?,
            dist_dir: dir("DIST_DIR", "dist/survey-widget")?,
            editor_dir: dir("EDITOR_DIR", "dist/survey-editor")?,
            allowed_origins,
            admin_token,
            limits,
        })
    }

    /// One line per setting, as startup prints them: the value in use (never the token itself).
    pub fn describe(&self) -> String {
        let mut out = String::new();
        let origins: Vec<&str> = self.allowed_origins.iter().filter_map(|o| o.to_str().ok()).collect();
        let lines = [
            ("HOST", self.host.to_string()),
            ("PORT", self.port.to_string()),
            (
                "PUBLIC_URL",
                match &self.public_url {
                    Some(u) => u.as_str().to_owned(),
                    None => "(unset: links use the Host of each request)".into(),
                },
            ),
            (
                "TRUSTED_PROXIES",
                if self.trusted_proxies.is_empty() {
                    "(none: the connection's peer is the client)".into()
                } else {
                    self.trusted_proxies.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
                },
            ),
            (
                "DATA_DIR",
                match self.database_url {
                    None => self.data_dir.display().to_string(),
                    Some(_) => format!("{} (unused: DATABASE_URL is set)", self.data_dir.display()),
                },
            ),
            (
                "DATABASE_URL",
                match &self.database_url {
                    None => "(unset: SQLite in DATA_DIR)".into(),
                    Some(url) => format!("PostgreSQL {}", url.describe()),
                },
            ),
            (
                "DATABASE_POOL_SIZE",
                match self.database_url {
                    None => format!("{} (unused: SQLite)", self.database_pool_size),
                    Some(_) => format!("{} connections", self.database_pool_size),
                },
            ),
            ("SURVEYS_DIR", self.surveys_dir.display().to_string()),
            ("DIST_DIR", self.dist_dir.display().to_string()),
            ("EDITOR_DIR", self.editor_dir.display().to_string()),
            (
                "ALLOWED_ORIGINS",
                if origins.is_empty() { "(none: only pages on this collector's origin may post)".into() } else { origins.join(", ") },
            ),
            (
                "ADMIN_TOKEN",
                if self.admin_token.is_generated() {
                    "(generated, printed below)".into()
                } else {
                    format!("(set, {} characters)", self.admin_token.as_str().len())
                },
            ),
            (
                "RATE_LIMIT_PER_MINUTE",
                match self.limits.rate_per_minute {
                    0 => "0 (off: any client may post as often as it likes)".into(),
                    n => format!("{n} responses per client"),
                },
            ),
            ("QUOTA_ROWS", format!("{} responses per survey", self.limits.quota_rows)),
            ("QUOTA_BYTES", format!("{} bytes per survey", self.limits.quota_bytes)),
            ("MAX_CONNECTIONS", self.limits.max_connections.to_string()),
            ("READ_TIMEOUT_SECS", self.limits.read_timeout.as_secs().to_string()),
        ];
        for (name, value) in lines {
            // Writing to a String cannot fail.
            let _ = writeln!(out, "  {name:<22} {value}");
        }
        out
    }
}

/// A whole number setting, at least `min`; `default` when unset.
fn number<T>(lookup: &impl Fn(&str) -> Option<String>, name: &'static str, default: T, min: T, unit: &str) -> Result<T>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    let Some(text) = lookup(name) else { return Ok(default) };
    match text.trim().replace('_', "").parse::<T>() {
        Ok(n) if n >= min => Ok(n),
        _ => Err(Error::Config {
            name,
            message: format!("must be a whole number from {min} up ({unit}), not {text:?}"),
        }),
    }
}

/// `2147483648`, `2GiB`, `500 MiB` or `64KiB` as bytes.
fn parse_bytes(text: &str) -> Result<u64> {
    let bad = || Error::Config {
        name: "QUOTA_BYTES",
        message: format!("must be a number of bytes, optionally with KiB, MiB or GiB (such as 2GiB), not {text:?}"),
    };
    let trimmed = text.trim();
    let digits = trimmed.find(|c: char| !c.is_ascii_digit() && c != '_').unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(digits);
    let number: u64 = number.replace('_', "").parse().map_err(|_| bad())?;
    let unit = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kib" => KIB,
        "mib" => MIB,
        "gib" => GIB,
        _ => return Err(bad()),
    };
    number.checked_mul(unit).filter(|n| *n > 0).ok_or_else(bad)
}

/// Parses `127.0.0.1, ::1` into addresses.
fn parse_addresses(list: &str) -> Result<Vec<IpAddr>> {
    list.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.parse::<IpAddr>().map_err(|_| Error::Config {
                name: "TRUSTED_PROXIES",
                message: format!("{a:?} is not an IP address (list the proxies' addresses, comma-separated)"),
            })
        })
        .collect()
}

/// Parses `https://a.example, http://localhost:3000` into origins. An origin is a scheme, a host
/// and maybe a port, nothing else: a trailing slash or a path would never match what a browser
/// sends, so it is refused rather than silently ignored.
fn parse_origins(list: &str) -> Result<Vec<HeaderValue>> {
    let bad = |origin: &str, why: &str| Error::Config {
        name: "ALLOWED_ORIGINS",
        message: format!("{origin:?} {why} (write origins like https://www.example.org, comma-separated)"),
    };
    let mut out = Vec::new();
    for origin in list.split(',').map(str::trim).filter(|o| !o.is_empty()) {
        let rest = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .ok_or_else(|| bad(origin, "must start with https:// or http://"))?;
        if rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ']) {
            return Err(bad(origin, "must be only a scheme, a host and an optional port"));
        }
        let value = HeaderValue::from_str(origin).map_err(|_| bad(origin, "is not a valid origin"))?;
        out.push(value);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const TOKEN: &str = "s3cret-token-s3cret-token-s3cret-token";

    fn config(vars: &[(&str, &str)]) -> Result<Config> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let c = config(&[]).expect("defaults are valid");
        assert_eq!(c.host, IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(c.port, 8080);
        assert_eq!(c.public_url, None);
        assert_eq!(c.data_dir, PathBuf::from(".data"));
        assert_eq!(c.surveys_dir, PathBuf::from("demo/surveys"));
        assert_eq!(c.dist_dir, PathBuf::from("dist/survey-widget"));
        assert_eq!(c.editor_dir, PathBuf::from("dist/survey-editor"));
        assert!(c.allowed_origins.is_empty());
        assert!(c.admin_token.is_generated());
        assert!(c.admin_token.as_str().len() >= MIN_TOKEN_LEN);
        assert_eq!(c.limits, Limits::default());
        assert_eq!(c.limits.rate_per_minute, 30);
        assert_eq!(c.limits.quota_bytes, 2 * 1024 * 1024 * 1024);
        assert!(c.database_url.is_none(), "SQLite unless told otherwise");
        assert_eq!(c.database_pool_size, DEFAULT_POOL_SIZE);
    }

    #[test]
    fn a_database_url_is_checked_and_never_shown_with_its_password() {
        let c = config(&[
            ("DATABASE_URL", "postgres://collector:hunter2-secret@db.internal:6543/survey"),
            ("DATABASE_POOL_SIZE", "4"),
        ])
        .expect("valid");
        let url = c.database_url.as_ref().expect("set");
        assert_eq!(url.describe(), "database survey as collector on db.internal port 6543 (password set)");
        assert_eq!(c.database_pool_size, 4);
        let text = c.describe();
        assert!(text.contains("PostgreSQL database survey") && text.contains("4 connections"), "{text}");
        assert!(text.contains("unused: DATABASE_URL is set"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(!format!("{c:?}").contains("hunter2"));

        let socket = config(&[("DATABASE_URL", "postgres://postgres@%2Ftmp%2Fpg/postgres")]).expect("a socket folder");
        assert_eq!(socket.database_url.expect("set").describe(), "database postgres as postgres on socket /tmp/pg port 5432");
        for (bad, why) in [
            ("mysql://x@y/z", "must start with postgres://"),
            ("postgres://user:hunter2@/db", "names no host"),
            ("postgres://u:hunter2@h/db?sslmode=require", "asks for TLS"),
            ("postgres://u:hunter2@h:notaport/db", "is not a PostgreSQL URL"),
        ] {
            let err = config(&[("DATABASE_URL", bad)]).expect_err(bad);
            let text = err.to_string();
            assert!(text.starts_with("DATABASE_URL: ") && text.contains(why), "{bad}: {text}");
            assert!(!text.contains("hunter2"), "{text}");
        }
        assert!(config(&[("DATABASE_POOL_SIZE", "0")]).is_err());
        assert!(config(&[("DATABASE_URL", "")]).expect("empty is unset").database_url.is_none());
    }

    #[test]
    fn limits_are_whole_numbers_and_quota_bytes_takes_units() {
        let c = config(&[
            ("RATE_LIMIT_PER_MINUTE", "0"),
            ("QUOTA_ROWS", "1_000"),
            ("QUOTA_BYTES", "500 MiB"),
            ("MAX_CONNECTIONS", "8"),
            ("READ_TIMEOUT_SECS", "5"),
        ])
        .expect("valid");
        assert_eq!(
            c.limits,
            Limits {
                rate_per_minute: 0,
                quota_rows: 1000,
                quota_bytes: 500 * 1024 * 1024,
                max_connections: 8,
                read_timeout: Duration::from_secs(5)
            }
        );
        assert_eq!(parse_bytes("2GiB").expect("valid"), 2 << 30);
        assert_eq!(parse_bytes("64kib").expect("valid"), 65536);
        assert_eq!(parse_bytes("123").expect("valid"), 123);
        for (name, bad) in [
            ("QUOTA_ROWS", "0"),
            ("QUOTA_ROWS", "lots"),
            ("MAX_CONNECTIONS", "0"),
            ("READ_TIMEOUT_SECS", "-1"),
            ("RATE_LIMIT_PER_MINUTE", "1.5"),
            ("QUOTA_BYTES", "2GB"),
            ("QUOTA_BYTES", "0"),
            ("QUOTA_BYTES", "99999999999GiB"),
        ] {
            let err = config(&[(name, bad)]).expect_err(bad);
            assert!(err.to_string().starts_with(&format!("{name}: must be")), "{err}");
        }
    }

    #[test]
    fn host_and_port_are_checked() {
        let err = config(&[("PORT", "eighty")]).expect_err("not a number");
        assert_eq!(err.to_string(), "PORT: must be a port number from 0 to 65535, not \"eighty\"");
        assert!(config(&[("PORT", "70000")]).is_err());
        assert_eq!(config(&[("PORT", "0")]).expect("0 is valid").port, 0);
        assert_eq!(config(&[("HOST", "0.0.0.0")]).expect("valid").host.to_string(), "0.0.0.0");
        assert_eq!(config(&[("HOST", "::1")]).expect("valid").host.to_string(), "::1");
        let err = config(&[("HOST", "localhost")]).expect_err("a name, not an address");
        assert!(err.to_string().starts_with("HOST: must be an IP address"), "{err}");
    }

    #[test]
    fn public_url_is_checked_and_gives_the_origin() {
        let c = config(&[("PUBLIC_URL", "https://collect.example.org/")]).expect("valid");
        let u = c.public_url.expect("set");
        assert_eq!(u.as_str(), "https://collect.example.org");
        assert_eq!(u.origin(), "https://collect.example.org");
        assert!(u.is_https());
        let u = PublicUrl::parse("http://127.0.0.1:8080").expect("valid");
        assert_eq!(u.origin(), "http://127.0.0.1:8080");
        assert!(!u.is_https());
        for bad in ["collect.example.org", "ftp://x.example", "https://", "https://x.example/?a=1", "https://x.example/survey"] {
            let err = PublicUrl::parse(bad).expect_err(bad);
            assert!(err.to_string().starts_with("PUBLIC_URL: "), "{err}");
        }
    }

    #[test]
    fn trusted_proxies_are_addresses() {
        let c = config(&[("TRUSTED_PROXIES", "127.0.0.1, ::1")]).expect("valid");
        assert_eq!(c.trusted_proxies.len(), 2);
        let err = config(&[("TRUSTED_PROXIES", "proxy.local")]).expect_err("a name");
        assert!(err.to_string().starts_with("TRUSTED_PROXIES: \"proxy.local\" is not an IP address"), "{err}");
    }

    #[test]
    fn origins_are_checked() {
        let c = config(&[("ALLOWED_ORIGINS", "https://a.example, http://localhost:3000,")]).expect("valid");
        assert_eq!(c.allowed_origins, vec!["https://a.example", "http://localhost:3000"]);
        assert!(config(&[("ALLOWED_ORIGINS", "https://a.example/")]).is_err());
        assert!(config(&[("ALLOWED_ORIGINS", "a.example")]).is_err());
        assert!(config(&[("ALLOWED_ORIGINS", "*")]).is_err());
    }

    #[test]
    fn admin_token_is_compared_exactly() {
        let c = config(&[("ADMIN_TOKEN", TOKEN)]).expect("valid");
        let t = &c.admin_token;
        assert!(!t.is_generated());
        assert!(t.matches(TOKEN));
        assert!(!t.matches(&TOKEN[1..]));
        assert!(!t.matches(&format!("{TOKEN}n")));
        assert!(!t.matches(""));
        assert!(!t.matches(&TOKEN.to_uppercase()));
        assert!(config(&[("ADMIN_TOKEN", "has space but is long enough to pass the length")]).is_err());
        assert!(!format!("{t:?}").contains("s3cret"));
    }

    #[test]
    fn a_weak_admin_token_is_refused_in_words() {
        for weak in ["", "password", &TOKEN[..MIN_TOKEN_LEN - 1]] {
            let err = config(&[("ADMIN_TOKEN", weak)]).expect_err(weak);
            let text = err.to_string();
            assert!(text.starts_with("ADMIN_TOKEN: is "), "{text}");
            assert!(text.contains("at least 32"), "{text}");
        }
        assert!(config(&[("ADMIN_TOKEN", &TOKEN[..MIN_TOKEN_LEN])]).is_ok());
    }

    #[test]
    fn the_description_names_every_setting_and_hides_the_token() {
        let c = config(&[("ADMIN_TOKEN", TOKEN), ("ALLOWED_ORIGINS", "https://a.example")]).expect("valid");
        let text = c.describe();
        for name in NAMES {
            assert!(text.contains(name), "{name} in {text}");
        }
        assert!(text.contains("https://a.example"));
        assert!(!text.contains("s3cret"), "{text}");
    }
}
