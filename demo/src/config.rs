//! Settings, read once from the environment, each with a default that works from the
//! repository root (`cargo run -p survey-demo`).

use crate::error::{Error, Result};
use crate::reference;
use axum::http::HeaderValue;
use std::path::PathBuf;

/// Everything the server can be told, already checked.
#[derive(Debug, Clone)]
pub struct Config {
    /// `PORT`: the loopback port to listen on; 0 picks a free one.
    pub port: u16,
    /// `DATA_DIR`: where `responses.sqlite3` lives; created if missing.
    pub data_dir: PathBuf,
    /// `SURVEYS_DIR`: the definitions (`{id}.json`) served and validated against.
    pub surveys_dir: PathBuf,
    /// `DIST_DIR`: the widget bundle, served at `/survey-widget/`.
    pub dist_dir: PathBuf,
    /// `SITE_DIR`: the demo's own pages, served at `/`.
    pub site_dir: PathBuf,
    /// `ALLOWED_ORIGINS`: origins that may POST answers from another site (CORS).
    pub allowed_origins: Vec<HeaderValue>,
    /// `ADMIN_TOKEN`: the bearer token for `/admin/`.
    pub admin_token: AdminToken,
}

/// The admin bearer token, and whether it was made up because none was set (then it is
/// printed at startup, since nobody else knows it).
#[derive(Clone)]
pub struct AdminToken {
    value: String,
    generated: bool,
}

impl AdminToken {
    /// A token chosen by whoever runs the server.
    ///
    /// It must be non-empty visible ASCII without spaces, because it travels in an
    /// `Authorization` header and a token that cannot be sent would lock everyone out.
    pub fn new(value: impl Into<String>) -> Result<AdminToken> {
        let value = value.into();
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::Config {
                name: "ADMIN_TOKEN",
                message: "must be visible ASCII characters without spaces (unset it to have one generated)"
                    .into(),
            });
        }
        Ok(AdminToken { value, generated: false })
    }

    /// A fresh random token (160 bits).
    pub fn generate() -> Result<AdminToken> {
        Ok(AdminToken { value: reference::random_token()?, generated: true })
    }

    /// The token itself.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// Whether it was generated rather than configured.
    pub fn is_generated(&self) -> bool {
        self.generated
    }

    /// Compares a presented token in time that does not depend on where they differ, so the
    /// token cannot be guessed byte by byte from response times.
    pub fn matches(&self, presented: &str) -> bool {
        let (a, b) = (self.value.as_bytes(), presented.as_bytes());
        let mut diff = a.len() ^ b.len();
        for i in 0..a.len() {
            // Index `b` cyclically so the loop length never depends on the presented token.
            let other = if b.is_empty() { 0 } else { b[i % b.len()] };
            diff |= usize::from(a[i] ^ other);
        }
        std::hint::black_box(diff) == 0
    }
}

// Keeps the token out of logs and panic messages.
impl std::fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminToken").field("generated", &self.generated).finish_non_exhaustive()
    }
}

impl Config {
    /// Reads the settings from the process environment.
    pub fn from_env() -> Result<Config> {
        // A value that is not UTF-8 is refused rather than silently changed into another path.
        for name in ["PORT", "DATA_DIR", "SURVEYS_DIR", "DIST_DIR", "SITE_DIR", "ALLOWED_ORIGINS", "ADMIN_TOKEN"] {
            if let Err(std::env::VarError::NotUnicode(_)) = std::env::var(name) {
                return Err(Error::Config { name, message: "must be valid UTF-8".into() });
            }
        }
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config> {
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
                Some(s) if s.trim().is_empty() => {
                    Err(Error::Config { name, message: "must not be empty".into() })
                }
                Some(s) => Ok(PathBuf::from(s)),
            }
        };
        let allowed_origins = match lookup("ALLOWED_ORIGINS") {
            None => Vec::new(),
            Some(s) => parse_origins(&s)?,
        };
        let admin_token = match lookup("ADMIN_TOKEN") {
            Some(t) => AdminToken::new(t)?,
            None => AdminToken::generate()?,
        };
        Ok(Config {
            port,
            data_dir: dir("DATA_DIR", ".data")?,
            surveys_dir: dir("SURVEYS_DIR", "demo/surveys")?,
            dist_dir: dir("DIST_DIR", "dist/survey-widget")?,
            site_dir: dir("SITE_DIR", "demo/site")?,
            allowed_origins,
            admin_token,
        })
    }
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

    fn config(vars: &[(&str, &str)]) -> Result<Config> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let c = config(&[]).expect("defaults are valid");
        assert_eq!(c.port, 8080);
        assert_eq!(c.data_dir, PathBuf::from(".data"));
        assert_eq!(c.surveys_dir, PathBuf::from("demo/surveys"));
        assert_eq!(c.dist_dir, PathBuf::from("dist/survey-widget"));
        assert_eq!(c.site_dir, PathBuf::from("demo/site"));
        assert!(c.allowed_origins.is_empty());
        assert!(c.admin_token.is_generated());
        assert!(c.admin_token.as_str().len() >= 32);
    }

    #[test]
    fn port_must_be_a_number() {
        let err = config(&[("PORT", "eighty")]).expect_err("not a number");
        assert_eq!(err.to_string(), "PORT: must be a port number from 0 to 65535, not \"eighty\"");
        assert!(config(&[("PORT", "70000")]).is_err());
        assert_eq!(config(&[("PORT", "0")]).expect("0 is valid").port, 0);
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
        let c = config(&[("ADMIN_TOKEN", "s3cret-token")]).expect("valid");
        let t = &c.admin_token;
        assert!(!t.is_generated());
        assert!(t.matches("s3cret-token"));
        assert!(!t.matches("s3cret-toke"));
        assert!(!t.matches("s3cret-tokenn"));
        assert!(!t.matches(""));
        assert!(!t.matches("S3cret-token"));
        assert!(config(&[("ADMIN_TOKEN", "")]).is_err());
        assert!(config(&[("ADMIN_TOKEN", "has space")]).is_err());
        assert!(!format!("{t:?}").contains("s3cret"));
    }
}
