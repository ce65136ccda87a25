//! The API the survey editor works through, behind the admin sign-in (docs/collector.md,
//! "Managing surveys through the API"). Everything that changes something passes the same
//! Origin check as the other admin requests ([`super::session::require_admin`]).
//!
//! - `GET /admin/api/surveys`: every survey, published or only drafted.
//! - `POST /admin/api/surveys`: a new survey from a definition (an uploaded file), published as
//!   version 1; the id must be new.
//! - `GET`, `PUT`, `DELETE /admin/api/surveys/{id}/draft`: the draft, any text at all. Its
//!   `etag` names the text; a `PUT` with `If-Match: "<etag>"` (or `If-None-Match: *` for a
//!   first draft) is refused with 412 if the draft has changed since, so two tabs or two authors
//!   never save over each other unseen. A `DELETE` with `If-Match` forgets only that draft.
//! - `POST /admin/api/surveys/{id}/publish`: the draft becomes the next version (with
//!   `If-Match`, only the draft of that `etag`).
//! - `GET /admin/api/surveys/{id}/versions`: every stored version; `POST` there publishes an
//!   uploaded file as the next version.
//! - `GET /admin/surveys/{id}/versions/{n}.json`: one version's text, as a download.
//!
//! A publish reaches this instance's catalog before the answer is sent, and every other
//! instance within seconds ([`crate::live`]).

use super::base_url;
use super::session::{private, require_admin};
use crate::editing::{self, Checked, MAX_DEFINITION_BYTES};
use crate::error::{Error, Result};
use crate::pages;
use crate::store::{Draft, DraftBase};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use survey_model::Survey;

/// The editor's routes, each behind the sign-in.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/admin/api/surveys", get(list).post(create))
        .route("/admin/api/surveys/{id}/draft", get(draft).put(save_draft).delete(discard_draft))
        .route("/admin/api/surveys/{id}/publish", axum::routing::post(publish))
        .route("/admin/api/surveys/{id}/versions", get(versions).post(upload))
        .route("/admin/surveys/{id}/versions/{file}", get(download))
        .route_layer(middleware::from_fn_with_state(state, require_admin))
        .layer(DefaultBodyLimit::max(MAX_DEFINITION_BYTES))
}

/// `GET /admin/api/surveys`: every survey this collector serves or has a draft of, by id.
async fn list(State(state): State<AppState>) -> Result<Response> {
    let drafts: BTreeMap<String, String> = state.store.drafts().await?.into_iter().collect();
    let mut surveys: BTreeMap<&str, Value> = BTreeMap::new();
    for loaded in state.surveys.iter() {
        let survey = &loaded.survey;
        surveys.insert(&survey.id, json!({
            "id": survey.id,
            "title": crate::public::title(survey),
            "version": survey.version,
            "draft_saved_at": drafts.get(&survey.id),
            "definition_url": format!("/surveys/{}.json", survey.id),
        }));
    }
    for (id, saved_at) in &drafts {
        surveys.entry(id).or_insert_with(|| {
            json!({ "id": id, "title": null, "version": null, "draft_saved_at": saved_at, "definition_url": null })
        });
    }
    Ok(private(Json(json!({ "surveys": surveys.into_values().collect::<Vec<_>>() })).into_response()))
}

/// `POST /admin/api/surveys`: a new survey, from a whole definition (an uploaded file, say),
/// published at once as version 1 whatever `version` it says. 409 if the id is taken, by a
/// published survey or by a draft someone is writing.
async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let source = text(body)?;
    // The id the definition gives is the one to check; a definition that does not parse has
    // none to trust, so every problem is listed first.
    let id = match Survey::parse(&source) {
        Ok(survey) => survey.id,
        Err(e) => return Err(Error::InvalidDefinition(e.problems().to_vec())),
    };
    let taken = || Error::Conflict(format!("There is already a survey with the id \"{id}\". Upload a new version of it instead, or choose another id."));
    if state.store.draft(&id).await?.is_some() {
        return Err(Error::Conflict(format!(
            "A draft of a survey with the id \"{id}\" is being written. Open it in the editor, or choose another id."
        )));
    }
    let Some(version) = state.store.create_survey(&id, |n| editing::with_version(&source, n)).await? else {
        return Err(taken());
    };
    published(&state, &headers, &id, version, &[]).await
}

/// `GET /admin/api/surveys/{id}/draft`: the draft if one is kept, else the newest published
/// version to start one from, with what the model makes of it. 404 if neither exists.
async fn draft(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response> {
    if let Some(draft) = state.store.draft(&id).await? {
        let Draft { source, updated_at } = &draft;
        let checked = editing::check(&id, source);
        let body = json!({
            "id": id,
            "draft": true,
            "etag": draft.tag(),
            "saved_at": updated_at,
            "published_version": published_version(&state, &id),
            "source": source,
            "problems": checked.problems(),
            "warnings": checked.warnings(),
        });
        return Ok(private(Json(body).into_response()));
    }
    let loaded = state.surveys.get(&id).ok_or_else(|| no_survey(&id))?;
    let body = json!({
        "id": id,
        "draft": false,
        "etag": null,
        "saved_at": null,
        "published_version": loaded.survey.version,
        "source": loaded.source,
        "problems": [],
        "warnings": [],
    });
    Ok(private(Json(body).into_response()))
}

/// `PUT /admin/api/surveys/{id}/draft`: keeps the body as the draft, whatever it holds (even
/// half-written JSON), and answers with what the model makes of it, every problem by path.
/// With `If-Match` or `If-None-Match: *`, only over the draft the saver had (412 otherwise).
async fn save_draft(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    if !editing::is_survey_id(&id) {
        return Err(Error::BadRequest(
            "A survey id uses only a-z, 0-9, \"_\" and \"-\", at most 64 of them.".into(),
        ));
    }
    let source = text(body)?;
    let base = draft_base(&headers)?;
    let Some(saved) = state.store.save_draft_over(&id, &base, &source).await? else {
        return Err(changed(&state, &id).await);
    };
    let checked = editing::check(&id, &source);
    let body = json!({
        "id": id,
        "etag": saved.tag(),
        "saved_at": saved.updated_at,
        "publishable": checked.problems().is_empty(),
        "problems": checked.problems(),
        "warnings": checked.warnings(),
    });
    Ok(private(Json(body).into_response()))
}

/// What a save starts from, by its conditional headers: `If-Match: "<etag>"` (that draft),
/// `If-None-Match: *` (no draft), or neither (whatever is stored).
fn draft_base(headers: &HeaderMap) -> Result<DraftBase> {
    let unreadable = || Error::BadRequest("If-Match must be an etag in quotes, as the draft's etag was given.".into());
    if let Some(value) = headers.get(header::IF_MATCH) {
        let value = value.to_str().map_err(|_| unreadable())?.trim();
        let tag = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).ok_or_else(unreadable)?;
        return Ok(DraftBase::Tag(tag.to_owned()));
    }
    match headers.get(header::IF_NONE_MATCH).map(|v| v.as_bytes()) {
        Some(b"*") => Ok(DraftBase::None),
        Some(_) => Err(Error::BadRequest("If-None-Match on a draft can only be *: save only if there is no draft.".into())),
        None => Ok(DraftBase::Any),
    }
}

/// The refusal of a save over a draft the saver had not seen, with when that draft was saved.
async fn changed(state: &AppState, id: &str) -> Error {
    let saved_at = state.store.draft(id).await.ok().flatten().map(|d| d.updated_at);
    Error::DraftChanged { saved_at }
}

/// `DELETE /admin/api/surveys/{id}/draft`: forgets the draft; the published versions stay.
/// With `If-Match: "<etag>"`, only that draft. A draft saved in between, or one other than the
/// etag names, is kept and the answer is 412 `draft_changed`, as for a save.
async fn discard_draft(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Result<Response> {
    let base = draft_base(&headers)?;
    let Some(draft) = state.store.draft(&id).await? else {
        return Err(Error::NotFound(format!("There is no draft of the survey \"{id}\".")));
    };
    let seen = match &base {
        DraftBase::Any => true,
        DraftBase::Tag(tag) => draft.tag() == *tag,
        DraftBase::None => false,
    };
    // Forgotten only if it is still the text just read: never a draft saved a moment later.
    if !seen || !state.store.delete_draft_if(&id, &draft.source).await? {
        return Err(changed(&state, &id).await);
    }
    Ok(private(StatusCode::NO_CONTENT.into_response()))
}

/// `POST /admin/api/surveys/{id}/publish`: the draft becomes the survey's next version (the
/// newest stored plus one, whatever it says), if the model finds no problem in it; 422 with
/// every problem otherwise. Every earlier version is kept, so answers to them still count.
async fn publish(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Result<Response> {
    let Some(draft) = state.store.draft(&id).await? else {
        return Err(Error::NotFound(format!("There is no draft of the survey \"{id}\" to publish. Save one first.")));
    };
    if let DraftBase::Tag(tag) = draft_base(&headers)? {
        if draft.tag() != tag {
            return Err(Error::DraftChanged { saved_at: Some(draft.updated_at) });
        }
    }
    let warnings = valid(&id, &draft.source)?;
    let version = state.store.publish(&id, |n| editing::with_version(&draft.source, n)).await?;
    // Only if unchanged: a draft saved while this was publishing is the author's newer work.
    state.store.delete_draft_if(&id, &draft.source).await?;
    published(&state, &headers, &id, version, &warnings).await
}

/// `POST /admin/api/surveys/{id}/versions`: an uploaded definition of an existing survey,
/// checked as a publish is, becomes its next version. The draft, if any, is left alone.
async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let source = text(body)?;
    if state.store.definition_versions(&id).await?.is_empty() {
        return Err(Error::NotFound(format!(
            "There is no survey \"{id}\" yet. Upload its first version to /admin/api/surveys."
        )));
    }
    let warnings = valid(&id, &source)?;
    let version = state.store.publish(&id, |n| editing::with_version(&source, n)).await?;
    published(&state, &headers, &id, version, &warnings).await
}

/// `GET /admin/api/surveys/{id}/versions`: every stored version, oldest first, with when it
/// was first stored and where to download it.
async fn versions(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response> {
    let entries = state.store.version_entries(&id).await?;
    if entries.is_empty() {
        return Err(no_survey(&id));
    }
    let versions: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "version": e.version,
                "stored_at": e.first_loaded_at,
                "download_url": format!("/admin/surveys/{id}/versions/{}.json", e.version),
            })
        })
        .collect();
    let body = json!({ "id": id, "current_version": published_version(&state, &id), "versions": versions });
    Ok(private(Json(body).into_response()))
}

/// `GET /admin/surveys/{id}/versions/{n}.json`: one stored version's text exactly as stored,
/// as a file to save.
async fn download(State(state): State<AppState>, Path((id, file)): Path<(String, String)>) -> Result<Response> {
    let not_stored = || Error::NotFound(format!("The survey \"{id}\" has no version {file}."));
    let version: u32 = file.strip_suffix(".json").and_then(|n| n.parse().ok()).ok_or_else(not_stored)?;
    let source = state.store.definition(&id, version).await?.ok_or_else(not_stored)?;
    let mut response = ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], source).into_response();
    // The id is a-z, 0-9, "_" and "-" (it was stored), so the name needs no quoting.
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"{id}-v{version}.json\"")) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, disposition);
    }
    Ok(private(response))
}

/// A body as text, or why not.
fn text(body: std::result::Result<Bytes, BytesRejection>) -> Result<String> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::BadRequest(format!("The definition is larger than the limit of {} KiB.", MAX_DEFINITION_BYTES / 1024))
        } else {
            Error::BadRequest("The request body could not be read.".into())
        }
    })?;
    String::from_utf8(body.to_vec()).map_err(|_| Error::BadRequest("The definition must be UTF-8 text.".into()))
}

/// The warnings of a publishable definition of `id`, or 422 with every problem.
fn valid(id: &str, source: &str) -> Result<Vec<survey_model::Problem>> {
    match editing::check(id, source) {
        Checked::Valid { warnings, .. } => Ok(warnings),
        Checked::Invalid(problems) => Err(Error::InvalidDefinition(problems)),
    }
}

/// The answer to a publish: this instance's catalog read again first, so the survey is served
/// from here before the author hears it is published; and the snippet to embed it with.
async fn published(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    version: u32,
    warnings: &[survey_model::Problem],
) -> Result<Response> {
    tracing::info!(id, version, "survey version published");
    // Stored is published: if this read fails, the poll reads it in a moment.
    if let Err(e) = state.catalog.refresh().await {
        tracing::warn!(id, error = %e, "published, but the catalog could not be read again yet");
    }
    let body = json!({
        "id": id,
        "version": version,
        "definition_url": format!("/surveys/{id}.json"),
        "download_url": format!("/admin/surveys/{id}/versions/{version}.json"),
        "embed_snippet": pages::snippet(&base_url(&state.config, headers), id),
        "warnings": warnings,
    });
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/admin/surveys/{id}/versions/{version}.json")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(private(response))
}

/// The version of `id` this request's catalog serves, if any.
fn published_version(state: &AppState, id: &str) -> Option<u32> {
    state.surveys.get(id).map(|l| l.survey.version)
}

fn no_survey(id: &str) -> Error {
    Error::NotFound(format!("There is no survey \"{id}\"."))
}
