//! Who may read the answers: the admin token, the sessions of signed-in browsers, and the brake
//! on guessing.
//!
//! A person signs in once with the admin token and gets a session cookie; scripts send the token
//! as `Authorization: Bearer`. A session is a random secret: the browser holds it, the database
//! holds only its SHA-256, so every collector instance on one database knows every session and a
//! copy of the database cannot sign anyone in. Wrong tokens are answered slowly, and a client
//! that keeps guessing is refused for a while; the addresses behind that brake live in memory
//! only and are never written anywhere.

use crate::config::AdminToken;
use crate::error::{Error, Result};
use crate::reference::hex;
use axum::http::{header, HeaderMap};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "survey_admin";

/// How long a sign-in lasts.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(8 * 60 * 60);

/// How long every wrong token waits for its answer: harmless to a person who mistyped, ruinous
/// to a script that guesses.
pub const WRONG_TOKEN_DELAY: Duration = Duration::from_millis(750);

/// Wrong tokens one client may send per [`GUESS_WINDOW`] before it is refused outright.
pub const MAX_WRONG_TOKENS: u32 = 10;

/// The window of [`MAX_WRONG_TOKENS`].
pub const GUESS_WINDOW: Duration = Duration::from_secs(10 * 60);

/// What a presented admin token turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInCheck {
    Right,
    /// Wrong, answered after [`WRONG_TOKEN_DELAY`].
    Wrong,
    /// Not even compared: this client guessed too often; it may try again after this many seconds.
    Refused { retry_after: u64 },
}

/// Checks a presented token, slowly when it is wrong, and not at all for a client that has
/// guessed too often.
pub async fn check_token(token: &AdminToken, brake: &GuessBrake, client: Option<IpAddr>, presented: &str) -> SignInCheck {
    if let Some(retry_after) = brake.refused(client) {
        return SignInCheck::Refused { retry_after };
    }
    if token.matches(presented) {
        return SignInCheck::Right;
    }
    brake.wrong(client);
    tokio::time::sleep(WRONG_TOKEN_DELAY).await;
    SignInCheck::Wrong
}

/// A new session: the secret for the cookie and the hash for the store.
pub fn new_session() -> Result<(String, String)> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Internal(format!("no randomness from the OS: {e}")))?;
    let secret = hex(&bytes);
    let hash = session_hash(&secret);
    Ok((secret, hash))
}

/// What the store keeps of a session secret.
pub fn session_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// The session secret a request's `Cookie` header carries, if any.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|v| !v.is_empty())
}

/// The `Set-Cookie` value that signs a browser in.
pub fn set_session_cookie(secret: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={secret}; Path=/admin; Max-Age={}; HttpOnly; SameSite=Strict{}",
        SESSION_LIFETIME.as_secs(),
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that signs a browser out.
pub fn clear_session_cookie(secure: bool) -> String {
    format!("{SESSION_COOKIE}=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict{}", if secure { "; Secure" } else { "" })
}

/// The token of an `Authorization: Bearer …` header (the scheme is case-insensitive).
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Who the client is, for the guessing brake: the connection's peer, unless that is one of
/// the trusted proxies, in which case the address that proxy says it forwarded for (the last
/// entry of `X-Forwarded-For` not added by a trusted proxy). Anything a client could forge
/// itself (entries to the left of the first untrusted one) is never believed.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> Option<IpAddr> {
    let mut client = peer?;
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    for hop in forwarded.iter().rev() {
        if !trusted.contains(&client) {
            break;
        }
        client = *hop;
    }
    Some(client)
}

/// Where to go after signing in: a path of this collector's admin pages, or the admin start
/// page. Anything else (another site, `//evil.example`, a backslash trick) is ignored, so the
/// sign-in page cannot be used to send someone elsewhere.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if (path == "/admin" || path.starts_with("/admin/") || path.starts_with("/admin?"))
                && !path.contains(['\\', '\r', '\n'])
                && !path.contains("//") =>
        {
            path.to_owned()
        }
        _ => "/admin".to_owned(),
    }
}

/// Counts wrong tokens per client, in memory only.
#[derive(Clone, Default)]
pub struct GuessBrake {
    clients: Arc<Mutex<HashMap<IpAddr, Window>>>,
}

#[derive(Clone, Copy)]
struct Window {
    started: Instant,
    wrong: u32,
}

impl GuessBrake {
    /// `Some(seconds to wait)` when `client` has used up its wrong tokens for now.
    pub fn refused(&self, client: Option<IpAddr>) -> Option<u64> {
        let client = client?;
        let clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        let window = clients.get(&client)?;
        let elapsed = window.started.elapsed();
        (window.wrong >= MAX_WRONG_TOKENS && elapsed < GUESS_WINDOW)
            .then(|| (GUESS_WINDOW - elapsed).as_secs().max(1))
    }

    /// Notes one wrong token from `client`.
    pub fn wrong(&self, client: Option<IpAddr>) {
        let Some(client) = client else { return };
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        // Old windows go first, so the map holds at most the clients of the last few minutes.
        clients.retain(|_, w| w.started.elapsed() < GUESS_WINDOW);
        let window = clients.entry(client).or_insert(Window { started: Instant::now(), wrong: 0 });
        window.wrong = window.wrong.saturating_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn sessions_are_random_and_stored_as_hashes() {
        let (a, hash_a) = new_session().expect("randomness");
        let (b, _) = new_session().expect("randomness");
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(hash_a, session_hash(&a));
        assert_ne!(hash_a, a);
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("theme=dark; survey_admin=abc123 ; x=y"));
        assert_eq!(session_cookie(&h), Some("abc123"));
        h.insert(header::COOKIE, HeaderValue::from_static("survey_admin_other=abc"));
        assert_eq!(session_cookie(&h), None);
    }

    #[test]
    fn cookies_are_http_only_strict_and_secure_over_tls() {
        let c = set_session_cookie("s", true);
        for part in ["survey_admin=s", "HttpOnly", "SameSite=Strict", "Secure", "Path=/admin", "Max-Age=28800"] {
            assert!(c.contains(part), "{part} in {c}");
        }
        assert!(!set_session_cookie("s", false).contains("Secure"));
        assert!(clear_session_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn bearer_scheme_is_case_insensitive_and_required() {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("bearer abc"));
        assert_eq!(bearer(&h), Some("abc"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&h), None);
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer"));
        assert_eq!(bearer(&h), None);
    }

    #[test]
    fn the_client_is_whoever_the_trusted_proxies_say_and_no_further() {
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        let proxy = ip("10.0.0.2");
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 203.0.113.9"));
        // No trusted proxy: the peer, whatever the header says.
        assert_eq!(client_ip(Some(proxy), &h, &[]), Some(proxy));
        // Behind the proxy: the address it added (the rightmost), not the forged one before it.
        assert_eq!(client_ip(Some(proxy), &h, &[proxy]), Some(ip("203.0.113.9")));
        // A stranger connecting directly is itself, even if it sends the header.
        assert_eq!(client_ip(Some(ip("198.51.100.1")), &h, &[proxy]), Some(ip("198.51.100.1")));
        assert_eq!(client_ip(Some(proxy), &HeaderMap::new(), &[proxy]), Some(proxy));
        assert_eq!(client_ip(None, &h, &[proxy]), None);
    }

    #[test]
    fn next_stays_on_the_admin_pages() {
        assert_eq!(safe_next(Some("/admin/surveys/x/responses.csv")), "/admin/surveys/x/responses.csv");
        assert_eq!(safe_next(Some("/admin")), "/admin");
        for bad in ["https://evil.example/admin", "//evil.example", "/admin//evil", "/admin\\x", "/other", "/administrator"] {
            assert_eq!(safe_next(Some(bad)), "/admin", "{bad}");
        }
        assert_eq!(safe_next(None), "/admin");
    }

    #[test]
    fn the_brake_refuses_after_too_many_wrong_tokens_per_client() {
        let brake = GuessBrake::default();
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().expect("ip"), "192.0.2.2".parse().expect("ip"));
        for _ in 0..MAX_WRONG_TOKENS - 1 {
            brake.wrong(Some(a));
        }
        assert_eq!(brake.refused(Some(a)), None);
        brake.wrong(Some(a));
        let wait = brake.refused(Some(a)).expect("refused");
        assert!(wait > 0 && wait <= GUESS_WINDOW.as_secs());
        assert_eq!(brake.refused(Some(b)), None, "another client is not affected");
        assert_eq!(brake.refused(None), None);
    }
}
