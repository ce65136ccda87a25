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

/// "Cymraeg (Welsh)" or "English": a known language by its own name, with the English one when
/// they differ; `None` for a tag not in [`KNOWN`].
pub fn name(tag: &str) -> Option<String> {
    let (_, own, english) = KNOWN.iter().find(|(t, _, _)| t.eq_ignore_ascii_case(tag))?;
    Some(if own == english { (*own).to_owned() } else { format!("{own} ({english})") })
}

/// A tag's name if known, else the tag itself.
pub fn label(tag: &str) -> String {
    name(tag).unwrap_or_else(|| tag.to_owned())
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
            assert!(survey_model::is_language_tag(tag), "{tag}");
            let n = name(tag).unwrap();
            assert!(n.starts_with(own) && n.contains(english), "{n}");
        }
        assert_eq!(label("xx"), "xx");
        assert_eq!(label("cy"), "Cymraeg (Welsh)");
        assert_eq!(label("en"), "English");
    }
}
