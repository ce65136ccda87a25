//! `/admin/`: the stored responses (JSON, CSV) and a results summary, behind the admin token.
//!
//! Every answer here is someone's response, so these are never cached (`no-store`).

use crate::error::{Error, Result};
use crate::export;
use crate::summary;
use crate::store::StoredResponse;
use crate::surveys::LoadedSurvey;
use crate::AppState;
use super::session::private;
use crate::pages;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeSet;
use std::sync::Arc;
use survey_model::{Payload, Survey};

/// `GET /admin/surveys/{id}/responses.json`: every stored payload, oldest first, each exactly
/// in the payload's own shape (docs/submission.md).
pub async fn responses_json(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response> {
    survey(&state, &id)?;
    let rows = state.store.responses(&id).await?;
    // Through `Payload`, exactly as it was stored: the payload's own field order and shape.
    let payloads: Vec<_> = export::parse_all(&rows)?.into_iter().map(|(_, p)| p).collect();
    let body = serde_json::to_vec_pretty(&payloads).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(private(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response()))
}

/// `GET /admin/surveys/{id}/responses.csv`: one row per response, one column per question of
/// any version that was answered.
pub async fn responses_csv(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response> {
    let loaded = survey(&state, &id)?;
    let rows = state.store.responses(&id).await?;
    let parsed = export::parse_all(&rows)?;
    let older = older_definitions(&state, &loaded.survey, &parsed).await;
    let body = export::responses_csv(&loaded.survey, &older, &parsed)?;
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{id}-responses.csv\""))
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok(private(
        (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            body,
        )
            .into_response(),
    ))
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
    let payloads: Vec<_> = export::parse_all(&rows)?.into_iter().map(|(_, p)| p).collect();
    let snippet = pages::snippet(&super::base_url(&state.config, &headers), &loaded.survey.id);
    Ok(private(summary::render(&loaded.survey, &payloads, &snippet).into_response()))
}

/// The older definitions the responses answer, newest first, as far as they are known. They
/// only shape the export (column order), so one that cannot be had is logged and left out
/// rather than failing the download: the answers are in the payloads either way.
async fn older_definitions(
    state: &AppState,
    current: &Survey,
    parsed: &[(&StoredResponse, Payload)],
) -> Vec<Arc<Survey>> {
    let versions: BTreeSet<u32> =
        parsed.iter().map(|(_, p)| p.survey.version).filter(|v| *v != current.version).collect();
    let mut older = Vec::new();
    for version in versions.into_iter().rev() {
        match state.history.get(&state.store, &current.id, version).await {
            Ok(Some(survey)) => older.push(survey),
            // Stored before this server kept definitions: nothing to order by.
            Ok(None) => {}
            Err(e) => tracing::warn!(id = %current.id, version, error = %e, "older definition left out of the export"),
        }
    }
    older
}

fn survey<'a>(state: &'a AppState, id: &str) -> Result<&'a LoadedSurvey> {
    state.surveys.get(id).ok_or_else(|| Error::NotFound("There is no survey with this id.".into()))
}
