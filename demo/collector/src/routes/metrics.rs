//! `GET /admin/surveys/{id}/metrics.json`: the reach counters and completions of a survey, for
//! scripts and dashboards (docs/collector.md). Behind the admin sign-in, and filtered by the
//! same `channel`, `from` and `to` as the results page and the exports.

use crate::error::{Error, Result};
use crate::filter::ResultsFilter;
use crate::metrics::Metrics;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;

/// The metrics of one survey, as JSON.
pub async fn metrics_json(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Metrics>> {
    let filter = super::admin::export_filter(&pairs)?;
    Ok(Json(tally(&state, &id, &filter).await?))
}

/// Reads the counters and completions of a survey the collector serves now.
pub async fn tally(state: &AppState, id: &str, filter: &ResultsFilter) -> Result<Metrics> {
    let loaded = state.surveys.get(id).ok_or_else(|| Error::NotFound("There is no survey with this id.".into()))?;
    let reach = state.store.reach_counts(id, filter).await?;
    let completions = state.store.completion_counts(id, filter).await?;
    Ok(Metrics::tally(&loaded.survey, &reach, &completions))
}
