//! Reach events: telling the collector, in aggregate, that the survey was seen, started and how
//! far people got (docs/submission.md, "Reach events").
//!
//! Each event is the survey, its version, the embed's channel and what happened: nothing that
//! tells one person from another, and no time (the collector notes the day it arrived). They go
//! by `fetch` with `keepalive` (so a page being left does not cancel them), without cookies and
//! without a `Referer`; never by `sendBeacon`, which sends both. None is retried: a lost event
//! costs one count, never an answer.
//!
//! `viewed` is sent each time the survey comes into view on a page load; `started` and each
//! page once per round of answering in this tab, so reloading a half-answered survey does not
//! count it twice. The marks of what was sent are kept in `sessionStorage` (they never leave
//! the device) and forgotten when the answers are sent, so answering again counts again.

use crate::config::MountOptions;
use crate::http;
use crate::storage::{self, Area};
use std::cell::RefCell;
use survey_model::{Channel, ReachEvent, ReachKind, Survey, SurveyRef};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry};

/// Sends one embed's reach events.
#[derive(Debug, Clone, PartialEq)]
pub struct Reporter {
    url: String,
    survey: SurveyRef,
    channel: Option<Channel>,
}

impl Reporter {
    /// A reporter for `survey` as this embed shows it, or none when the host turned reach
    /// events off or no events URL can be made.
    pub fn new(options: &MountOptions, survey: &Survey) -> Option<Reporter> {
        if !options.metrics {
            return None;
        }
        let url = events_url(options)?;
        Some(Reporter {
            url,
            survey: SurveyRef { id: survey.id.clone(), version: survey.version },
            channel: channel(options),
        })
    }

    /// The survey came into view: counted once per page load for each survey and channel, so
    /// a page that mounts the same survey again (a single-page app changing views) is one view.
    pub fn viewed(&self) {
        let key = format!("{}\n{}", self.record_key(), self.channel.as_ref().map_or("", Channel::as_str));
        let first = VIEWED.with(|seen| {
            let mut seen = seen.borrow_mut();
            let new = !seen.contains(&key);
            if new {
                seen.push(key);
            }
            new
        });
        if first {
            self.send(ReachKind::Viewed, None);
        }
    }

    /// The first answer was given (counted once per round).
    pub fn started(&self) {
        if self.first_time(&Mark::Started) {
            self.send(ReachKind::Started, None);
        }
    }

    /// A page of questions was shown (each counted once per round).
    pub fn reached(&self, page_id: &str) {
        if self.first_time(&Mark::Page(page_id)) {
            self.send(ReachKind::Page, Some(page_id.to_owned()));
        }
    }

    /// The answers were sent (or queued to be): the next round counts afresh.
    pub fn round_over(&self) {
        storage::remove(Area::Session, &self.record_key());
    }

    fn record_key(&self) -> String {
        format!("survey-widget:reach:{}:{}", self.survey.id, self.survey.version)
    }

    /// Whether `mark` is new in this round, recording it if so. Without storage every mark is
    /// new: counting a reload twice is better than never counting.
    fn first_time(&self, mark: &Mark<'_>) -> bool {
        let key = self.record_key();
        let record = storage::read(Area::Session, &key).unwrap_or_default();
        match with_mark(&record, mark) {
            Some(updated) => {
                storage::write(Area::Session, &key, &updated);
                true
            }
            None => false,
        }
    }

    fn send(&self, kind: ReachKind, page: Option<String>) {
        let event = ReachEvent { survey: self.survey.clone(), channel: self.channel.clone(), kind, page };
        // A struct of strings and numbers always serialises.
        let Ok(body) = serde_json::to_string(&event) else { return };
        http::post_event(&self.url, body);
    }
}

/// The embed's channel: its `channel` attribute, or else its hidden field `channel` if that is a
/// plain channel name (the same rule as the payload's `channel`).
fn channel(options: &MountOptions) -> Option<Channel> {
    options.channel.clone().or_else(|| options.hidden.get("channel").and_then(|c| Channel::parse(c).ok()))
}

thread_local! {
    /// The views counted in this page load (a handful: one per survey and channel).
    static VIEWED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Something counted once per round.
#[derive(Debug, PartialEq)]
enum Mark<'a> {
    Started,
    Page(&'a str),
}

/// The record with `mark` added, or `None` if it is already there. The record is one mark per
/// line (`started`, `page:ID`); page ids cannot contain a line break.
fn with_mark(record: &str, mark: &Mark<'_>) -> Option<String> {
    let line = match mark {
        Mark::Started => "started".to_owned(),
        Mark::Page(id) => format!("page:{id}"),
    };
    if record.lines().any(|l| l == line) {
        return None;
    }
    Some(if record.is_empty() { line } else { format!("{record}\n{line}") })
}

/// The events URL: the host's, or `events` beside the endpoint, both made absolute against
/// the page.
fn events_url(options: &MountOptions) -> Option<String> {
    let base = web_sys::window()?.document()?.base_uri().ok().flatten()?;
    let endpoint = web_sys::Url::new_with_base(&options.endpoint, &base).ok()?.href();
    let url = match &options.events_url {
        Some(given) => web_sys::Url::new_with_base(given, &base),
        None => web_sys::Url::new_with_base("events", &endpoint),
    };
    url.ok().map(|u| u.href())
}

/// Calls `onview` once, the first time `target` is on screen; dropping it stops watching.
#[must_use = "dropping the watch stops it before the survey is seen"]
pub struct ViewWatch {
    observer: Option<IntersectionObserver>,
    // Kept alive for as long as the observer may call it.
    _callback: Option<Closure<dyn FnMut(js_sys::Array, IntersectionObserver)>>,
}

impl ViewWatch {
    /// Watches `target`. An element already on screen counts at once: some engines deliver
    /// an observer's first report only after the next repaint, which may be a long time coming
    /// on a still page.
    pub fn new(target: &Element, onview: impl FnOnce() + 'static) -> ViewWatch {
        if on_screen(target) {
            onview();
            return ViewWatch { observer: None, _callback: None };
        }
        let mut onview = Some(onview);
        let callback = Closure::<dyn FnMut(js_sys::Array, IntersectionObserver)>::new(
            move |entries: js_sys::Array, observer: IntersectionObserver| {
                let seen = entries
                    .iter()
                    .filter_map(|e| e.dyn_into::<IntersectionObserverEntry>().ok())
                    .any(|e| e.is_intersecting());
                if seen {
                    observer.disconnect();
                    if let Some(f) = onview.take() {
                        f();
                    }
                }
            },
        );
        let observer = IntersectionObserver::new(callback.as_ref().unchecked_ref()).ok();
        if let Some(o) = &observer {
            o.observe(target);
        }
        ViewWatch { observer, _callback: Some(callback) }
    }
}

impl Drop for ViewWatch {
    fn drop(&mut self) {
        if let Some(o) = &self.observer {
            o.disconnect();
        }
    }
}

/// Whether any part of `el` is inside the viewport now.
fn on_screen(el: &Element) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let height = window.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
    let width = window.inner_width().ok().and_then(|w| w.as_f64()).unwrap_or(0.0);
    let r = el.get_bounding_client_rect();
    r.height() > 0.0 && r.bottom() > 0.0 && r.top() < height && r.right() > 0.0 && r.left() < width
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_mark_is_new_once() {
        let r = with_mark("", &Mark::Started).expect("new");
        assert_eq!(r, "started");
        assert_eq!(with_mark(&r, &Mark::Started), None);
        let r = with_mark(&r, &Mark::Page("about-you")).expect("new page");
        assert_eq!(r, "started\npage:about-you");
        assert_eq!(with_mark(&r, &Mark::Page("about-you")), None);
        assert!(with_mark(&r, &Mark::Page("about")).is_some(), "a prefix of a page id is another page");
    }
}
