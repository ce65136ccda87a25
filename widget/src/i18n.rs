//! The widget's own words (buttons, errors, progress, status messages). Survey text comes from the
//! definition; these are the words around it, built in for English and Welsh. Each language is
//! one table, a host can override any entry by its key ([`WordOverrides`]), and phrases with a
//! number or a question in them are templates (`{title}`, `{n}`, …) so a translation can put the
//! parts in its own order.

use std::collections::BTreeMap;
use survey_model::{FieldErrorKind, QuestionKind};
use yew::AttrValue;

/// Declares [`Words`] once, so the keys hosts use to override a phrase are the field names and can
/// never drift from them.
macro_rules! words {
    ($($(#[doc = $doc:literal])* $key:ident,)*) => {
        /// Every fixed phrase the widget shows, in one language.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Words {
            $($(#[doc = $doc])* pub $key: AttrValue,)*
        }

        impl Words {
            /// Every key a host may override, as written in the `words` option.
            pub const KEYS: &'static [&'static str] = &[$(stringify!($key),)*];

            /// Replaces the phrase under `key`; false if there is no such key.
            pub fn set(&mut self, key: &str, value: &str) -> bool {
                // The key is looked up once in `KEYS` and the field chosen by its position: a
                // `match` on the key strings compiled to a comparison and an assignment per key,
                // several KB of Wasm for a lookup that runs a handful of times per page.
                let Some(slot) = Self::KEYS.iter().position(|k| *k == key).and_then(|i| self.slot(i)) else {
                    return false;
                };
                *slot = AttrValue::from(value.to_owned());
                true
            }

            /// The phrase at a position of `KEYS`.
            fn slot(&mut self, i: usize) -> Option<&mut AttrValue> {
                [$(&mut self.$key,)*].into_iter().nth(i)
            }
        }
    };
}

words! {
    continue_button,
    back,
    send,
    sending,
    /// After the title of a question that need not be answered.
    optional,
    /// Read before each inline error message (visually hidden).
    error_prefix,
    error_summary_title,
    choose_option,
    or,
    privacy_link,
    day,
    month,
    year,
    /// The twelve month names, comma separated, for dates shown back to the respondent.
    months,
    move_up,
    move_down,
    loading,
    queued_title,
    queued,
    unsent_title,
    unsent,
    send_now,
    restored,
    /// After `restored`: how long answers in progress are kept on the device.
    draft_kept,
    /// The button that clears restored answers: for whoever finds someone else's.
    not_you,
    version_changed,
    start_again,
    refused,
    /// The endpoint refused the answers because the survey has closed.
    closed,
    /// Shown instead of the form before `opens_at`: `{date}` and `{time}` in the respondent's
    /// own time zone.
    opens_on,
    /// Shown instead of the form from `closes_at` on.
    closed_on,
    /// Preview mode (the editor): said on the confirmation, since nothing was sent.
    preview_not_sent,
    /// The endpoint holds other answers under this submission's id (409).
    conflict,
    sent_status,
    definition_problem,
    definition_unavailable,
    reference,
    default_completion_title,
    default_completion_message,
    share,
    start_now,
    check_answers_title,
    check_answers_lead,
    change,
    not_answered,
    /// The name of the group of language buttons.
    language,
    copy_link,
    link_copied,
    copy_failed,
    share_native,
    /// The button, beside `start_again` after a refusal or a conflict, that copies the answers.
    copy_answers,
    answers_copied,
    answers_copy_failed,
    /// `{current}`, `{total}`.
    page_progress,
    /// `{n}` characters remaining (`{n}` is more than one).
    characters_remaining,
    character_remaining,
    /// `{n}` characters over the limit (`{n}` is more than one).
    characters_over,
    character_over,
    /// `{max}`.
    characters_limit,
    /// Error templates: `{title}` is the question, `{label}` an option or box label, and
    /// `{min}`/`{max}` the bound that was not met.
    error_consent,
    error_enter,
    error_ranking,
    error_matrix,
    error_select,
    error_other,
    error_other_labelled,
    error_too_few,
    error_too_many,
    error_exclusive,
    error_too_short,
    error_too_long,
    error_email,
    error_number,
    error_whole_number,
    error_below_min,
    error_above_max,
    error_tel,
    error_postcode,
    error_url,
    error_pattern,
    error_date_incomplete,
    error_date_invalid,
    error_date_before,
    error_date_after,
    error_check,
}

const fn s(text: &'static str) -> AttrValue {
    AttrValue::Static(text)
}

/// English, the fallback for every language without its own table.
pub const EN: Words = Words {
    continue_button: s("Continue"),
    back: s("Back"),
    send: s("Send answers"),
    sending: s("Sending your answers…"),
    optional: s("(optional)"),
    error_prefix: s("Error:"),
    error_summary_title: s("There is a problem"),
    choose_option: s("Choose an option"),
    or: s("or"),
    privacy_link: s("Read the privacy notice"),
    day: s("Day"),
    month: s("Month"),
    year: s("Year"),
    months: s("January,February,March,April,May,June,July,August,September,October,November,December"),
    move_up: s("Move up"),
    move_down: s("Move down"),
    loading: s("Loading the survey…"),
    queued_title: s("Your answers are saved on this device"),
    queued: s("They could not be sent just now, so they are saved on this device and will be sent automatically when there is a connection. You can close this page: they will be sent the next time a page with this survey is opened here."),
    unsent_title: s("Your answers have not been sent yet"),
    unsent: s("They could not be sent just now, and this browser does not let us save them. Keep this page open and we will keep trying."),
    send_now: s("Try sending now"),
    restored: s("We have brought back the answers you gave earlier on this device."),
    version_changed: s("This survey has changed since you started it, so the answers you gave earlier could not be kept. Please answer it again."),
    start_again: s("Start again"),
    refused: s("Your answers were not accepted by the survey’s owner. Your answers are still here; please contact the organisation that asked you to take part."),
    draft_kept: s("They are kept on this device for a day after your last answer, then removed."),
    not_you: s("Not you? Start again"),
    closed: s("This survey has closed, so your answers could not be sent. They are still here if you want to copy them."),
    opens_on: s("This survey opens on {date} at {time}. Please come back then to give your views."),
    closed_on: s("This survey closed on {date} at {time}, so it no longer takes answers. Thank you for your interest."),
    preview_not_sent: s("Preview: these answers were not sent."),
    conflict: s("Other answers were already received under this submission, so yours have not been sent. If you sent these answers from another tab or device, there is nothing more to do. Otherwise, check them and send them again: they will be sent as a new response."),
    sent_status: s("Your answers have been sent."),
    definition_problem: s("This survey cannot be shown because its definition has problems:"),
    definition_unavailable: s("This survey could not be loaded. Check your connection and reload the page."),
    reference: s("Your reference is"),
    default_completion_title: s("Thank you"),
    default_completion_message: s("Your answers have been sent."),
    share: s("Share this survey"),
    start_now: s("Start now"),
    check_answers_title: s("Check your answers"),
    check_answers_lead: s("Check your answers before sending them. You can change any answer."),
    change: s("Change"),
    not_answered: s("Not answered"),
    language: s("Language"),
    copy_link: s("Copy link"),
    link_copied: s("Link copied"),
    copy_failed: s("The link could not be copied. Select it and copy it yourself."),
    share_native: s("Share"),
    copy_answers: s("Copy my answers"),
    answers_copied: s("Answers copied"),
    answers_copy_failed: s("Your answers could not be copied. Select them on the page and copy them yourself."),
    page_progress: s("Page {current} of {total}"),
    characters_remaining: s("You have {n} characters remaining"),
    character_remaining: s("You have 1 character remaining"),
    characters_over: s("You have {n} characters too many"),
    character_over: s("You have 1 character too many"),
    characters_limit: s("You can enter up to {max} characters"),
    error_consent: s("Tick the box to confirm: {label}"),
    error_enter: s("Enter an answer to “{title}”"),
    error_ranking: s("Put the options in order for “{title}”"),
    error_matrix: s("Select an answer in every row of “{title}”"),
    error_select: s("Select an answer to “{title}”"),
    error_other: s("Say what your other answer to “{title}” is"),
    error_other_labelled: s("Enter an answer to “{label}”"),
    error_too_few: s("Select at least {min} answers to “{title}”"),
    error_too_many: s("Select no more than {max} answers to “{title}”"),
    error_exclusive: s("Select “{label}” on its own for “{title}”, or untick it"),
    error_too_short: s("“{title}” must be {min} characters or more"),
    error_too_long: s("“{title}” must be {max} characters or fewer"),
    error_email: s("Enter an email address in the correct format, like name@example.com, for “{title}”"),
    error_number: s("“{title}” must be a number"),
    error_whole_number: s("“{title}” must be a whole number"),
    error_below_min: s("“{title}” must be {min} or more"),
    error_above_max: s("“{title}” must be {max} or less"),
    error_tel: s("Enter a telephone number, like 01632 960 001, for “{title}”"),
    error_postcode: s("Enter a full postcode, like AA1 1AA, for “{title}”"),
    error_url: s("Enter a web address, like www.example.org, for “{title}”"),
    error_pattern: s("Enter “{title}” in the correct format"),
    error_date_incomplete: s("“{title}” must include a day, month and year"),
    error_date_invalid: s("“{title}” must be a real date"),
    error_date_before: s("“{title}” must be on or after {min}"),
    error_date_after: s("“{title}” must be on or before {max}"),
    error_check: s("Check your answer to “{title}”"),
};

/// Welsh (Cymraeg). Public bodies in Wales must offer it; GOV.UK's Welsh components were the guide
/// for the wording of buttons and errors.
pub const CY: Words = Words {
    continue_button: s("Parhau"),
    back: s("Yn ôl"),
    send: s("Anfon yr atebion"),
    sending: s("Wrthi’n anfon eich atebion…"),
    optional: s("(dewisol)"),
    error_prefix: s("Gwall:"),
    error_summary_title: s("Mae problem wedi codi"),
    choose_option: s("Dewiswch opsiwn"),
    or: s("neu"),
    privacy_link: s("Darllenwch yr hysbysiad preifatrwydd"),
    day: s("Diwrnod"),
    month: s("Mis"),
    year: s("Blwyddyn"),
    months: s("Ionawr,Chwefror,Mawrth,Ebrill,Mai,Mehefin,Gorffennaf,Awst,Medi,Hydref,Tachwedd,Rhagfyr"),
    move_up: s("Symud i fyny"),
    move_down: s("Symud i lawr"),
    loading: s("Wrthi’n llwytho’r arolwg…"),
    queued_title: s("Mae eich atebion wedi’u cadw ar y ddyfais hon"),
    queued: s("Nid oedd modd eu hanfon ar hyn o bryd, felly maen nhw wedi’u cadw ar y ddyfais hon a byddant yn cael eu hanfon yn awtomatig pan fydd cysylltiad. Gallwch gau’r dudalen hon: byddant yn cael eu hanfon y tro nesaf y bydd tudalen gyda’r arolwg hwn yn cael ei hagor yma."),
    unsent_title: s("Nid yw eich atebion wedi’u hanfon eto"),
    unsent: s("Nid oedd modd eu hanfon ar hyn o bryd, ac nid yw’r porwr hwn yn gadael i ni eu cadw. Cadwch y dudalen hon ar agor a byddwn yn dal i geisio."),
    send_now: s("Ceisio anfon nawr"),
    restored: s("Rydym wedi dod â’r atebion a roesoch yn gynharach ar y ddyfais hon yn ôl."),
    version_changed: s("Mae’r arolwg hwn wedi newid ers i chi ei ddechrau, felly nid oedd modd cadw’r atebion a roesoch yn gynharach. Atebwch ef eto."),
    start_again: s("Dechrau eto"),
    refused: s("Ni chafodd eich atebion eu derbyn gan berchennog yr arolwg. Mae eich atebion yma o hyd; cysylltwch â’r sefydliad a ofynnodd i chi gymryd rhan."),
    draft_kept: s("Maen nhw’n cael eu cadw ar y ddyfais hon am ddiwrnod ar ôl eich ateb diwethaf, ac yna’n cael eu dileu."),
    not_you: s("Nid chi? Dechrau eto"),
    closed: s("Mae’r arolwg hwn wedi cau, felly nid oedd modd anfon eich atebion. Maen nhw yma o hyd os ydych chi eisiau eu copïo."),
    opens_on: s("Bydd yr arolwg hwn yn agor ar {date} am {time}. Dewch yn ôl bryd hynny i roi eich barn."),
    closed_on: s("Caeodd yr arolwg hwn ar {date} am {time}, felly nid yw’n derbyn atebion mwyach. Diolch am eich diddordeb."),
    preview_not_sent: s("Rhagolwg: ni anfonwyd yr atebion hyn."),
    conflict: s("Cafwyd atebion eraill eisoes o dan y cyflwyniad hwn, felly nid yw eich atebion chi wedi’u hanfon. Os gwnaethoch chi anfon yr atebion hyn o dab neu ddyfais arall, does dim byd arall i’w wneud. Fel arall, gwiriwch nhw a’u hanfon eto: byddant yn cael eu hanfon fel ymateb newydd."),
    sent_status: s("Mae eich atebion wedi’u hanfon."),
    definition_problem: s("Nid oes modd dangos yr arolwg hwn oherwydd bod problemau gyda’i ddiffiniad:"),
    definition_unavailable: s("Nid oedd modd llwytho’r arolwg hwn. Gwiriwch eich cysylltiad ac ail-lwythwch y dudalen."),
    reference: s("Eich cyfeirnod yw"),
    default_completion_title: s("Diolch"),
    default_completion_message: s("Mae eich atebion wedi’u hanfon."),
    share: s("Rhannu’r arolwg hwn"),
    start_now: s("Dechrau nawr"),
    check_answers_title: s("Gwirio eich atebion"),
    check_answers_lead: s("Gwiriwch eich atebion cyn eu hanfon. Gallwch newid unrhyw ateb."),
    change: s("Newid"),
    not_answered: s("Heb ei ateb"),
    language: s("Iaith"),
    copy_link: s("Copïo’r ddolen"),
    link_copied: s("Mae’r ddolen wedi’i chopïo"),
    copy_failed: s("Nid oedd modd copïo’r ddolen. Dewiswch hi a’i chopïo eich hun."),
    share_native: s("Rhannu"),
    copy_answers: s("Copïo fy atebion"),
    answers_copied: s("Atebion wedi’u copïo"),
    answers_copy_failed: s("Nid oedd modd copïo eich atebion. Dewiswch nhw ar y dudalen a’u copïo eich hun."),
    page_progress: s("Tudalen {current} o {total}"),
    characters_remaining: s("Mae gennych {n} nod yn weddill"),
    character_remaining: s("Mae gennych 1 nod yn weddill"),
    characters_over: s("Mae gennych {n} nod yn ormod"),
    character_over: s("Mae gennych 1 nod yn ormod"),
    characters_limit: s("Gallwch roi hyd at {max} nod"),
    error_consent: s("Ticiwch y blwch i gadarnhau: {label}"),
    error_enter: s("Rhowch ateb i “{title}”"),
    error_ranking: s("Rhowch yr opsiynau mewn trefn ar gyfer “{title}”"),
    error_matrix: s("Dewiswch ateb ym mhob rhes o “{title}”"),
    error_select: s("Dewiswch ateb i “{title}”"),
    error_other: s("Dywedwch beth yw eich ateb arall i “{title}”"),
    error_other_labelled: s("Rhowch ateb i “{label}”"),
    error_too_few: s("Dewiswch o leiaf {min} ateb i “{title}”"),
    error_too_many: s("Dewiswch ddim mwy na {max} ateb i “{title}”"),
    error_exclusive: s("Dewiswch “{label}” ar ei ben ei hun ar gyfer “{title}”, neu dad-diciwch ef"),
    error_too_short: s("Rhaid i “{title}” fod yn {min} nod neu fwy"),
    error_too_long: s("Rhaid i “{title}” fod yn {max} nod neu lai"),
    error_email: s("Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.com, ar gyfer “{title}”"),
    error_number: s("Rhaid i “{title}” fod yn rhif"),
    error_whole_number: s("Rhaid i “{title}” fod yn rhif cyfan"),
    error_below_min: s("Rhaid i “{title}” fod yn {min} neu fwy"),
    error_above_max: s("Rhaid i “{title}” fod yn {max} neu lai"),
    error_tel: s("Rhowch rif ffôn, fel 01632 960 001, ar gyfer “{title}”"),
    error_postcode: s("Rhowch god post llawn, fel AA1 1AA, ar gyfer “{title}”"),
    error_url: s("Rhowch gyfeiriad gwe, fel www.enghraifft.org, ar gyfer “{title}”"),
    error_pattern: s("Rhowch “{title}” yn y fformat cywir"),
    error_date_incomplete: s("Rhaid i “{title}” gynnwys diwrnod, mis a blwyddyn"),
    error_date_invalid: s("Rhaid i “{title}” fod yn ddyddiad go iawn"),
    error_date_before: s("Rhaid i “{title}” fod ar {min} neu ar ôl hynny"),
    error_date_after: s("Rhaid i “{title}” fod ar {max} neu cyn hynny"),
    error_check: s("Gwiriwch eich ateb i “{title}”"),
};

/// The primary subtag of a language tag, lower case: `cy-GB` → `cy`.
fn primary(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase()
}

/// The built-in words for a language tag (English when there is no table for it).
pub fn words(lang: &str) -> Words {
    match primary(lang).as_str() {
        "cy" => CY,
        _ => EN,
    }
}

/// A language's name in that language, for the language switch.
pub fn language_name(tag: &str) -> String {
    let name = match primary(tag).as_str() {
        "en" => "English",
        "cy" => "Cymraeg",
        "ga" => "Gaeilge",
        "gd" => "Gàidhlig",
        "fr" => "Français",
        "de" => "Deutsch",
        "es" => "Español",
        "pl" => "Polski",
        "pt" => "Português",
        "ro" => "Română",
        "it" => "Italiano",
        "ar" => "العربية",
        "ur" => "اردو",
        "bn" => "বাংলা",
        "pa" => "ਪੰਜਾਬੀ",
        "so" => "Soomaali",
        "zh" => "中文",
        _ => return tag.to_owned(),
    };
    name.to_owned()
}

/// A host's replacements for the widget's words: `{"send": "Submit"}` for every language, or
/// `{"cy": {"send": "Cyflwyno"}}` for one. Unknown keys are reported, never fatal.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WordOverrides {
    all: BTreeMap<String, String>,
    /// By primary language subtag, sorted and without repeats (a later entry for the same
    /// language replaces an earlier one): a map, kept in a `Vec` because a map of maps would be
    /// the Wasm's only one and cost it a copy of BTreeMap's code.
    by_language: Vec<(String, BTreeMap<String, String>)>,
}

impl WordOverrides {
    /// Reads the `words` option, returning the overrides and a problem for each entry that is not
    /// a known key with a string value.
    pub fn from_json(value: &serde_json::Value) -> (WordOverrides, Vec<String>) {
        let mut out = WordOverrides::default();
        let mut problems = Vec::new();
        let Some(map) = value.as_object() else {
            return (out, vec!["words must be an object of phrases by key".to_owned()]);
        };
        let mut take = |key: &str, v: &serde_json::Value, into: &mut BTreeMap<String, String>, at: &str| {
            match v.as_str() {
                Some(text) if Words::KEYS.contains(&key) => {
                    into.insert(key.to_owned(), text.to_owned());
                }
                Some(_) => problems.push(format!("words{at}: \"{key}\" is not one of the widget's words")),
                None => problems.push(format!("words{at}.{key}: must be a string")),
            }
        };
        for (key, v) in map {
            if let Some(inner) = v.as_object() {
                let mut lang = BTreeMap::new();
                for (k, v) in inner {
                    take(k, v, &mut lang, &format!(".{key}"));
                }
                let language = primary(key);
                match out.by_language.binary_search_by(|(l, _)| l.cmp(&language)) {
                    Ok(at) => out.by_language[at].1 = lang,
                    Err(at) => out.by_language.insert(at, (language, lang)),
                }
            } else {
                take(key, v, &mut out.all, "");
            }
        }
        (out, problems)
    }

    /// Whether there is nothing to override.
    pub fn is_empty(&self) -> bool {
        self.all.is_empty() && self.by_language.is_empty()
    }

    /// The words for `lang` with these overrides applied (language-specific ones win).
    pub fn apply(&self, lang: &str) -> Words {
        let mut w = words(lang);
        let language = primary(lang);
        let at = self.by_language.binary_search_by(|(l, _)| l.cmp(&language)).ok();
        let own = at.map(|at| &self.by_language[at].1);
        for (k, v) in self.all.iter().chain(own.into_iter().flatten()) {
            w.set(k, v);
        }
        w
    }
}

/// Fills a template's `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if values.iter().any(|(n, _)| *n == name) => {
                let value = values.iter().find(|(n, _)| *n == name).map_or("", |(_, v)| *v);
                out.push_str(value);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// "Page 2 of 5".
pub fn progress(w: &Words, current: usize, total: usize) -> String {
    fill(&w.page_progress, &[("current", &current.to_string()), ("total", &total.to_string())])
}

/// "You have 12 characters remaining" / "You have 3 characters too many".
pub fn characters_left(w: &Words, max: u32, used: usize) -> String {
    let max = max as usize;
    let (n, one, many) = if used <= max {
        (max - used, &w.character_remaining, &w.characters_remaining)
    } else {
        (used - max, &w.character_over, &w.characters_over)
    };
    if n == 1 {
        one.to_string()
    } else {
        fill(many, &[("n", &n.to_string())])
    }
}

/// "You can enter up to 500 characters".
pub fn characters_limit(w: &Words, max: u32) -> String {
    fill(&w.characters_limit, &[("max", &max.to_string())])
}

/// An ISO date as people write it: "27 March 2026" (or the text as given if it is not one).
pub fn format_date(w: &Words, iso: &str) -> String {
    let mut parts = iso.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return iso.to_owned();
    };
    let month = m.parse::<usize>().ok().and_then(|m| w.months.split(',').nth(m.wrapping_sub(1)));
    match (d.parse::<u32>(), month) {
        (Ok(d), Some(month)) => format!("{d} {} {y}", month.trim()),
        _ => iso.to_owned(),
    }
}

/// A notice about a moment (`opens_on`, `closed_on`): `date` as an ISO date and `time` as
/// `HH:MM`, both already in the respondent's own time zone.
pub fn moment(w: &Words, template: &str, date: &str, time: &str) -> String {
    fill(template, &[("date", &format_date(w, date)), ("time", time)])
}

/// The message for a question's error. It names the question, because the same text is the
/// link in the error summary and must make sense on its own there. `label` is the consent box,
/// the "other" detail box or the exclusive option, when the error is about one of those;
/// `pattern_message` is the definition's own words for a pattern mismatch.
pub fn error_message(
    w: &Words,
    kind: &FieldErrorKind,
    title: &str,
    q: &QuestionKind,
    label: &str,
    pattern_message: Option<&str>,
) -> String {
    use FieldErrorKind as E;
    let num = |n: f64| n.to_string();
    let (template, extra): (&AttrValue, Option<(&str, String)>) = match kind {
        E::Required => match q {
            QuestionKind::Consent { .. } => (&w.error_consent, None),
            QuestionKind::Text { .. } | QuestionKind::LongText { .. } | QuestionKind::Date { .. } => {
                (&w.error_enter, None)
            }
            QuestionKind::Ranking { .. } => (&w.error_ranking, None),
            QuestionKind::Matrix { .. } => (&w.error_matrix, None),
            _ => (&w.error_select, None),
        },
        E::OtherDetailRequired if label.is_empty() => (&w.error_other, None),
        E::OtherDetailRequired => (&w.error_other_labelled, None),
        E::TooFewSelected { min } => (&w.error_too_few, Some(("min", min.to_string()))),
        E::TooManySelected { max } => (&w.error_too_many, Some(("max", max.to_string()))),
        E::ExclusiveWithOthers => (&w.error_exclusive, None),
        E::TooShort { min } => (&w.error_too_short, Some(("min", min.to_string()))),
        E::TooLong { max } => (&w.error_too_long, Some(("max", max.to_string()))),
        E::Email => (&w.error_email, None),
        E::Number => (&w.error_number, None),
        E::WholeNumber => (&w.error_whole_number, None),
        E::BelowMin { min } => (&w.error_below_min, Some(("min", num(*min)))),
        E::AboveMax { max } => (&w.error_above_max, Some(("max", num(*max)))),
        E::Tel => (&w.error_tel, None),
        E::Postcode => (&w.error_postcode, None),
        E::Url => (&w.error_url, None),
        E::Pattern => match pattern_message {
            Some(m) => return m.to_owned(),
            None => (&w.error_pattern, None),
        },
        E::DateIncomplete => (&w.error_date_incomplete, None),
        E::DateInvalid => (&w.error_date_invalid, None),
        E::DateBefore { min } => (&w.error_date_before, Some(("min", format_date(w, min)))),
        E::DateAfter { max } => (&w.error_date_after, Some(("max", format_date(w, max)))),
        _ => (&w.error_check, None),
    };
    let mut values = vec![("title", title), ("label", label)];
    if let Some((name, value)) = &extra {
        values.push((name, value.as_str()));
    }
    fill(template, &values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_replaces_the_phrase_named_by_the_key_and_only_that_one() {
        let mut w = EN;
        assert!(w.set("continue_button", "Next"));
        assert!(w.set("send", "Submit"));
        assert!(w.set("error_check", "Look again"));
        assert_eq!((w.continue_button.as_str(), w.send.as_str(), w.error_check.as_str()), ("Next", "Submit", "Look again"));
        assert_eq!(w.back, EN.back, "other phrases are untouched");
        assert!(!w.set("sned", "x"), "an unknown key is refused");
        // Every key reaches a field of its own: give each a different phrase and read them back.
        for (i, k) in Words::KEYS.iter().enumerate() {
            assert!(w.set(k, &format!("phrase {i}")), "{k}");
        }
        for i in 0..Words::KEYS.len() {
            assert_eq!(w.slot(i).map(|p| p.to_string()), Some(format!("phrase {i}")), "{}", Words::KEYS[i]);
        }
        assert_eq!(w.slot(Words::KEYS.len()), None);
    }

    #[test]
    fn every_key_is_documented_where_hosts_look_for_it() {
        let docs = include_str!("../../docs/embedding.md");
        let list = &docs[docs.find("The keys are the fields of `Words`").expect("the words list in docs/embedding.md")..];
        let list = &list[..list.find("\n## ").unwrap_or(list.len())];
        for key in Words::KEYS {
            assert!(list.contains(&format!("`{key}`")), "docs/embedding.md does not list the word key `{key}`");
        }
    }

    #[test]
    fn every_language_fills_every_template_it_uses() {
        for w in [EN, CY] {
            let text = error_message(&w, &FieldErrorKind::TooLong { max: 80 }, "Name", &QuestionKind::Statement, "", None);
            assert!(text.contains("80") && text.contains("Name") && !text.contains('{'), "{text}");
            assert!(!characters_left(&w, 10, 3).contains('{'));
            assert!(!progress(&w, 2, 5).contains('{'));
            assert_eq!(w.months.split(',').count(), 12);
        }
    }

    #[test]
    fn welsh_is_chosen_by_primary_subtag_and_english_is_the_fallback() {
        assert_eq!(words("cy-GB").continue_button, "Parhau");
        assert_eq!(words("fr").continue_button, "Continue");
        assert_eq!(progress(&words("cy"), 2, 5), "Tudalen 2 o 5");
    }

    #[test]
    fn overrides_apply_by_key_language_first_and_unknown_keys_are_reported() {
        let json = serde_json::json!({"send": "Submit", "cy": {"send": "Cyflwyno"}, "sned": "x", "back": 3});
        let (o, problems) = WordOverrides::from_json(&json);
        assert_eq!(o.apply("en").send, "Submit");
        assert_eq!(o.apply("cy").send, "Cyflwyno");
        assert_eq!(o.apply("cy").back, "Yn ôl");
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn overrides_for_one_language_under_two_tags_keep_the_later_whole() {
        // Object keys arrive sorted, so "CY-GB" comes before "cy" and "cy" replaces all of it.
        let json = serde_json::json!({"cy": {"send": "Cyflwyno"}, "CY-GB": {"back": "Nôl", "send": "Anfon"}, "fr": {"send": "Envoyer"}});
        let (o, problems) = WordOverrides::from_json(&json);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(o.apply("cy-GB").send, "Cyflwyno");
        assert_eq!(o.apply("cy").back, "Yn ôl", "the earlier tag's words are all replaced");
        assert_eq!(o.apply("fr-CA").send, "Envoyer");
        assert_eq!(o.apply("de").send, words("de").send);
    }

    #[test]
    fn templates_fill_named_values_and_leave_other_braces_alone() {
        assert_eq!(fill("{a} and {b} {c}", &[("a", "1"), ("b", "2")]), "1 and 2 {c}");
        assert_eq!(characters_left(&EN, 10, 9), "You have 1 character remaining");
        assert_eq!(characters_left(&EN, 10, 13), "You have 3 characters too many");
        assert_eq!(format_date(&EN, "2026-03-07"), "7 March 2026");
        assert_eq!(format_date(&CY, "2026-12-01"), "1 Rhagfyr 2026");
    }
}
