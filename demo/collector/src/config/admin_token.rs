//! `ADMIN_TOKEN`: the administrators' secret, checked for strength and compared in constant time.

use crate::error::{Error, Result};
use crate::reference;

/// The shortest `ADMIN_TOKEN` accepted: 32 characters of a random token are far beyond guessing,
/// and anything shorter is likely a word someone chose.
pub const MIN_TOKEN_LEN: usize = 32;

/// The admin token, and whether it was made up because none was set (then it is printed at
/// startup, since nobody else knows it).
#[derive(Clone)]
pub struct AdminToken {
    value: String,
    generated: bool,
}

impl AdminToken {
    /// A token chosen by whoever runs the server.
    ///
    /// It must be at least [`MIN_TOKEN_LEN`] visible ASCII characters without spaces: it travels
    /// in an `Authorization` header, and a short one could be guessed.
    pub fn new(value: impl Into<String>) -> Result<AdminToken> {
        let value = value.into();
        if !value.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::Config {
                name: "ADMIN_TOKEN",
                message: "must be visible ASCII characters without spaces (unset it to have one generated)".into(),
            });
        }
        if value.len() < MIN_TOKEN_LEN {
            return Err(Error::Config {
                name: "ADMIN_TOKEN",
                message: format!(
                    "is {} characters long; it must be at least {MIN_TOKEN_LEN} (for example the output of \
                     `openssl rand -hex 24`), or unset it to have one generated",
                    value.len()
                ),
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
