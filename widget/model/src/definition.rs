//! The survey definition (format 1) and its one parser.

use crate::condition::{self, Condition};
use crate::dates::{parse_iso_date, Timestamp};
use crate::error::{Error, Problem, Result};
use crate::parse::{field, index, is_id, is_language_tag, Ctx, Obj};
use crate::pattern::Pattern;
use crate::sorted;
use crate::text::Text;
use serde_json::Value;

/// The definition format this crate reads.
pub const FORMAT: i64 = 1;

/// A parsed, checked survey definition. Only [`Survey::parse`] makes one, so code holding a
/// `Survey` may trust that ids are unique, options are present and conditions only look back.
///
/// Keys the format does not (yet) have are ignored, so a definition written for a newer widget
/// still works in this one; [`Survey::parse_with_warnings`] says which keys were ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct Survey {
    pub id: String,
    pub version: u32,
    pub title: Text,
    pub description: Option<Text>,
    pub default_language: String,
    /// Every language the survey is written in; always contains `default_language`.
    pub languages: Vec<String>,
    pub anonymous: bool,
    pub privacy: Option<Privacy>,
    /// A page where the survey can be answered on its own.
    pub link: Option<String>,
    pub hidden_fields: Vec<String>,
    pub start_page: bool,
    pub review: bool,
    pub one_question_per_page: bool,
    /// When the survey starts taking answers.
    pub opens_at: Option<Timestamp>,
    /// When it stops taking answers; always after `opens_at`.
    pub closes_at: Option<Timestamp>,
    /// Whether the results may be shown publicly once the survey has closed.
    pub publish_results: bool,
    pub completion: Completion,
    pub pages: Vec<Page>,
}

/// The privacy notice shown before answering.
#[derive(Debug, Clone, PartialEq)]
pub struct Privacy {
    pub notice: Text,
    pub url: Option<String>,
}

/// What the respondent sees once their answers are delivered.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Completion {
    pub title: Option<Text>,
    pub message: Option<Text>,
    pub share: Option<Share>,
}

/// A link respondents are invited to share.
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    pub url: String,
    pub text: Option<Text>,
}

/// One page of questions.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub id: String,
    pub title: Option<Text>,
    pub visible_if: Option<Condition>,
    pub questions: Vec<Question>,
}

/// One question; what is particular to its type is in `kind`.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: String,
    pub title: Text,
    pub hint: Option<Text>,
    pub required: bool,
    pub visible_if: Option<Condition>,
    pub kind: QuestionKind,
}

/// An option of a choice or ranking question, or a row or column of a matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceOption {
    pub value: String,
    pub label: Text,
    pub hint: Option<Text>,
    /// Ticking it clears every other option ("None of these").
    pub exclusive: bool,
}

/// The "Somewhere else" option with its detail text box. Its value is always `"other"`.
#[derive(Debug, Clone, PartialEq)]
pub struct OtherOption {
    pub label: Text,
    pub detail_label: Option<Text>,
}

/// How a single choice is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChoiceDisplay {
    #[default]
    Radios,
    Dropdown,
}

/// The kind of a `text` question's input, which decides the keyboard a phone shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputKind {
    #[default]
    Text,
    Email,
    Tel,
    Number,
    Postcode,
    Url,
}

impl InputKind {
    /// The name used in definitions.
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Text => "text",
            InputKind::Email => "email",
            InputKind::Tel => "tel",
            InputKind::Number => "number",
            InputKind::Postcode => "postcode",
            InputKind::Url => "url",
        }
    }
}

/// What is particular to each question type.
#[derive(Debug, Clone, PartialEq)]
pub enum QuestionKind {
    SingleChoice {
        options: Vec<ChoiceOption>,
        other: Option<OtherOption>,
        shuffle: bool,
        display: ChoiceDisplay,
    },
    MultipleChoice {
        options: Vec<ChoiceOption>,
        other: Option<OtherOption>,
        shuffle: bool,
        min_selected: Option<u32>,
        max_selected: Option<u32>,
    },
    Text {
        input: InputKind,
        autocomplete: Option<String>,
        min_length: Option<u32>,
        max_length: Option<u32>,
        /// The whole answer must match this (like HTML's `pattern`); never on number inputs.
        pattern: Option<Pattern>,
        /// What to tell a respondent whose answer does not match `pattern`.
        pattern_message: Option<Text>,
        min: Option<f64>,
        max: Option<f64>,
        integer: bool,
    },
    LongText {
        max_length: Option<u32>,
        rows: Option<u32>,
    },
    Rating {
        min: i64,
        max: i64,
        min_label: Option<Text>,
        max_label: Option<Text>,
    },
    Matrix {
        rows: Vec<ChoiceOption>,
        columns: Vec<ChoiceOption>,
    },
    Ranking {
        options: Vec<ChoiceOption>,
    },
    Date {
        min: Option<String>,
        max: Option<String>,
    },
    Consent {
        label: Text,
    },
    Statement,
}

impl QuestionKind {
    /// The type's name in definitions.
    pub fn type_name(&self) -> &'static str {
        match self {
            QuestionKind::SingleChoice { .. } => "single_choice",
            QuestionKind::MultipleChoice { .. } => "multiple_choice",
            QuestionKind::Text { .. } => "text",
            QuestionKind::LongText { .. } => "long_text",
            QuestionKind::Rating { .. } => "rating",
            QuestionKind::Matrix { .. } => "matrix",
            QuestionKind::Ranking { .. } => "ranking",
            QuestionKind::Date { .. } => "date",
            QuestionKind::Consent { .. } => "consent",
            QuestionKind::Statement => "statement",
        }
    }

    /// Whether the question collects an answer (a statement does not).
    pub fn takes_answer(&self) -> bool {
        !matches!(self, QuestionKind::Statement)
    }

    /// Whether the question is a group of controls (fieldset and legend) rather than one field.
    pub fn is_group(&self) -> bool {
        matches!(
            self,
            QuestionKind::SingleChoice { display: ChoiceDisplay::Radios, .. }
                | QuestionKind::MultipleChoice { .. }
                | QuestionKind::Rating { .. }
                | QuestionKind::Matrix { .. }
                | QuestionKind::Ranking { .. }
                | QuestionKind::Date { .. }
                | QuestionKind::Consent { .. }
        )
    }
}

/// Every question type, each with the keys particular to it (besides [`QUESTION_KEYS`]), in
/// the order the format documents them. The parser ignores (with a warning) any other key; the
/// editor drops these when a question changes type.
pub const QUESTION_TYPES: &[(&str, &[&str])] = &[
    ("single_choice", &["options", "other", "shuffle", "display"]),
    ("multiple_choice", &["options", "other", "shuffle", "min_selected", "max_selected"]),
    (
        "text",
        &["input", "autocomplete", "min_length", "max_length", "pattern", "pattern_message", "min", "max", "integer"],
    ),
    ("long_text", &["max_length", "rows"]),
    ("rating", &["min", "max", "min_label", "max_label"]),
    ("matrix", &["rows", "columns"]),
    ("ranking", &["options"]),
    ("date", &["min", "max"]),
    ("consent", &["label"]),
    ("statement", &[]),
];

/// The keys every question may have, whatever its type.
pub const QUESTION_KEYS: &[&str] = &["id", "type", "title", "hint", "required", "visible_if"];

/// The keys particular to the question type `type_name`, or `None` if there is no such type.
pub fn type_keys(type_name: &str) -> Option<&'static [&'static str]> {
    QUESTION_TYPES.iter().find(|(t, _)| *t == type_name).map(|(_, keys)| *keys)
}

impl Survey {
    /// Parses a definition from JSON text, listing every problem by path. Keys it does not know
    /// are ignored without a word; [`Survey::parse_with_warnings`] lists them.
    ///
    /// ```
    /// let err = survey_model::Survey::parse(r#"{"format": 1, "id": "x", "pages": []}"#).unwrap_err();
    /// assert!(err.problems().iter().any(|p| p.path == "pages" && p.message == "must not be empty"));
    /// ```
    pub fn parse(json: &str) -> Result<Survey> {
        Self::parse_with_warnings(json).map(|(survey, _)| survey)
    }

    /// Parses a definition from JSON text, and lists the keys it ignored because it does not
    /// know them: a newer definition may add fields, and a widget cached from before must still
    /// show the survey. Each warning is `path: is not a known field; ignored`, which also
    /// catches a typo such as `requried`. A refused definition lists its problems only.
    ///
    /// ```
    /// let (survey, warnings) = survey_model::Survey::parse_with_warnings(r#"{
    ///     "format": 1, "id": "x", "title": "T", "colour": "teal",
    ///     "pages": [{"id": "p", "questions": [{"id": "q", "type": "text", "title": "Q"}]}]
    /// }"#).unwrap();
    /// assert_eq!(survey.id, "x");
    /// assert_eq!(warnings[0].to_string(), "colour: is not a known field; ignored");
    /// ```
    pub fn parse_with_warnings(json: &str) -> Result<(Survey, Vec<Problem>)> {
        // from_slice gives the same value and errors for a `str`, and keeps a single instance
        // of serde_json's reader in the widget's Wasm (`Payload::parse` reads bytes).
        let value: Value = serde_json::from_slice(json.as_bytes()).map_err(|e| {
            Error::Definition(vec![Problem::new("", format!("is not valid JSON: {e}"))])
        })?;
        read(&value)
    }

    /// Parses a definition that is already JSON, ignoring unknown keys like [`Survey::parse`].
    pub fn from_value(value: &Value) -> Result<Survey> {
        read(value).map(|(survey, _)| survey)
    }

    /// Every question, in order, with the index of its page.
    pub fn questions(&self) -> impl Iterator<Item = (usize, &Question)> {
        self.pages.iter().enumerate().flat_map(|(i, p)| p.questions.iter().map(move |q| (i, q)))
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.id == id)
    }

    /// The language to use for a requested tag: the tag if the survey has it (or its primary
    /// subtag, so `cy-GB` finds `cy`), else the survey's default.
    pub fn resolve_language(&self, requested: Option<&str>) -> &str {
        if let Some(req) = requested {
            let req = req.trim().to_ascii_lowercase();
            let primary = req.split('-').next().unwrap_or("");
            for l in &self.languages {
                if l.to_ascii_lowercase() == req {
                    return l;
                }
            }
            for l in &self.languages {
                if l.to_ascii_lowercase() == primary {
                    return l;
                }
            }
        }
        &self.default_language
    }
}

/// The survey and the warnings, or every problem.
fn read(value: &Value) -> Result<(Survey, Vec<Problem>)> {
    let mut ctx = Ctx::default();
    let survey = parse_survey(&mut ctx, value);
    match survey {
        Some(s) if ctx.problems.is_empty() => Ok((s, ctx.warnings)),
        _ => {
            if ctx.problems.is_empty() {
                ctx.err("", "is not a valid survey definition");
            }
            Err(Error::Definition(ctx.problems))
        }
    }
}

fn parse_survey(ctx: &mut Ctx, value: &Value) -> Option<Survey> {
    let obj = ctx.object(value, "")?;
    ctx.ignore_unknown_keys(
        obj,
        "",
        &[
            "$schema", "format", "id", "version", "title", "description", "default_language",
            "languages", "anonymous", "privacy", "link", "hidden_fields", "start_page", "review",
            "one_question_per_page", "opens_at", "closes_at", "publish_results", "completion", "pages",
        ],
    );
    if let Some(v) = ctx.required(obj, "format", "") {
        if v.as_i64() != Some(FORMAT) {
            ctx.err("format", format!("must be {FORMAT}: this widget reads format {FORMAT} definitions"));
        }
    }
    let id = ctx.req_string(obj, "id", "");
    if let Some(id) = &id {
        if !is_id(id) {
            ctx.err("id", "must use only a-z, 0-9, \"_\" and \"-\"");
        }
    }
    let version = match ctx.opt_integer(obj, "version", "") {
        None => 1,
        Some(v) => u32::try_from(v).ok().filter(|v| *v >= 1).unwrap_or_else(|| {
            ctx.err("version", "must be a whole number from 1 up");
            1
        }),
    };
    let title = ctx.req_text(obj, "title", "");
    let description = ctx.opt_text(obj, "description", "");
    let default_language = ctx.opt_string(obj, "default_language", "").unwrap_or_else(|| "en".into());
    if !is_language_tag(&default_language) {
        ctx.err("default_language", "must be a language tag such as \"en\"");
    }
    let mut languages = Vec::new();
    if let Some(v) = ctx.present(obj, "languages") {
        if let Some(items) = ctx.array(v, "languages") {
            for (i, item) in items.iter().enumerate() {
                let p = index("languages", i);
                if let Some(tag) = ctx.string(item, &p) {
                    if !is_language_tag(&tag) {
                        ctx.err(p, "must be a language tag such as \"cy\"");
                    } else if languages.contains(&tag) {
                        ctx.err(p, format!("repeats \"{tag}\""));
                    } else {
                        languages.push(tag);
                    }
                }
            }
        }
    }
    if languages.is_empty() {
        languages.push(default_language.clone());
    } else if !languages.contains(&default_language) {
        ctx.err("languages", format!("must include the default language \"{default_language}\""));
    }
    let anonymous = ctx.opt_bool(obj, "anonymous", "").unwrap_or(false);
    let privacy = ctx.present(obj, "privacy").and_then(|v| {
        let o = ctx.object(v, "privacy")?;
        ctx.ignore_unknown_keys(o, "privacy", &["notice", "url"]);
        let notice = ctx.req_text(o, "notice", "privacy");
        let url = url_field(ctx, o, "url", "privacy");
        Some(Privacy { notice: notice?, url })
    });
    let link = url_field(ctx, obj, "link", "");
    let mut hidden_fields = Vec::new();
    if let Some(v) = ctx.present(obj, "hidden_fields") {
        if let Some(items) = ctx.array(v, "hidden_fields") {
            for (i, item) in items.iter().enumerate() {
                let p = index("hidden_fields", i);
                if let Some(name) = ctx.string(item, &p) {
                    if !is_id(&name) {
                        ctx.err(p, "must use only a-z, 0-9, \"_\" and \"-\"");
                    } else if hidden_fields.contains(&name) {
                        ctx.err(p, format!("repeats \"{name}\""));
                    } else {
                        hidden_fields.push(name);
                    }
                }
            }
        }
    }
    let start_page = ctx.opt_bool(obj, "start_page", "").unwrap_or(false);
    let review = ctx.opt_bool(obj, "review", "").unwrap_or(false);
    let one_question_per_page = ctx.opt_bool(obj, "one_question_per_page", "").unwrap_or(false);
    let opens_at = timestamp_field(ctx, obj, "opens_at");
    let closes_at = timestamp_field(ctx, obj, "closes_at");
    if let (Some(opens), Some(closes)) = (&opens_at, &closes_at) {
        if !closes.is_after(opens) {
            ctx.err("closes_at", "must be after opens_at");
        }
    }
    let publish_results = ctx.opt_bool(obj, "publish_results", "").unwrap_or(false);
    let completion = ctx
        .present(obj, "completion")
        .and_then(|v| {
            let o = ctx.object(v, "completion")?;
            ctx.ignore_unknown_keys(o, "completion", &["title", "message", "share"]);
            let share = ctx.present(o, "share").and_then(|v| {
                let s = ctx.object(v, "completion.share")?;
                ctx.ignore_unknown_keys(s, "completion.share", &["url", "text"]);
                let url = url_field(ctx, s, "url", "completion.share");
                if url.is_none() && ctx.present(s, "url").is_none() {
                    ctx.err("completion.share.url", "is required");
                }
                Some(Share { url: url?, text: ctx.opt_text(s, "text", "completion.share") })
            });
            Some(Completion {
                title: ctx.opt_text(o, "title", "completion"),
                message: ctx.opt_text(o, "message", "completion"),
                share,
            })
        })
        .unwrap_or_default();

    let mut pages = Vec::new();
    let mut raw_conditions: Vec<(String, &Value, Scope)> = Vec::new();
    if let Some(v) = ctx.required(obj, "pages", "") {
        if let Some(items) = ctx.array(v, "pages") {
            if items.is_empty() {
                ctx.err("pages", "must not be empty");
            }
            for (i, item) in items.iter().enumerate() {
                if let Some(page) = parse_page(ctx, item, i, &mut raw_conditions) {
                    pages.push(page);
                }
            }
        }
    }

    check_unique_ids(ctx, value);
    attach_conditions(ctx, value, &mut pages, &raw_conditions);

    Some(Survey {
        id: id?,
        version,
        title: title?,
        description,
        default_language,
        languages,
        anonymous,
        privacy,
        link,
        hidden_fields,
        start_page,
        review,
        one_question_per_page,
        opens_at,
        closes_at,
        publish_results,
        completion,
        pages,
    })
}

/// Where a condition sits: it may only look at questions before this point.
#[derive(Clone, Copy)]
enum Scope {
    Page { page: usize },
    Question { page: usize, question: usize },
}

/// A top-level date and time such as `opens_at`.
fn timestamp_field(ctx: &mut Ctx, obj: &Obj, key: &str) -> Option<Timestamp> {
    let text = ctx.opt_string(obj, key, "")?;
    let t = Timestamp::parse(&text);
    if t.is_none() {
        ctx.err(key, "must be a date and time such as 2026-03-01T09:00:00Z or 2026-03-01T10:00:00+01:00");
    }
    t
}

fn url_field(ctx: &mut Ctx, obj: &Obj, key: &str, path: &str) -> Option<String> {
    let url = ctx.opt_string(obj, key, path)?;
    if url.trim().is_empty() {
        ctx.err(field(path, key), "must not be empty");
        return None;
    }
    if !is_safe_link(&url) {
        ctx.err(field(path, key), "must be an http(s) or relative URL");
        return None;
    }
    Some(url)
}

/// An http(s) URL, or a relative one (it resolves against the host page); never a script or
/// data URL. Browsers drop tabs and newlines anywhere in a URL and control characters at its
/// ends, so `"java\tscript:"` is still a script URL: control characters are refused outright.
fn is_safe_link(url: &str) -> bool {
    if url.chars().any(char::is_control) {
        return false;
    }
    let url = url.trim();
    match url.find([':', '/', '?', '#']) {
        Some(i) if url[i..].starts_with(':') => {
            let scheme = url[..i].to_ascii_lowercase();
            scheme == "http" || scheme == "https"
        }
        _ => true,
    }
}

fn parse_page<'v>(
    ctx: &mut Ctx,
    value: &'v Value,
    i: usize,
    conditions: &mut Vec<(String, &'v Value, Scope)>,
) -> Option<Page> {
    let path = index("pages", i);
    let obj = ctx.object(value, &path)?;
    ctx.ignore_unknown_keys(obj, &path, &["id", "title", "visible_if", "questions"]);
    let id = ctx.req_string(obj, "id", &path);
    if let Some(id) = &id {
        if !is_id(id) {
            ctx.err(field(&path, "id"), "must use only a-z, 0-9, \"_\" and \"-\"");
        }
    }
    let title = ctx.opt_text(obj, "title", &path);
    if let Some(c) = ctx.present(obj, "visible_if") {
        conditions.push((field(&path, "visible_if"), c, Scope::Page { page: i }));
    }
    let mut questions = Vec::new();
    if let Some(v) = ctx.required(obj, "questions", &path) {
        let qpath = field(&path, "questions");
        if let Some(items) = ctx.array(v, &qpath) {
            if items.is_empty() {
                ctx.err(&qpath, "must not be empty");
            }
            for (j, item) in items.iter().enumerate() {
                let p = index(&qpath, j);
                if let Some(o) = item.as_object() {
                    if let Some(c) = o.get("visible_if").filter(|c| !c.is_null()) {
                        conditions.push((
                            field(&p, "visible_if"),
                            c,
                            Scope::Question { page: i, question: j },
                        ));
                    }
                }
                if let Some(q) = parse_question(ctx, item, &p) {
                    questions.push(q);
                }
            }
        }
    }
    Some(Page { id: id?, title, visible_if: None, questions })
}

fn parse_question(ctx: &mut Ctx, value: &Value, path: &str) -> Option<Question> {
    let obj = ctx.object(value, path)?;
    let id = ctx.req_string(obj, "id", path);
    if let Some(id) = &id {
        if !is_id(id) {
            ctx.err(field(path, "id"), "must use only a-z, 0-9, \"_\" and \"-\"");
        }
    }
    let ty = ctx.req_string(obj, "type", path);
    let title = ctx.req_text(obj, "title", path);
    let hint = ctx.opt_text(obj, "hint", path);
    let required = ctx.opt_bool(obj, "required", path).unwrap_or(false);
    let ty = ty?;
    let kind: Option<QuestionKind> = match ty.as_str() {
        "single_choice" => {
            let display = match ctx.opt_string(obj, "display", path).as_deref() {
                None | Some("radios") => ChoiceDisplay::Radios,
                Some("dropdown") => ChoiceDisplay::Dropdown,
                Some(_) => {
                    ctx.err(field(path, "display"), "must be \"radios\" or \"dropdown\"");
                    ChoiceDisplay::Radios
                }
            };
            let options = options(ctx, obj, "options", path, true);
            let other = other(ctx, obj, path, &options);
            let shuffle = ctx.opt_bool(obj, "shuffle", path).unwrap_or(false);
            Some(QuestionKind::SingleChoice { options, other, shuffle, display })
        }
        "multiple_choice" => {
            let options = options(ctx, obj, "options", path, true);
            let other = other(ctx, obj, path, &options);
            let shuffle = ctx.opt_bool(obj, "shuffle", path).unwrap_or(false);
            let min_selected = ctx.opt_count(obj, "min_selected", path, 1);
            let max_selected = ctx.opt_count(obj, "max_selected", path, 1);
            let choices = options.len() + usize::from(other.is_some());
            if let Some(max) = max_selected {
                if max as usize > choices && !options.is_empty() {
                    ctx.err(field(path, "max_selected"), format!("is more than the {choices} options"));
                }
            }
            if let Some(min) = min_selected {
                if min as usize > choices && !options.is_empty() {
                    ctx.err(field(path, "min_selected"), format!("is more than the {choices} options"));
                }
                if max_selected.is_some_and(|max| max < min) {
                    ctx.err(field(path, "max_selected"), "must not be less than min_selected");
                }
            }
            Some(QuestionKind::MultipleChoice { options, other, shuffle, min_selected, max_selected })
        }
        "text" => {
            let input = match ctx.opt_string(obj, "input", path).as_deref() {
                None | Some("text") => InputKind::Text,
                Some("email") => InputKind::Email,
                Some("tel") => InputKind::Tel,
                Some("number") => InputKind::Number,
                Some("postcode") => InputKind::Postcode,
                Some("url") => InputKind::Url,
                Some(_) => {
                    ctx.err(
                        field(path, "input"),
                        "must be one of text, email, tel, number, postcode, url",
                    );
                    InputKind::Text
                }
            };
            let autocomplete = ctx.opt_string(obj, "autocomplete", path);
            let min_length = ctx.opt_count(obj, "min_length", path, 0);
            let max_length = ctx.opt_count(obj, "max_length", path, 1);
            if let (Some(lo), Some(hi)) = (min_length, max_length) {
                if hi < lo {
                    ctx.err(field(path, "max_length"), "must not be less than min_length");
                }
            }
            let pattern = ctx.opt_string(obj, "pattern", path).and_then(|source| {
                let ppath = field(path, "pattern");
                if input == InputKind::Number {
                    // HTML ignores `pattern` on number inputs; a rule that is silently not
                    // applied would mislead the author.
                    ctx.err(ppath, "does not apply when input is \"number\" (use min, max and integer)");
                    return None;
                }
                match Pattern::new(&source) {
                    Ok(p) => Some(p),
                    Err(e) => {
                        ctx.err(ppath, format!("is not a valid regular expression: {e}"));
                        None
                    }
                }
            });
            let pattern_message = ctx.opt_text(obj, "pattern_message", path);
            if pattern_message.is_some() && ctx.present(obj, "pattern").is_none() {
                ctx.err(field(path, "pattern_message"), "only applies with a pattern");
            }
            let min = ctx.opt_number(obj, "min", path);
            let max = ctx.opt_number(obj, "max", path);
            let integer = ctx.opt_bool(obj, "integer", path).unwrap_or(false);
            if input != InputKind::Number {
                for key in ["min", "max", "integer"] {
                    if ctx.present(obj, key).is_some() {
                        ctx.err(field(path, key), "only applies when input is \"number\"");
                    }
                }
            }
            if let (Some(lo), Some(hi)) = (min, max) {
                if hi < lo {
                    ctx.err(field(path, "max"), "must not be less than min");
                }
            }
            Some(QuestionKind::Text {
                    input,
                    autocomplete,
                    min_length,
                    max_length,
                    pattern,
                    pattern_message,
                    min,
                    max,
                    integer,
                })
        }
        "long_text" => {
            let max_length = ctx.opt_count(obj, "max_length", path, 1);
            let rows = ctx.opt_count(obj, "rows", path, 1);
            Some(QuestionKind::LongText { max_length, rows })
        }
        "rating" => {
            let min = ctx.opt_integer(obj, "min", path).unwrap_or(1);
            let max = ctx.opt_integer(obj, "max", path).unwrap_or(5);
            if !(0..=1).contains(&min) {
                ctx.err(field(path, "min"), "must be 0 or 1");
            }
            if !(2..=10).contains(&max) || max <= min {
                ctx.err(field(path, "max"), "must be from 2 to 10 and more than min");
            }
            let min_label = ctx.opt_text(obj, "min_label", path);
            let max_label = ctx.opt_text(obj, "max_label", path);
            Some(QuestionKind::Rating { min, max, min_label, max_label })
        }
        "matrix" => {
            let rows = options(ctx, obj, "rows", path, false);
            let columns = options(ctx, obj, "columns", path, false);
            Some(QuestionKind::Matrix { rows, columns })
        }
        "ranking" => {
            let options = options(ctx, obj, "options", path, false);
            if options.len() == 1 {
                ctx.err(field(path, "options"), "must have at least two options to rank");
            }
            Some(QuestionKind::Ranking { options })
        }
        "date" => {
            let min = date_field(ctx, obj, "min", path);
            let max = date_field(ctx, obj, "max", path);
            if let (Some(lo), Some(hi)) = (&min, &max) {
                if hi < lo {
                    ctx.err(field(path, "max"), "must not be before min");
                }
            }
            Some(QuestionKind::Date { min, max })
        }
        "consent" => {
            let label = ctx.req_text(obj, "label", path);
            label.map(|label| QuestionKind::Consent { label })
        }
        "statement" => {
            if required {
                ctx.err(field(path, "required"), "does not apply to a statement");
            }
            Some(QuestionKind::Statement)
        }
        other => {
            ctx.err(
                field(path, "type"),
                format!(
                    "\"{other}\" is not a question type; use one of {}",
                    QUESTION_TYPES.iter().map(|(t, _)| *t).collect::<Vec<_>>().join(", ")
                ),
            );
            return None;
        }
    };
    let extra = type_keys(&ty).unwrap_or_default();
    let allowed: Vec<&str> = QUESTION_KEYS.iter().chain(extra.iter()).copied().collect();
    ctx.ignore_unknown_keys(obj, path, &allowed);
    Some(Question { id: id?, title: title?, hint, required, visible_if: None, kind: kind? })
}

fn date_field(ctx: &mut Ctx, obj: &Obj, key: &str, path: &str) -> Option<String> {
    let s = ctx.opt_string(obj, key, path)?;
    if parse_iso_date(&s).is_none() {
        ctx.err(field(path, key), "must be a date written YYYY-MM-DD");
        return None;
    }
    Some(s)
}

/// A list of options (or matrix rows/columns): required, non-empty, unique values.
fn options(ctx: &mut Ctx, obj: &Obj, key: &str, path: &str, allow_exclusive: bool) -> Vec<ChoiceOption> {
    let mut out: Vec<ChoiceOption> = Vec::new();
    let opath = field(path, key);
    let Some(v) = ctx.required(obj, key, path) else { return out };
    let Some(items) = ctx.array(v, &opath) else { return out };
    if items.is_empty() {
        ctx.err(&opath, "must not be empty");
    }
    for (i, item) in items.iter().enumerate() {
        let p = index(&opath, i);
        let Some(o) = ctx.object(item, &p) else { continue };
        let allowed: &[&str] =
            if allow_exclusive { &["value", "label", "hint", "exclusive"] } else { &["value", "label", "hint"] };
        ctx.ignore_unknown_keys(o, &p, allowed);
        let value = ctx.req_string(o, "value", &p);
        let label = ctx.req_text(o, "label", &p);
        let hint = ctx.opt_text(o, "hint", &p);
        let exclusive = if allow_exclusive { ctx.opt_bool(o, "exclusive", &p).unwrap_or(false) } else { false };
        if let Some(value) = &value {
            if value.trim().is_empty() || value.len() > 200 {
                ctx.err(field(&p, "value"), "must be between 1 and 200 characters");
            } else if out.iter().any(|x| &x.value == value) {
                ctx.err(field(&p, "value"), format!("repeats \"{value}\""));
            }
        }
        if let (Some(value), Some(label)) = (value, label) {
            out.push(ChoiceOption { value, label, hint, exclusive });
        }
    }
    out
}

fn other(ctx: &mut Ctx, obj: &Obj, path: &str, options: &[ChoiceOption]) -> Option<OtherOption> {
    let v = ctx.present(obj, "other")?;
    let p = field(path, "other");
    let o = ctx.object(v, &p)?;
    ctx.ignore_unknown_keys(o, &p, &["label", "detail_label"]);
    if options.iter().any(|x| x.value == "other") {
        ctx.err(&p, "cannot be used with an option whose value is \"other\"");
    }
    let label = ctx.req_text(o, "label", &p)?;
    Some(OtherOption { label, detail_label: ctx.opt_text(o, "detail_label", &p) })
}

fn check_unique_ids(ctx: &mut Ctx, root: &Value) {
    // Paths are rebuilt from the raw JSON so they stay right even if an earlier page failed.
    let mut page_ids = Vec::new();
    let mut question_ids = Vec::new();
    let Some(raw_pages) = root.get("pages").and_then(Value::as_array) else { return };
    for (i, page) in raw_pages.iter().enumerate() {
        if let Some(id) = page.get("id").and_then(Value::as_str) {
            if !sorted::insert(&mut page_ids, id) {
                ctx.err(field(&index("pages", i), "id"), format!("repeats the page id \"{id}\""));
            }
        }
        let Some(qs) = page.get("questions").and_then(Value::as_array) else { continue };
        for (j, q) in qs.iter().enumerate() {
            if let Some(id) = q.get("id").and_then(Value::as_str) {
                if !sorted::insert(&mut question_ids, id) {
                    let p = field(&index(&field(&index("pages", i), "questions"), j), "id");
                    ctx.err(p, format!("repeats the question id \"{id}\""));
                }
            }
        }
    }
}

/// Parses every condition now that all questions are known, and attaches it to its page or
/// question. A condition may only look at questions before it: on an earlier page for a page's
/// condition, or earlier in the survey for a question's.
///
/// Positions come from the raw JSON, so conditions are checked (and their problems listed) even
/// when other parts of the definition are wrong. A condition on a question that exists but could
/// not be read is checked only as far as that allows: the question's own problem says the rest.
fn attach_conditions(ctx: &mut Ctx, root: &Value, pages: &mut [Page], raw: &[(String, &Value, Scope)]) {
    // Maps of ids kept as sorted `Vec`s (see `sorted`): HashMaps of these types would cost the
    // widget's Wasm two more copies of hashbrown's code.
    let mut position: Vec<(&str, (usize, usize))> = Vec::new();
    let raw_pages = root.get("pages").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    for (i, page) in raw_pages.iter().enumerate() {
        let qs = page.get("questions").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        for (j, q) in qs.iter().enumerate() {
            if let Some(id) = q.get("id").and_then(Value::as_str) {
                sorted::insert_first(&mut position, id, (i, j));
            }
        }
    }
    let mut parsed_questions: Vec<(&str, &Question)> = Vec::new();
    for q in pages.iter().flat_map(|p| &p.questions) {
        sorted::insert_first(&mut parsed_questions, q.id.as_str(), q);
    }
    let mut parsed = Vec::new();
    for (path, value, scope) in raw {
        let lookup = |id: &str| -> condition::Lookup<'_> {
            let Some(&(pi, qj)) = sorted::get(&position, &id) else { return Err("is not a question of this survey") };
            let earlier = match *scope {
                Scope::Page { page } => pi < page,
                Scope::Question { page, question } => (pi, qj) < (page, question),
            };
            if !earlier {
                return Err(match scope {
                    Scope::Page { .. } => "must be a question on an earlier page",
                    Scope::Question { .. } => "must be a question that comes before this one",
                });
            }
            let Some(q) = sorted::get(&parsed_questions, &id) else { return Ok(None) };
            if !q.kind.takes_answer() {
                return Err("is a statement, which has no answer");
            }
            Ok(Some(q))
        };
        if let Some(c) = condition::parse(ctx, value, path, &lookup) {
            parsed.push((c, *scope));
        }
    }
    // Scopes index the raw JSON; they match the parsed pages only when nothing was dropped, and
    // a definition with problems is refused anyway.
    if !ctx.problems.is_empty() {
        return;
    }
    for (c, scope) in parsed {
        match scope {
            Scope::Page { page } => pages[page].visible_if = Some(c),
            Scope::Question { page, question } => pages[page].questions[question].visible_if = Some(c),
        }
    }
}
