//! `POST /api/responses`: where widgets deliver answers (docs/collector.md).
//!
//! The order of checks is the order a client can act on them: too many from this client
//! (429, before the body is read), too big (413), not JSON (400), a survey that cannot take
//! answers right now (503), outside the survey's opening times (422 `not_open` or `closed`,
//! unless it repeats a response stored in time: then 200 or 409 as below), not a valid response
//! for its survey (422), then stored exactly once (201, 200 or 409), or not at all because the
//! survey is over its quota (429).
//!
//! Only a body that will never be accepted is refused (4xx other than 408 and 429): widgets
//! delete refused answers, so a fault of the server's must never look like one.

use crate::error::{Error, Result};
use crate::store::{Quota, Saved, Submission};
use crate::surveys::Status;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use sha2::{Digest as _, Sha256};
use std::sync::Arc;
use crate::public::when;
use survey_model::{Availability, Payload, Problem, Survey, SurveyRef, Timestamp};

/// The largest body accepted. A long survey with every text box full is a few KiB.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The header that carries the submission id on every attempt.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// Validates a posted response against its survey and stores it once per `submission_id`.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::TooLarge { limit: MAX_BODY_BYTES }
        } else {
            Error::BadRequest("The request body could not be read.".into())
        }
    })?;
    if !is_json(&headers) {
        return Err(Error::UnsupportedMediaType);
    }
    let as_sent = Payload::parse(&body).map_err(|e| Error::invalid(&e))?;
    let survey = definition_for(&state, &as_sent).await?;
    let outside = check_open(&state, &as_sent, when::now()).err();
    // Stored as validated (trimmed, normalised), so the survey's bounds hold for what is kept.
    let payload = match as_sent.validated(&survey) {
        Ok(payload) => payload,
        // Outside the opening times, that is what the sender needs to hear first.
        Err(e) => return Err(outside.unwrap_or_else(|| Error::invalid(&e))),
    };
    if let Some(key) = headers.get(IDEMPOTENCY_KEY) {
        // The key and the id name the same submission; if they disagree one of them is wrong,
        // and storing under either could lose or duplicate a response.
        if key.to_str().ok().map(str::trim) != Some(payload.submission_id.as_str()) {
            return Err(Error::InvalidResponse(vec![Problem::new(
                "submission_id",
                "must equal the Idempotency-Key header",
            )]));
        }
    }

    let (id, version) = (payload.survey.id.clone(), payload.survey.version);
    let submission = Submission { payload, as_sent, body_sha256: crate::reference::hex(&Sha256::digest(&body)) };
    let limits = &state.config.limits;
    let quota = Quota { rows: limits.quota_rows, bytes: limits.quota_bytes };
    let saved = match outside {
        // Outside the opening times nothing new is stored, but a retry of what was stored in
        // time (its acknowledgement lost on the way) is still told it arrived.
        Some(refusal) => state.store.already_stored(&submission).await?.ok_or(refusal)?,
        None => state.store.save(submission, quota).await?,
    };
    let (status, outcome, receipt) = match saved {
        Saved::Created(r) => (StatusCode::CREATED, "created", r),
        Saved::Repeated(r) => (StatusCode::OK, "repeated", r),
        Saved::Conflict(r) => (StatusCode::CONFLICT, "conflict", r),
        Saved::OverQuota => return Err(Error::OverQuota { id }),
    };
    // The reference and survey are enough to trace a problem; the answers are never logged.
    tracing::info!(survey = %id, version, reference = %receipt.reference, outcome, "response");
    let body = if status == StatusCode::CONFLICT {
        json!({
            "error": "conflict",
            "message": "A different response was already stored with this submission_id; the first one is kept.",
            "reference": receipt.reference,
            "submission_id": receipt.submission_id,
        })
    } else {
        json!({ "reference": receipt.reference, "submission_id": receipt.submission_id })
    };
    Ok((status, Json(body)).into_response())
}

/// Lets a post through while its client has tokens left ([`crate::limits`]); otherwise 429
/// with `Retry-After`, before the body is even read.
pub async fn rate_limit(State(state): State<AppState>, request: Request, next: Next) -> Result<Response> {
    let client = super::client_address(&state, &request);
    match state.posts.check(client) {
        Ok(()) => Ok(next.run(request).await),
        Err(retry_after) => Err(Error::RateLimited { retry_after }),
    }
}

/// The definition of the very version the payload answers: a widget may deliver a response
/// long after it was written (docs/submission.md: retried, possibly days later, with the same
/// body), and judging it by a newer version would refuse, and so lose, honest answers.
async fn definition_for(state: &AppState, payload: &Payload) -> Result<Arc<Survey>> {
    let SurveyRef { id, version } = &payload.survey;
    let current = match state.surveys.status(id) {
        Status::Served(current) => current,
        // Known here, but no definition to check against right now: the fault is the server's.
        Status::Unavailable => return Err(Error::SurveyUnavailable { id: id.clone() }),
        Status::Unknown => {
            return Err(Error::InvalidResponse(vec![Problem::new(
                "survey.id",
                format!("\"{id}\" is not a survey this server collects"),
            )]))
        }
    };
    if let Some(survey) = state.definition(id, *version).await? {
        return Ok(survey);
    }
    // Never loaded here, so there is nothing to check it against. The current version is
    // always among those listed, even if the database somehow lacks it.
    let mut known = state.store.definition_versions(id).await?;
    if !known.contains(&current.survey.version) {
        known.push(current.survey.version);
        known.sort_unstable();
    }
    let known: Vec<String> = known.iter().map(u32::to_string).collect();
    Err(Error::InvalidResponse(vec![Problem::new(
        "survey.version",
        format!(
            "is {version}, a version of \"{id}\" this server has never had; the versions it knows are {} \
             (the current one is {})",
            known.join(", "),
            current.survey.version
        ),
    )]))
}

/// Refuses a response outside the survey's opening times ([`Survey::takes_submission`]): 422
/// `not_open` before `opens_at`; 422 `closed` after `closes_at`, unless it was written before the
/// close and arrives within seven days of it. The current definition decides, so an author who
/// moves `closes_at` moves it for answers to every version.
fn check_open(state: &AppState, payload: &Payload, now: i64) -> Result<()> {
    let Some(current) = state.surveys.get(&payload.survey.id) else { return Ok(()) };
    // `Payload::parse` has already refused a `submitted_at` that is not a time.
    let Some(submitted_at) = Timestamp::parse(&payload.submitted_at) else { return Ok(()) };
    match current.survey.takes_submission(&submitted_at, now) {
        Availability::Open => Ok(()),
        Availability::NotYetOpen { opens } => {
            Err(Error::NotOpen { opens: opens.as_str().to_owned(), in_words: when::in_words(opens) })
        }
        Availability::Closed { closed } => {
            Err(Error::Closed { closed: closed.as_str().to_owned(), in_words: when::in_words(closed) })
        }
    }
}

/// `application/json`, with or without parameters such as `charset`. Requiring it also means a
/// browser on another origin must ask first (a CORS preflight), so `ALLOWED_ORIGINS` holds.
pub(super) fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}
