//! Validation of answers and visibility of pages and questions. The widget and the collector run
//! exactly this code, so the two can never disagree about what a valid response is.

use crate::answer::{Answer, Answers};
use crate::dates::is_real_date;
use crate::definition::{InputKind, Question, QuestionKind, Survey};
use crate::sorted;
use serde_json::{Number, Value};
use std::collections::BTreeMap;
use std::fmt;

/// Why one answer is not acceptable. The widget turns this into words in the respondent's
/// language; `Display` gives plain English for the collector.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldErrorKind {
    /// A required question has no answer.
    Required,
    /// "Other" was chosen without saying what.
    OtherDetailRequired,
    TooFewSelected { min: u32 },
    TooManySelected { max: u32 },
    /// An exclusive option ("None of these") was ticked with others.
    ExclusiveWithOthers,
    /// A value that is not an option (or row, or column) of the question.
    UnknownOption,
    TooShort { min: u32 },
    TooLong { max: u32 },
    Email,
    Number,
    WholeNumber,
    BelowMin { min: f64 },
    AboveMax { max: f64 },
    Tel,
    Postcode,
    Url,
    /// A text that does not match the question's `pattern`. The widget shows the definition's
    /// `pattern_message`, or a general "enter it in the right format".
    Pattern,
    /// A rating outside its scale.
    OutOfRange { min: i64, max: i64 },
    /// A ranking that is not an ordering of every option exactly once.
    RankingIncomplete,
    DateIncomplete,
    DateInvalid,
    DateBefore { min: String },
    DateAfter { max: String },
    /// The answer does not have the shape the question type needs (payloads only).
    WrongShape(&'static str),
    /// An answer was sent for a question its condition hides (payloads only).
    Hidden,
    /// An answer was sent for a question the survey does not have (payloads only).
    UnknownQuestion,
}

impl fmt::Display for FieldErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use FieldErrorKind::*;
        match self {
            Required => f.write_str("is required"),
            OtherDetailRequired => f.write_str("says \"other\" without saying what"),
            TooFewSelected { min } => write!(f, "needs at least {min} options selected"),
            TooManySelected { max } => write!(f, "allows at most {max} options selected"),
            ExclusiveWithOthers => f.write_str("has an exclusive option selected with others"),
            UnknownOption => f.write_str("has a value that is not one of its options"),
            TooShort { min } => write!(f, "must be at least {min} characters"),
            TooLong { max } => write!(f, "must be {max} characters or fewer"),
            Email => f.write_str("must be an email address, like name@example.com"),
            Number => f.write_str("must be a number"),
            WholeNumber => f.write_str("must be a whole number"),
            BelowMin { min } => write!(f, "must be {min} or more"),
            AboveMax { max } => write!(f, "must be {max} or less"),
            Tel => f.write_str("must be a telephone number"),
            Postcode => f.write_str("must be a full UK postcode"),
            Url => f.write_str("must be a web address"),
            Pattern => f.write_str("is not in the format asked for"),
            OutOfRange { min, max } => write!(f, "must be from {min} to {max}"),
            RankingIncomplete => f.write_str("must rank every option exactly once"),
            DateIncomplete => f.write_str("must have a day, month and year"),
            DateInvalid => f.write_str("must be a real date"),
            DateBefore { min } => write!(f, "must be on or after {min}"),
            DateAfter { max } => write!(f, "must be on or before {max}"),
            WrongShape(what) => f.write_str(what),
            Hidden => f.write_str("is hidden by its condition and must not be answered"),
            UnknownQuestion => f.write_str("is not a question of this survey"),
        }
    }
}

/// One question's problem.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub question: String,
    pub kind: FieldErrorKind,
}

/// Which pages and questions are shown for a set of answers, and the payload value of every
/// visible, validly answered question.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Visibility {
    pages: Vec<bool>,
    /// The shown questions' ids: a set, kept sorted in a `Vec` (see `sorted`).
    questions: Vec<String>,
    values: BTreeMap<String, Value>,
}

impl Visibility {
    /// Works through the survey in order: a condition sees only answers to questions that are
    /// themselves visible, so an answer that becomes hidden stops counting everywhere.
    pub fn compute(survey: &Survey, answers: &Answers) -> Visibility {
        let mut vis = Visibility::default();
        for page in &survey.pages {
            let shown = page.visible_if.as_ref().is_none_or(|c| c.eval(&|id| vis.values.get(id).cloned()));
            vis.pages.push(shown);
            if !shown {
                continue;
            }
            for q in &page.questions {
                let q_shown = q.visible_if.as_ref().is_none_or(|c| c.eval(&|id| vis.values.get(id).cloned()));
                if q_shown {
                    sorted::insert(&mut vis.questions, q.id.clone());
                    if let Ok(Some(v)) = value_of(q, answers) {
                        vis.values.insert(q.id.clone(), v);
                    }
                }
            }
        }
        vis
    }

    /// Whether page `i` is shown.
    pub fn page(&self, i: usize) -> bool {
        self.pages.get(i).copied().unwrap_or(false)
    }

    /// Whether a question is shown (its page and its own condition both hold).
    pub fn question(&self, id: &str) -> bool {
        self.questions.binary_search_by(|q| q.as_str().cmp(id)).is_ok()
    }

    /// Payload values of the visible, validly answered questions.
    pub fn values(&self) -> &BTreeMap<String, Value> {
        &self.values
    }
}

impl Survey {
    /// Problems with the visible questions of page `page`, in page order.
    pub fn validate_page(&self, page: usize, answers: &Answers) -> Vec<FieldError> {
        let vis = Visibility::compute(self, answers);
        let Some(p) = self.pages.get(page).filter(|_| vis.page(page)) else { return Vec::new() };
        p.questions
            .iter()
            .filter(|q| vis.question(&q.id))
            .filter_map(|q| check(q, answers).err().map(|kind| FieldError { question: q.id.clone(), kind }))
            .collect()
    }

    /// Validates every visible question. On success gives the payload's `answers` and
    /// `other_text` maps: hidden and unanswered questions are left out.
    #[allow(clippy::type_complexity)]
    pub fn validate_all(
        &self,
        answers: &Answers,
    ) -> Result<(BTreeMap<String, Value>, BTreeMap<String, String>), Vec<FieldError>> {
        let vis = Visibility::compute(self, answers);
        let mut errors = Vec::new();
        let mut values = BTreeMap::new();
        let mut other_text = BTreeMap::new();
        for (_, q) in self.questions().filter(|(_, q)| vis.question(&q.id)) {
            match check(q, answers) {
                Ok(Some(v)) => {
                    if answered_other(q, &v) {
                        other_text.insert(q.id.clone(), answers.other_text(&q.id).trim().to_owned());
                    }
                    values.insert(q.id.clone(), v);
                }
                Ok(None) => {}
                Err(kind) => errors.push(FieldError { question: q.id.clone(), kind }),
            }
        }
        if errors.is_empty() {
            Ok((values, other_text))
        } else {
            Err(errors)
        }
    }
}

/// Whether a payload value chooses the question's "other" option (its `other`, not an ordinary
/// option that happens to have the value `"other"`), so its detail text belongs in `other_text`.
pub(crate) fn answered_other(q: &Question, v: &Value) -> bool {
    let has_other = matches!(
        q.kind,
        QuestionKind::SingleChoice { other: Some(_), .. } | QuestionKind::MultipleChoice { other: Some(_), .. }
    );
    has_other && match v {
        Value::String(s) => s == "other",
        Value::Array(items) => items.iter().any(|i| i.as_str() == Some("other")),
        _ => false,
    }
}

/// Validates one question's answer, including whether it is required.
pub(crate) fn check(q: &Question, answers: &Answers) -> Result<Option<Value>, FieldErrorKind> {
    match value_of(q, answers)? {
        None if q.required => Err(FieldErrorKind::Required),
        v => Ok(v),
    }
}

/// Converts one answer to its payload value, checking everything but `required`.
/// `Ok(None)` means unanswered.
pub(crate) fn value_of(q: &Question, answers: &Answers) -> Result<Option<Value>, FieldErrorKind> {
    use FieldErrorKind as E;
    let Some(answer) = answers.get(&q.id) else { return Ok(None) };
    let other_detail = || !answers.other_text(&q.id).trim().is_empty();
    let shape = |what| Err(E::WrongShape(what));
    match (&q.kind, answer) {
        (QuestionKind::SingleChoice { options, other, .. }, Answer::Choice(v)) => {
            if v.is_empty() {
                return Ok(None);
            }
            if v == "other" && other.is_some() {
                if !other_detail() {
                    return Err(E::OtherDetailRequired);
                }
            } else if !options.iter().any(|o| &o.value == v) {
                return Err(E::UnknownOption);
            }
            Ok(Some(Value::String(v.clone())))
        }
        (QuestionKind::MultipleChoice { options, other, min_selected, max_selected, .. }, Answer::Choices(vs)) => {
            if vs.is_empty() {
                return Ok(None);
            }
            let mut seen = Vec::new();
            for v in vs {
                let known = options.iter().any(|o| &o.value == v) || (v == "other" && other.is_some());
                if !known || !sorted::insert(&mut seen, v.as_str()) {
                    return Err(E::UnknownOption);
                }
            }
            let exclusive = vs.iter().any(|v| options.iter().any(|o| &o.value == v && o.exclusive));
            if exclusive && vs.len() > 1 {
                return Err(E::ExclusiveWithOthers);
            }
            if !exclusive {
                if let Some(min) = *min_selected {
                    if vs.len() < min as usize {
                        return Err(E::TooFewSelected { min });
                    }
                }
                if let Some(max) = *max_selected {
                    if vs.len() > max as usize {
                        return Err(E::TooManySelected { max });
                    }
                }
            }
            if vs.iter().any(|v| v == "other") && !other_detail() {
                return Err(E::OtherDetailRequired);
            }
            // In the options' order, whatever order they were ticked in: the same choices always
            // give the same payload, and a condition's `equals` list is kept in this order too.
            let values = options.iter().map(|o| o.value.as_str()).chain(other.as_ref().map(|_| "other"));
            Ok(Some(Value::Array(values.filter(|v| vs.iter().any(|x| x == v)).map(Value::from).collect())))
        }
        (QuestionKind::Text { input, min_length, max_length, pattern, min, max, integer, .. }, Answer::Text(raw)) => {
            let s = raw.trim();
            if s.is_empty() {
                return Ok(None);
            }
            if *input == InputKind::Number {
                return number(s, *min, *max, *integer).map(Some);
            }
            let text = match input {
                InputKind::Email if !is_email(s) => return Err(E::Email),
                InputKind::Tel if !is_tel(s) => return Err(E::Tel),
                InputKind::Url if !is_url(s) => return Err(E::Url),
                InputKind::Postcode => normalise_postcode(s).ok_or(E::Postcode)?,
                _ => s.to_owned(),
            };
            // Lengths and the author's pattern are checked on what is sent (a postcode in its
            // standard form), not on what was typed: the collector checks the sent text again,
            // and must come to the same verdict, or an answer the widget accepted is refused.
            let len = text.chars().count();
            if let Some(lo) = *min_length {
                if len < lo as usize {
                    return Err(E::TooShort { min: lo });
                }
            }
            if let Some(hi) = *max_length {
                if len > hi as usize {
                    return Err(E::TooLong { max: hi });
                }
            }
            // Checked after the input's own rule, so "not an email address" comes before the
            // author's finer format.
            if pattern.as_ref().is_some_and(|p| !p.is_match(&text)) {
                return Err(E::Pattern);
            }
            Ok(Some(Value::String(text)))
        }
        (QuestionKind::LongText { max_length, .. }, Answer::Text(raw)) => {
            let s = raw.trim();
            if s.is_empty() {
                return Ok(None);
            }
            if let Some(hi) = *max_length {
                if s.chars().count() > hi as usize {
                    return Err(E::TooLong { max: hi });
                }
            }
            Ok(Some(Value::String(s.to_owned())))
        }
        (QuestionKind::Rating { min, max, .. }, Answer::Rating(n)) => {
            if n < min || n > max {
                return Err(E::OutOfRange { min: *min, max: *max });
            }
            Ok(Some(Value::from(*n)))
        }
        (QuestionKind::Matrix { rows, columns }, Answer::Matrix(m)) => {
            if m.is_empty() {
                return Ok(None);
            }
            for (row, col) in m {
                if !rows.iter().any(|r| &r.value == row) || !columns.iter().any(|c| &c.value == col) {
                    return Err(E::UnknownOption);
                }
            }
            if q.required && m.len() < rows.len() {
                return Err(E::Required);
            }
            // Inserted one by one, not collect()ed: collecting into a BTreeMap (or BTreeSet) sorts
            // a Vec first, and every call site compiles its own copy of the sort, about 3 KB of
            // the widget's Wasm each. The map is the same.
            let mut object = serde_json::Map::new();
            for (k, v) in m {
                object.insert(k.clone(), Value::String(v.clone()));
            }
            Ok(Some(Value::Object(object)))
        }
        (QuestionKind::Ranking { options }, Answer::Ranking(order)) => {
            if order.is_empty() {
                return Ok(None);
            }
            // Two sets kept sorted (see `sorted`), so they are equal when they hold the same options.
            let (mut wanted, mut given) = (Vec::new(), Vec::new());
            for o in options {
                sorted::insert(&mut wanted, o.value.as_str());
            }
            for v in order {
                sorted::insert(&mut given, v.as_str());
            }
            if given != wanted || order.len() != options.len() {
                return Err(E::RankingIncomplete);
            }
            Ok(Some(Value::Array(order.iter().cloned().map(Value::String).collect())))
        }
        (QuestionKind::Date { min, max }, Answer::Date(parts)) => {
            let (d, m, y) = (parts.day.trim(), parts.month.trim(), parts.year.trim());
            if d.is_empty() && m.is_empty() && y.is_empty() {
                return Ok(None);
            }
            if d.is_empty() || m.is_empty() || y.is_empty() {
                return Err(E::DateIncomplete);
            }
            let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
            if !digits(d) || !digits(m) || !digits(y) || y.len() != 4 || d.len() > 2 || m.len() > 2 {
                return Err(E::DateInvalid);
            }
            let (Ok(dn), Ok(mn), Ok(yn)) = (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>()) else {
                return Err(E::DateInvalid);
            };
            if !is_real_date(yn, mn, dn) {
                return Err(E::DateInvalid);
            }
            let iso = format!("{yn:04}-{mn:02}-{dn:02}");
            if let Some(lo) = min.as_ref().filter(|lo| iso.as_str() < lo.as_str()) {
                return Err(E::DateBefore { min: lo.clone() });
            }
            if let Some(hi) = max.as_ref().filter(|hi| iso.as_str() > hi.as_str()) {
                return Err(E::DateAfter { max: hi.clone() });
            }
            Ok(Some(Value::String(iso)))
        }
        (QuestionKind::Consent { .. }, Answer::Consent(given)) => Ok(given.then_some(Value::Bool(true))),
        (QuestionKind::Statement, _) => Ok(None),
        (QuestionKind::SingleChoice { .. }, _) => shape("must be an option value"),
        (QuestionKind::MultipleChoice { .. }, _) => shape("must be a list of option values"),
        (QuestionKind::Text { .. } | QuestionKind::LongText { .. }, _) => shape("must be text"),
        (QuestionKind::Rating { .. }, _) => shape("must be a whole number"),
        (QuestionKind::Matrix { .. }, _) => shape("must map rows to columns"),
        (QuestionKind::Ranking { .. }, _) => shape("must be a list of option values"),
        (QuestionKind::Date { .. }, _) => shape("must be a date"),
        (QuestionKind::Consent { .. }, _) => shape("must be true"),
    }
}

/// Reads a number as people type it: spaces and thousands commas are ignored, and so is a
/// trailing dot.
fn number(s: &str, min: Option<f64>, max: Option<f64>, integer: bool) -> Result<Value, FieldErrorKind> {
    let cleaned: String = s.chars().filter(|c| !c.is_whitespace() && *c != ',').collect();
    let cleaned = cleaned.strip_suffix('.').unwrap_or(&cleaned);
    let valid_chars = cleaned.bytes().enumerate().all(|(i, b)| b.is_ascii_digit() || b == b'.' || (i == 0 && b == b'-'));
    let n: f64 = match cleaned.parse() {
        Ok(n) if valid_chars && f64::is_finite(n) => n,
        _ => return Err(FieldErrorKind::Number),
    };
    if integer && n.fract() != 0.0 {
        return Err(FieldErrorKind::WholeNumber);
    }
    if let Some(lo) = min.filter(|lo| n < *lo) {
        return Err(FieldErrorKind::BelowMin { min: lo });
    }
    if let Some(hi) = max.filter(|hi| n > *hi) {
        return Err(FieldErrorKind::AboveMax { max: hi });
    }
    // Whole numbers go out as JSON integers (4, not 4.0).
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        return Ok(Value::from(n as i64));
    }
    Number::from_f64(n).map(Value::Number).ok_or(FieldErrorKind::Number)
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && !s.chars().any(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
}

fn is_tel(s: &str) -> bool {
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    s.bytes().all(|b| b.is_ascii_digit() || b" +-()".contains(&b)) && (5..=20).contains(&digits)
}

/// A web address, with or without `http(s)://`: a host name with a dot, an optional port, then
/// anything. Other schemes (`javascript:`, `mailto:`, …) are not web addresses.
fn is_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).unwrap_or(&lower);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    };
    !s.chars().any(char::is_whitespace)
        && host.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.')
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
}

/// A UK postcode in its standard form ("SW1A 1AA"), or `None`.
fn normalise_postcode(s: &str) -> Option<String> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
        return None;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward_ok = {
        let b = inward.as_bytes();
        b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()
    };
    let o = outward.as_bytes();
    let outward_ok = o[0].is_ascii_alphabetic()
        && o.iter().all(u8::is_ascii_alphanumeric)
        && o.iter().any(u8::is_ascii_digit);
    (inward_ok && outward_ok).then(|| format!("{outward} {inward}"))
}
