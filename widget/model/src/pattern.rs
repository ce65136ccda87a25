//! The `pattern` of a text question: a regular expression the whole answer must match.

use std::fmt;

/// A text question's `pattern`, compiled once when the definition is parsed so that checking an
/// answer on every keystroke costs no compilation.
///
/// It matches like HTML's `pattern` attribute: the whole (trimmed) answer must match, as if the
/// pattern were written `^(?:pattern)$`. The syntax is that of the `regex-lite` crate, which
/// covers what survey authors write (classes, repetition, alternation, groups) but has no
/// Unicode classes (`\d` is `[0-9]`), and always matches in linear time, so no pattern can
/// hang a respondent's browser. tests/patterns.json is a corpus of patterns with answers they
/// accept and refuse; the widget's component tests run it through the browser's `RegExp` too and
/// keep a note on every entry where that engine reads it differently.
///
/// Two patterns are equal when they were written the same.
///
/// ```
/// let p = survey_model::Pattern::new("[A-Z]{2}[0-9]{4}").unwrap();
/// assert!(p.is_match("AB1234"));
/// assert!(!p.is_match("xAB1234"), "the whole answer must match");
/// assert_eq!(p.as_str(), "[A-Z]{2}[0-9]{4}");
/// ```
#[derive(Clone)]
pub struct Pattern {
    source: String,
    anchored: regex_lite::Regex,
}

/// Why a pattern could not be compiled (the regex engine's own words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError(String);

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PatternError {}

impl Pattern {
    /// Compiles a pattern as written in a definition.
    pub fn new(source: &str) -> Result<Pattern, PatternError> {
        // Compiled alone first: wrapped in `(?:…)`, an unbalanced pattern such as `a)|(b` would
        // become a valid but different expression instead of being refused.
        regex_lite::Regex::new(source).map_err(|e| PatternError(e.to_string()))?;
        let anchored =
            regex_lite::Regex::new(&format!("^(?:{source})$")).map_err(|e| PatternError(e.to_string()))?;
        Ok(Pattern { source: source.to_owned(), anchored })
    }

    /// Whether the whole of `text` matches.
    pub fn is_match(&self, text: &str) -> bool {
        self.anchored.is_match(text)
    }

    /// The pattern as written in the definition.
    pub fn as_str(&self) -> &str {
        &self.source
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_whole_text_only() {
        let p = Pattern::new("a|b").unwrap();
        assert!(p.is_match("a") && p.is_match("b"));
        assert!(!p.is_match("ab"), "alternation is grouped before anchoring");
        assert!(!p.is_match(""));
    }

    #[test]
    fn an_unbalanced_pattern_is_refused_even_though_wrapping_would_balance_it() {
        assert!(Pattern::new("a)|(b").is_err());
        assert!(Pattern::new("(").is_err());
        assert!(Pattern::new("[a-").is_err());
    }

    #[test]
    fn equality_is_by_source() {
        assert_eq!(Pattern::new("x+").unwrap(), Pattern::new("x+").unwrap());
        assert_ne!(Pattern::new("x+").unwrap(), Pattern::new("xx*").unwrap());
        assert_eq!(format!("{:?}", Pattern::new("x+").unwrap()), "Pattern(\"x+\")");
    }
}
