//! `POST /api/events`: the widget's reach events (docs/collector.md, "Reach events").
//!
//! Each event adds one to a counter and is then forgotten: nothing about the request (its
//! address, headers, time of day) is kept or logged. The route answers 204 with no body, or
//! says in words why an event was refused; the widget never retries an event, so a refusal
//! costs one count and nothing else.

use super::responses::{is_json, MAX_BODY_BYTES};
use crate::error::{Error, Result};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use survey_model::{Problem, ReachEvent};

/// An event is a few dozen bytes; anything much bigger is not one.
pub const MAX_EVENT_BYTES: usize = 1024;

/// Checks one event against the survey version it names and counts it.
pub async fn count(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let body = body.map_err(|_| Error::TooLarge { limit: MAX_EVENT_BYTES })?;
    if body.len() > MAX_EVENT_BYTES || body.len() > MAX_BODY_BYTES {
        return Err(Error::TooLarge { limit: MAX_EVENT_BYTES });
    }
    if !is_json(&headers) {
        return Err(Error::UnsupportedMediaType);
    }
    let event = ReachEvent::parse(&body).map_err(|e| Error::invalid(&e))?;
    let survey = state.definition(&event.survey.id, event.survey.version).await?.ok_or_else(|| {
        Error::InvalidResponse(vec![Problem::new(
            "survey",
            format!("\"{}\" version {} is not a survey this server collects", event.survey.id, event.survey.version),
        )])
    })?;
    event.check(&survey).map_err(|e| Error::invalid(&e))?;
    state.store.count_reach(&event).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Like the responses' limit, with a budget of its own: a respondent sends a few events for
/// each response, and an event flood must never stop answers getting in.
pub async fn rate_limit(State(state): State<AppState>, request: Request, next: Next) -> Result<Response> {
    let client = super::client_address(&state, &request);
    match state.events.check(client) {
        Ok(()) => Ok(next.run(request).await),
        Err(retry_after) => Err(Error::RateLimited { retry_after }),
    }
}
