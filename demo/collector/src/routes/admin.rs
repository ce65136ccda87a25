//! `/admin/`: the stored responses (JSON, CSV), the results page and the pages of written
//! answers, behind the admin token.
//!
//! Every answer here is someone's response, so these are never cached (`no-store`). The
//! exports stream ([`export::stream`]) and the pages count as the rows stream
//! ([`results::tally`]): neither's memory grows with the number of responses. All of them take
//! the same filter (`channel`, `from`, `to`; [`crate::filter`]), applied by the store's query.

use crate::error::{Error, Result};
use crate::export;
use crate::filter::{FilterInput, FilterProblem, ResultsFilter};
use crate::results::{self, free_text, tally};
use crate::surveys::{LoadedSurvey, Status};
use crate::AppState;
use super::session::private;
use crate::pages;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use survey_model::Survey;

/// `GET /admin/surveys/{id}/responses.json`: every stored payload, in a random order (the
/// order keys drawn at insert, never the order of arrival), each exactly in the payload's own
/// shape (docs/submission.md). Also for a survey that has no usable definition now: the
/// payloads need none.
/// Only the responses the query's filter lets through.
pub async fn responses_json(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response> {
    if matches!(state.surveys.status(&id), Status::Unknown) {
        return Err(no_such_survey());
    }
    let filter = export_filter(&pairs)?;
    let body = export::stream(state.store.clone(), id, filter, export::JsonArray::default());
    Ok(download("application/json", None, body))
}

/// `GET /admin/surveys/{id}/responses.csv`: one row per response, in the same random order,
/// one column per question of any stored version of the survey; only the responses the query's
/// filter lets through.
pub async fn responses_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response> {
    let loaded = survey(&state, &id)?;
    let filter = export_filter(&pairs)?;
    let older = older_definitions(&state, &loaded.survey).await?;
    let encoder = export::Csv::new(&loaded.survey, &older);
    let body = export::stream(state.store.clone(), id.clone(), filter, encoder);
    Ok(download("text/csv; charset=utf-8", Some(&format!("{id}-responses.csv")), body))
}

/// A private download, optionally with a file name to save it under.
fn download(content_type: &'static str, file_name: Option<&str>, body: Body) -> Response {
    let mut response = ([(header::CONTENT_TYPE, HeaderValue::from_static(content_type))], body).into_response();
    // A survey id is `a-z`, `0-9`, `_` and `-` only, so the name needs no quoting beyond this.
    if let Some(disposition) = file_name.and_then(|n| HeaderValue::from_str(&format!("attachment; filename=\"{n}\"")).ok()) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, disposition);
    }
    private(response)
}

/// `GET /admin`: the surveys, with how many responses each has.
pub async fn index(State(state): State<AppState>) -> Result<Response> {
    let mut rows = Vec::new();
    for loaded in state.surveys.iter() {
        rows.push((&*loaded.survey, state.store.response_count(&loaded.survey.id).await?));
    }
    let drafts = state.store.drafts().await?;
    Ok(private(pages::admin_index(rows.into_iter(), &drafts).into_response()))
}

/// `GET /admin/surveys/{id}`: the results page (reach, then a chart and table per question),
/// filtered by the query, with the snippet that embeds the survey. A filter that cannot be used
/// gets the form again with what is wrong, and status 400.
pub async fn summary(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Result<Response> {
    let loaded = survey(&state, &id)?;
    let survey = &loaded.survey;
    let input = FilterInput::from_pairs(&pairs);
    let channels = state.store.response_channels(&id).await?;
    let filter = match input.parse() {
        Ok(filter) => filter,
        Err(problems) => {
            let page = results::filter_problems_page(survey, &input, &channels, &problems);
            return Ok(private((StatusCode::BAD_REQUEST, page).into_response()));
        }
    };
    let reach = reach_section(&state, survey, &filter).await?;
    let tally = tally::count_responses(&state.store, survey, &filter).await?;
    let snippet = pages::snippet(&super::base_url(&state.config, &headers), &survey.id);
    let page = results::results_page(&results::ResultsPage {
        survey,
        tally: &tally,
        filter: &filter,
        input: &input,
        channels: &channels,
        reach: &reach,
        snippet: &snippet,
    });
    Ok(private(page.into_response()))
}

/// REACH: the results page's first section, the funnel (views, starts, completions per
/// channel), returns per day and drop-off by page, for the same filter (`crate::metrics`).
async fn reach_section(state: &AppState, survey: &Survey, filter: &ResultsFilter) -> Result<String> {
    let metrics = super::metrics::tally(state, &survey.id, filter).await?;
    let json = filter.link(&format!("/admin/surveys/{}/metrics.json", survey.id));
    Ok(crate::metrics::page::section(survey, &metrics, &json))
}

/// `GET /admin/surveys/{id}/answers/{question}`: a page of what people wrote for a text
/// question (or a choice's "other"), searchable (`q`), paged (`page`) and filtered like the
/// results. A search or page that cannot be used is shown with the form, and status 400.
pub async fn answers(
    State(state): State<AppState>,
    Path((id, question_id)): Path<(String, String)>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response> {
    let loaded = survey(&state, &id)?;
    let survey = &loaded.survey;
    let question = survey
        .question(&question_id)
        .filter(|q| free_text::has_texts(q))
        .ok_or_else(|| Error::NotFound("This survey has no question with written answers under this id.".into()))?;
    let filter = export_filter(&pairs)?;
    let (search, query) = free_text::TextQuery::from_pairs(&pairs);
    let view = |found| results::TextsView { survey, question, filter: &filter, search: &search, found };
    let response = match query {
        Ok(query) => {
            let texts = free_text::read_texts(&state.store, &id, question, &filter, &query).await?;
            results::texts_page(&view(Ok((&query, &texts)))).into_response()
        }
        Err(problems) => (StatusCode::BAD_REQUEST, results::texts_page(&view(Err(&problems)))).into_response(),
    };
    Ok(private(response))
}

/// The filter of an export's (or a page's) query, or a 400 that names every problem.
pub(super) fn export_filter(pairs: &[(String, String)]) -> Result<ResultsFilter> {
    FilterInput::from_pairs(pairs).parse().map_err(|problems: Vec<FilterProblem>| {
        let said: Vec<String> = problems.into_iter().map(|p| format!("{}: {}.", p.field, p.message)).collect();
        Error::BadRequest(format!("The filter cannot be used. {}", said.join(" ")))
    })
}

/// Every stored version of the survey older than `current`, newest first: the CSV has a
/// column for each of their questions. One that cannot be parsed is logged and left out
/// rather than failing the download; its answers then go to the `unlisted` column.
async fn older_definitions(state: &AppState, current: &Survey) -> Result<Vec<Arc<Survey>>> {
    let versions = state.store.definition_versions(&current.id).await?;
    let mut older = Vec::new();
    for version in versions.into_iter().rev().filter(|v| *v != current.version) {
        match state.history.get(&state.store, &current.id, version).await {
            Ok(Some(survey)) => older.push(survey),
            Ok(None) => {}
            Err(e) => tracing::warn!(id = %current.id, version, error = %e, "older definition left out of the export"),
        }
    }
    Ok(older)
}

fn survey<'a>(state: &'a AppState, id: &str) -> Result<&'a LoadedSurvey> {
    state.surveys.get(id).ok_or_else(no_such_survey)
}

fn no_such_survey() -> Error {
    Error::NotFound("There is no survey with this id.".into())
}
