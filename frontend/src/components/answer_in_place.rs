//! Forms answered in place. A form marked `data-answer-in-place="<id>"`
//! posts like any form, and without JavaScript the server redirects back to
//! the page with the answer drawn in it. With JavaScript the `AnswersInPlace`
//! island makes the same post with `fetch`, reads the page the server
//! redirected to, and puts its element `<id>` in place of this page's, with
//! what the visitor typed kept; a redirect to another page is followed. The answer is drawn in one place, on the
//! server, in the reader's words, with or without JavaScript; the public
//! bundle carries no form, words or serialisation code for it.

use leptos::prelude::*;

/// The attribute that marks a form, naming the element its answer replaces.
pub const ATTRIBUTE: &str = "data-answer-in-place";

/// Listens for the submission of every marked form on the page (once, even
/// when several forms render it).
#[island]
pub fn AnswersInPlace() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::listen();
}

#[cfg(feature = "hydrate")]
mod browser {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        DomParser, Element, Event, FormData, Headers, HtmlElement, HtmlFormElement, HtmlInputElement,
        HtmlSelectElement, HtmlTextAreaElement, RequestInit, Response, SupportedType, UrlSearchParams,
    };

    use super::ATTRIBUTE;

    pub fn listen() {
        let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
        // Once per page, however many forms put the island on it: a second
        // listener would post every form twice.
        let Some(root) = document.document_element() else { return };
        if root.has_attribute(ATTRIBUTE) {
            return;
        }
        let _ = root.set_attribute(ATTRIBUTE, "listening");
        let on_submit = Closure::<dyn Fn(Event)>::new(|event: Event| {
            let Some(form) = event.target().and_then(|target| target.dyn_into::<HtmlFormElement>().ok()) else {
                return;
            };
            let Some(target) = form.get_attribute(ATTRIBUTE) else { return };
            event.prevent_default();
            leptos::task::spawn_local(async move { answer(form, target).await });
        });
        let _ = document.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        // The listener lives as long as the page.
        on_submit.forget();
    }

    /// Posts `form`, then shows the answer; when that cannot be done, the
    /// browser does what it does without JavaScript.
    async fn answer(form: HtmlFormElement, target: String) {
        set_busy(&form, true);
        let response = post(&form).await;
        set_busy(&form, false);
        match response {
            // Not posted (offline, or refused before an answer page): the
            // browser's own post shows what the server says.
            Err(_) => {
                let _ = form.submit();
            }
            // An answer on this page goes in place. A redirect elsewhere (a
            // queued demo run's page) is followed; so is an answer that is
            // not where it was expected, without posting again.
            Ok((url, ok, html)) => {
                if !is_this_page(&url) || !ok || put_in_place(&form, &target, &html).is_err() {
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().assign(&url);
                    }
                }
            }
        }
    }

    /// The answer page's address, whether it is a success, and its HTML,
    /// after the server's redirect.
    async fn post(form: &HtmlFormElement) -> Result<(String, bool, String), JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let body = UrlSearchParams::new_with_str_sequence_sequence(&FormData::new_with_form(form)?.into())?;
        let headers = Headers::new()?;
        // What a browser's own post sends: the server answers with a page.
        headers.set("Accept", "text/html")?;
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_body(&body);
        init.set_headers(&headers);
        let response: Response =
            JsFuture::from(window.fetch_with_str_and_init(&form.action(), &init)).await?.dyn_into()?;
        // A server function's own refusal (not a page) is for the browser's
        // post to show; a redirect to a page that answers with an error (an
        // event gone since the page was drawn) is that page, shown below.
        if !response.ok() && !response.redirected() {
            return Err(JsValue::NULL);
        }
        let html = JsFuture::from(response.text()?).await?.as_string().ok_or(JsValue::NULL)?;
        Ok((response.url(), response.ok(), html))
    }

    /// Whether `url` is the current page, whatever its query or fragment.
    fn is_this_page(url: &str) -> bool {
        let page = |url: &str| url.split(['?', '#']).next().unwrap_or_default().to_owned();
        web_sys::window().and_then(|window| window.location().href().ok()).is_some_and(|here| page(&here) == page(url))
    }

    fn put_in_place(form: &HtmlFormElement, target: &str, html: &str) -> Result<(), JsValue> {
        let document = web_sys::window().and_then(|window| window.document()).ok_or(JsValue::NULL)?;
        let page = DomParser::new()?.parse_from_string(html, SupportedType::TextHtml)?;
        let fresh = page.get_element_by_id(target).ok_or(JsValue::NULL)?;
        let old = document.get_element_by_id(target).ok_or(JsValue::NULL)?;
        let fresh = document.adopt_node(&fresh)?.dyn_into::<Element>()?;
        keep_typed(form, &fresh);
        old.replace_with_with_node_1(&fresh)?;
        focus_answer(&fresh);
        Ok(())
    }

    /// What the visitor typed goes into the answer's form, so a refusal
    /// costs them only the fix.
    fn keep_typed(old: &HtmlFormElement, fresh: &Element) {
        let Some(new) = fresh.query_selector("form").ok().flatten().and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let controls = old.elements();
        for index in 0..controls.length() {
            let Some(control) = controls.item(index) else { continue };
            let Some(name) = control.get_attribute("name") else { continue };
            let Some(twin) = new.elements().named_item(&name) else { continue };
            if let (Some(from), Some(to)) = (control.dyn_ref::<HtmlInputElement>(), twin.dyn_ref::<HtmlInputElement>())
            {
                match from.type_().as_str() {
                    "hidden" | "submit" => {}
                    "checkbox" | "radio" => to.set_checked(from.checked()),
                    _ => to.set_value(&from.value()),
                }
            } else if let (Some(from), Some(to)) =
                (control.dyn_ref::<HtmlSelectElement>(), twin.dyn_ref::<HtmlSelectElement>())
            {
                to.set_value(&from.value());
            } else if let (Some(from), Some(to)) =
                (control.dyn_ref::<HtmlTextAreaElement>(), twin.dyn_ref::<HtmlTextAreaElement>())
            {
                to.set_value(&from.value());
            }
        }
    }

    /// The first field to fix, else the answer itself, takes the focus, so
    /// a keyboard or screen reader user lands on what changed.
    fn focus_answer(fresh: &Element) {
        let first = fresh
            .query_selector("[aria-invalid=\"true\"]")
            .ok()
            .flatten()
            .or_else(|| fresh.query_selector("[role=status], [role=alert]").ok().flatten());
        if let Some(element) = first.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
            if !element.has_attribute("tabindex") && element.get_attribute("aria-invalid").is_none() {
                let _ = element.set_attribute("tabindex", "-1");
            }
            let _ = element.focus();
        }
    }

    /// A pressed button stays pressed until the answer is in: no second post.
    fn set_busy(form: &HtmlFormElement, busy: bool) {
        let _ = form.set_attribute("aria-busy", if busy { "true" } else { "false" });
        if let Ok(buttons) = form.query_selector_all("button[type=submit]") {
            for index in 0..buttons.length() {
                if let Some(button) = buttons.item(index).and_then(|b| b.dyn_into::<web_sys::HtmlButtonElement>().ok())
                {
                    button.set_disabled(busy);
                }
            }
        }
    }
}
