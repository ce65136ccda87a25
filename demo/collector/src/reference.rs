//! Random, human-friendly identifiers: the reference a respondent is shown (`K7Q2-9XMD`) and
//! the generated admin token; and the random numbers and hex encoding behind other ids.

use crate::error::{Error, Result};

/// Crockford's base32 alphabet: no I, L, O or U, so a reference read out over the phone or
/// copied by hand cannot be confused.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new reference: 40 random bits as 8 Crockford base32 characters, grouped `XXXX-XXXX`.
///
/// A reference is for people, not for security: uniqueness is enforced by the store, which
/// draws again on the rare collision.
pub fn random_reference() -> Result<String> {
    let chars = random_chars(8)?;
    Ok(format!("{}-{}", &chars[..4], &chars[4..]))
}

/// A new admin token: 160 random bits as 32 lower-case base32 characters.
pub fn random_token() -> Result<String> {
    Ok(random_chars(32)?.to_ascii_lowercase())
}

/// Lower-case hexadecimal, two digits a byte.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// `N` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| Error::Internal(format!("no randomness from the OS: {e}")))?;
    Ok(bytes)
}

/// A random 64-bit number, such as the order key of a stored response.
pub fn random_i64() -> Result<i64> {
    Ok(i64::from_le_bytes(random_bytes()?))
}

/// `n` characters, each carrying 5 random bits.
fn random_chars(n: usize) -> Result<String> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| Error::Internal(format!("no randomness from the OS: {e}")))?;
    // Each byte is reduced to 5 bits; 256 is a multiple of 32, so every character is equally
    // likely.
    Ok(bytes.iter().map(|b| char::from(CROCKFORD[usize::from(b & 31)])).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_grouped_crockford() {
        for _ in 0..100 {
            let r = random_reference().expect("randomness");
            assert_eq!(r.len(), 9, "{r}");
            assert_eq!(&r[4..5], "-");
            assert!(r.chars().filter(|c| *c != '-').all(|c| CROCKFORD.contains(&(c as u8))), "{r}");
        }
        assert_ne!(random_reference().expect("randomness"), random_reference().expect("randomness"));
    }

    #[test]
    fn tokens_are_long() {
        let t = random_token().expect("randomness");
        assert_eq!(t.len(), 32);
        assert!(t.bytes().all(|b| b.is_ascii_graphic()));
    }
}
