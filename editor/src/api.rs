//! The collector's editor API (docs/collector.md, "Managing surveys through the API"), called
//! from its own pages with the sign-in cookie. Every failure comes back as a sentence to show.

use gloo_net::http::{Request, Response};
use serde_json::Value;

/// What went wrong, in words for the author; with the model's problems when it refused a
/// definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub message: String,
    pub problems: Vec<survey_model::Problem>,
    /// The stored draft changed since this editor read it (412): nothing was written over it.
    pub draft_changed: bool,
}

impl Failure {
    pub fn plain(message: impl Into<String>) -> Self {
        Self { message: message.into(), problems: Vec::new(), draft_changed: false }
    }
}

/// What a save starts from, sent as its condition, so that it never writes over a draft this
/// editor has not seen (another tab, another author).
#[derive(Debug, Clone, PartialEq)]
pub enum Base {
    /// Whatever is stored: the author chose to replace it.
    Any,
    /// No draft: the survey had none when this editor opened it.
    NoDraft,
    /// The stored draft with this etag.
    Draft(String),
}

impl Base {
    /// The draft this editor last read or saved (`None`: there was none).
    pub fn from_etag(etag: Option<&str>) -> Self {
        etag.map_or(Base::NoDraft, |tag| Base::Draft(tag.to_owned()))
    }
}

type Reply = Result<Value, Failure>;

fn base(id: &str) -> String {
    format!("/admin/api/surveys/{id}")
}

/// The draft of `id` (or its newest version to start from); `Ok(None)` if there is neither.
pub async fn load(id: &str) -> Result<Option<Value>, Failure> {
    let response = Request::get(&format!("{}/draft", base(id))).send().await.map_err(offline)?;
    if response.status() == 404 {
        return Ok(None);
    }
    read(response).await.map(Some)
}

/// Keeps `source` as the draft of `id`, if the stored one is still `over`.
pub async fn save(id: &str, source: &str, over: &Base) -> Reply {
    let request = Request::put(&format!("{}/draft", base(id))).header("Content-Type", "application/json");
    let request = match over {
        Base::Any => request,
        Base::NoDraft => request.header("If-None-Match", "*"),
        Base::Draft(tag) => request.header("If-Match", &format!("\"{tag}\"")),
    };
    let request = request
        .body(source.to_owned())
        .map_err(|e| Failure::plain(format!("The draft could not be sent: {e}")))?;
    read(request.send().await.map_err(offline)?).await
}

/// Makes the saved draft of `id`, the one with `etag`, its next version.
pub async fn publish(id: &str, etag: &str) -> Reply {
    let request = Request::post(&format!("{}/publish", base(id))).header("If-Match", &format!("\"{etag}\""));
    read(request.send().await.map_err(offline)?).await
}

/// Every stored version of `id`.
pub async fn versions(id: &str) -> Reply {
    read(Request::get(&format!("{}/versions", base(id))).send().await.map_err(offline)?).await
}

fn offline(e: gloo_net::Error) -> Failure {
    Failure::plain(format!(
        "The collector could not be reached ({e}). Nothing was lost: your changes are still here. Try again in a moment."
    ))
}

/// The JSON of a 2xx answer, or what the collector said was wrong.
async fn read(response: Response) -> Reply {
    let status = response.status();
    if status == 204 {
        return Ok(Value::Null);
    }
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if (200..300).contains(&status) {
        return Ok(body);
    }
    if status == 401 {
        return Err(Failure::plain(
            "You are no longer signed in. Sign in again in another tab, then try again here: your changes are still here.",
        ));
    }
    let message = body
        .get("message")
        .and_then(Value::as_str)
        .map_or_else(|| format!("The collector answered {status}."), str::to_owned);
    let problems = body
        .get("problems")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            Some(survey_model::Problem::new(p.get("path")?.as_str()?, p.get("message")?.as_str()?))
        })
        .collect();
    Err(Failure { message, problems, draft_changed: status == 412 })
}
