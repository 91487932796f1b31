//! The HTML shell, the router and the page frame. Server only: in the
//! browser only islands run.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::i18n::{texts, use_texts};
use crate::pages;
use crate::site::{Site, reader_lang, use_site};

/// The document around the app. Runs on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = reader_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="stylesheet" href=format!("/{}/{}.css", options.site_pkg_dir, options.output_name)/>
                // Feed readers find the site's events from any page.
                <link rel="alternate" type="application/atom+xml" href="/feed.atom" title=texts(lang).site_name/>
                <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ctext y='14' font-size='14'%3E📄%3C/text%3E%3C/svg%3E"/>
                <crate::islands::Loader options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = reader_lang();
    provide_context(lang);
    provide_context(Site::current());
    let t = texts(lang);
    view! {
        <Title formatter=move |title: String| if title.is_empty() { t.site_name.to_owned() } else { format!("{title} · {}", t.site_name) }/>
        <Router>
            <Frame>
                <Routes fallback=|| view! { <pages::not_found::NotFound/> }>
                    <Route path=path!("/") view=pages::home::Home ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id") view=pages::event::EventView ssr=SsrMode::Async/>
                    <Route path=path!("/series/:slug") view=pages::series::SeriesView ssr=SsrMode::Async/>
                    <Route path=path!("/people/:id") view=pages::person::PersonView ssr=SsrMode::Async/>
                    <Route path=path!("/papers/:id") view=pages::paper::PaperView ssr=SsrMode::Async/>
                    <Route path=path!("/demos") view=pages::demos::DemosView ssr=SsrMode::Async/>
                    <Route path=path!("/demos/runs/:id") view=pages::demos::DemoRunView ssr=SsrMode::Async/>
                    <Route path=path!("/demos/:demo") view=pages::demos::DemoView ssr=SsrMode::Async/>
                    <Route path=path!("/me") view=pages::me::MyView ssr=SsrMode::Async/>
                    <Route path=path!("/tickets/:token") view=pages::ticket::TicketView ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=pages::admin::dashboard::DashboardView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/door") view=pages::admin::door::DoorEventsView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/sign-in") view=pages::admin::sign_in::SignInView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/events/new") view=pages::admin::event_editor::NewEventView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/events/:id/edit") view=pages::admin::event_editor::EditEventView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/events/:id/registrations") view=pages::admin::roster::RosterView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/events/:id/notifications") view=pages::admin::notifications::NotificationsView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/events/:id/check-in") view=pages::admin::door::DoorView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/series/new") view=pages::admin::series_editor::NewSeriesView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/series/:id/edit") view=pages::admin::series_editor::EditSeriesView ssr=SsrMode::Async/>
                </Routes>
            </Frame>
        </Router>
    }
}

/// Header, main landmark and footer around every page.
#[component]
fn Frame(children: Children) -> impl IntoView {
    let t = use_texts();
    let lang = crate::i18n::use_lang();
    let location = leptos_router::hooks::use_location();
    let site = use_site();
    let back = move || {
        let search = location.search.get();
        if search.is_empty() { location.pathname.get() } else { format!("{}?{}", location.pathname.get(), search) }
    };
    view! {
        <a class="skip-link" href="#content">{t.skip_to_content}</a>
        <header class="site-header">
            <div class="wrap header-row">
                <A href="/" attr:class="brand">
                    <span class="brand-name">{t.site_name}</span>
                    <span class="brand-tagline">{t.tagline}</span>
                </A>
                <nav aria-label=t.nav_home class="site-nav">
                    <A href="/">{t.nav_home}</A>
                    <A href="/demos">{t.nav_demos}</A>
                    <A href="/me">{t.nav_my}</A>
                    <A href="/admin">{t.nav_admin}</A>
                    // A plain form: switching language works without JavaScript
                    // and the choice is kept in a cookie.
                    <form method="post" action="/lang" class="lang-switch">
                        <input type="hidden" name="lang" value=lang.other().code()/>
                        <input type="hidden" name="back" value=back/>
                        <button type="submit" lang=lang.other().code()>{t.switch_language}</button>
                    </form>
                </nav>
            </div>
        </header>
        <main id="content" class="wrap">{children()}</main>
        <footer class="site-footer">
            <div class="wrap">
                <a href=move || format!("{}/calendar.ics", site.webcal())>{t.calendar_all}</a>
                " · "
                <a href="/calendar.ics" download="paperclub.ics">{t.download_ics}</a>
            </div>
        </footer>
    }
}
