//! The box a wide table sits in: on a narrow screen (a phone in Telegram's
//! browser) the table scrolls inside it instead of pushing the page wider.

use leptos::prelude::*;

/// A named, focusable region, so a keyboard can scroll it too and a screen
/// reader announces what it holds (axe's `scrollable-region-focusable`).
#[component]
pub fn TableScroll(#[prop(into)] label: String, children: Children) -> impl IntoView {
    view! {
        <div class="table-scroll" role="region" aria-label=label tabindex="0">
            {children()}
        </div>
    }
}
