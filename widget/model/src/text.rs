//! Translatable plain text: a string, or a map of language tag to string.

use std::collections::BTreeMap;

/// A text value of the definition. Plain text, never HTML; a blank line starts a new paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// The same words in every language.
    Plain(String),
    /// Words per language tag (`en`, `cy`, …).
    Translated(BTreeMap<String, String>),
}

impl Text {
    /// The words for `lang`, else for `fallback` (the survey's default language), else any.
    ///
    /// ```
    /// use survey_model::Text;
    /// let t = Text::Translated([("en".into(), "Yes".into()), ("cy".into(), "Ie".into())].into());
    /// assert_eq!(t.get("cy", "en"), "Ie");
    /// assert_eq!(t.get("fr", "en"), "Yes");
    /// ```
    pub fn get<'a>(&'a self, lang: &str, fallback: &str) -> &'a str {
        match self {
            Text::Plain(s) => s,
            Text::Translated(map) => map
                .get(lang)
                .or_else(|| map.get(fallback))
                .or_else(|| map.values().next())
                .map_or("", String::as_str),
        }
    }

    /// The paragraphs of the text for `lang`: split on blank lines, trimmed, empty ones dropped.
    pub fn paragraphs<'a>(&'a self, lang: &str, fallback: &str) -> Vec<&'a str> {
        split_paragraphs(self.get(lang, fallback))
    }
}

/// Splits plain text into paragraphs at blank lines.
pub(crate) fn split_paragraphs(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    let mut blank_run = false;
    for line in s.split_inclusive('\n') {
        if line.trim().is_empty() {
            if !blank_run {
                let para = s[start..offset].trim();
                if !para.is_empty() {
                    out.push(para);
                }
            }
            blank_run = true;
            start = offset + line.len();
        } else {
            blank_run = false;
        }
        offset += line.len();
    }
    let para = s[start..].trim();
    if !para.is_empty() {
        out.push(para);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_on_blank_lines() {
        let t = Text::Plain("One\nline two\n\n  \nThree\n\n".into());
        assert_eq!(t.paragraphs("en", "en"), vec!["One\nline two", "Three"]);
        assert!(Text::Plain("  ".into()).paragraphs("en", "en").is_empty());
    }

    #[test]
    fn translated_falls_back_to_default_then_any() {
        let t = Text::Translated([("cy".to_string(), "Ie".to_string())].into());
        assert_eq!(t.get("en", "fr"), "Ie");
    }
}
