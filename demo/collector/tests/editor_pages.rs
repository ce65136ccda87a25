//! The survey editor's pages: behind the sign-in, naming the survey they edit, with the
//! preview's element beside the editor's (never inside it), the editor's files public like the
//! bundle, and a page that says how to build the editor when it is not there. The list of
//! surveys leads to the editor, including to drafts never published.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::*;

fn put_draft(id: &str, text: &str) -> Request<Body> {
    Request::builder()
        .method(Method::PUT)
        .uri(format!("/admin/api/surveys/{id}/draft"))
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::from(text.to_owned()))
        .expect("valid request")
}

#[tokio::test]
async fn the_editor_page_names_its_survey_and_keeps_the_preview_outside_the_editor() {
    let env = TestEnv::new();
    let app = env.app().await;

    let response = send(&app, get_admin("/admin/editor")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let csp = response.headers().get(header::CONTENT_SECURITY_POLICY).expect("a CSP").to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"), "{csp}");
    let page = body_text(response).await;
    assert!(page.contains("<h1>New survey</h1>"), "{page}");
    assert!(page.contains("data-survey=\"\""), "{page}");
    assert!(page.contains("<script type=\"module\" src=\"/_collector/editor/editor.mjs\"></script>"), "{page}");
    assert!(!page.contains("style="), "no inline styles under the strict policy");

    let page = body_text(send(&app, get_admin(&format!("/admin/editor/{SURVEY}"))).await).await;
    assert!(page.contains(&format!("data-survey=\"{SURVEY}\"")), "{page}");
    // The preview's element comes after the editor's element has closed: a second yew app
    // inside the editor's tree would have its events handled by the editor.
    let editor = page.find("id=\"survey-editor\"").expect("the editor's element");
    let closed = editor + page[editor..].find("</div>\n<aside").expect("the editor's element closes before the aside");
    let preview = page.find("id=\"survey-editor-preview\"").expect("the preview's element");
    assert!(preview > closed, "the preview is outside the editor's element");
}

#[tokio::test]
async fn the_editor_needs_a_sign_in_and_a_survey_id() {
    let env = TestEnv::new();
    let app = env.app().await;
    let signed_out = Request::builder()
        .uri("/admin/editor")
        .header(header::ACCEPT, "text/html")
        .body(Body::empty())
        .expect("valid request");
    let response = send(&app, signed_out).await;
    assert!(response.status().is_redirection(), "{}", response.status());
    let to = response.headers().get(header::LOCATION).expect("a redirect").to_str().unwrap();
    assert_eq!(to, "/admin/sign-in?next=/admin/editor");

    let response = send(&app, get_admin("/admin/editor/Not%20an%20id")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_editors_files_are_public_and_a_missing_build_is_explained() {
    let mut env = TestEnv::new();
    let app = env.app().await;
    let response = send(&app, get("/_collector/editor/editor.mjs")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_text(response).await, "/* editor */");

    env.config.editor_dir = env.config.editor_dir.join("not-built");
    let app = env.app().await;
    let response = send(&app, get_admin("/admin/editor")).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let page = body_text(response).await;
    assert!(page.contains("pkg-scripts/build.sh"), "{page}");
    assert!(page.contains("EDITOR_DIR"), "{page}");
}

#[tokio::test]
async fn the_list_of_surveys_leads_to_the_editor_and_to_unpublished_drafts() {
    let env = TestEnv::new();
    let app = env.app().await;
    let draft = r#"{"format": 1, "id": "half-written""#;
    assert_eq!(send(&app, put_draft("half-written", draft)).await.status(), StatusCode::OK);
    assert_eq!(send(&app, put_draft(SURVEY, "{}")).await.status(), StatusCode::OK);

    let page = body_text(send(&app, get_admin("/admin")).await).await;
    assert!(page.contains("<a href=\"/admin/editor\" class=\"button-link\">Write a new survey</a>"), "{page}");
    assert!(page.contains(&format!("<a href=\"/admin/editor/{SURVEY}\">Edit")), "{page}");
    assert!(page.contains("(a draft is saved)"), "{page}");
    assert!(page.contains("<h2>Drafts not published yet</h2>"), "{page}");
    assert!(page.contains("<a href=\"/admin/editor/half-written\">half-written</a>"), "{page}");
    // A published survey's draft is not listed again as unpublished.
    assert_eq!(page.matches(&format!("/admin/editor/{SURVEY}\"")).count(), 1, "{page}");
}
