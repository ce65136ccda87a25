//! Survey definitions, and the standalone page where a survey is answered on its own.

use crate::error::{Error, Result};
use crate::html::{escape, page};
use crate::surveys::Status;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

/// `GET /surveys/{id}.json`: the definition file exactly as written (or, if the file is broken
/// or gone, the newest good version stored: see [`crate::surveys`]).
pub async fn definition(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response> {
    let id = file.strip_suffix(".json").ok_or_else(not_found)?;
    let loaded = match state.surveys.status(id) {
        Status::Served(loaded) => loaded,
        Status::Unavailable => return Err(Error::SurveyUnavailable { id: id.to_owned() }),
        Status::Unknown => return Err(not_found()),
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
            // Authors edit definitions; a widget should see the new version on the next visit.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        loaded.source.clone(),
    )
        .into_response())
}

/// `GET /s/{id}`: a page with nothing but the survey, embedded exactly the way web teams are
/// told to embed it. It is the survey's share link and where the widget sends people when it
/// cannot run in the host page.
pub async fn standalone(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response> {
    let loaded = state.surveys.get(&id).ok_or_else(not_found)?;
    let survey = &loaded.survey;
    let lang = survey.default_language.as_str();
    let title = survey.title.get(lang, lang);
    let id = escape(&survey.id);
    let head = "<script src=\"/survey-widget/survey-widget.js\" async></script>\n";
    let body = format!(
        "<main class=\"standalone\">\n\
         <survey-widget src=\"/surveys/{id}.json\" endpoint=\"/api/responses\"></survey-widget>\n\
         <noscript><p>This survey needs JavaScript. Please turn it on, or use a browser that \
         supports it, to answer.</p></noscript>\n</main>\n"
    );
    Ok(page(lang, title, head, &body).into_response())
}

fn not_found() -> Error {
    Error::NotFound("There is no survey with this id.".into())
}
