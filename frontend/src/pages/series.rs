use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::api::load_series;
use crate::components::event_card::EventCardView;
use crate::components::loaded::Loaded;
use crate::i18n::use_texts;
use crate::site::use_site;

#[component]
pub fn SeriesView() -> impl IntoView {
    let t = use_texts();
    let site = use_site();
    let params = use_params_map();
    let data = Resource::new(move || params.read().get("slug").unwrap_or_default(), load_series);
    view! {
        <Loaded data render=move |page| {
            let ics = format!("/series/{}/calendar.ics", page.slug);
            view! {
                <Title text=page.title.clone()/>
                <Meta property="og:title" content=page.title.clone()/>
                <Meta property="og:type" content="website"/>
                <Link rel="alternate" type_="application/atom+xml" href=format!("/series/{}/feed.atom", page.slug) title=page.title.clone()/>
                <section>
                    <h1>{page.title}</h1>
                    <div class="prose" inner_html=page.description_html></div>
                    <p class="calendar-links">
                        <a href=format!("{}{ics}", site.webcal())>{t.calendar_series}</a>
                        " · "
                        <a href=ics.clone() download=format!("{}.ics", page.slug)>{t.download_ics}</a>
                        " · "
                        <a href=format!("/series/{}/feed.atom", page.slug) type="application/atom+xml">{t.feed}</a>
                        " · "
                        <a href=format!("/series/{}/papers.bib", page.slug) download=format!("{}.bib", page.slug)>{t.reading_list_bib}</a>
                    </p>
                    <div class="cards">
                        {page.events.into_iter().map(|card| view! { <EventCardView card/> }).collect_view()}
                    </div>
                </section>
            }
        }/>
    }
}
