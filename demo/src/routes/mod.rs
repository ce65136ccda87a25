//! The HTTP surface: which path goes where, and the layers around it.

pub mod admin;
pub mod responses;
pub mod surveys;

use crate::error::{Error, Result};
use crate::html;
use crate::AppState;
use axum::extract::{DefaultBodyLimit, State};
use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use std::path::Path;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Builds the whole application. Tests call this and send requests without a socket.
pub fn app(state: AppState) -> Router {
    // CORS only where another site's page legitimately calls in: delivering answers.
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(state.config.allowed_origins.iter().cloned()))
        .allow_methods([Method::POST, Method::OPTIONS])
        .allow_headers([header::CONTENT_TYPE, HeaderName::from_static(responses::IDEMPOTENCY_KEY)])
        .max_age(std::time::Duration::from_secs(3600));
    let api = Router::new()
        .route("/api/responses", post(responses::submit))
        .layer(DefaultBodyLimit::max(responses::MAX_BODY_BYTES))
        .layer(cors);

    let admin = Router::new()
        .route("/admin/surveys/{id}", get(admin::summary))
        .route("/admin/surveys/{id}/responses.json", get(admin::responses_json))
        .route("/admin/surveys/{id}/responses.csv", get(admin::responses_csv))
        .route_layer(middleware::from_fn_with_state(state.clone(), admin::require_token));

    Router::new()
        .route("/healthz", get(healthz))
        .route("/surveys/{file}", get(surveys::definition))
        .route("/s/{id}", get(surveys::standalone))
        .route(html::STYLESHEET_PATH, get(html::stylesheet))
        .merge(api)
        .merge(admin)
        .nest_service("/survey-widget", static_dir(&state.config.dist_dir).not_found_service(not_found.into_service()))
        .fallback_service(static_dir(&state.config.site_dir).not_found_service(not_found.into_service()))
        .layer(middleware::map_response(html::security_headers))
        // A bug must cost one request a 500, never the connection or the process.
        .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            Error::Internal("a request handler panicked".into()).into_response()
        }))
        // Static files revalidate (ServeDir answers 304 when unchanged), so a rebuilt bundle
        // or an edited page is picked up on the next load; handlers may choose otherwise.
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        // Method, path and status only: never bodies, headers (the admin token) or addresses.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// `GET /healthz`: 200 once the surveys are loaded (they are, or there would be no state) and
/// the database answers.
async fn healthz(State(state): State<AppState>) -> Result<&'static str> {
    state.store.ping().await?;
    Ok("ok")
}

/// A folder of static files, `index.html` for a folder.
fn static_dir(dir: &Path) -> ServeDir {
    ServeDir::new(dir).append_index_html_on_directories(true)
}

/// Unknown paths get the same JSON 404 as everything else.
async fn not_found() -> Error {
    Error::NotFound("Nothing here.".into())
}
