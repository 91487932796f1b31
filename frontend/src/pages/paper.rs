use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::api::load_paper;
use crate::components::event_card::EventCardView;
use crate::components::loaded::{Loaded, by_id};
use crate::i18n::use_texts;

#[component]
pub fn PaperView() -> impl IntoView {
    let t = use_texts();
    let data = by_id(load_paper);
    view! {
        <Loaded data render=move |page| {
            let link = page.paper.link();
            let byline = [
                Some(page.paper.authors.join(", ")).filter(|a| !a.is_empty()),
                page.paper.venue.clone(),
                page.paper.year.map(|y| y.to_string()),
            ].into_iter().flatten().collect::<Vec<_>>().join(" · ");
            view! {
                <Title text=page.paper.title.clone()/>
                <Meta property="og:title" content=page.paper.title.clone()/>
                <Meta property="og:description" content=byline.clone()/>
                <section>
                    <h1>{page.paper.title}</h1>
                    <p class="lead">{byline}</p>
                    {link.map(|href| view! { <p><a href=href rel="noopener">{t.open_paper}</a></p> })}
                    {(!page.abstract_text.is_empty()).then(|| view! {
                        <h2>{t.abstract_}</h2>
                        <p>{page.abstract_text}</p>
                    })}
                    <details class="cite">
                        <summary>{t.cite}</summary>
                        <pre data-testid="bibtex">{page.bibtex}</pre>
                        <a href=format!("/papers/{}/cite.bib", page.paper.id) download=format!("paper-{}.bib", page.paper.id)>{t.download_bib}</a>
                    </details>
                    <h2>{t.events_of_paper}</h2>
                    <div class="cards">
                        {page.events.into_iter().map(|card| view! { <EventCardView card/> }).collect_view()}
                    </div>
                </section>
            }
        }/>
    }
}
