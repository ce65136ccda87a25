//! The response payload POSTed to the endpoint (docs/submission.md): built by the widget, parsed and
//! checked against its survey by the collector.

use crate::answer::{Answer, Answers};
use crate::channel::Channel;
use crate::dates::Timestamp;
use crate::error::{Error, Problem, Result};
use crate::parse::{field, is_id, type_name, Ctx, Obj};
use crate::validate::{answered_other, FieldError, FieldErrorKind, Visibility};
use crate::definition::Survey;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The payload's `format` value.
pub const PAYLOAD_FORMAT: &str = "survey-response/1";

/// Which survey, and which version of it, a response answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyRef {
    pub id: String,
    pub version: u32,
}

/// Where a non-anonymous response was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PayloadContext {
    #[serde(default)]
    pub page_url: String,
    #[serde(default)]
    pub referrer: String,
}

/// One submitted response, exactly as it is posted and stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payload {
    pub format: String,
    pub survey: SurveyRef,
    /// Made once per submission; the same on every retry (and the `Idempotency-Key`).
    pub submission_id: String,
    pub submitted_at: String,
    pub language: String,
    pub anonymous: bool,
    pub answers: BTreeMap<String, Value>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other_text: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hidden: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<PayloadContext>,
    /// Where the embed that sent it is (`website`, `newsletter`…), for results per channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
}

/// What the widget knows about a submission besides the answers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Envelope {
    pub submission_id: String,
    pub submitted_at: String,
    pub language: String,
    /// The host asked for anonymity; it can only make a survey stricter.
    pub anonymous: bool,
    pub hidden: BTreeMap<String, String>,
    pub context: Option<PayloadContext>,
    /// The embed's `channel` attribute, if it has one.
    pub channel: Option<Channel>,
}

impl Payload {
    /// Validates the answers and builds the payload; on failure, every question's problem.
    /// Anonymous (by the survey or by the host) means no `context`, whatever was passed in.
    pub fn build(survey: &Survey, answers: &Answers, envelope: Envelope) -> std::result::Result<Payload, Vec<FieldError>> {
        let (values, other_text) = survey.validate_all(answers)?;
        let anonymous = survey.anonymous || envelope.anonymous;
        // retain, not filter().collect(): the same map without compiling a sort for it.
        let mut hidden = envelope.hidden;
        hidden.retain(|k, _| survey.hidden_fields.contains(k));
        let channel = settle_channel(survey, envelope.channel, &mut hidden);
        Ok(Payload {
            format: PAYLOAD_FORMAT.to_owned(),
            survey: SurveyRef { id: survey.id.clone(), version: survey.version },
            submission_id: envelope.submission_id,
            submitted_at: envelope.submitted_at,
            language: envelope.language,
            anonymous,
            answers: values,
            other_text,
            hidden,
            context: if anonymous { None } else { envelope.context },
            channel,
        })
    }

    /// Parses a posted body and checks its envelope (shapes, format, id and time), listing every
    /// problem by path (`survey.version`, `hidden.channel`, …) so that a 422 tells the sender
    /// all that is wrong at once. Answers are only checked to be an object here; what each one
    /// must be depends on the survey, which [`Payload::validate`] knows.
    ///
    /// ```
    /// let e = survey_model::Payload::parse(br#"{"format": "survey-response/1", "anonymous": "yes"}"#).unwrap_err();
    /// let paths: Vec<_> = e.problems().iter().map(|p| p.path.as_str()).collect();
    /// assert!(paths.contains(&"anonymous") && paths.contains(&"survey") && paths.contains(&"answers"));
    /// ```
    pub fn parse(body: &[u8]) -> Result<Payload> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| Error::Payload(vec![Problem::new("", format!("is not a valid response: {e}"))]))?;
        let mut ctx = Ctx::default();
        match parse_payload(&mut ctx, &value) {
            Some(payload) if ctx.problems.is_empty() => Ok(payload),
            _ => {
                if ctx.problems.is_empty() {
                    ctx.err("", "is not a valid response");
                }
                Err(Error::Payload(ctx.problems))
            }
        }
    }

    /// Checks the payload against its survey with the same rules the widget applied: every
    /// type, option, bound, requirement and condition. Lists every problem.
    pub fn validate(&self, survey: &Survey) -> Result<()> {
        self.validated(survey).map(drop)
    }

    /// Checks the payload like [`Payload::validate`] and gives it back with its answers and
    /// "other" texts as the widget builds them ([`Payload::build`]): text trimmed, a postcode in
    /// its standard form, choices in the options' order, numbers as numbers. Bounds such as
    /// `max_length` are checked on exactly these values, so a server that stores them stores
    /// nothing longer than the survey allows. `hidden` and `context` are kept as they were sent.
    ///
    /// ```
    /// let survey = survey_model::Survey::parse(r#"{"format": 1, "id": "s", "title": "S", "pages": [{"id": "p",
    ///     "questions": [{"id": "name", "type": "text", "title": "Name", "max_length": 3}]}]}"#).unwrap();
    /// let sent = survey_model::Payload::parse(br#"{"format": "survey-response/1", "survey": {"id": "s", "version": 1},
    ///     "submission_id": "5f0c3a8e-2b1d-4c7a-9e2f-8d6b1a0c4e93", "submitted_at": "2026-11-22T10:00:00Z",
    ///     "language": "en", "anonymous": false, "answers": {"name": "   Ann   "}}"#).unwrap();
    /// assert_eq!(sent.validated(&survey).unwrap().answers["name"], "Ann");
    /// ```
    pub fn validated(&self, survey: &Survey) -> Result<Payload> {
        let mut problems = Vec::new();
        if self.survey.id != survey.id {
            problems.push(Problem::new("survey.id", format!("must be \"{}\"", survey.id)));
        }
        if self.survey.version != survey.version {
            problems.push(Problem::new(
                "survey.version",
                format!("is {}, but the survey is now version {}", self.survey.version, survey.version),
            ));
        }
        if !survey.languages.contains(&self.language) {
            problems.push(Problem::new("language", format!("must be one of {}", survey.languages.join(", "))));
        }
        if survey.anonymous && !self.anonymous {
            problems.push(Problem::new("anonymous", "must be true: this survey is anonymous"));
        }
        if (self.anonymous || survey.anonymous) && self.context.is_some() {
            problems.push(Problem::new("context", "must be left out of an anonymous response"));
        }
        for key in self.hidden.keys() {
            if !survey.hidden_fields.contains(key) {
                problems.push(Problem::new(format!("hidden.{key}"), "is not a hidden field of this survey"));
            }
        }
        let mut answers = Answers::default();
        for (id, v) in &self.answers {
            let path = format!("answers.{id}");
            match survey.question(id) {
                None => problems.push(Problem::new(path, FieldErrorKind::UnknownQuestion.to_string())),
                Some(q) => match Answer::from_payload(&q.kind, v) {
                    Ok(a) => {
                        answers.values.insert(id.clone(), a);
                    }
                    Err(what) => problems.push(Problem::new(path, what)),
                },
            }
        }
        for (id, text) in &self.other_text {
            let chose_other =
                survey.question(id).zip(self.answers.get(id)).is_some_and(|(q, v)| answered_other(q, v));
            if chose_other {
                answers.other_text.insert(id.clone(), text.clone());
            } else {
                problems.push(Problem::new(format!("other_text.{id}"), "is only for a question answered \"other\""));
            }
        }
        let vis = Visibility::compute(survey, &answers);
        for id in self.answers.keys() {
            if survey.question(id).is_some() && !vis.question(id) {
                problems.push(Problem::new(format!("answers.{id}"), FieldErrorKind::Hidden.to_string()));
            }
        }
        let normalised = match survey.validate_all(&answers) {
            Ok(maps) => Some(maps),
            Err(errors) => {
                for e in errors {
                    problems.push(Problem::new(format!("answers.{}", e.question), e.kind.to_string()));
                }
                None
            }
        };
        match normalised {
            Some((answers, other_text)) if problems.is_empty() => Ok(Payload { answers, other_text, ..self.clone() }),
            _ => Err(Error::Payload(problems)),
        }
    }
}

/// Reads every field, recording each problem; gives a payload only if every field could be read
/// (the caller still refuses it if anything was wrong).
fn parse_payload(ctx: &mut Ctx, value: &Value) -> Option<Payload> {
    let obj = ctx.object(value, "")?;
    ctx.known_keys(
        obj,
        "",
        &[
            "format", "survey", "submission_id", "submitted_at", "language", "anonymous", "answers",
            "other_text", "hidden", "context", "channel",
        ],
    );
    let format = ctx.req_string(obj, "format", "");
    if format.as_deref().is_some_and(|f| f != PAYLOAD_FORMAT) {
        ctx.err("format", format!("must be \"{PAYLOAD_FORMAT}\""));
    }
    let survey = ctx.required(obj, "survey", "").and_then(|v| {
        let o = ctx.object(v, "survey")?;
        ctx.known_keys(o, "survey", &["id", "version"]);
        let id = ctx.req_string(o, "id", "survey");
        if id.as_deref().is_some_and(|id| !is_id(id)) {
            ctx.err("survey.id", "must use only a-z, 0-9, \"_\" and \"-\"");
        }
        let version = ctx.required(o, "version", "survey").and_then(|v| {
            let n = v.as_u64().and_then(|n| u32::try_from(n).ok());
            if n.is_none() {
                ctx.err("survey.version", format!("must be a whole number from 0 to {}", u32::MAX));
            }
            n
        });
        Some(SurveyRef { id: id?, version: version? })
    });
    let submission_id = ctx.req_string(obj, "submission_id", "");
    if submission_id.as_deref().is_some_and(|s| !is_uuid(s)) {
        ctx.err("submission_id", "must be a UUID");
    }
    let submitted_at = ctx.req_string(obj, "submitted_at", "");
    if submitted_at.as_deref().is_some_and(|s| Timestamp::parse(s).is_none()) {
        ctx.err("submitted_at", "must be a time such as 2026-11-22T10:00:00Z");
    }
    let language = ctx.req_string(obj, "language", "");
    let anonymous = match ctx.required(obj, "anonymous", "") {
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => {
            ctx.err("anonymous", format!("must be true or false, not {}", type_name(other)));
            None
        }
        None => None,
    };
    let answers = ctx
        .required(obj, "answers", "")
        .and_then(|v| ctx.object(v, "answers"))
        .map(|m| {
            // Inserted, not collect()ed: collecting into a BTreeMap compiles a sort per call site.
            let mut answers = BTreeMap::new();
            for (k, v) in m {
                answers.insert(k.clone(), v.clone());
            }
            answers
        });
    let other_text = string_map(ctx, obj, "other_text");
    let hidden = string_map(ctx, obj, "hidden");
    let context = ctx.present(obj, "context").and_then(|v| {
        let o = ctx.object(v, "context")?;
        ctx.known_keys(o, "context", &["page_url", "referrer"]);
        let page_url = ctx.opt_string(o, "page_url", "context").unwrap_or_default();
        let referrer = ctx.opt_string(o, "referrer", "context").unwrap_or_default();
        Some(PayloadContext { page_url, referrer })
    });
    let channel = ctx.present(obj, "channel").and_then(|v| {
        let raw = ctx.string(v, "channel")?;
        Channel::parse(&raw).map_err(|why| ctx.err("channel", why)).ok()
    });
    if ctx.present(obj, "channel").is_some() && channel.is_none() {
        return None;
    }
    Some(Payload {
        format: format?,
        survey: survey?,
        submission_id: submission_id?,
        submitted_at: submitted_at?,
        language: language?,
        anonymous: anonymous?,
        answers: answers?,
        other_text: other_text?,
        hidden: hidden?,
        context,
        channel,
    })
}

/// One channel for a response, whichever way the host gave it. The embed's `channel`
/// attribute wins over a hidden field `channel`; when the survey declares that hidden field,
/// it carries the same value, so both places always agree. A hidden value that is not a
/// plain channel name stays a hidden value and gives no channel.
fn settle_channel(survey: &Survey, attribute: Option<Channel>, hidden: &mut BTreeMap<String, String>) -> Option<Channel> {
    let declared = survey.hidden_fields.iter().any(|f| f == "channel");
    match attribute {
        Some(channel) => {
            if declared {
                hidden.insert("channel".to_owned(), channel.as_str().to_owned());
            }
            Some(channel)
        }
        None => hidden.get("channel").and_then(|raw| Channel::parse(raw).ok()),
    }
}

/// An optional map of strings such as `hidden`; absent is empty.
fn string_map(ctx: &mut Ctx, obj: &Obj, key: &str) -> Option<BTreeMap<String, String>> {
    let Some(v) = ctx.present(obj, key) else { return Some(BTreeMap::new()) };
    let m = ctx.object(v, key)?;
    let mut out = BTreeMap::new();
    let mut ok = true;
    for (k, v) in m {
        match ctx.string(v, field(key, k)) {
            Some(s) => {
                out.insert(k.clone(), s);
            }
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// A UUID in its canonical 8-4-4-4-12 hexadecimal form.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey(hidden: &str) -> Survey {
        Survey::parse(&format!(
            r#"{{"format": 1, "id": "s", "title": "S", "hidden_fields": [{hidden}],
                "pages": [{{"id": "p", "questions": [{{"id": "a", "type": "text", "title": "A", "required": false}}]}}]}}"#
        ))
        .expect("a valid survey")
    }

    fn envelope(channel: Option<&str>, hidden: &[(&str, &str)]) -> Envelope {
        Envelope {
            submission_id: "5f0c3a8e-2b1d-4c7a-9e2f-8d6b1a0c4e93".into(),
            submitted_at: "2026-12-06T10:00:00Z".into(),
            language: "en".into(),
            channel: channel.map(|c| Channel::parse(c).expect("plain")),
            hidden: hidden.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            ..Envelope::default()
        }
    }

    fn build(s: &Survey, e: Envelope) -> Payload {
        Payload::build(s, &Answers::default(), e).expect("nothing is required")
    }

    #[test]
    fn the_attribute_wins_over_the_hidden_field_and_both_agree() {
        let p = build(&survey(r#""channel""#), envelope(Some("newsletter"), &[("channel", "facebook")]));
        assert_eq!(p.channel.as_ref().map(Channel::as_str), Some("newsletter"));
        assert_eq!(p.hidden.get("channel").map(String::as_str), Some("newsletter"));
    }

    #[test]
    fn a_hidden_field_alone_gives_the_channel() {
        let p = build(&survey(r#""channel""#), envelope(None, &[("channel", "Facebook")]));
        assert_eq!(p.channel.as_ref().map(Channel::as_str), Some("facebook"));
        let odd = build(&survey(r#""channel""#), envelope(None, &[("channel", "the parish mag")]));
        assert_eq!((odd.channel, odd.hidden.get("channel").map(String::as_str)), (None, Some("the parish mag")));
    }

    #[test]
    fn the_attribute_is_kept_even_when_the_survey_declares_no_hidden_field() {
        let p = build(&survey(""), envelope(Some("website"), &[]));
        assert_eq!(p.channel.as_ref().map(Channel::as_str), Some("website"));
        assert!(p.hidden.is_empty());
    }

    #[test]
    fn a_posted_channel_round_trips_and_a_bad_one_is_named() {
        let p = build(&survey(""), envelope(Some("website"), &[]));
        let json = serde_json::to_string(&p).expect("serialises");
        assert!(json.contains(r#""channel":"website""#), "{json}");
        assert_eq!(Payload::parse(json.as_bytes()).expect("parses").channel, p.channel);
        let bad = json.replace(r#""channel":"website""#, r#""channel":"web site""#);
        let Err(Error::Payload(problems)) = Payload::parse(bad.as_bytes()) else { panic!("refused") };
        assert_eq!(problems.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(), ["channel"]);
    }
}
