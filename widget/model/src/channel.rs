//! Where an embed is (`website`, `newsletter`, `facebook`…): the label a host gives its
//! embed so the team can count views, starts and completions per channel.
//!
//! A channel is chosen by the host, never by the respondent, and it is the same for everyone
//! who answers through that embed, so it says nothing about a person. It is kept short and
//! plain (lowercase letters, digits, `-`, `_` and `.`) so that a typo in one embed cannot
//! become a new, unreadable row in every report; `Facebook` and `facebook` are one channel.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest channel name, in bytes.
pub const CHANNEL_MAX_LEN: usize = 40;

/// A channel name, lowercased and checked.
///
/// ```
/// use survey_model::Channel;
/// assert_eq!(Channel::parse(" Facebook ").unwrap().as_str(), "facebook");
/// assert!(Channel::parse("my page?").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Channel(String);

impl Channel {
    /// Reads a channel name as a host wrote it: trimmed, lowercased, then checked.
    pub fn parse(raw: &str) -> Result<Channel, &'static str> {
        let name = raw.trim().to_ascii_lowercase();
        if name.is_empty() {
            return Err("must not be empty");
        }
        if name.len() > CHANNEL_MAX_LEN {
            return Err("must be at most 40 characters");
        }
        let plain = name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.'));
        if !plain {
            return Err("must use only letters, digits, \"-\", \"_\" and \".\"");
        }
        Ok(Channel(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Channel {
    type Error = &'static str;

    fn try_from(raw: String) -> Result<Channel, &'static str> {
        Channel::parse(&raw)
    }
}

impl From<Channel> for String {
    fn from(c: Channel) -> String {
        c.0
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_trimmed_and_lowercased() {
        assert_eq!(Channel::parse("  NewsLetter-2026 ").map(|c| c.0), Ok("newsletter-2026".into()));
        assert_eq!(Channel::parse("gp.surgery_a").map(|c| c.0), Ok("gp.surgery_a".into()));
    }

    #[test]
    fn empty_long_and_odd_names_are_refused() {
        assert_eq!(Channel::parse("   "), Err("must not be empty"));
        assert_eq!(Channel::parse(&"a".repeat(41)), Err("must be at most 40 characters"));
        assert!(Channel::parse(&"a".repeat(40)).is_ok());
        for odd in ["face book", "news/letter", "é", "https://x", "<b>"] {
            assert!(Channel::parse(odd).is_err(), "{odd}");
        }
    }

    proptest! {
        #[test]
        fn a_parsed_name_parses_to_itself(raw in "\\PC{0,50}") {
            if let Ok(c) = Channel::parse(&raw) {
                prop_assert_eq!(Channel::parse(c.as_str()), Ok(c.clone()));
                prop_assert!(c.as_str().len() <= CHANNEL_MAX_LEN);
            }
        }
    }
}
