//! The languages an author can add, named in their own words and in English.

/// Tag, name in the language itself, name in English. The languages of the UK's public bodies'
/// translated material first; any other tag can be typed.
pub const KNOWN: &[(&str, &str, &str)] = &[
    ("en", "English", "English"),
    ("cy", "Cymraeg", "Welsh"),
    ("gd", "Gàidhlig", "Scottish Gaelic"),
    ("ga", "Gaeilge", "Irish"),
    ("ar", "العربية", "Arabic"),
    ("bn", "বাংলা", "Bengali"),
    ("zh", "中文", "Chinese"),
    ("fr", "Français", "French"),
    ("gu", "ગુજરાતી", "Gujarati"),
    ("lt", "Lietuvių", "Lithuanian"),
    ("pl", "Polski", "Polish"),
    ("pt", "Português", "Portuguese"),
    ("pa", "ਪੰਜਾਬੀ", "Punjabi"),
    ("ro", "Română", "Romanian"),
    ("so", "Soomaali", "Somali"),
    ("es", "Español", "Spanish"),
    ("tr", "Türkçe", "Turkish"),
    ("uk", "Українська", "Ukrainian"),
    ("ur", "اردو", "Urdu"),
];

/// "Cymraeg (Welsh)", "English", or `None` for a tag not in [`KNOWN`].
pub fn name(tag: &str) -> Option<&'static str> {
    NAMES.iter().find(|(t, _)| t.eq_ignore_ascii_case(tag)).map(|(_, n)| *n)
}

const NAMES: &[(&str, &str)] = &[
    ("en", "English"),
    ("cy", "Cymraeg (Welsh)"),
    ("gd", "Gàidhlig (Scottish Gaelic)"),
    ("ga", "Gaeilge (Irish)"),
    ("ar", "العربية (Arabic)"),
    ("bn", "বাংলা (Bengali)"),
    ("zh", "中文 (Chinese)"),
    ("fr", "Français (French)"),
    ("gu", "ગુજરાતી (Gujarati)"),
    ("lt", "Lietuvių (Lithuanian)"),
    ("pl", "Polski (Polish)"),
    ("pt", "Português (Portuguese)"),
    ("pa", "ਪੰਜਾਬੀ (Punjabi)"),
    ("ro", "Română (Romanian)"),
    ("so", "Soomaali (Somali)"),
    ("es", "Español (Spanish)"),
    ("tr", "Türkçe (Turkish)"),
    ("uk", "Українська (Ukrainian)"),
    ("ur", "اردو (Urdu)"),
];

/// A tag's name if known, else the tag itself.
pub fn label(tag: &str) -> String {
    name(tag).map_or_else(|| tag.to_owned(), str::to_owned)
}

/// Whether `s` has the shape of a language tag, by the model's rule.
pub fn is_tag(s: &str) -> bool {
    survey_model::is_language_tag(s)
}

/// Whether a language is written right to left, so its inputs get `dir="rtl"`.
pub fn is_rtl(tag: &str) -> bool {
    matches!(tag.split('-').next().unwrap_or("").to_ascii_lowercase().as_str(), "ar" | "ur" | "fa" | "he" | "ps" | "yi")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_language_has_a_name_and_a_valid_tag() {
        for (tag, own, english) in KNOWN {
            assert!(is_tag(tag), "{tag}");
            let n = name(tag).unwrap();
            assert!(n.starts_with(own) && (n.contains(english) || *tag == "en"), "{n}");
        }
        assert_eq!(label("xx"), "xx");
        assert!(!is_tag("e") && !is_tag("english") && is_tag("en-GB"));
    }
}
