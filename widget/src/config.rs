//! Mount options: what a host gives the widget, parsed once into a typed value.

use crate::error::{Error, Result};
use crate::i18n::WordOverrides;
use serde::Deserialize;
use std::collections::BTreeMap;
use survey_model::Channel;

/// Where the definition comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A URL to fetch (the `src` attribute, or `survey: "…"` in the JS API).
    Url(String),
    /// Definition JSON text (an inline `<script type="application/json">`, or an object).
    Inline(String),
    /// A URL whose text the loader already fetched, at the same time as the WebAssembly, so
    /// the widget need not wait for the module before asking for it (widget/loader/index.mjs).
    Fetched { url: String, text: String },
}

/// How the widget is rendered into its host element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RenderMode {
    /// An open shadow root isolates styles both ways.
    #[default]
    Shadow,
    /// Rendered in the page's DOM, so browser autofill can see the fields.
    Light,
}

/// Everything a host decides about one widget.
#[derive(Debug, Clone, PartialEq)]
pub struct MountOptions {
    pub source: Source,
    pub endpoint: String,
    pub lang: Option<String>,
    pub anonymous: bool,
    pub hidden: BTreeMap<String, String>,
    pub heading_level: u8,
    pub render: RenderMode,
    /// URL of the widget's stylesheet (the loader derives it from its own URL).
    pub stylesheet: Option<String>,
    /// How long one POST may take before it counts as failed and is retried later.
    pub request_timeout_ms: u32,
    /// The host's replacements for the widget's own words.
    pub words: WordOverrides,
    /// Where this embed is (`website`, `newsletter`…), for reach counts and the payload.
    pub channel: Option<Channel>,
    /// Whether to send the aggregate reach events (`metrics="off"` stops them).
    pub metrics: bool,
    /// Where reach events go; by default `events` beside the endpoint (`/api/events` for
    /// `/api/responses`).
    pub events_url: Option<String>,
    /// A preview (the survey editor's): no drafts, no reach events, nothing sent.
    pub preview: bool,
}

/// The default POST timeout: long enough for a slow phone connection.
pub const DEFAULT_REQUEST_TIMEOUT_MS: u32 = 20_000;

/// The options as JSON from the loader or the JS API, before checking.
#[derive(Deserialize)]
struct RawOptions {
    survey_url: Option<String>,
    survey_json: Option<String>,
    /// The text at `survey_url`, when the loader has it already.
    survey_text: Option<String>,
    endpoint: Option<String>,
    lang: Option<String>,
    #[serde(default)]
    anonymous: Option<serde_json::Value>,
    #[serde(default)]
    hidden: BTreeMap<String, String>,
    heading_level: Option<serde_json::Value>,
    render: Option<String>,
    stylesheet: Option<String>,
    request_timeout: Option<serde_json::Value>,
    words: Option<serde_json::Value>,
    channel: Option<String>,
    metrics: Option<serde_json::Value>,
    events: Option<String>,
    #[serde(default)]
    preview: bool,
}

impl MountOptions {
    /// Parses options JSON, naming every problem.
    pub fn parse(json: &str) -> Result<MountOptions> {
        let raw: RawOptions =
            // from_slice: see `embed::peek_id`.
            serde_json::from_slice(json.as_bytes()).map_err(|e| Error::Options(vec![format!("options are not valid: {e}")]))?;
        let mut problems = Vec::new();
        let source = match (raw.survey_json, raw.survey_url) {
            (Some(text), _) => Some(Source::Inline(text)),
            (None, Some(url)) if !url.trim().is_empty() => Some(match raw.survey_text {
                Some(text) => Source::Fetched { url, text },
                None => Source::Url(url),
            }),
            _ => {
                problems.push("no survey: set the src attribute or put the definition in a <script type=\"application/json\"> inside the element".to_owned());
                None
            }
        };
        let endpoint = raw.endpoint.filter(|e| !e.trim().is_empty()).unwrap_or_else(|| {
            problems.push("no endpoint: set the endpoint attribute to the URL that receives answers".to_owned());
            String::new()
        });
        let (anonymous, slip) = anonymous(raw.anonymous.as_ref());
        let mut slips: Vec<String> = slip.into_iter().collect();
        let heading_level = match raw.heading_level {
            None | Some(serde_json::Value::Null) => 2,
            Some(v) => {
                let n = v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
                match n {
                    Some(n @ 1..=5) => n as u8,
                    _ => {
                        problems.push("heading-level must be a number from 1 to 5".to_owned());
                        2
                    }
                }
            }
        };
        let render = match raw.render.as_deref().map(str::trim) {
            None | Some("") | Some("shadow") => RenderMode::Shadow,
            Some("light") => RenderMode::Light,
            Some(other) => {
                problems.push(format!("render must be \"shadow\" or \"light\", not \"{other}\""));
                RenderMode::Shadow
            }
        };
        let request_timeout_ms = match raw.request_timeout {
            None | Some(serde_json::Value::Null) => DEFAULT_REQUEST_TIMEOUT_MS,
            Some(v) => {
                let n = v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
                match n {
                    Some(n @ 500..=120_000) => n as u32,
                    _ => {
                        problems.push("request-timeout must be a number of milliseconds from 500 to 120000".to_owned());
                        DEFAULT_REQUEST_TIMEOUT_MS
                    }
                }
            }
        };
        // A mistyped word override, or an odd value of `anonymous`, is the host's slip, not a
        // reason to withhold the survey: it is reported in the console.
        let words = match raw.words {
            None | Some(serde_json::Value::Null) => WordOverrides::default(),
            Some(v) => {
                let (words, word_slips) = WordOverrides::from_json(&v);
                slips.extend(word_slips);
                words
            }
        };
        let channel = raw.channel.as_deref().filter(|c| !c.trim().is_empty()).and_then(|c| {
            Channel::parse(c)
                .map_err(|why| slips.push(format!("channel=\"{c}\" is left out: a channel {why}")))
                .ok()
        });
        let (metrics, slip) = metrics(raw.metrics.as_ref());
        slips.extend(slip);
        #[cfg(target_arch = "wasm32")]
        for slip in &slips {
            web_sys::console::warn_1(&format!("survey-widget: {slip}").into());
        }
        #[cfg(not(target_arch = "wasm32"))]
        drop(slips);
        match source {
            Some(source) if problems.is_empty() => Ok(MountOptions {
                source,
                endpoint,
                lang: raw.lang.filter(|l| !l.trim().is_empty()),
                anonymous,
                hidden: raw.hidden,
                heading_level,
                render,
                stylesheet: raw.stylesheet,
                request_timeout_ms,
                words,
                channel,
                metrics,
                events_url: raw.events.filter(|e| !e.trim().is_empty()),
                preview: raw.preview,
            }),
            _ => Err(Error::Options(problems)),
        }
    }
}

/// Whether the host made the survey anonymous, and a slip to report when the value is not one
/// of those documented. Any value but `false` counts (the attribute present, `"1"`, `"yes"`, a
/// typo): a host who wrote the attribute meant privacy, and guessing wrong the other way would
/// identify respondents who were promised anonymity.
fn anonymous(value: Option<&serde_json::Value>) -> (bool, Option<String>) {
    use serde_json::Value;
    match value {
        None | Some(Value::Null) => (false, None),
        Some(Value::Bool(b)) => (*b, None),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "false" => (false, None),
            "" | "true" | "anonymous" => (true, None),
            _ => (true, Some(format!("anonymous=\"{s}\" is taken as anonymous; write anonymous, anonymous=\"true\" or anonymous=\"false\""))),
        },
        Some(other) => (true, Some(format!("anonymous: {other} is taken as anonymous; give true or false"))),
    }
}

/// Whether reach events are sent, and a slip to report for a value that is not `on` or `off`.
/// Anything but `off` (or `false`) leaves them on: they carry nothing about anyone, and a typo
/// should not silently blind the team's counts.
fn metrics(value: Option<&serde_json::Value>) -> (bool, Option<String>) {
    use serde_json::Value;
    match value {
        None | Some(Value::Null) => (true, None),
        Some(Value::Bool(b)) => (*b, None),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "off" | "false" => (false, None),
            "" | "on" | "true" => (true, None),
            _ => (true, Some(format!("metrics=\"{s}\" leaves reach counts on; write metrics=\"off\" to stop them"))),
        },
        Some(other) => (true, Some(format!("metrics: {other} leaves reach counts on; give \"on\" or \"off\""))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn attributes_become_typed_options() {
        let o = MountOptions::parse(
            r#"{"survey_url":"/s.json","endpoint":"/api","anonymous":"true","heading_level":"3","hidden":{"channel":"x"}}"#,
        )
        .expect("valid options");
        assert_eq!(o.source, Source::Url("/s.json".into()));
        assert!(o.anonymous);
        assert_eq!(o.heading_level, 3);
        assert_eq!(o.hidden.get("channel").map(String::as_str), Some("x"));
    }

    #[test]
    fn a_definition_the_loader_fetched_comes_with_its_url_and_inline_json_still_wins() {
        let fetched = MountOptions::parse(r#"{"survey_url":"/s.json","survey_text":"{}","endpoint":"/api"}"#).expect("valid");
        assert_eq!(fetched.source, Source::Fetched { url: "/s.json".into(), text: "{}".into() });
        let inline =
            MountOptions::parse(r#"{"survey_json":"[1]","survey_url":"/s.json","survey_text":"{}","endpoint":"/api"}"#).expect("valid");
        assert_eq!(inline.source, Source::Inline("[1]".into()));
    }

    #[test]
    fn any_anonymous_value_but_false_makes_the_survey_anonymous() {
        let anonymous = |value: &str| {
            MountOptions::parse(&format!(r#"{{"survey_url":"/s.json","endpoint":"/api","anonymous":{value}}}"#))
                .map(|o| o.anonymous)
                .map_err(|e| e.to_string())
        };
        for value in [r#""""#, r#""true""#, r#""anonymous""#, r#""True""#, r#"" TRUE ""#, r#""1""#, r#""yes""#, r#""on""#,
                      r#""no""#, "true", "1", "{}"] {
            assert_eq!(anonymous(value), Ok(true), "{value}");
        }
        for value in [r#""false""#, r#"" False ""#, "false", "null"] {
            assert_eq!(anonymous(value), Ok(false), "{value}");
        }
        // Only the documented values go unreported.
        let slip = |v: serde_json::Value| super::anonymous(Some(&v)).1.is_some();
        for known in [json!(""), json!(" TRUE "), json!("false"), json!("Anonymous"), json!(true), json!(false)] {
            assert!(!slip(known.clone()), "{known}");
        }
        for odd in [json!("yes"), json!("1"), json!("no"), json!(1), json!({})] {
            assert!(slip(odd.clone()), "{odd}");
        }
    }

    #[test]
    fn channel_and_metrics_are_read_and_a_bad_channel_is_left_out() {
        let parse = |extra: &str| {
            MountOptions::parse(&format!(r#"{{"survey_url":"/s.json","endpoint":"/api"{extra}}}"#)).expect("valid options")
        };
        let o = parse(r#","channel":" Newsletter ","metrics":"off","events":"https://c.example/api/events""#);
        assert_eq!(o.channel.as_ref().map(Channel::as_str), Some("newsletter"));
        assert!(!o.metrics);
        assert_eq!(o.events_url.as_deref(), Some("https://c.example/api/events"));
        let plain = parse("");
        assert_eq!((plain.channel, plain.metrics, plain.events_url), (None, true, None));
        assert_eq!(parse(r#","channel":"face book""#).channel, None);
        for on in [json!("on"), json!("ON"), json!(true), json!("")] {
            assert_eq!(super::metrics(Some(&on)), (true, None), "{on}");
        }
        assert_eq!(super::metrics(Some(&json!(false))), (false, None));
        assert!(super::metrics(Some(&json!("of"))).1.is_some(), "a typo is reported");
    }

    #[test]
    fn every_problem_is_named() {
        let Err(Error::Options(p)) = MountOptions::parse(r#"{"render":"flat","heading_level":9}"#) else {
            panic!("options without survey or endpoint must be refused")
        };
        assert_eq!(p.len(), 4, "{p:?}");
    }
}
