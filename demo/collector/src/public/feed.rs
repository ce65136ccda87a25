//! `/surveys.atom`: the surveys on `/surveys` as an Atom feed (RFC 4287), so a feed reader or a
//! newsletter tool hears of a new survey without anyone watching the page.
//!
//! An entry is new when its survey became public: the latest of when this collector first
//! loaded its current version, when it opens and, for a closed survey listed for its results,
//! when it closed. Every address is absolute, every text escaped,
//! and characters XML 1.0 cannot carry are dropped.

use super::{description, title, when};
use std::fmt::Write as _;
use survey_model::{Survey, Timestamp};

/// What the feed is served as.
pub const CONTENT_TYPE: &str = "application/atom+xml";

/// One survey in the feed.
pub struct Entry<'a> {
    survey: &'a Survey,
    /// When it became new (RFC 3339), and the same in seconds for ordering.
    updated: String,
    seconds: i64,
}

impl<'a> Entry<'a> {
    /// `first_loaded_at` is when the collector first loaded this version (RFC 3339), if known.
    /// A survey that has closed by `now` (listed for its results) is new again from its close,
    /// when its results became public.
    pub fn new(survey: &'a Survey, first_loaded_at: Option<&str>, now: i64) -> Entry<'a> {
        let seen = first_loaded_at.and_then(Timestamp::parse);
        let closed = survey.closes_at.as_ref().filter(|c| !c.is_after_unix(now));
        let newest = [seen.as_ref(), survey.opens_at.as_ref(), closed]
            .into_iter()
            .flatten()
            .max_by_key(|t| (t.unix_seconds(), t.subsec_nanos()));
        let (updated, seconds) = match newest {
            Some(t) => (t.as_str().to_owned(), t.unix_seconds()),
            // Only a version the database somehow lacks and that has no opening date: the feed
            // still needs a date, and the start of time sorts it last rather than first.
            None => ("1970-01-01T00:00:00Z".to_owned(), 0),
        };
        Entry { survey, updated, seconds }
    }
}

/// The whole feed at `now`: `base` is the collector's absolute address.
pub fn render(base: &str, mut entries: Vec<Entry<'_>>, now: i64) -> String {
    entries.sort_by(|a, b| b.seconds.cmp(&a.seconds).then_with(|| a.survey.id.cmp(&b.survey.id)));
    let updated = entries.first().map_or("1970-01-01T00:00:00Z", |e| e.updated.as_str());
    let base_text = xml(base);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n\
         <id>{base_text}/surveys.atom</id>\n<title>Surveys</title>\n\
         <subtitle>Surveys open for answers, and the results of closed ones.</subtitle>\n\
         <updated>{}</updated>\n\
         <link rel=\"self\" type=\"{CONTENT_TYPE}\" href=\"{base_text}/surveys.atom\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{base_text}/surveys\"/>\n\
         <author><name>{base_text}</name></author>\n",
        xml(updated),
    );
    for entry in &entries {
        let survey = entry.survey;
        let url = xml(&format!("{base}/s/{}", survey.id));
        let mut summary = description(survey).join("\n\n");
        if let Some(closes) = &survey.closes_at {
            let when = when::in_words(closes);
            let line = if closes.is_after_unix(now) {
                format!("Closes at {when}.")
            } else {
                format!("Closed at {when}; the results are published.")
            };
            if !summary.is_empty() {
                summary.push_str("\n\n");
            }
            summary.push_str(&line);
        }
        let _ = write!(
            out,
            "<entry xml:lang=\"{}\">\n<id>{url}</id>\n<title>{}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n\
             <updated>{}</updated>\n<summary>{}</summary>\n</entry>\n",
            xml(&survey.default_language),
            xml(title(survey)),
            xml(&entry.updated),
            xml(&summary),
        );
    }
    out.push_str("</feed>\n");
    out
}

/// Escapes text for XML content and attributes, dropping what XML 1.0 cannot contain at all
/// (control characters other than tab and line breaks, and the two non-characters U+FFFE/F).
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_drops_what_xml_cannot_carry() {
        assert_eq!(xml("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
        assert_eq!(xml("bell\u{7}\u{0}tab\tline\n\u{FFFF}"), "belltab\tline\n");
        assert_eq!(xml("Dywedwch wrthym — café"), "Dywedwch wrthym — café");
    }
}
