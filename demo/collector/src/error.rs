//! The crate's one error type, and the only place an error becomes an HTTP response.
//!
//! Clients get a stable machine-readable `error` code and a plain sentence; whatever went wrong
//! inside (SQL, file paths, OS errors) goes to the log and never into a response.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use survey_model::Problem;

/// Everything that can go wrong in the collector.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A setting in the environment is not usable.
    #[error("{name}: {message}")]
    Config { name: &'static str, message: String },
    /// A file or folder could not be read or written.
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// The database failed (SQLite).
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    /// The database failed (PostgreSQL).
    #[error("database: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// No connection to PostgreSQL could be had in time.
    #[error("database connection pool: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    /// Anything else that is the server's fault.
    #[error("internal error: {0}")]
    Internal(String),
    /// No such survey (or page); the text is safe to show.
    #[error("{0}")]
    NotFound(String),
    /// A posted response does not fit its survey; every problem is listed.
    #[error("the response has {} problem(s)", .0.len())]
    InvalidResponse(Vec<Problem>),
    /// A response to a survey that has closed, written after the close or delivered more than
    /// `survey_model::LATE_DELIVERY_SECONDS` after it. `closed` is `closes_at` as written.
    #[error("the survey closed at {closed}")]
    Closed { closed: String, in_words: String },
    /// A response to a survey that does not open until `opens` (`opens_at` as written).
    #[error("the survey opens at {opens}")]
    NotOpen { opens: String, in_words: String },
    /// A survey definition sent to be published does not parse; every problem is listed.
    #[error("the definition has {} problem(s)", .0.len())]
    InvalidDefinition(Vec<Problem>),
    /// What was asked clashes with what is stored (a survey id already taken); the text is safe
    /// to show.
    #[error("{0}")]
    Conflict(String),
    /// A draft was saved over, or published, by someone who had not seen the draft stored now
    /// (saved since from another tab, or by another author); `saved_at` is when that one was.
    #[error("the draft was changed since it was opened")]
    DraftChanged { saved_at: Option<String> },
    /// A posted body is over the size limit.
    #[error("the body is larger than {limit} bytes")]
    TooLarge { limit: usize },
    /// A posted body is not declared as JSON.
    #[error("the body must be sent as application/json")]
    UnsupportedMediaType,
    /// The request could not be read at all.
    #[error("{0}")]
    BadRequest(String),
    /// The admin token is missing or wrong.
    #[error("missing or wrong admin token")]
    Unauthorized,
    /// A request that changes something came from somewhere else; the text is safe to show.
    #[error("{0}")]
    Forbidden(String),
    /// Too many wrong admin tokens from one client.
    #[error("too many wrong tokens; retry after {retry_after} s")]
    TooManyTries { retry_after: u64 },
    /// A survey this server has history for, but no usable definition of right now (its file
    /// is broken or gone and no good version is stored): the answers must wait, not be refused.
    #[error("survey {id} is unavailable")]
    SurveyUnavailable { id: String },
    /// One client posted too many responses in too short a time.
    #[error("too many responses from one client; retry after {retry_after} s")]
    RateLimited { retry_after: u64 },
    /// A survey has stored as many responses, or bytes, as it may.
    #[error("survey {id} is over its quota")]
    OverQuota { id: String },
    /// The client took too long to send its request.
    #[error("the request took too long to arrive")]
    Timeout,
}

/// What a client that may retry is told to wait when a survey cannot take answers right now.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 300;

/// What a client is told to wait when a survey is over its quota: an operator must act first.
pub const QUOTA_RETRY_AFTER_SECS: u64 = 3600;

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The problems of an invalid response taken from the model's error.
    pub fn invalid(err: &survey_model::Error) -> Error {
        Error::InvalidResponse(err.problems().to_vec())
    }

    /// An I/O error with what was being done, for the log.
    pub fn io(what: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io { what: what.into(), source }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, code, message) = match &self {
            Error::NotFound(what) => (StatusCode::NOT_FOUND, "not_found", what.clone()),
            Error::InvalidResponse(problems) => {
                let body = json!({
                    "error": "invalid_response",
                    "message": format!("The response was not accepted: {} problem(s).", problems.len()),
                    "problems": problems,
                });
                return (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
            }
            Error::InvalidDefinition(problems) => {
                let body = json!({
                    "error": "invalid_definition",
                    "message": format!("The definition was not published: {} problem(s).", problems.len()),
                    "problems": problems,
                });
                return (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
            }
            Error::Conflict(what) => (StatusCode::CONFLICT, "conflict", what.clone()),
            Error::DraftChanged { saved_at } => {
                let body = json!({
                    "error": "draft_changed",
                    "message": "This draft was changed elsewhere (in another tab, or by someone else) since it was opened, \
                                so it was not saved over. Nothing was lost.",
                    "saved_at": saved_at,
                });
                return (StatusCode::PRECONDITION_FAILED, Json(body)).into_response();
            }
            Error::Closed { closed, in_words } => {
                let message = format!("This survey closed at {in_words}. It no longer takes answers.");
                return outside_opening_times("closed", &message, "closes_at", closed);
            }
            Error::NotOpen { opens, in_words } => {
                let message = format!("This survey opens at {in_words}. It does not take answers before then.");
                return outside_opening_times("not_open", &message, "opens_at", opens);
            }
            Error::TooLarge { limit } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("The response is larger than the limit of {} KiB.", limit / 1024),
            ),
            // 400 rather than 415: docs/submission.md tells clients that 400 means "refused, do not
            // retry", and a body in the wrong type will not become right by being sent again.
            Error::UnsupportedMediaType => (
                StatusCode::BAD_REQUEST,
                "unsupported_media_type",
                "Send the response as JSON with Content-Type: application/json.".into(),
            ),
            Error::BadRequest(what) => (StatusCode::BAD_REQUEST, "bad_request", what.clone()),
            Error::Forbidden(what) => (StatusCode::FORBIDDEN, "forbidden", what.clone()),
            Error::TooManyTries { retry_after } => {
                return retry_later(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_tries",
                    "Too many wrong admin tokens from here. Wait, then try again.",
                    *retry_after,
                );
            }
            // Not a refusal: 503 and 429 tell the widget to keep the answers and send them later.
            Error::SurveyUnavailable { id } => {
                tracing::warn!(survey = %id, "answers wait (503): the survey has no usable definition (see /healthz)");
                return retry_later(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "survey_unavailable",
                    "This survey cannot take answers right now. Keep them and send them again later.",
                    UNAVAILABLE_RETRY_AFTER_SECS,
                );
            }
            Error::RateLimited { retry_after } => {
                return retry_later(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    "Too many responses from here in a short time. Send this one again a little later.",
                    *retry_after,
                );
            }
            Error::OverQuota { id } => {
                tracing::warn!(survey = %id, "answers wait (429): the survey is over QUOTA_ROWS or QUOTA_BYTES");
                return retry_later(
                    StatusCode::TOO_MANY_REQUESTS,
                    "quota_exceeded",
                    "This survey cannot store more responses right now. Send this one again later.",
                    QUOTA_RETRY_AFTER_SECS,
                );
            }
            Error::Timeout => (
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                "The request took too long to arrive. Please send it again.".into(),
            ),
            Error::Unauthorized => {
                let body = json!({
                    "error": "unauthorized",
                    "message": "Sign in at /admin/sign-in, or send the admin token as Authorization: Bearer <token>.",
                });
                let mut response = (StatusCode::UNAUTHORIZED, Json(body)).into_response();
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"survey-collector admin\""));
                return response;
            }
            Error::Config { .. }
            | Error::Io { .. }
            | Error::Database(_)
            | Error::Postgres(_)
            | Error::Pool(_)
            | Error::Internal(_) => {
                // The details are for whoever runs the server, not for whoever sent the request.
                tracing::error!(error = %self, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Something went wrong on the server. Please try again later.".into(),
                )
            }
        };
        (status, Json(json!({ "error": code, "message": message }))).into_response()
    }
}

/// A refusal like an invalid response's (422: the widget keeps the answers on screen and stops
/// sending them), with the moment as the definition writes it under `key`. `error` is this
/// collector's key for every error; `code` is the key docs/submission.md gives any endpoint.
fn outside_opening_times(code: &str, message: &str, key: &str, moment: &str) -> Response {
    let mut body = json!({ "error": code, "code": code, "message": message });
    body[key] = moment.into();
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// A JSON error with `Retry-After`, for a client that should try again.
fn retry_later(status: StatusCode, code: &str, message: &str, retry_after: u64) -> Response {
    let mut response = (status, Json(json!({ "error": code, "message": message }))).into_response();
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn internal_errors_do_not_leak() {
        let err = Error::Internal("secret path /var/lib/x".into());
        let response = err.into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 4096).await.expect("small body");
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("\"internal\""), "{text}");
        assert!(!text.contains("secret"), "{text}");
    }

    #[test]
    fn unauthorized_asks_for_a_bearer_token() {
        let response = Error::Unauthorized.into_response();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let challenge = response.headers()[header::WWW_AUTHENTICATE].to_str().expect("ascii");
        assert!(challenge.starts_with("Bearer"));
    }
}
