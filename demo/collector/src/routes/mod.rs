//! The HTTP surface: which path goes where, and the layers around it.
//!
//! Three kinds of route, with different rules:
//! - public files (the bundle, the definitions): fetched by pages on any origin, so
//!   `Access-Control-Allow-Origin: *`, `Cross-Origin-Resource-Policy: cross-origin`, no
//!   referrer onwards, and caching by name ([`bundle`]);
//! - answers (`POST /api/responses`): CORS only for `ALLOWED_ORIGINS`, and a per-client rate
//!   limit ([`responses::rate_limit`]);
//! - admin pages, and the survey editor's API ([`editing`]): behind the sign-in ([`session`]).
//!
//! Every request must have arrived, body included, and be answering within `READ_TIMEOUT_SECS`
//! ([`read_timeout`]); what happens after the answer starts (a streamed export) is not timed.

pub mod admin;
pub mod bundle;
pub mod editing;
pub mod editor;
pub mod events;
pub mod metrics;
pub mod responses;
pub mod session;
pub mod surveys;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::{html, pages};
use crate::AppState;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use std::net::{IpAddr, SocketAddr};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Builds the whole application. Tests call this and send requests without a socket.
pub fn app(state: AppState) -> Router {
    // Answers may come from the pages of the sites listed in ALLOWED_ORIGINS, and only those.
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(state.config.allowed_origins.iter().cloned()))
        .allow_methods([Method::POST, Method::OPTIONS])
        .allow_headers([header::CONTENT_TYPE, HeaderName::from_static(responses::IDEMPOTENCY_KEY)])
        // The widget reads Retry-After of a 429 or 503 to know when to try again.
        .expose_headers([header::RETRY_AFTER])
        .max_age(std::time::Duration::from_secs(3600));
    let api = Router::new()
        .route("/api/responses", post(responses::submit))
        .route_layer(middleware::from_fn_with_state(state.clone(), responses::rate_limit))
        .layer(DefaultBodyLimit::max(responses::MAX_BODY_BYTES))
        .layer(cors.clone());
    let reach = Router::new()
        .route("/api/events", post(events::count))
        .route_layer(middleware::from_fn_with_state(state.clone(), events::rate_limit))
        .layer(DefaultBodyLimit::max(events::MAX_EVENT_BYTES))
        .layer(cors);

    let admin = Router::new()
        .route("/admin", get(admin::index))
        .route("/admin/surveys/{id}", get(admin::summary))
        .route("/admin/surveys/{id}/answers/{question}", get(admin::answers))
        .route("/admin/surveys/{id}/responses.json", get(admin::responses_json))
        .route("/admin/surveys/{id}/responses.csv", get(admin::responses_csv))
        .route("/admin/surveys/{id}/metrics.json", get(metrics::metrics_json))
        .route("/admin/sign-out", post(session::sign_out))
        .route("/admin/editor", get(editor::new_survey))
        .route("/admin/editor/{id}", get(editor::edit_survey))
        .route_layer(middleware::from_fn_with_state(state.clone(), session::require_admin))
        .route("/admin/sign-in", get(session::sign_in_page).post(session::sign_in));

    // The build writes a .br and a .gz copy of each bundle file; they are sent as they are.
    let bundle_files = ServeDir::new(&state.config.dist_dir)
        .precompressed_br()
        .precompressed_gzip()
        .not_found_service(not_found.into_service());
    // The editor's files: code, not data, so public like the bundle (the pages are not).
    let editor_files = ServeDir::new(&state.config.editor_dir)
        .precompressed_br()
        .precompressed_gzip()
        .not_found_service(not_found.into_service());
    let public = Router::new()
        .route("/surveys/{file}", get(surveys::definition))
        .nest_service("/survey-widget", bundle_files)
        .layer(middleware::from_fn(bundle::public_file_headers));

    Router::new()
        .route("/", get(|| async { pages::home() }))
        .route("/healthz", get(healthz))
        .route("/s/{id}", get(surveys::standalone))
        .route("/surveys", get(surveys::list))
        .route("/surveys.atom", get(surveys::atom))
        .route(crate::public::SHARE_SCRIPT_PATH, get(crate::public::share_script))
        .route(html::STYLESHEET_PATH, get(html::stylesheet))
        .nest_service(editor::EDITOR_PATH, editor_files)
        .merge(api)
        .merge(reach)
        .merge(admin)
        .merge(editing::routes(state.clone()))
        .merge(public)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), read_timeout))
        .layer(middleware::map_response(html::security_headers))
        // A bug must cost one request a 500, never the connection or the process.
        .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            Error::Internal("a request handler panicked".into()).into_response()
        }))
        // Whatever does not say otherwise revalidates.
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        // Pages and JSON by Accept-Encoding; an answer that already has a Content-Encoding (a
        // precompressed bundle file) is left as it is.
        // Below half a kilobyte (most JSON answers) compressing saves less than it costs.
        .layer(CompressionLayer::new().compress_when(DefaultPredicate::new().and(SizeAbove::new(512))))
        // Method, path and status only: never bodies, headers (the admin token) or addresses.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// `GET /healthz`: 200 while the database answers, with the surveys that are not served from
/// their files. One broken file must not take every instance out of a load balancer, so a
/// degraded survey is reported here, not by the status.
async fn healthz(State(state): State<AppState>) -> Result<Response> {
    state.store.ping().await?;
    Ok(Json(json!({ "status": "ok", "degraded": state.surveys.degraded() })).into_response())
}

/// Answers 408 when a request has not arrived, or not been answered, within
/// `READ_TIMEOUT_SECS`: a client sending its body a byte at a time holds a connection no longer.
/// The widget retries a 408; anything already stored is recognised by its `submission_id`.
async fn read_timeout(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(state.config.limits.read_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => Error::Timeout.into_response(),
    }
}

/// The client's address, for the per-client brakes only (kept in memory, never stored or
/// logged): the connection's peer, or whom a trusted proxy says it forwarded for.
pub fn client_address(state: &AppState, request: &Request) -> Option<IpAddr> {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip());
    crate::auth::client_ip(peer, request.headers(), &state.config.trusted_proxies)
}

/// The collector's address as the browser sees it: `PUBLIC_URL`, or else the scheme-less guess
/// `http://{Host}` (right for local use; a deployment behind TLS sets `PUBLIC_URL`).
pub fn base_url(config: &Config, headers: &HeaderMap) -> String {
    match &config.public_url {
        Some(url) => url.as_str().to_owned(),
        None => host_origin(headers).unwrap_or_else(|| format!("http://{}:{}", config.host, config.port)),
    }
}

/// What a browser sends as `Origin` from this collector's own pages.
pub fn own_origin(config: &Config, headers: &HeaderMap) -> Option<String> {
    match &config.public_url {
        Some(url) => Some(url.origin().to_owned()),
        None => host_origin(headers),
    }
}

fn host_origin(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    (!host.is_empty() && !host.contains(['/', ' ', '@'])).then(|| format!("http://{host}"))
}

/// Unknown paths get the same JSON 404 as everything else.
async fn not_found() -> Error {
    Error::NotFound("Nothing here.".into())
}
