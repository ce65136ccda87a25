//! Survey definitions, and the public pages: the list of surveys, each survey's own page, and
//! the feed ([`crate::public`]).

use crate::error::{Error, Result};
use crate::filter::ResultsFilter;
use crate::public::{feed, pages, when, Listing};
use crate::results::{questions::question_results, tally::count_responses};
use crate::surveys::Status;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use survey_model::{Availability, Channel, Survey};

/// `GET /surveys/{id}.json`: the definition file exactly as written (or, if the file is broken
/// or gone, the newest good version stored: see [`crate::surveys`]).
pub async fn definition(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response> {
    let id = file.strip_suffix(".json").ok_or_else(not_found)?;
    let loaded = match state.surveys.status(id) {
        Status::Served(loaded) => loaded,
        Status::Unavailable => return Err(Error::SurveyUnavailable { id: id.to_owned() }),
        Status::Unknown => return Err(not_found()),
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
            // Authors edit definitions; a widget should see the new version on the next visit.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        loaded.source.clone(),
    )
        .into_response())
}

/// `GET /surveys`: every open survey, and the closed ones that publish their results.
pub async fn list(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let listing = Listing::at(&state.surveys, when::now());
    let mut responses = Vec::with_capacity(listing.closed.len());
    for (survey, _) in &listing.closed {
        responses.push(state.store.response_count(&survey.id).await?);
    }
    let base = super::base_url(&state.config, &headers);
    Ok(pages::list(&base, &listing, &responses).into_response())
}

/// `GET /surveys.atom`: the same surveys as an Atom feed, newest first.
pub async fn atom(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let now = when::now();
    let listing = Listing::at(&state.surveys, now);
    let mut entries = Vec::new();
    for survey in listing.open.iter().copied().chain(listing.closed.iter().map(|(s, _)| *s)) {
        let seen = state.store.first_loaded_at(&survey.id, survey.version).await?;
        entries.push(feed::Entry::new(survey, seen.as_deref(), now));
    }
    let base = super::base_url(&state.config, &headers);
    Ok((
        [(header::CONTENT_TYPE, HeaderValue::from_static(feed::CONTENT_TYPE))],
        feed::render(&base, entries, now),
    )
        .into_response())
}

/// `GET /s/{id}`: a page with nothing but the survey, embedded exactly the way web teams are
/// told to embed it. It is the survey's share link and where the widget sends people when it
/// cannot run in the host page. A closed survey's page says so, with its published results.
pub async fn standalone(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Result<Response> {
    let loaded = state.surveys.get(&id).ok_or_else(not_found)?;
    let survey = &loaded.survey;
    let now = when::now();
    let results = match survey.availability(now) {
        Availability::Closed { .. } if survey.publish_results => Some(published(&state, survey).await?),
        _ => None,
    };
    let base = super::base_url(&state.config, &headers);
    Ok(pages::survey(&base, survey, now, results.as_ref(), &link_channel(&query)).into_response())
}

/// The channel a visit to the survey's own page is counted under: the link's `?channel=`
/// (`/s/ID?channel=facebook`, for a link shared there), or `link`. A name that is not a plain
/// channel name counts as `link` too: a mangled link still shows the survey.
fn link_channel(query: &[(String, String)]) -> Channel {
    let given = query.iter().rev().find(|(k, _)| k == "channel").and_then(|(_, v)| Channel::parse(v).ok());
    given.unwrap_or_else(|| Channel::parse(LINK_CHANNEL).expect("\"link\" is a plain channel name"))
}

/// The channel of visits to a survey's own page without `?channel=`.
pub const LINK_CHANNEL: &str = "link";

/// The public results of `survey`: the same per-question charts and tables as the admin's
/// page, from counts only, and with no link to the written answers.
async fn published(state: &AppState, survey: &Survey) -> Result<pages::Results> {
    let tally = count_responses(&state.store, survey, &ResultsFilter::default()).await?;
    let lang = survey.default_language.as_str();
    let sections = tally
        .questions
        .iter()
        .filter_map(|(id, counts)| Some(question_results(survey.question(id)?, counts, tally.responses, lang, None)))
        .collect();
    Ok(pages::Results { responses: tally.responses, sections })
}

fn not_found() -> Error {
    Error::NotFound("There is no survey with this id.".into())
}
