//! The collector's public face: one place where people find every survey it runs.
//!
//! - `/surveys` lists the open surveys, and the closed ones whose authors publish their results
//!   (`publish_results`); a survey not yet open is not listed ([`pages::list`]).
//! - `/s/{id}` is each survey's own page, with the meta that makes a shared link show its title
//!   and description ([`pages::survey`]).
//! - `/surveys.atom` is a feed of the same surveys, newest first ([`feed`]).
//!
//! Published results are counts only, never free text: a sentence someone wrote can identify
//! them. Nothing here needs a sign-in, and nothing here shows who answered.

pub mod feed;
pub mod pages;
pub mod when;

use crate::surveys::Catalog;
use axum::http::{header, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use survey_model::{Availability, Survey, Timestamp};

/// The script behind the "Copy link" and "Share" buttons: the list works without it.
pub const SHARE_SCRIPT: &str = include_str!("../assets/share.js");

/// Where [`SHARE_SCRIPT`] is served; a file of the collector's own, so the strict CSP holds.
pub const SHARE_SCRIPT_PATH: &str = "/_collector/share.js";

/// Serves [`SHARE_SCRIPT`].
pub async fn share_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8")),
            (HeaderName::from_static("cache-control"), HeaderValue::from_static("no-cache")),
        ],
        SHARE_SCRIPT,
    )
        .into_response()
}

/// What the public list shows at one moment.
#[derive(Debug, Default)]
pub struct Listing<'a> {
    /// Open surveys, the soonest to close first (those with no closing date last).
    pub open: Vec<&'a Survey>,
    /// Closed surveys that publish their results, the most recently closed first.
    pub closed: Vec<(&'a Survey, &'a Timestamp)>,
}

impl<'a> Listing<'a> {
    /// Sorts every servable survey in `catalog` by whether it is open at `now`.
    pub fn at(catalog: &'a Catalog, now: i64) -> Listing<'a> {
        let mut listing = Listing::default();
        for loaded in catalog.iter() {
            let survey = &*loaded.survey;
            match survey.availability(now) {
                Availability::Open => listing.open.push(survey),
                Availability::Closed { closed } if survey.publish_results => listing.closed.push((survey, closed)),
                Availability::Closed { .. } | Availability::NotYetOpen { .. } => {}
            }
        }
        let closing = |s: &Survey| s.closes_at.as_ref().map_or(i64::MAX, Timestamp::unix_seconds);
        listing.open.sort_by(|a, b| closing(a).cmp(&closing(b)).then_with(|| title(a).cmp(title(b))));
        listing.closed.sort_by(|(a, x), (b, y)| y.unix_seconds().cmp(&x.unix_seconds()).then_with(|| title(a).cmp(title(b))));
        listing
    }
}

/// The survey's title in its own default language.
pub fn title(survey: &Survey) -> &str {
    let lang = survey.default_language.as_str();
    survey.title.get(lang, lang)
}

/// The survey's description in its own default language, as paragraphs (none if it has none).
pub fn description(survey: &Survey) -> Vec<&str> {
    let lang = survey.default_language.as_str();
    survey.description.as_ref().map(|d| d.paragraphs(lang, lang)).unwrap_or_default()
}
