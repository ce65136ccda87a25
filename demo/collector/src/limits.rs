//! The per-client brake on posted responses: a token bucket per client, in memory only.
//!
//! Anyone on the internet may post a response, so one client must not be able to fill the
//! database or starve everyone else. Each client gets `RATE_LIMIT_PER_MINUTE` tokens, refilled
//! evenly over a minute; a post takes one, and a client with none is answered 429 with the
//! seconds until its next token, which the widget treats as "keep the answers, try later".
//!
//! The client is known by a salted hash of its address (see [`crate::auth::client_ip`] for
//! which address that is behind a proxy), never by the address itself: the salt is drawn
//! afresh at every start and kept only in memory, so nothing here can be turned back into an
//! address, or matched against another run's. An IPv6 client is its /64, the block one
//! household or phone is given, so that it cannot dodge the brake by changing its last bits.
//!
//! The other brakes live where they act: per-survey quotas in the store, the connection cap and
//! read timeout in [`crate::serve`].

use crate::error::Result;
use crate::reference;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A bucket untouched this long has refilled completely and can be forgotten.
const REFILL: Duration = Duration::from_secs(60);

/// How many clients to hold before forgetting the full buckets.
const PRUNE_ABOVE: usize = 4096;

/// Reach events a client may send for each response it may post: a view, a start and a few
/// pages.
pub const EVENTS_PER_RESPONSE: u32 = 8;

/// The per-client token buckets. Cloning is cheap and shares them.
#[derive(Clone)]
pub struct RateLimiter {
    /// `None` when the limit is off (`RATE_LIMIT_PER_MINUTE=0`).
    inner: Option<Arc<Inner>>,
}

struct Inner {
    salt: [u8; 32],
    per_minute: u32,
    buckets: Mutex<HashMap<ClientKey, Bucket>>,
}

/// A client as the brake knows it: 128 bits of a salted SHA-256 of its address.
type ClientKey = [u8; 16];

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimiter {
    /// A brake of `per_minute` responses per client per minute, with bursts of as many;
    /// `0` lets everything through.
    pub fn new(per_minute: u32) -> Result<RateLimiter> {
        if per_minute == 0 {
            return Ok(RateLimiter { inner: None });
        }
        let inner = Inner { salt: reference::random_bytes()?, per_minute, buckets: Mutex::new(HashMap::new()) };
        Ok(RateLimiter { inner: Some(Arc::new(inner)) })
    }

    /// Takes a token for `client`. `Err(seconds)` when it has none left: how long until it has
    /// one again. A request whose client is unknown (no socket, as in tests) is let through.
    pub fn check(&self, client: Option<IpAddr>) -> std::result::Result<(), u64> {
        self.check_at(client, Instant::now())
    }

    fn check_at(&self, client: Option<IpAddr>, now: Instant) -> std::result::Result<(), u64> {
        let (Some(inner), Some(client)) = (&self.inner, client) else { return Ok(()) };
        let key = inner.key(client);
        let capacity = f64::from(inner.per_minute);
        let per_second = capacity / REFILL.as_secs_f64();
        let mut buckets = inner.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|_, b| now.saturating_duration_since(b.at) < REFILL);
        }
        let bucket = buckets.entry(key).or_insert(Bucket { tokens: capacity, at: now });
        let refilled = now.saturating_duration_since(bucket.at).as_secs_f64() * per_second;
        bucket.tokens = (bucket.tokens + refilled).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            // Whole seconds, rounded up, and never 0: "retry after 0 s" would invite a spin.
            let wait = ((1.0 - bucket.tokens) / per_second).ceil();
            Err(if wait.is_finite() && wait >= 1.0 { wait as u64 } else { 1 })
        }
    }

    /// How many clients it holds a bucket for (for tests).
    pub fn clients(&self) -> usize {
        self.inner.as_ref().map_or(0, |i| i.buckets.lock().unwrap_or_else(PoisonError::into_inner).len())
    }
}

impl Inner {
    fn key(&self, client: IpAddr) -> ClientKey {
        let mut hash = Sha256::new();
        hash.update(self.salt);
        match client {
            IpAddr::V4(v4) => hash.update(v4.octets()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => hash.update(v4.octets()),
                None => hash.update(&v6.octets()[..8]),
            },
        }
        let digest = hash.finalize();
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().expect("an address"))
    }

    #[test]
    fn a_client_gets_its_burst_then_waits_for_the_refill() {
        let limiter = RateLimiter::new(30).expect("randomness");
        let start = Instant::now();
        for _ in 0..30 {
            assert_eq!(limiter.check_at(ip("192.0.2.1"), start), Ok(()));
        }
        // One token comes back every 2 s.
        assert_eq!(limiter.check_at(ip("192.0.2.1"), start), Err(2));
        assert_eq!(limiter.check_at(ip("192.0.2.2"), start), Ok(()), "another client has its own bucket");
        assert_eq!(limiter.check_at(ip("192.0.2.1"), start + Duration::from_secs(2)), Ok(()));
        assert!(limiter.check_at(ip("192.0.2.1"), start + Duration::from_secs(2)).is_err());
        // A minute later the bucket is full again, and no fuller.
        let later = start + Duration::from_secs(600);
        for _ in 0..30 {
            assert_eq!(limiter.check_at(ip("192.0.2.1"), later), Ok(()));
        }
        assert!(limiter.check_at(ip("192.0.2.1"), later).is_err());
    }

    #[test]
    fn an_ipv6_client_is_its_64_block_and_a_mapped_ipv4_is_itself() {
        let limiter = RateLimiter::new(1).expect("randomness");
        let now = Instant::now();
        assert_eq!(limiter.check_at(ip("2001:db8:1:2::1"), now), Ok(()));
        assert_eq!(limiter.check_at(ip("2001:db8:1:2:ffff::9"), now), Err(60), "same /64");
        assert_eq!(limiter.check_at(ip("2001:db8:1:3::1"), now), Ok(()), "another /64");
        assert_eq!(limiter.check_at(ip("198.51.100.7"), now), Ok(()));
        assert!(limiter.check_at(ip("::ffff:198.51.100.7"), now).is_err(), "the same IPv4 client");
    }

    #[test]
    fn off_or_unknown_clients_pass_and_keys_are_salted_hashes() {
        let off = RateLimiter::new(0).expect("no randomness needed");
        for _ in 0..1000 {
            assert_eq!(off.check(ip("192.0.2.1")), Ok(()));
        }
        let on = RateLimiter::new(1).expect("randomness");
        assert_eq!(on.check(None), Ok(()));
        assert_eq!(on.check(None), Ok(()));
        assert_eq!(on.clients(), 0);
        let other = RateLimiter::new(1).expect("randomness");
        let (a, b) = (on.inner.as_ref().expect("on"), other.inner.as_ref().expect("on"));
        let client: IpAddr = "192.0.2.1".parse().expect("an address");
        assert_ne!(a.key(client), b.key(client), "a new salt at every start");
        assert!(!a.key(client).windows(4).any(|w| w == [192, 0, 2, 1]), "the address is not in its key");
    }

    #[test]
    fn full_buckets_are_forgotten_once_there_are_many() {
        let limiter = RateLimiter::new(10).expect("randomness");
        let start = Instant::now();
        for i in 0..=PRUNE_ABOVE as u32 {
            let client = IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 + i));
            assert_eq!(limiter.check_at(Some(client), start), Ok(()));
        }
        assert_eq!(limiter.clients(), PRUNE_ABOVE + 1);
        assert_eq!(limiter.check_at(ip("192.0.2.1"), start + REFILL), Ok(()));
        assert_eq!(limiter.clients(), 1, "only the client seen last is kept");
    }
}
