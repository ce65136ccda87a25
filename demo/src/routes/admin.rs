//! `/admin/`: the stored responses (JSON, CSV) and a results summary, behind the admin token.
//!
//! Every answer here is someone's response, so these are never cached (`no-store`).

use crate::error::{Error, Result};
use crate::export;
use crate::summary;
use crate::store::StoredResponse;
use crate::surveys::LoadedSurvey;
use crate::AppState;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeSet;
use std::sync::Arc;
use survey_model::{Payload, Survey};

/// Lets a request through only with `Authorization: Bearer {ADMIN_TOKEN}`. It runs before the
/// handler, so an unauthenticated caller cannot even learn which surveys exist.
pub async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Result<Response> {
    if bearer(request.headers()).is_some_and(|t| state.admin_token.matches(t)) {
        Ok(next.run(request).await)
    } else {
        Err(Error::Unauthorized)
    }
}

/// The token of an `Authorization: Bearer …` header (the scheme is case-insensitive).
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// `GET /admin/surveys/{id}/responses.json`: every stored payload, oldest first, each exactly
/// in the payload's own shape (SPEC section 3).
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

/// `GET /admin/surveys/{id}`: the results summary page.
pub async fn summary(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response> {
    let loaded = survey(&state, &id)?;
    let rows = state.store.responses(&id).await?;
    let payloads: Vec<_> = export::parse_all(&rows)?.into_iter().map(|(_, p)| p).collect();
    Ok(private(summary::render(&loaded.survey, &payloads).into_response()))
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

fn private(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_scheme_is_case_insensitive_and_required() {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("bearer abc"));
        assert_eq!(bearer(&h), Some("abc"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&h), None);
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer"));
        assert_eq!(bearer(&h), None);
    }
}
