//! A person on the engagement team reads results in a browser: the sign-in form, the session
//! cookie, coming back to the link they opened, signing out, and what stops others (the Origin
//! check, slow and braked wrong tokens). Sessions live in the database, so two collector
//! instances on one database share them.

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use axum::response::Response;
use common::*;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use survey_collector::auth::{MAX_WRONG_TOKENS, WRONG_TOKEN_DELAY};
use survey_collector::config::PublicUrl;

const PUBLIC: &str = "https://collect.example.org";

/// A collector with `PUBLIC_URL` set, as behind a TLS proxy.
fn env_behind_proxy(engine: Engine) -> TestEnv {
    let mut env = TestEnv::on(engine);
    env.config.public_url = Some(PublicUrl::parse(PUBLIC).expect("valid"));
    env
}

fn browser_get(uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut r = Request::get(uri).header(header::ACCEPT, "text/html,application/xhtml+xml");
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    r.body(Body::empty()).expect("request")
}

fn form_post(uri: &str, origin: Option<&str>, cookie: Option<&str>, form: &str, client: &str) -> Request<Body> {
    let mut r = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(o) = origin {
        r = r.header(header::ORIGIN, o);
    }
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    let mut request = r.body(Body::from(form.to_owned())).expect("request");
    let addr: SocketAddr = format!("{client}:40000").parse().expect("address");
    request.extensions_mut().insert(ConnectInfo(addr));
    request
}

fn location(response: &Response) -> &str {
    response.headers()[header::LOCATION].to_str().expect("ascii")
}

/// `survey_admin=SECRET` from a sign-in answer's `Set-Cookie`.
fn session_of(response: &Response) -> String {
    let set = response.headers()[header::SET_COOKIE].to_str().expect("ascii");
    set.split(';').next().expect("a name=value first").to_owned()
}

on_both_engines! {
    async fn a_signed_out_link_leads_through_the_form_and_back_to_itself(engine) {
        let env = env_behind_proxy(engine);
        let app = env.app().await;
        let wanted = "/admin/surveys/digital-engagement/responses.csv";

        let response = send(&app, browser_get(wanted, None)).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let to_form = location(&response).to_owned();
        assert_eq!(to_form, "/admin/sign-in?next=/admin/surveys/digital-engagement/responses.csv");

        let form = body_text(send(&app, browser_get(&to_form, None)).await).await;
        assert!(form.contains("<label for=\"token\">Admin token</label>"), "{form}");
        assert!(form.contains(&format!("value=\"{wanted}\"")), "{form}");

        let body = format!("token={TOKEN}&next={}", wanted.replace('/', "%2F"));
        let response = send(&app, form_post("/admin/sign-in", Some(PUBLIC), None, &body, "192.0.2.10")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), wanted);
        let set = response.headers()[header::SET_COOKIE].to_str().expect("ascii").to_owned();
        for part in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/admin", "Max-Age=28800"] {
            assert!(set.contains(part), "{part} in {set}");
        }
        let cookie = session_of(&response);

        let csv = send(&app, browser_get(wanted, Some(&cookie))).await;
        assert_eq!(csv.status(), StatusCode::OK);
        assert!(csv.headers()[header::CONTENT_TYPE].to_str().expect("ascii").starts_with("text/csv"));
        assert_eq!(csv.headers()[header::CACHE_CONTROL], "no-store");

        // Every admin page works from links with the cookie alone.
        let index = body_text(send(&app, browser_get("/admin", Some(&cookie))).await).await;
        assert!(index.contains("href=\"/admin/surveys/digital-engagement\""), "{index}");
        assert!(index.contains("href=\"/admin/surveys/digital-engagement/responses.json\""), "{index}");
        let summary = body_text(send(&app, browser_get("/admin/surveys/digital-engagement", Some(&cookie))).await).await;
        assert!(summary.contains("action=\"/admin/sign-out\""), "{summary}");
        // The snippet for web teams carries the collector's public URL.
        assert!(
            summary.contains("https://collect.example.org/survey-widget/survey-widget.js&quot; async referrerpolicy=&quot;no-referrer&quot;"),
            "{summary}"
        );
        assert!(summary.contains("endpoint=&quot;https://collect.example.org/api/responses&quot;"), "{summary}");
    }
}

on_both_engines! {
    async fn a_script_without_a_token_gets_401_not_a_redirect(engine) {
        let env = TestEnv::on(engine);
        let (status, body) = send_json(&env.app().await, get("/admin/surveys/digital-engagement/responses.json")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"], "unauthorized");
    }
}

on_both_engines! {
    async fn a_wrong_token_is_answered_slowly_with_the_form_and_its_error(engine) {
        let env = env_behind_proxy(engine);
        let app = env.app().await;
        let started = Instant::now();
        let response =
            send(&app, form_post("/admin/sign-in", Some(PUBLIC), None, "token=not-the-token&next=%2Fadmin", "192.0.2.11")).await;
        assert!(started.elapsed() >= WRONG_TOKEN_DELAY, "took {:?}", started.elapsed());
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(!response.headers().contains_key(header::SET_COOKIE));
        let html = body_text(response).await;
        assert!(html.contains("There is a problem"), "{html}");
        assert!(html.contains("aria-describedby=\"token-hint token-error\""), "{html}");
    }
}

on_both_engines! {
    async fn sign_in_and_sign_out_refuse_other_origins(engine) {
        let env = env_behind_proxy(engine);
        let app = env.app().await;
        let form = format!("token={TOKEN}");
        for origin in [None, Some("https://evil.example"), Some("https://blog.collect.example.org"), Some("http://collect.example.org")] {
            let response = send(&app, form_post("/admin/sign-in", origin, None, &form, "192.0.2.12")).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{origin:?}");
            assert!(!response.headers().contains_key(header::SET_COOKIE), "{origin:?}");
        }
        let signed_in = send(&app, form_post("/admin/sign-in", Some(PUBLIC), None, &form, "192.0.2.12")).await;
        let cookie = session_of(&signed_in);
        let forged = send(&app, form_post("/admin/sign-out", Some("https://evil.example"), Some(&cookie), "", "192.0.2.12")).await;
        assert_eq!(forged.status(), StatusCode::FORBIDDEN, "a page elsewhere cannot sign someone out");
        assert_eq!(send(&app, browser_get("/admin", Some(&cookie))).await.status(), StatusCode::OK, "still signed in");
    }
}

on_both_engines! {
    async fn without_public_url_the_origin_must_match_the_host(engine) {
        let env = TestEnv::on(engine);
        let app = env.app().await;
        let mut ok = form_post("/admin/sign-in", Some("http://127.0.0.1:8080"), None, &format!("token={TOKEN}"), "192.0.2.13");
        ok.headers_mut().insert(header::HOST, "127.0.0.1:8080".parse().expect("header"));
        let response = send(&app, ok).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert!(!response.headers()[header::SET_COOKIE].to_str().expect("ascii").contains("Secure"), "no TLS, no Secure");
        let mut bad = form_post("/admin/sign-in", Some("http://localhost:3000"), None, &format!("token={TOKEN}"), "192.0.2.13");
        bad.headers_mut().insert(header::HOST, "127.0.0.1:8080".parse().expect("header"));
        assert_eq!(send(&app, bad).await.status(), StatusCode::FORBIDDEN);
    }
}

on_both_engines! {
    async fn signing_out_ends_the_session_on_every_instance(engine) {
        let env = env_behind_proxy(engine);
        // Two instances on one database, as behind a load balancer.
        let (first, second) = (env.app().await, env.app().await);
        let form = format!("token={TOKEN}&next=%2Fadmin");
        let cookie = session_of(&send(&first, form_post("/admin/sign-in", Some(PUBLIC), None, &form, "192.0.2.14")).await);
        assert_eq!(send(&second, browser_get("/admin", Some(&cookie))).await.status(), StatusCode::OK, "the other instance knows it");

        let out = send(&second, form_post("/admin/sign-out", Some(PUBLIC), Some(&cookie), "", "192.0.2.14")).await;
        assert_eq!(out.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&out), "/admin/sign-in");
        assert!(out.headers()[header::SET_COOKIE].to_str().expect("ascii").contains("Max-Age=0"));
        for app in [&first, &second] {
            let response = send(app, browser_get("/admin", Some(&cookie))).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "signed out everywhere");
        }
        // A made-up or stale cookie is no session either.
        let response = send(&first, browser_get("/admin", Some("survey_admin=00ff"))).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
}

on_both_engines! {
    async fn next_cannot_send_anyone_elsewhere(engine) {
        let env = env_behind_proxy(engine);
        let app = env.app().await;
        for next in ["https%3A%2F%2Fevil.example%2F", "%2F%2Fevil.example", "%2Fadmin%2F%2Fevil.example"] {
            let form = format!("token={TOKEN}&next={next}");
            let response = send(&app, form_post("/admin/sign-in", Some(PUBLIC), None, &form, "192.0.2.15")).await;
            assert_eq!(location(&response), "/admin", "{next}");
        }
    }
}

on_both_engines! {
    async fn a_client_that_keeps_guessing_is_refused_for_a_while_and_others_are_not(engine) {
        let env = env_behind_proxy(engine);
        let app = env.app().await;
        let guesses: Vec<_> = (0..MAX_WRONG_TOKENS)
            .map(|n| {
                let app = app.clone();
                tokio::spawn(async move {
                    let form = format!("token=guess-{n}");
                    send(&app, form_post("/admin/sign-in", Some(PUBLIC), None, &form, "198.51.100.7")).await.status()
                })
            })
            .collect();
        for g in guesses {
            assert_eq!(g.await.expect("task"), StatusCode::UNAUTHORIZED);
        }
        // Even the right token is not compared now, from that client.
        let started = Instant::now();
        let response =
            send(&app, form_post("/admin/sign-in", Some(PUBLIC), None, &format!("token={TOKEN}"), "198.51.100.7")).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        let retry: u64 = response.headers()[header::RETRY_AFTER].to_str().expect("ascii").parse().expect("seconds");
        assert!((1..=600).contains(&retry), "{retry}");
        assert!(started.elapsed() < Duration::from_millis(500), "refused at once");
        let other = send(&app, form_post("/admin/sign-in", Some(PUBLIC), None, &format!("token={TOKEN}"), "198.51.100.8")).await;
        assert_eq!(other.status(), StatusCode::SEE_OTHER, "another client signs in");
    }
}

on_both_engines! {
    async fn behind_a_trusted_proxy_one_guesser_does_not_lock_everyone_out(engine) {
        let mut env = env_behind_proxy(engine);
        env.config.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
        let app = env.app().await;
        let via_proxy = |form: String, client: &'static str| {
            let mut r = form_post("/admin/sign-in", Some(PUBLIC), None, &form, "127.0.0.1");
            r.headers_mut().insert("x-forwarded-for", client.parse().expect("header"));
            r
        };
        let guesses: Vec<_> = (0..MAX_WRONG_TOKENS)
            .map(|n| {
                let (app, request) = (app.clone(), via_proxy(format!("token=guess-{n}"), "203.0.113.50"));
                tokio::spawn(async move { send(&app, request).await.status() })
            })
            .collect();
        for g in guesses {
            assert_eq!(g.await.expect("task"), StatusCode::UNAUTHORIZED);
        }
        let guesser = send(&app, via_proxy(format!("token={TOKEN}"), "203.0.113.50")).await;
        assert_eq!(guesser.status(), StatusCode::TOO_MANY_REQUESTS);
        let colleague = send(&app, via_proxy(format!("token={TOKEN}"), "203.0.113.51")).await;
        assert_eq!(colleague.status(), StatusCode::SEE_OTHER, "the same proxy, another person");
    }
}
