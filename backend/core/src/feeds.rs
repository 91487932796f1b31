//! Atom feeds (RFC 4287) of published events: everything at `/feed.atom`,
//! one series at `/series/<slug>/feed.atom`. Built from the same entries as
//! the calendar files, so a feed never shows a draft or a link for
//! registered people only; most recently changed first.

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::PgPool;

use crate::calendar::{self, CalendarEntry, Scope};
use crate::channel_posts::html::escape;
use crate::error::{Error, Result};
use crate::events::queries::zone;
use crate::lang::Lang;

/// At most this many entries: a feed is news, the site is the archive.
const MAX_ENTRIES: usize = 50;

/// What a feed is of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedScope {
    All,
    Series(String),
}

/// The feed's XML. `base_url` is the site's public address.
pub async fn atom(pool: &PgPool, scope: &FeedScope, base_url: &str, lang: Lang) -> Result<String> {
    let site = &crate::words::words(lang).site;
    let (title, path, entries) = match scope {
        FeedScope::All => {
            (site.site_name.to_owned(), "/feed.atom".to_owned(), calendar::entries(pool, &Scope::All).await?)
        }
        FeedScope::Series(slug) => {
            let title = sqlx::query_scalar::<_, String>("SELECT title FROM series WHERE slug = $1")
                .bind(slug)
                .fetch_optional(pool)
                .await?
                .ok_or(Error::NotFound)?;
            let entries = calendar::entries(pool, &Scope::Series(slug.clone())).await?;
            (format!("{}: {title}", site.site_name), format!("/series/{slug}/feed.atom"), entries)
        }
    };
    Ok(render(&title, &format!("{base_url}{path}"), base_url, entries, lang))
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn render(title: &str, self_url: &str, base_url: &str, mut entries: Vec<CalendarEntry>, lang: Lang) -> String {
    entries.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(b.id.cmp(&a.id)));
    entries.truncate(MAX_ENTRIES);
    // An empty feed is as old as the epoch: nothing in it has changed.
    let updated = entries.first().map_or(DateTime::<Utc>::UNIX_EPOCH, |entry| entry.updated_at);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n<id>{}</id>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}/\"/>\n\
         <updated>{}</updated>\n<author><name>{}</name></author>\n",
        lang.code(),
        escape(title),
        escape(self_url),
        escape(self_url),
        escape(base_url),
        stamp(updated),
        escape(crate::words::words(lang).site.site_name),
    ));
    for entry in &entries {
        let page = entry.page(base_url);
        let when = crate::time_format::span(entry.starts_at, entry.ends_at, zone(&entry.time_zone), lang);
        let summary = [when, crate::markdown::summary(&entry.description_md, 500)]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(". ");
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
             <updated>{}</updated>\n<summary>{}</summary>\n<category term=\"{}\"/>\n</entry>\n",
            escape(&entry.summary()),
            escape(&page),
            escape(&page),
            stamp(entry.updated_at),
            escape(&summary),
            // The event's status code (`scheduled`, `cancelled`, ...), for
            // readers that filter.
            entry.status.code(),
        ));
    }
    out.push_str("</feed>\n");
    out
}
