//! `PUBLIC_URL`: the collector's own address as browsers see it.

use crate::error::{Error, Result};

/// The collector's public address, such as `https://collect.example.org`. It is served at the
/// root of its host: its pages link to `/admin`, `/s/{id}` and so on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    /// Scheme, host and port, without a trailing slash: also what a browser sends as `Origin`.
    url: String,
}

impl PublicUrl {
    /// Parses `https://host[:port]`.
    pub fn parse(text: &str) -> Result<PublicUrl> {
        let bad = |why: &str| Error::Config {
            name: "PUBLIC_URL",
            message: format!("{text:?} {why} (write it like https://collect.example.org)"),
        };
        let text = text.trim().trim_end_matches('/');
        let (scheme, rest) = text.split_once("://").ok_or_else(|| bad("has no scheme"))?;
        if scheme != "https" && scheme != "http" {
            return Err(bad("must start with https:// or http://"));
        }
        if rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ']) {
            return Err(bad("must be only a scheme, a host and an optional port: the collector is served at the root of its host"));
        }
        Ok(PublicUrl { url: text.to_owned() })
    }

    /// The URL without a trailing slash, ready for `format!("{}/admin", …)`.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// What browsers send as `Origin` from the collector's own pages (the same text).
    pub fn origin(&self) -> &str {
        &self.url
    }

    /// Whether browsers reach it over TLS (then cookies are `Secure`).
    pub fn is_https(&self) -> bool {
        self.url.starts_with("https://")
    }
}
