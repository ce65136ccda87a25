//! `/admin/`: the stored responses (JSON, CSV) and a results summary, behind the admin token.
//!
//! Every answer here is someone's response, so these are never cached (`no-store`). The
//! exports stream ([`export::stream`]): their size does not depend on the server's memory.

use crate::error::{Error, Result};
use crate::export;
use crate::summary;
use crate::surveys::{LoadedSurvey, Status};
use crate::AppState;
use super::session::private;
use crate::pages;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use survey_model::Survey;

/// `GET /admin/surveys/{id}/responses.json`: every stored payload, in a random order (the
/// order keys drawn at insert, never the order of arrival), each exactly in the payload's own
/// shape (docs/submission.md). Also for a survey that has no usable definition now: the
/// payloads need none.
pub async fn responses_json(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response> {
    if matches!(state.surveys.status(&id), Status::Unknown) {
        return Err(no_such_survey());
    }
    let body = export::stream(state.store.clone(), id, export::JsonArray::default());
    Ok(download("application/json", None, body))
}

/// `GET /admin/surveys/{id}/responses.csv`: one row per response, in the same random order,
/// one column per question of any stored version of the survey.
pub async fn responses_csv(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response> {
    let loaded = survey(&state, &id)?;
    let older = older_definitions(&state, &loaded.survey).await?;
    let encoder = export::Csv::new(&loaded.survey, &older);
    let body = export::stream(state.store.clone(), id.clone(), encoder);
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
    Ok(private(pages::admin_index(rows.into_iter()).into_response()))
}

/// `GET /admin/surveys/{id}`: the results summary page, with the snippet that embeds it.
pub async fn summary(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Result<Response> {
    let loaded = survey(&state, &id)?;
    let rows = state.store.responses(&id).await?;
    let payloads = rows.iter().map(export::parse).collect::<Result<Vec<_>>>()?;
    let snippet = pages::snippet(&super::base_url(&state.config, &headers), &loaded.survey.id);
    Ok(private(summary::render(&loaded.survey, &payloads, &snippet).into_response()))
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
