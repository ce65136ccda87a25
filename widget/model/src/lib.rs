//! The survey model: everything about a survey that does not need a browser.
//!
//! One model, two consumers. The widget uses it to render, validate and build the payload in the
//! browser; the collector uses the very same code to validate what arrives. Keeping it free of
//! `web-sys` means it is unit-tested natively with a plain `cargo test`.
//!
//! Design principles:
//! - Parse, don't validate: a definition or a payload from outside becomes a typed value through
//!   one `parse` that lists *every* problem by JSON path; the rest of the code trusts the type.
//! - Forward compatible definitions: a key this version does not know is ignored with a warning,
//!   never refused, so a widget cached before a new field existed still shows the survey.
//! - No panics on any input: a panic in Wasm with `panic = "abort"` would end every widget on the
//!   page.
//! - Words shown to respondents are not decided here: validation returns [`FieldErrorKind`]s and
//!   the widget chooses the words (and the language). [`std::fmt::Display`] gives plain English
//!   for the collector's 422 answers and for logs.
//!
//! Besides the library: `survey-check FILE...` checks definitions from the command line with
//! exactly these rules, and, with the `schema` feature, [`schema`] generates the JSON Schema of
//! the format (`survey-definition.schema.json`, printed by `survey-schema`). The feature is off
//! by default so the widget's Wasm never compiles schemars.

mod answer;
mod channel;
mod availability;
mod condition;
mod dates;
mod definition;
mod error;
mod parse;
mod pattern;
mod sorted;
mod payload;
mod reach;
#[cfg(feature = "schema")]
pub mod schema;
mod shuffle;
mod text;
mod validate;

pub use answer::{Answer, Answers, DateParts};
pub use channel::{Channel, CHANNEL_MAX_LEN};
pub use availability::{Availability, LATE_DELIVERY_SECONDS};
pub use condition::Condition;
pub use dates::Timestamp;
pub use definition::{
    ChoiceDisplay, ChoiceOption, Completion, InputKind, OtherOption, Page, Privacy, Question,
    QuestionKind, Share, Survey, FORMAT, QUESTION_KEYS, QUESTION_TYPES, type_keys,
};
pub use error::{Error, Problem, Result};
pub use parse::{is_id, is_language_tag};
pub use pattern::{Pattern, PatternError};
pub use payload::{is_uuid, Envelope, Payload, PayloadContext, SurveyRef, PAYLOAD_FORMAT};
pub use reach::{ReachEvent, ReachKind};
pub use text::Text;
pub use validate::{FieldError, FieldErrorKind, Visibility};
