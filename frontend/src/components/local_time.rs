//! An instant in the event's zone, and after hydration also in the viewer's
//! zone when that differs: an island of its own on pages that are otherwise
//! static, `LocalTimeView` inside other islands.

use leptos::prelude::*;
use paperclub_core::views::When;

use crate::i18n::{use_lang, use_texts};

#[component]
pub fn LocalTime(
    when: When,
    /// Text to show instead of `when.label` (e.g. a start–end span).
    #[prop(optional)]
    label: Option<String>,
) -> impl IntoView {
    let datetime = when.at.to_rfc3339();
    let at_millis = when.at.timestamp_millis() as f64;
    let your_time = use_texts().your_time.to_owned();
    view! { <ViewerTime datetime at_millis zone=when.time_zone label=label.unwrap_or(when.label) your_time/> }
}

/// The island: plain numbers and text for props, its one word included, so
/// the public bundle carries no date library and no catalogue.
#[island]
fn ViewerTime(datetime: String, at_millis: f64, zone: String, label: String, your_time: String) -> impl IntoView {
    viewer_time_view(datetime, at_millis, zone, label, your_time)
}

/// The same, for use inside another island (islands do not nest here).
#[component]
pub fn LocalTimeView(when: When, #[prop(optional)] label: Option<String>) -> impl IntoView {
    let datetime = when.at.to_rfc3339();
    let at_millis = when.at.timestamp_millis() as f64;
    viewer_time_view(datetime, at_millis, when.time_zone, label.unwrap_or(when.label), use_texts().your_time.to_owned())
}

fn viewer_time_view(
    datetime: String,
    at_millis: f64,
    event_zone: String,
    label: String,
    your_time: String,
) -> impl IntoView {
    let lang = use_lang();
    let local = RwSignal::new(None::<String>);
    // Effects run only in the browser: the server cannot know the viewer's zone.
    Effect::new(move |_| {
        local.set(viewer_time(at_millis, &event_zone, lang.code()));
    });
    view! {
        <time datetime=datetime>{label}</time>
        <span class="local-time" data-testid="local-time">
            {move || local.get().map(|text| format!(" ({your_time}: {text})"))}
        </span>
    }
}

/// The instant in the browser's own zone, or `None` where that is the event's zone.
#[cfg(feature = "hydrate")]
fn viewer_time(at_millis: f64, event_zone: &str, locale: &str) -> Option<String> {
    use js_sys::{Array, Date, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;

    let resolved = Intl::DateTimeFormat::new(&Array::new(), &Object::new()).resolved_options();
    let viewer_zone = Reflect::get(&resolved, &JsValue::from_str("timeZone")).ok()?.as_string()?;
    if viewer_zone == event_zone {
        return None;
    }
    let options = Object::new();
    for (key, value) in
        [("day", "numeric"), ("month", "long"), ("hour", "2-digit"), ("minute", "2-digit"), ("timeZoneName", "short")]
    {
        Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value)).ok()?;
    }
    let date = Date::new(&JsValue::from_f64(at_millis));
    date.to_locale_string(locale, &options).as_string()
}

#[cfg(not(feature = "hydrate"))]
fn viewer_time(_at_millis: f64, _event_zone: &str, _locale: &str) -> Option<String> {
    None
}
