//! The paperclub site: a Leptos app rendered on the server; only its
//! islands (forms, local times, the organiser's pages) hydrate in the browser.
//!
//! Features: `ssr` for the server build (server functions run against
//! `paperclub-core`), `hydrate` for the wasm bundle.

#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod app;
pub mod components;
pub mod failure;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod islands;
pub mod pages;
pub mod refusal_in_address;
pub mod registration_reply;
pub mod replies;
#[cfg(feature = "ssr")]
pub mod server;
pub mod site;

/// Where server functions are mounted (the `#[server]` macro's default).
pub const SERVER_FN_PREFIX: &str = "/api/";

/// The wasm entry point: prepares the reactive system; `islands::loader`'s
/// script then hydrates each island of the page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Panic messages in the console for debug builds; the release bundle
    // goes without the formatting code.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
