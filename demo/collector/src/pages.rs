//! The collector's own pages besides the results summary: its front page, the sign-in form,
//! the list of surveys for signed-in people, and the pieces they share (the admin navigation
//! and the embed snippet). Every page goes through [`html::page`], so there is one layout.

use crate::html::{escape, page};
use axum::response::Html;
use std::fmt::Write as _;
use survey_model::Survey;

/// `GET /`: what this server is. In production nothing else is here: the surveys are answered
/// on other sites, or on `/s/{id}`.
pub fn home() -> Html<String> {
    let body = "<main>\n<h1>Survey collector</h1>\n\
        <p>This server receives the answers to surveys embedded in other websites, and keeps them \
        for the team that runs them.</p>\n\
        <p><a href=\"/surveys\">See the surveys open now</a>, and the results of closed ones.</p>\n\
        <p>If you are on that team, <a href=\"/admin\">sign in to read the results</a>.</p>\n</main>\n";
    page("en", "Survey collector", "", body)
}

/// What went wrong with the last sign-in attempt, if anything.
pub enum SignInProblem {
    None,
    WrongToken,
}

/// `GET /admin/sign-in`: one password field for the admin token. `next` is already checked
/// (see `auth::safe_next`).
pub fn sign_in(next: &str, problem: SignInProblem) -> Html<String> {
    let mut body = String::from("<main>\n");
    let (field_class, described, error) = match problem {
        SignInProblem::None => ("field", "token-hint", String::new()),
        SignInProblem::WrongToken => {
            // GOV.UK pattern: a summary that takes focus (the `autofocus` below), with a link to
            // the field whose text matches the message beside the field.
            body.push_str(
                "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus>\n\
                 <h2>There is a problem</h2>\n\
                 <ul><li><a href=\"#token\">The admin token is not right</a></li></ul>\n</div>\n",
            );
            (
                "field field-error",
                "token-hint token-error",
                "<p class=\"error-message\" id=\"token-error\"><span class=\"visually-hidden\">Error:</span> \
                 The admin token is not right</p>\n"
                    .to_owned(),
            )
        }
    };
    let _ = write!(
        body,
        "<h1>Sign in to the results</h1>\n\
         <form method=\"post\" action=\"/admin/sign-in\" novalidate>\n\
         <input type=\"hidden\" name=\"next\" value=\"{next}\">\n\
         <div class=\"{field_class}\">\n\
         <label for=\"token\">Admin token</label>\n\
         <p class=\"hint\" id=\"token-hint\">The long token whoever runs this collector gave you \
         (its <code>ADMIN_TOKEN</code> setting).</p>\n{error}\
         <input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" \
         spellcheck=\"false\" aria-describedby=\"{described}\" required>\n</div>\n\
         <button type=\"submit\">Sign in</button>\n</form>\n</main>\n",
        next = escape(next),
    );
    page("en", "Sign in: survey collector", "", &body)
}

/// `GET /admin`: every survey this collector serves, with its results and exports, and a way
/// to write or edit one; then the drafts of surveys not published yet. `drafts` is every
/// draft, by survey id, with when it was saved.
pub fn admin_index<'a>(surveys: impl Iterator<Item = (&'a Survey, u64)>, drafts: &[(String, String)]) -> Html<String> {
    let mut body = admin_nav();
    body.push_str("<main>\n<h1>Surveys</h1>\n<p><a href=\"/admin/editor\" class=\"button-link\">Write a new survey</a></p>\n");
    let has_draft = |id: &str| drafts.iter().any(|(d, _)| d == id);
    let mut published = Vec::new();
    let mut any = false;
    for (survey, responses) in surveys {
        if !any {
            body.push_str(
                "<table>\n<thead><tr><th scope=\"col\">Survey</th><th scope=\"col\" class=\"num\">Responses</th>\
                 <th scope=\"col\">Downloads</th><th scope=\"col\">Editor</th></tr></thead>\n<tbody>\n",
            );
            any = true;
        }
        published.push(survey.id.clone());
        let lang = survey.default_language.as_str();
        let id = escape(&survey.id);
        let title = escape(survey.title.get(lang, lang));
        let draft = if has_draft(&survey.id) { " (a draft is saved)" } else { "" };
        let _ = writeln!(
            body,
            "<tr><td><a href=\"/admin/surveys/{id}\">{title}</a><br><span class=\"muted\">{id}, version {}</span></td>\
             <td class=\"num\">{responses}</td>\
             <td><a href=\"/admin/surveys/{id}/responses.csv\">CSV<span class=\"visually-hidden\"> of {title}</span></a>, \
             <a href=\"/admin/surveys/{id}/responses.json\">JSON<span class=\"visually-hidden\"> of {title}</span></a></td>\
             <td><a href=\"/admin/editor/{id}\">Edit<span class=\"visually-hidden\"> {title}</span></a>{draft}</td></tr>",
            survey.version,
        );
    }
    if any {
        body.push_str("</tbody>\n</table>\n");
    } else {
        body.push_str(
            "<p>No surveys are published yet. Write one with the editor, or put definitions \
             (<code>{id}.json</code>) in <code>SURVEYS_DIR</code> and restart.</p>\n",
        );
    }
    let unpublished: Vec<&(String, String)> = drafts.iter().filter(|(id, _)| !published.contains(id)).collect();
    if !unpublished.is_empty() {
        body.push_str("<h2>Drafts not published yet</h2>\n<ul>\n");
        for (id, saved_at) in unpublished {
            let id = escape(id);
            let _ = writeln!(body, "<li><a href=\"/admin/editor/{id}\">{id}</a> <span class=\"muted\">saved {}</span></li>", escape(saved_at));
        }
        body.push_str("</ul>\n");
    }
    body.push_str("</main>\n");
    page("en", "Surveys: survey collector", "", &body)
}

/// The bar at the top of every admin page: back to the list, and signing out (a form, since
/// signing out changes something and must not happen by following a link).
pub fn admin_nav() -> String {
    "<nav class=\"admin-nav\" aria-label=\"Admin\">\n<a href=\"/admin\">All surveys</a>\n\
     <form method=\"post\" action=\"/admin/sign-out\"><button type=\"submit\" class=\"link-button\">Sign out</button></form>\n\
     </nav>\n"
        .to_owned()
}

/// The snippet a web team pastes to embed `survey`, with this collector's URLs filled in.
///
/// ```
/// let s = survey_collector::pages::snippet("https://collect.example.org", "feedback");
/// assert!(s.contains(r#"src="https://collect.example.org/surveys/feedback.json""#));
/// ```
pub fn snippet(base_url: &str, survey_id: &str) -> String {
    format!(
        "<script src=\"{base_url}/survey-widget/survey-widget.js\" async referrerpolicy=\"no-referrer\"></script>\n\n\
         <survey-widget src=\"{base_url}/surveys/{survey_id}.json\"\n               \
         endpoint=\"{base_url}/api/responses\"></survey-widget>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_in_form_escapes_next_and_ties_the_error_to_the_field() {
        let Html(ok) = sign_in("/admin/surveys/a\"b", SignInProblem::None);
        assert!(ok.contains("value=\"/admin/surveys/a&quot;b\""), "{ok}");
        assert!(!ok.contains("error-summary"));
        let Html(bad) = sign_in("/admin", SignInProblem::WrongToken);
        assert!(bad.contains("aria-describedby=\"token-hint token-error\""), "{bad}");
        assert!(bad.contains("id=\"token-error\""));
        assert!(bad.contains("<a href=\"#token\">The admin token is not right</a>"));
        assert!(!bad.contains("style="));
    }
}
