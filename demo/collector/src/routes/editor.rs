//! The survey editor's pages, behind the sign-in: `GET /admin/editor` writes a new survey,
//! `GET /admin/editor/{id}` edits one (its draft, or its newest version). The editor itself is
//! a WebAssembly app (crate `survey-editor`, built by pkg-scripts/build-editor.sh into
//! `EDITOR_DIR`) served at [`EDITOR_PATH`]; it works through the API of [`super::editing`].

use super::session::private;
use crate::html::{escape, page};
use crate::pages::admin_nav;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Where the editor's files are served.
pub const EDITOR_PATH: &str = "/_collector/editor";

/// `GET /admin/editor`: a new survey.
pub async fn new_survey(State(state): State<AppState>) -> Response {
    editor_page(&state, None)
}

/// `GET /admin/editor/{id}`: an existing survey, or a new one with this id (from a link).
pub async fn edit_survey(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    if !survey_model::is_id(&id) {
        return crate::error::Error::NotFound(format!("\"{id}\" is not a survey id.")).into_response();
    }
    editor_page(&state, Some(&id))
}

fn editor_page(state: &AppState, id: Option<&str>) -> Response {
    let title = match id {
        Some(id) => format!("Edit the survey {id}"),
        None => "New survey".to_owned(),
    };
    if !state.config.editor_dir.join("editor.mjs").is_file() {
        // The collector runs without the editor built; say how to build it rather than show a
        // page that never starts.
        let body = format!(
            "{}<main>\n<h1>{}</h1>\n<p>The editor's files are not in <code>{}</code> (the <code>EDITOR_DIR</code> setting). \
             Build them with <code>pkg-scripts/build.sh</code>, or point <code>EDITOR_DIR</code> at where they are. \
             Surveys can still be published through the API and <code>SURVEYS_DIR</code>.</p>\n</main>\n",
            admin_nav(),
            escape(&title),
            escape(&state.config.editor_dir.display().to_string()),
        );
        let page = page("en", &format!("{title}: survey collector"), "", &body);
        return private((StatusCode::SERVICE_UNAVAILABLE, page).into_response());
    }
    let head = format!(
        "<link rel=\"stylesheet\" href=\"{EDITOR_PATH}/editor.css\">\n\
         <link rel=\"modulepreload\" href=\"{EDITOR_PATH}/survey_editor.js\">\n\
         <script type=\"module\" src=\"{EDITOR_PATH}/editor.mjs\"></script>\n"
    );
    // The preview is beside the editor's element, not inside it: the widget is a second yew
    // app, and events from inside it must never reach the editor's (see survey_editor::preview).
    let body = format!(
        "{}<main class=\"editor-page\">\n<h1>{}</h1>\n<div class=\"editor-columns\">\n\
         <div id=\"survey-editor\" data-survey=\"{}\" data-widget=\"/survey-widget/index.mjs\">\n\
         <p class=\"loading\" role=\"status\">Loading the editor…</p>\n\
         <noscript><p>The editor needs JavaScript. Surveys can also be published through the API and \
         <code>SURVEYS_DIR</code>.</p></noscript>\n</div>\n\
         <aside class=\"editor-preview\" aria-labelledby=\"preview-heading\">\n\
         <div class=\"preview-bar\">\n<h2 id=\"preview-heading\">Preview</h2>\n\
         <div class=\"preview-widths\" role=\"group\" aria-label=\"Preview width\">\n\
         <button type=\"button\" class=\"secondary small\" data-preview-width=\"phone\" aria-pressed=\"false\">Phone</button>\n\
         <button type=\"button\" class=\"secondary small\" data-preview-width=\"desktop\" aria-pressed=\"true\">Desktop</button>\n\
         </div>\n</div>\n\
         <p class=\"hint\" id=\"survey-editor-preview-status\" aria-live=\"polite\">The preview appears once the survey has no problems.</p>\n\
         <div class=\"preview-frame\">\n<div id=\"survey-editor-preview\"></div>\n</div>\n\
         </aside>\n</div>\n</main>\n",
        admin_nav(),
        escape(&title),
        escape(id.unwrap_or("")),
    );
    private(page("en", &format!("{title}: survey collector"), &head, &body).into_response())
}
