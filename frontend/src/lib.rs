//! The paperclub site: a Leptos app rendered on the server and hydrated in
//! the browser.
//!
//! Features: `ssr` for the server build (server functions run against
//! `paperclub-core`), `hydrate` for the wasm bundle.

#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub mod failure;
pub mod i18n;
pub mod pages;
pub mod registration_reply;
pub mod replies;
#[cfg(feature = "ssr")]
pub mod server;

/// Where server functions are mounted (the `#[server]` macro's default).
pub const SERVER_FN_PREFIX: &str = "/api/";

/// The wasm entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // A mark for tests and styles: from here on the page is interactive.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
