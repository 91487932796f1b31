use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::api::load_home;
use crate::components::event_card::EventCardView;
use crate::components::loaded::Loaded;
use crate::i18n::use_texts;
use crate::site::use_site;

#[component]
pub fn Home() -> impl IntoView {
    let t = use_texts();
    let site = use_site();
    let data = Resource::new(|| (), |_| async { load_home().await.map(Some) });
    view! {
        <Title text=""/>
        <Meta property="og:title" content=t.site_name/>
        <Meta property="og:description" content=t.tagline/>
        <Meta property="og:type" content="website"/>
        <Loaded data render=move |page| {
            let webcal = site.webcal();
            view! {
                <section aria-labelledby="upcoming-heading">
                    <h1 id="upcoming-heading">{t.upcoming}</h1>
                    {if page.upcoming.is_empty() {
                        view! { <p class="empty">{t.no_upcoming}</p> }.into_any()
                    } else {
                        view! {
                            <div class="cards">
                                {page.upcoming.into_iter().map(|card| view! { <EventCardView card/> }).collect_view()}
                            </div>
                        }.into_any()
                    }}
                </section>
                <section aria-labelledby="past-heading">
                    <h2 id="past-heading">{t.past}</h2>
                    <div class="cards">
                        {page.past.into_iter().map(|card| view! { <EventCardView card/> }).collect_view()}
                    </div>
                </section>
                <section aria-labelledby="series-heading" class="series-list">
                    <h2 id="series-heading">{t.all_series}</h2>
                    <ul>
                        {page.series.into_iter().map(|series| {
                            let ics = format!("{webcal}/series/{}/calendar.ics", series.slug);
                            view! {
                                <li>
                                    <a href=format!("/series/{}", series.slug)>{series.title}</a>
                                    " · " <a href=ics>{t.calendar_series}</a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        }/>
    }
}
