//! Islands mode: pages are rendered on the server and stay plain HTML; only
//! components marked `#[island]` (the registration form, local times, demo
//! forms, a member's and the organiser's pages) become interactive. A page
//! without islands loads no WebAssembly at all.
//!
//! Each group of pages has a bundle of its own (`BUNDLES`): the organiser's
//! pages, a member's pages (`/me`, tickets) and the demos each load one with
//! their islands; every other page the public one, with only the
//! registration form and local times, so a visitor from a Telegram post
//! never downloads the dashboard's code.
//!
//! `Loader` replaces Leptos's `HydrationScripts` for that: its inline script
//! fetches the page's bundle only when the page has an island, then hydrates each
//! top-level island in document order (the order the server numbered their
//! data in). Islands here do not nest, and take no children, so that is all
//! the walk needs. When it is done, `body[data-hydrated]` marks the page
//! interactive (browser tests wait for it).

use leptos::prelude::*;

/// The bundles other than the public one: pages whose path starts with the
/// first part load the bundle named like the public one with the second
/// after it (`paperclub.<hash>.organiser.js`; `paperclub-server`'s `assets`
/// names them, `scripts/build-site.sh` builds each with the feature of the
/// same name).
pub const BUNDLES: &[(&str, &str)] =
    &[("/admin", ".organiser"), ("/me", ".member"), ("/tickets/", ".member"), ("/demos", ".demos")];

/// The bundle a page at `path` loads.
pub fn bundle_for(output_name: &str, path: &str) -> String {
    let suffix = BUNDLES.iter().find(|(prefix, _)| path.starts_with(prefix)).map_or("", |(_, suffix)| *suffix);
    format!("{output_name}{suffix}")
}

/// The script, with the bundle's paths filled in.
fn script(js: &str, wasm: &str) -> String {
    format!(
        "(async () => {{\
           const islands = [...document.querySelectorAll('leptos-island')]\
             .filter((island) => !island.parentElement.closest('leptos-island'));\
           if (islands.length) {{\
             const bundle = await import({js:?});\
             await bundle.default({{ module_or_path: {wasm:?} }});\
             bundle.hydrate();\
             for (const island of islands) {{\
               const hydrate = bundle[island.dataset.component];\
               if (hydrate) await hydrate(island);\
             }}\
           }}\
           document.body.dataset.hydrated = 'true';\
         }})();"
    )
}

/// The islands' loader for the document's head. Also tells the renderer
/// that what follows is not hydrated unless it is inside an island.
#[component]
pub fn Loader(options: LeptosOptions) -> impl IntoView {
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let bundle = bundle_for(&options.output_name, &crate::server::request_path());
    let pkg = format!("/{}/{bundle}", options.site_pkg_dir);
    let nonce = leptos::nonce::use_nonce();
    view! { <script type="module" nonce=nonce>{script(&format!("{pkg}.js"), &format!("{pkg}_bg.wasm"))}</script> }
}

#[cfg(test)]
mod tests {
    use super::bundle_for;

    #[test]
    fn each_group_of_pages_loads_its_own_bundle() {
        assert_eq!(bundle_for("paperclub.ab", "/events/3"), "paperclub.ab");
        assert_eq!(bundle_for("paperclub.ab", "/"), "paperclub.ab");
        assert_eq!(bundle_for("paperclub.ab", "/admin/events/3/registrations"), "paperclub.ab.organiser");
        assert_eq!(bundle_for("paperclub.ab", "/tickets/abc"), "paperclub.ab.member");
        assert_eq!(bundle_for("paperclub.ab", "/me"), "paperclub.ab.member");
        assert_eq!(bundle_for("paperclub.ab", "/demos/gqa-training"), "paperclub.ab.demos");
    }
}
