//! The two requests the widget makes, fetching the definition and POSTing the answers, both
//! made the same private way (docs/submission.md, "The request"):
//! - `credentials: "omit"`: no cookie or other credential, for any survey;
//! - `referrerPolicy: "no-referrer"`: no `Referer`, so the host page's address goes nowhere;
//! - `redirect: "error"`: a redirect fails the request. A captive portal or login proxy
//!   answering 302 would otherwise turn a POST into a GET of its own page, whose 200 is no
//!   delivery, and a definition into its sign-in page.

use gloo_timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReferrerPolicy, Request, RequestCredentials, RequestInit, RequestRedirect, Response};

fn js_reason(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map_or_else(|| "network error".to_owned(), |e| String::from(e.message()))
}

fn init(method: &str) -> RequestInit {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::Omit);
    init.set_referrer_policy(ReferrerPolicy::NoReferrer);
    init.set_redirect(RequestRedirect::Error);
    init
}

async fn send(url: &str, init: &RequestInit, timeout_ms: u32) -> Result<Response, String> {
    let window = web_sys::window().ok_or("no window")?;
    let controller = AbortController::new().map_err(|e| js_reason(&e))?;
    init.set_signal(Some(&controller.signal()));
    let request = Request::new_with_str_and_init(url, init).map_err(|e| js_reason(&e))?;
    // Dropping the timeout (when the request finishes first) cancels it.
    let _timeout = Timeout::new(timeout_ms, move || controller.abort());
    let response = JsFuture::from(window.fetch_with_request(&request)).await.map_err(|e| js_reason(&e))?;
    response.dyn_into::<Response>().map_err(|_| "not a response".to_owned())
}

/// A response's body as text, if it can be read.
pub async fn body_text(response: &Response) -> Option<String> {
    let promise = response.text().ok()?;
    JsFuture::from(promise).await.ok()?.as_string()
}

/// Fetches a definition as text. Errs with a reason a web team can act on.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let response = send(url, &init("GET"), 30_000).await?;
    if !response.ok() {
        return Err(format!("the server answered {}", response.status()));
    }
    body_text(&response).await.ok_or_else(|| "the response could not be read".to_owned())
}

/// POSTs a reach event and forgets it: no answer is read and nothing is retried. `keepalive`
/// lets it outlive the page (a respondent leaving right after a page was counted), which
/// `sendBeacon` would too, but only `fetch` can leave out cookies and the `Referer`.
pub fn post_event(url: &str, body: String) {
    let init = init("POST");
    init.set_body(&JsValue::from_str(&body));
    let _ = js_sys::Reflect::set(&init, &JsValue::from_str("keepalive"), &JsValue::TRUE);
    let Ok(headers) = web_sys::Headers::new() else { return };
    if headers.set("Content-Type", "application/json").is_err() {
        return;
    }
    init.set_headers(&headers);
    let (Some(window), Ok(request)) = (web_sys::window(), Request::new_with_str_and_init(url, &init)) else { return };
    // The promise is let go at once: the browser keeps the request going (keepalive) and the
    // Wasm holds nothing for it, however many are in flight. A lost event costs one count, and
    // there is nobody to tell; a rejected promise nobody awaits is not reported as an error.
    let promise = window.fetch_with_request(&request);
    IGNORE.with(|ignore| drop(promise.catch(ignore)));
}

thread_local! {
    /// One handler for every event's rejected promise, made once.
    static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_| {});
}

/// POSTs a JSON body with its idempotency key. Errs (with the reason) only when no answer came:
/// what an answer means is for the delivery module to say.
pub async fn post_json(url: &str, body: &str, idempotency_key: &str, timeout_ms: u32) -> Result<Response, String> {
    let init = init("POST");
    init.set_body(&JsValue::from_str(body));
    let headers = web_sys::Headers::new().map_err(|e| js_reason(&e))?;
    if headers.set("Content-Type", "application/json").is_err() || headers.set("Idempotency-Key", idempotency_key).is_err() {
        return Err("could not set headers".into());
    }
    init.set_headers(&headers);
    send(url, &init, timeout_ms).await
}
