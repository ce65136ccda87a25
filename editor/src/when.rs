//! Opening and closing times: picked in the author's own time zone with the browser's date and
//! time input, kept in the definition as RFC 3339 with that zone's offset, which is what the
//! model reads.

use crate::ctx::use_ctx;
use crate::doc::{Edit, Path};
use serde_json::Value;
use yew::prelude::*;

/// `2027-03-31T17:00` (a `datetime-local` value, this computer's time) as RFC 3339 with the
/// offset this computer has at that moment, such as `2027-03-31T17:00:00+01:00`.
pub fn local_to_rfc3339(local: &str) -> Option<String> {
    if local.len() < 16 {
        return None;
    }
    let date = js_sys::Date::new(&local.into());
    let minutes = date.get_timezone_offset();
    if minutes.is_nan() {
        return None;
    }
    Some(format!("{}:00{}", &local[..16], offset(minutes as i32)))
}

/// `getTimezoneOffset` (minutes behind UTC) as `+01:00`.
pub fn offset(minutes_behind: i32) -> String {
    let ahead = -minutes_behind;
    let sign = if ahead < 0 { '-' } else { '+' };
    format!("{sign}{:02}:{:02}", ahead.abs() / 60, ahead.abs() % 60)
}

/// A stored time as this computer's local `YYYY-MM-DDTHH:MM`, for the input.
fn rfc3339_to_local(stored: &str) -> Option<String> {
    let date = js_sys::Date::new(&stored.into());
    let ms = date.get_time();
    if ms.is_nan() {
        return None;
    }
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    ))
}

#[derive(Properties, PartialEq, Clone)]
pub struct WhenProps {
    pub path: Path,
    pub label: AttrValue,
    pub value: String,
}

#[function_component]
pub fn WhenField(props: &WhenProps) -> Html {
    let ctx = use_ctx();
    let id = props.path.dom_id();
    let error = ctx.problems.at(&props.path);
    let shown = rfc3339_to_local(&props.value).unwrap_or_default();
    let onchange = {
        let (ctx, path) = (ctx.clone(), props.path.clone());
        Callback::from(move |e: Event| {
            let typed = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            ctx.edit.emit(match local_to_rfc3339(&typed) {
                Some(t) => Edit::Set(path.clone(), Value::String(t)),
                None if typed.is_empty() => Edit::Remove(path.clone()),
                None => Edit::Set(path.clone(), Value::String(typed)),
            });
        })
    };
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = if error.is_some() { format!("{hint_id} {error_id}") } else { hint_id.clone() };
    html! {
        <div class={classes!("field", error.is_some().then_some("field-error"))}>
            <label for={id.clone()}>{ props.label.clone() }</label>
            <p class="hint" id={hint_id}>{ "In this computer's time zone. Respondents see it in theirs." }
                if !props.value.is_empty() { <>{ " Stored as " }<code>{ props.value.clone() }</code></> }</p>
            if let Some(m) = error { <p class="error-message" id={error_id}><span class="visually-hidden">{ "Error: " }</span>{ m }</p> }
            <input id={id} type="datetime-local" value={shown} {onchange} aria-describedby={described} />
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn offsets_are_written_as_rfc_3339_wants() {
        assert_eq!(super::offset(-60), "+01:00");
        assert_eq!(super::offset(0), "+00:00");
        assert_eq!(super::offset(330), "-05:30");
    }
}
