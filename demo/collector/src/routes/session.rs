//! Signing in and out of the admin pages, and the gate in front of them.
//!
//! A browser signs in with the admin token through a form and is then known by its session
//! cookie; a script sends `Authorization: Bearer`. A browser that opens an admin link while
//! signed out is sent to the form and comes back to that link. Every admin request that
//! changes something must come from a page of this collector (`Origin` checked against
//! `PUBLIC_URL`): `SameSite=Strict` alone would let a neighbouring subdomain post.

use crate::auth::{self, SignInCheck};
use crate::error::{Error, Result};
use crate::pages::{self, SignInProblem};
use crate::AppState;
use super::client_address;
use axum::extract::{FromRequest as _, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

/// The query of the sign-in page.
#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The sign-in form as posted.
#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    token: String,
    next: Option<String>,
}

/// `GET /admin/sign-in?next=…`
pub async fn sign_in_page(Query(query): Query<NextQuery>) -> Response {
    private(pages::sign_in(&auth::safe_next(query.next.as_deref()), SignInProblem::None).into_response())
}

/// `POST /admin/sign-in`: a right token gets a session and goes on to `next`; a wrong one gets
/// the form again, with the problem, after a delay.
pub async fn sign_in(State(state): State<AppState>, request: Request) -> Result<Response> {
    require_same_origin(&state, request.method(), request.headers())?;
    let client = client_address(&state, &request);
    let Form(form) = Form::<SignInForm>::from_request(request, &state)
        .await
        .map_err(|_| Error::BadRequest("The sign-in form could not be read.".into()))?;
    let next = auth::safe_next(form.next.as_deref());
    match auth::check_token(&state.admin_token, &state.guesses, client, form.token.trim()).await {
        SignInCheck::Right => {}
        SignInCheck::Wrong => {
            let page = pages::sign_in(&next, SignInProblem::WrongToken);
            return Ok(private((StatusCode::UNAUTHORIZED, page).into_response()));
        }
        SignInCheck::Refused { retry_after } => return Err(Error::TooManyTries { retry_after }),
    }
    let (secret, hash) = auth::new_session()?;
    let expires = time::OffsetDateTime::now_utc().unix_timestamp() + auth::SESSION_LIFETIME.as_secs() as i64;
    state.store.create_session(hash, expires).await?;
    let mut response = Redirect::to(&next).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie(&auth::set_session_cookie(&secret, secure(&state)))?);
    Ok(private(response))
}

/// `POST /admin/sign-out`: forgets the session everywhere (every instance shares the store).
pub async fn sign_out(State(state): State<AppState>, method: Method, headers: HeaderMap) -> Result<Response> {
    require_same_origin(&state, &method, &headers)?;
    if let Some(secret) = auth::session_cookie(&headers) {
        state.store.delete_session(auth::session_hash(secret)).await?;
    }
    let mut response = Redirect::to("/admin/sign-in").into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie(&auth::clear_session_cookie(secure(&state)))?);
    Ok(private(response))
}

/// Lets a request through with a valid bearer token or session, and only from this collector's
/// own pages if it changes something. Runs before the handler, so a stranger cannot even learn
/// which surveys exist.
pub async fn require_admin(State(state): State<AppState>, request: Request, next: Next) -> Result<Response> {
    let client = client_address(&state, &request);
    if let Some(token) = auth::bearer(request.headers()) {
        // A script: no cookie involved, so no cross-site forgery to guard against.
        return match auth::check_token(&state.admin_token, &state.guesses, client, token).await {
            SignInCheck::Right => Ok(next.run(request).await),
            SignInCheck::Wrong => Err(Error::Unauthorized),
            SignInCheck::Refused { retry_after } => Err(Error::TooManyTries { retry_after }),
        };
    }
    let signed_in = match auth::session_cookie(request.headers()) {
        Some(secret) => state.store.session_is_valid(auth::session_hash(secret)).await?,
        None => false,
    };
    if signed_in {
        require_same_origin(&state, request.method(), request.headers())?;
        return Ok(next.run(request).await);
    }
    if wants_html(request.headers()) && request.method() == Method::GET {
        let here = request.uri().path_and_query().map_or("/admin", |p| p.as_str());
        let to = format!("/admin/sign-in?next={}", percent_encode(here));
        return Ok(private(Redirect::to(&to).into_response()));
    }
    Err(Error::Unauthorized)
}

/// Refuses a request that changes something unless it comes from a page of this collector.
fn require_same_origin(state: &AppState, method: &Method, headers: &HeaderMap) -> Result<()> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let expected = super::own_origin(&state.config, headers);
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    match (origin, expected) {
        (Some(origin), Some(expected)) if origin == expected => Ok(()),
        _ => Err(Error::Forbidden(
            "This request must come from the collector's own pages (its Origin did not match PUBLIC_URL).".into(),
        )),
    }
}

/// A browser navigating (as opposed to a script asking for JSON).
fn wants_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
}

fn secure(state: &AppState) -> bool {
    state.config.public_url.as_ref().is_some_and(|u| u.is_https())
}

fn cookie(value: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(value).map_err(|e| Error::Internal(format!("cookie header: {e}")))
}

/// Admin answers are about someone's responses or someone's session: never cached.
pub fn private(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Enough percent-encoding for a path and query inside a query value.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_encoded_so_its_query_survives() {
        assert_eq!(percent_encode("/admin/surveys/a?x=1&y=2"), "/admin/surveys/a%3Fx%3D1%26y%3D2");
    }
}
