//! A JSON Schema of the definition format (format 1), for editors and for teams that check
//! definitions in their own pipelines (only with the `schema` feature).
//!
//! The schema is generated from the types below, which mirror the JSON format field by field;
//! they are never used to read a definition ([`Survey::parse`](crate::Survey::parse) does that,
//! and lists every problem by path). The schema describes the shape: fields, types, allowed
//! words and simple bounds. Rules that need the whole document (unique ids, conditions that
//! look only back, `max` not below `min`, `closes_at` after `opens_at`, a condition's value
//! fitting its question) are checked by `Survey::parse` and `survey-check` only.
//!
//! Unknown keys are where the schema is deliberately stricter than `Survey::parse`: the parser
//! ignores them with a warning, so that a widget cached from an older release still shows a
//! newer definition, while the schema marks them (`additionalProperties: false`), so that an
//! editor catches a typo such as `requried` as it is typed. An author writes against the schema
//! published beside the widget they deploy, so the keys it lists are the keys that widget knows.
//!
//! `widget/model/survey-definition.schema.json` is this schema, committed; a test keeps it
//! equal to [`definition_schema_json`], and `survey-schema` prints it.

// The mirror types are only ever described, never built.
#![allow(dead_code)]

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The schema of a survey definition, as JSON.
pub fn definition_schema() -> Value {
    let mut schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<Definition>()
        .to_value();
    if let Value::Object(root) = &mut schema {
        root.insert("$id".into(), Value::from(SCHEMA_ID));
    }
    sorted(schema)
}

/// The schema as the committed file has it: pretty-printed, keys sorted, ending in a newline.
pub fn definition_schema_json() -> String {
    // A `Value` always serializes; the fallback only keeps this free of panics.
    let mut s = serde_json::to_string_pretty(&definition_schema()).unwrap_or_default();
    s.push('\n');
    s
}

/// Where the schema says it lives: the name it is published under, next to the bundle.
const SCHEMA_ID: &str = "survey-definition.schema.json";

/// Keys in sorted order whatever `serde_json` features another crate turns on, so the output
/// is byte-for-byte the same in every build.
fn sorted(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(String, Value)> = m.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| match v {
                        // Doc comments wrap at 100 columns; a description is one paragraph.
                        Value::String(s) if k == "description" => (k, Value::String(unwrap_lines(&s))),
                        v => (k, sorted(v)),
                    })
                    .collect::<Map<_, _>>(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// Joins the lines of a paragraph, keeping blank lines between paragraphs.
fn unwrap_lines(s: &str) -> String {
    s.split("\n\n").map(|p| p.split('\n').map(str::trim).collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n\n")
}

/// Untagged enums come out as `anyOf`; where the forms cannot overlap, `oneOf` says so.
fn one_of(schema: &mut Schema) {
    if let Some(forms) = schema.remove("anyOf") {
        schema.insert("oneOf".into(), forms);
    }
}

const ID_PATTERN: &str = "^[a-z0-9_-]+$";
const LANGUAGE_PATTERN: &str = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$";
const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
const DATE_TIME_PATTERN: &str =
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$";
/// An http(s) URL, or a relative one: no other scheme before the first `/`, `?` or `#`.
const LINK_PATTERN: &str = "^([Hh][Tt][Tt][Pp][Ss]?:|[^:/?#]*([/?#]|$))";

/// Read by the survey widget (`<survey-widget src="…">`) and by its collector. Every text value
/// is a string, or a map of language tag to string. The widget ignores a key not listed here,
/// with a warning; this schema marks it, so that an editor catches a typo.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Survey definition, format 1")]
struct Definition {
    /// This schema, for editors.
    #[serde(rename = "$schema")]
    schema: Option<String>,
    format: FormatOne,
    /// The survey's id: responses name it.
    id: Id,
    /// Raise it whenever questions change: a response names the version it answered.
    #[schemars(range(min = 1))]
    version: Option<u32>,
    title: Text,
    description: Option<Text>,
    /// The language of plain-string texts and the fallback for maps (default "en").
    default_language: Option<LanguageTag>,
    /// Every language the survey is written in; must include `default_language`.
    #[schemars(extend("uniqueItems" = true))]
    languages: Option<Vec<LanguageTag>>,
    /// Nothing that identifies the respondent is sent or kept.
    anonymous: Option<bool>,
    privacy: Option<Privacy>,
    /// A page where the survey can be answered on its own.
    link: Option<Link>,
    /// Names of values the host page may pass in (`hidden-NAME` attributes).
    #[schemars(extend("uniqueItems" = true))]
    hidden_fields: Option<Vec<Id>>,
    /// Show an introduction page before the first question.
    start_page: Option<bool>,
    /// Show every answer for checking before sending.
    review: Option<bool>,
    /// Ask one question at a time.
    one_question_per_page: Option<bool>,
    /// When the survey starts taking answers.
    opens_at: Option<DateTime>,
    /// When it stops taking answers; must be after `opens_at`.
    closes_at: Option<DateTime>,
    /// Show the results publicly once the survey has closed.
    publish_results: Option<bool>,
    completion: Option<Completion>,
    #[schemars(length(min = 1))]
    pages: Vec<Page>,
}

/// The definition format: always 1.
struct FormatOne;

impl JsonSchema for FormatOne {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "Format".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "description": "The definition format: always 1.", "const": 1 })
    }
}

/// Only `true`.
struct True;

impl JsonSchema for True {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "True".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "const": true })
    }
}

/// Only `false`.
struct False;

impl JsonSchema for False {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "False".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "const": false })
    }
}

/// An id: a-z, 0-9, "_" and "-".
#[derive(JsonSchema)]
struct Id(#[schemars(length(min = 1, max = 64), pattern(ID_PATTERN))] String);

/// A language tag such as "en", "cy" or "pt-BR".
#[derive(JsonSchema)]
struct LanguageTag(#[schemars(pattern(LANGUAGE_PATTERN))] String);

/// A date written YYYY-MM-DD.
#[derive(JsonSchema)]
struct IsoDate(#[schemars(pattern(DATE_PATTERN), extend("format" = "date"))] String);

/// A date and time with its offset (RFC 3339), such as "2026-03-01T09:00:00Z" or
/// "2026-03-01T10:00:00+01:00".
#[derive(JsonSchema)]
struct DateTime(#[schemars(pattern(DATE_TIME_PATTERN), extend("format" = "date-time"))] String);

/// An http(s) or relative URL; never a script or data URL.
#[derive(JsonSchema)]
struct Link(#[schemars(length(min = 1), pattern(LINK_PATTERN))] String);

/// Plain text (never HTML; a blank line starts a new paragraph): the same words in every
/// language, or a map of language tag to words.
#[derive(JsonSchema)]
#[serde(untagged)]
#[schemars(transform = one_of)]
enum Text {
    Plain(String),
    Translated(
        #[schemars(extend("minProperties" = 1, "propertyNames" = { "pattern": LANGUAGE_PATTERN }))]
        BTreeMap<String, String>,
    ),
}

/// The privacy notice shown before answering.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
struct Privacy {
    notice: Text,
    url: Option<Link>,
}

/// What the respondent sees once their answers are delivered.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
struct Completion {
    title: Option<Text>,
    message: Option<Text>,
    share: Option<Share>,
}

/// A link respondents are invited to share.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
struct Share {
    url: Link,
    text: Option<Text>,
}

/// One page of questions.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
struct Page {
    id: Id,
    title: Option<Text>,
    /// The page is shown only when this holds; it may only test questions on earlier pages.
    visible_if: Option<Condition>,
    #[schemars(length(min = 1))]
    questions: Vec<Question>,
}

/// An option of a choice or ranking question, or a row or column of a matrix.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
struct ChoiceOption {
    /// What the payload says; unique within the list.
    #[schemars(length(min = 1, max = 200))]
    value: String,
    label: Text,
    hint: Option<Text>,
}

/// An option of a multiple choice question.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
struct MultipleChoiceOption {
    /// What the payload says; unique within the list.
    #[schemars(length(min = 1, max = 200))]
    value: String,
    label: Text,
    hint: Option<Text>,
    /// Ticking it clears every other option ("None of these"); shown last.
    exclusive: Option<bool>,
}

/// An extra option whose value is "other", with a text box for the detail.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
struct OtherOption {
    label: Text,
    detail_label: Option<Text>,
}

/// How a single choice is shown.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Display {
    Radios,
    Dropdown,
}

/// The kind of a text question's input, which decides the keyboard a phone shows and the check
/// applied.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Input {
    Text,
    Email,
    Tel,
    Number,
    Postcode,
    Url,
}

/// Declares the question types with the fields every type has.
macro_rules! question_types {
    ($( $(#[$vattr:meta])* $variant:ident { $( $(#[$fattr:meta])* $field:ident : $ty:ty ),* $(,)? } )*) => {
        /// A question; `type` decides which other fields it has.
        #[derive(JsonSchema)]
        #[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
        enum Question {
            $(
                $(#[$vattr])*
                $variant {
                    /// Unique in the survey: the key of the answer in the payload.
                    id: Id,
                    title: Text,
                    hint: Option<Text>,
                    /// Shown only when this holds; it may only test earlier questions.
                    visible_if: Option<Condition>,
                    $( $(#[$fattr])* $field: $ty, )*
                },
            )*
        }
    };
}

question_types! {
    /// One option (answer: its value).
    SingleChoice {
        required: Option<bool>,
        #[schemars(length(min = 1))]
        options: Vec<ChoiceOption>,
        other: Option<OtherOption>,
        /// Show the options in an order of their own for each respondent.
        shuffle: Option<bool>,
        display: Option<Display>,
    }
    /// Any number of options (answer: a list of values).
    MultipleChoice {
        required: Option<bool>,
        #[schemars(length(min = 1))]
        options: Vec<MultipleChoiceOption>,
        other: Option<OtherOption>,
        /// Show the options in an order of their own for each respondent (exclusive ones last).
        shuffle: Option<bool>,
        #[schemars(range(min = 1))]
        min_selected: Option<u32>,
        #[schemars(range(min = 1))]
        max_selected: Option<u32>,
    }
    /// One line of text, or a number (answer: a string, or a number for `input: number`).
    Text {
        required: Option<bool>,
        input: Option<Input>,
        /// The HTML `autocomplete` token, such as "postal-code".
        autocomplete: Option<String>,
        min_length: Option<u32>,
        #[schemars(range(min = 1))]
        max_length: Option<u32>,
        /// A regular expression the whole answer must match (not for `input: number`).
        pattern: Option<String>,
        /// What to say when the answer does not match `pattern`.
        pattern_message: Option<Text>,
        /// The smallest number allowed (`input: number` only).
        min: Option<f64>,
        /// The largest number allowed (`input: number` only).
        max: Option<f64>,
        /// Only whole numbers (`input: number` only).
        integer: Option<bool>,
    }
    /// Several lines of text (answer: a string).
    LongText {
        required: Option<bool>,
        /// Shown as a character count.
        #[schemars(range(min = 1))]
        max_length: Option<u32>,
        #[schemars(range(min = 1))]
        rows: Option<u32>,
    }
    /// A scale such as 1–5, or 0–10 for a net promoter score (answer: a whole number).
    Rating {
        required: Option<bool>,
        #[schemars(range(min = 0, max = 1))]
        min: Option<u8>,
        #[schemars(range(min = 2, max = 10))]
        max: Option<u8>,
        min_label: Option<Text>,
        max_label: Option<Text>,
    }
    /// One column for each row (answer: an object of row value to column value).
    Matrix {
        /// Required means every row.
        required: Option<bool>,
        #[schemars(length(min = 1))]
        rows: Vec<ChoiceOption>,
        #[schemars(length(min = 1))]
        columns: Vec<ChoiceOption>,
    }
    /// Every option in order of preference (answer: a list of values, most preferred first).
    Ranking {
        required: Option<bool>,
        #[schemars(length(min = 2))]
        options: Vec<ChoiceOption>,
    }
    /// A date as day, month and year fields (answer: "YYYY-MM-DD").
    Date {
        required: Option<bool>,
        min: Option<IsoDate>,
        max: Option<IsoDate>,
    }
    /// A box to tick (answer: true).
    Consent {
        required: Option<bool>,
        label: Text,
    }
    /// Text only: no answer, so it can be neither required nor tested by a condition.
    Statement {
        required: Option<False>,
    }
}

/// When a page or question is shown. One of the forms below; each tests a question before it.
#[derive(JsonSchema)]
#[serde(untagged, deny_unknown_fields)]
#[schemars(transform = one_of)]
enum Condition {
    /// The answer is this value (for a multiple choice, a list: exactly those options).
    Equals {
        question: Id,
        equals: Value,
    },
    /// The answer is anything but this value (no answer counts as different).
    NotEquals {
        question: Id,
        not_equals: Value,
    },
    /// A multiple choice or ranking answer includes this option value.
    Includes {
        question: Id,
        includes: String,
    },
    /// A number or rating is at least this, or at least this many options are ticked.
    AtLeast {
        question: Id,
        at_least: f64,
    },
    /// A number or rating is at most this, or at most this many options are ticked.
    AtMost {
        question: Id,
        at_most: f64,
    },
    /// The question is answered (for "not answered", put it in `not`).
    Answered {
        question: Id,
        answered: True,
    },
    /// Every condition holds.
    All {
        #[schemars(length(min = 1))]
        all: Vec<Condition>,
    },
    /// At least one condition holds.
    Any {
        #[schemars(length(min = 1))]
        any: Vec<Condition>,
    },
    /// The condition does not hold.
    Not { not: Box<Condition> },
}
