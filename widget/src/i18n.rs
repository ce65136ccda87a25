//! The widget's own words (buttons, errors, progress). Survey text comes from the definition;
//! these are the words around it. Kept in one table per language so a translation is one file.

use survey_model::{FieldErrorKind, QuestionKind};

/// Every fixed phrase the widget shows.
pub struct Words {
    pub continue_: &'static str,
    pub back: &'static str,
    pub send: &'static str,
    pub sending: &'static str,
    pub optional: &'static str,
    pub error_prefix: &'static str,
    pub error_summary_title: &'static str,
    pub choose_option: &'static str,
    pub or: &'static str,
    pub privacy_link: &'static str,
    pub day: &'static str,
    pub month: &'static str,
    pub year: &'static str,
    pub move_up: &'static str,
    pub move_down: &'static str,
    pub loading: &'static str,
    pub queued_title: &'static str,
    pub queued: &'static str,
    pub unsent_title: &'static str,
    pub unsent: &'static str,
    pub send_now: &'static str,
    pub restored: &'static str,
    pub version_changed: &'static str,
    pub start_again: &'static str,
    pub refused: &'static str,
    pub sent_status: &'static str,
    pub definition_problem: &'static str,
    pub definition_unavailable: &'static str,
    pub reference: &'static str,
    pub default_completion_title: &'static str,
    pub default_completion_message: &'static str,
    pub share: &'static str,
}

/// English, the fallback for every language without its own table.
pub const EN: Words = Words {
    continue_: "Continue",
    back: "Back",
    send: "Send answers",
    sending: "Sending your answers…",
    optional: "(optional)",
    error_prefix: "Error:",
    error_summary_title: "There is a problem",
    choose_option: "Choose an option",
    or: "or",
    privacy_link: "Read the privacy notice",
    day: "Day",
    month: "Month",
    year: "Year",
    move_up: "Move up",
    move_down: "Move down",
    loading: "Loading the survey…",
    queued_title: "Your answers are saved on this device",
    queued: "They could not be sent just now, so they are saved on this device and will be sent automatically when there is a connection. You can close this page: they will be sent the next time a page with this survey is opened here.",
    unsent_title: "Your answers have not been sent yet",
    unsent: "They could not be sent just now, and this browser does not let us save them. Keep this page open and we will keep trying.",
    send_now: "Try sending now",
    restored: "We have brought back the answers you gave earlier on this device.",
    version_changed: "This survey has changed since you started it, so the answers you gave earlier could not be kept. Please answer it again.",
    start_again: "Start again",
    refused: "Your answers were not accepted by the survey’s owner. Your answers are still here; please contact the organisation that asked you to take part.",
    sent_status: "Your answers have been sent.",
    definition_problem: "This survey cannot be shown because its definition has problems:",
    definition_unavailable: "This survey could not be loaded. Check your connection and reload the page.",
    reference: "Your reference is",
    default_completion_title: "Thank you",
    default_completion_message: "Your answers have been sent.",
    share: "Share this survey",
};

/// The words for a language tag.
pub fn words(_lang: &str) -> &'static Words {
    &EN
}

/// "Page 2 of 5".
pub fn progress(_lang: &str, current: usize, total: usize) -> String {
    format!("Page {current} of {total}")
}

/// "You have 12 characters remaining" / "You have 3 characters too many".
pub fn characters_left(_lang: &str, max: u32, used: usize) -> String {
    let max = max as usize;
    let plural = |n: usize| if n == 1 { "character" } else { "characters" };
    if used <= max {
        let n = max - used;
        format!("You have {n} {} remaining", plural(n))
    } else {
        let n = used - max;
        format!("You have {n} {} too many", plural(n))
    }
}

/// "You can enter up to 500 characters".
pub fn characters_limit(_lang: &str, max: u32) -> String {
    format!("You can enter up to {max} characters")
}

/// The message for a question's error. It names the question, because the same text is the
/// link in the error summary and must make sense on its own there.
pub fn error_message(_lang: &str, kind: &FieldErrorKind, title: &str, q: &QuestionKind, extra: &str) -> String {
    use FieldErrorKind as E;
    match kind {
        E::Required => match q {
            QuestionKind::Consent { .. } => format!("Tick the box to confirm: {extra}"),
            QuestionKind::Text { .. } | QuestionKind::LongText { .. } | QuestionKind::Date { .. } => {
                format!("Enter an answer to “{title}”")
            }
            QuestionKind::Ranking { .. } => format!("Put the options in order for “{title}”"),
            QuestionKind::Matrix { .. } => format!("Select an answer in every row of “{title}”"),
            _ => format!("Select an answer to “{title}”"),
        },
        E::OtherDetailRequired => {
            if extra.is_empty() {
                format!("Say what your other answer to “{title}” is")
            } else {
                format!("Enter an answer to “{extra}”")
            }
        }
        E::TooFewSelected { min } => format!("Select at least {min} answers to “{title}”"),
        E::TooManySelected { max } => format!("Select no more than {max} answers to “{title}”"),
        E::ExclusiveWithOthers => format!("Select “{extra}” on its own for “{title}”, or untick it"),
        E::TooShort { min } => format!("“{title}” must be {min} characters or more"),
        E::TooLong { max } => format!("“{title}” must be {max} characters or fewer"),
        E::Email => format!("Enter an email address in the correct format, like name@example.com, for “{title}”"),
        E::Number => format!("“{title}” must be a number"),
        E::WholeNumber => format!("“{title}” must be a whole number"),
        E::BelowMin { min } => format!("“{title}” must be {min} or more"),
        E::AboveMax { max } => format!("“{title}” must be {max} or less"),
        E::Tel => format!("Enter a telephone number, like 01632 960 001, for “{title}”"),
        E::Postcode => format!("Enter a full postcode, like AA1 1AA, for “{title}”"),
        E::Url => format!("Enter a web address, like www.example.org, for “{title}”"),
        E::DateIncomplete => format!("“{title}” must include a day, month and year"),
        E::DateInvalid => format!("“{title}” must be a real date"),
        E::DateBefore { min } => format!("“{title}” must be on or after {min}"),
        E::DateAfter { max } => format!("“{title}” must be on or before {max}"),
        other => format!("Check your answer to “{title}”: it {other}"),
    }
}
