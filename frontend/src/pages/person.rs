use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::api::load_person;
use crate::components::event_card::EventCardView;
use crate::components::loaded::{Loaded, by_id};
use crate::i18n::use_texts;

#[component]
pub fn PersonView() -> impl IntoView {
    let t = use_texts();
    let data = by_id(load_person);
    view! {
        <Loaded data render=move |page| {
            let about = [page.person.role.clone(), page.person.affiliation.clone()].into_iter().flatten().collect::<Vec<_>>().join(", ");
            view! {
                <Title text=page.person.name.clone()/>
                <Meta property="og:title" content=page.person.name.clone()/>
                <Meta property="og:description" content=about.clone()/>
                <section>
                    <h1>{page.person.name}</h1>
                    {(!about.is_empty()).then(|| view! { <p class="lead">{about}</p> })}
                    {page.telegram_handle.map(|handle| {
                        let href = format!("https://t.me/{handle}");
                        view! { <p><a href=href rel="noopener">"@" {handle}</a></p> }
                    })}
                    <div class="prose" inner_html=page.bio_html></div>
                    <h2>{t.events_of_person}</h2>
                    <div class="cards">
                        {page.events.into_iter().map(|card| view! { <EventCardView card/> }).collect_view()}
                    </div>
                </section>
            }
        }/>
    }
}
