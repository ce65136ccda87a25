//! The two requests the widget makes: fetch the definition, and POST the answers.

use gloo_timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Request, RequestCredentials, RequestInit, Response};

/// What became of one delivery attempt (docs/submission.md).
#[derive(Debug, Clone, PartialEq)]
pub enum PostOutcome {
    /// 2xx or 409: stored (now or before). The body's `reference`, if any.
    Delivered { reference: Option<String> },
    /// 400, 413, 422: the endpoint will never take it; do not retry.
    Refused { status: u16 },
    /// Network failure, timeout, 408, 429, 5xx, or anything unexpected: worth another try.
    Retry { reason: String },
}

fn js_reason(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map_or_else(|| "network error".to_owned(), |e| String::from(e.message()))
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

async fn body_text(response: &Response) -> Option<String> {
    let promise = response.text().ok()?;
    JsFuture::from(promise).await.ok()?.as_string()
}

/// Fetches a definition as text. Errs with a reason a web team can act on.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_credentials(RequestCredentials::Omit);
    let response = send(url, &init, 30_000).await?;
    if !response.ok() {
        return Err(format!("the server answered {}", response.status()));
    }
    body_text(&response).await.ok_or_else(|| "the response could not be read".to_owned())
}

/// POSTs a payload with its idempotency key. Never sends cookies: the endpoint needs none, and
/// an anonymous survey must not carry any.
pub async fn post_json(url: &str, body: &str, idempotency_key: &str, timeout_ms: u32) -> PostOutcome {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_credentials(RequestCredentials::Omit);
    init.set_body(&JsValue::from_str(body));
    let headers = match web_sys::Headers::new() {
        Ok(h) => h,
        Err(e) => return PostOutcome::Retry { reason: js_reason(&e) },
    };
    if headers.set("Content-Type", "application/json").is_err()
        || headers.set("Idempotency-Key", idempotency_key).is_err()
    {
        return PostOutcome::Retry { reason: "could not set headers".into() };
    }
    init.set_headers(&headers);
    let response = match send(url, &init, timeout_ms).await {
        Ok(r) => r,
        Err(reason) => return PostOutcome::Retry { reason },
    };
    let status = response.status();
    match status {
        200..=299 | 409 => {
            let reference = body_text(&response)
                .await
                // from_slice: see `embed::peek_id`.
                .and_then(|t| serde_json::from_slice::<serde_json::Value>(t.as_bytes()).ok())
                .and_then(|v| v.get("reference")?.as_str().map(str::to_owned));
            PostOutcome::Delivered { reference }
        }
        400 | 413 | 422 => PostOutcome::Refused { status },
        _ => PostOutcome::Retry { reason: format!("the server answered {status}") },
    }
}

/// A version 4 UUID from the browser's cryptographic random source.
pub fn new_uuid() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !filled {
        // No Web Crypto (very old browser): fall back to Math.random, still unique enough for
        // an idempotency key within one device.
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}
