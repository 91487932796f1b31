//! iCalendar files: one event, one series, or everything public.
//!
//! Times carry their IANA zone as `TZID` (`DTSTART;TZID=Europe/Moscow:20230717T150000`)
//! so calendars show them right across DST changes. UIDs are stable per event
//! so re-importing a feed updates events instead of duplicating them. Each
//! `TZID` used is defined by a `VTIMEZONE` (`time_zones`), and the file says
//! `METHOD:PUBLISH`, as the e-mail attachment's MIME type does.

pub mod links;
mod time_zones;

use chrono::{DateTime, Utc};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus as IcsStatus};
use sqlx::PgPool;

use crate::error::{Error, Result};
use crate::events::queries::zone;
use crate::events::{EventFormat, EventStatus, LinkVisibility};

/// Which events a calendar file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Series(String),
    Event(i64),
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CalendarEntry {
    pub id: i64,
    pub series_title: String,
    pub number: i32,
    pub title: String,
    pub description_md: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub format: EventFormat,
    pub status: EventStatus,
    pub online_url: Option<String>,
    pub link_visibility: LinkVisibility,
    pub venue_name: Option<String>,
    pub venue_address: Option<String>,
    pub updated_at: DateTime<Utc>,
}

impl CalendarEntry {
    /// "Ридинг-группа #100: Tensor-based ...", the line a calendar shows.
    pub fn summary(&self) -> String {
        format!("{} #{}: {}", self.series_title, self.number, self.title)
    }

    /// The event's page on the site.
    pub fn page(&self, base_url: &str) -> String {
        format!("{base_url}/events/{}", self.id)
    }

    /// The description's first words, then the page's address.
    pub fn description(&self, base_url: &str) -> String {
        let page = self.page(base_url);
        if self.description_md.is_empty() {
            page
        } else {
            format!("{}\n\n{page}", crate::markdown::summary(&self.description_md, 1000))
        }
    }

    /// Where to go: the venue for in-person events, the online link when it is
    /// public. A link reserved for registered people never appears here.
    pub fn location(&self) -> Option<String> {
        let venue = [self.venue_name.as_deref(), self.venue_address.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let link = match self.link_visibility {
            LinkVisibility::Everyone => self.online_url.clone(),
            LinkVisibility::Registered => None,
        };
        match self.format {
            EventFormat::InPerson => Some(venue).filter(|v| !v.is_empty()),
            EventFormat::Online => link.or_else(|| Some(venue).filter(|v| !v.is_empty())),
            EventFormat::Hybrid => {
                let parts: Vec<String> = [Some(venue).filter(|v| !v.is_empty()), link].into_iter().flatten().collect();
                (!parts.is_empty()).then(|| parts.join(" / "))
            }
        }
    }
}

/// The public events in scope, soonest first. A missing series or event is `NotFound`.
pub async fn entries(pool: &PgPool, scope: &Scope) -> Result<Vec<CalendarEntry>> {
    const SELECT: &str = "SELECT e.id, s.title AS series_title, e.number, e.title, e.description_md, e.starts_at,
            e.ends_at, e.time_zone::text AS time_zone, e.format, e.status, e.online_url::text AS online_url,
            e.link_visibility, e.venue_name, e.venue_address, e.updated_at
        FROM events e JOIN series s ON s.id = e.series_id WHERE e.status <> 'draft'";
    let entries = match scope {
        Scope::All => {
            sqlx::query_as::<_, CalendarEntry>(&format!("{SELECT} ORDER BY e.starts_at")).fetch_all(pool).await?
        }
        Scope::Series(slug) => {
            let exists = sqlx::query_scalar::<_, i64>("SELECT id FROM series WHERE slug = $1")
                .bind(slug)
                .fetch_optional(pool)
                .await?;
            if exists.is_none() {
                return Err(Error::NotFound);
            }
            sqlx::query_as::<_, CalendarEntry>(&format!("{SELECT} AND s.slug = $1 ORDER BY e.starts_at"))
                .bind(slug)
                .fetch_all(pool)
                .await?
        }
        Scope::Event(id) => {
            let entries =
                sqlx::query_as::<_, CalendarEntry>(&format!("{SELECT} AND e.id = $1")).bind(id).fetch_all(pool).await?;
            if entries.is_empty() {
                return Err(Error::NotFound);
            }
            entries
        }
    };
    Ok(entries)
}

/// The "add to Google Calendar / Outlook" links of a published event; `None`
/// for a draft (it is in no calendar yet).
pub async fn event_links(pool: &PgPool, id: i64, base_url: &str) -> Result<Option<crate::views::CalendarLinks>> {
    match entries(pool, &Scope::Event(id)).await {
        Ok(entries) => Ok(entries.first().map(|entry| links::of(entry, base_url))),
        Err(Error::NotFound) => Ok(None),
        Err(other) => Err(other),
    }
}

/// Renders the entries as one iCalendar file. `base_url` is the site's public
/// address (no trailing slash); its host makes the UIDs globally unique.
pub fn render(name: &str, entries: &[CalendarEntry], base_url: &str) -> String {
    let host = base_url.split("://").nth(1).unwrap_or(base_url).split(['/', ':']).next().unwrap_or("paperclub");
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//paperclub//events//EN"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        .name(name);
    for entry in entries {
        let tz = zone(&entry.time_zone);
        let local = |at: DateTime<Utc>| CalendarDateTime::WithTimezone {
            date_time: at.with_timezone(&tz).naive_local(),
            tzid: entry.time_zone.clone(),
        };
        let page = entry.page(base_url);
        let summary = entry.summary();
        let description = entry.description(base_url);
        let mut event = Event::new();
        event
            .uid(&format!("event-{}@{host}", entry.id))
            .summary(&summary)
            .description(&description)
            .starts(local(entry.starts_at))
            .ends(local(entry.ends_at))
            .url(&page)
            .timestamp(entry.updated_at)
            .last_modified(entry.updated_at)
            // Calendars apply an update only when the sequence grows; the
            // last change's second does, without a counter column.
            .sequence(entry.updated_at.timestamp().clamp(0, u32::MAX as i64) as u32)
            .status(if entry.status == EventStatus::Cancelled { IcsStatus::Cancelled } else { IcsStatus::Confirmed });
        if let Some(location) = entry.location() {
            event.location(&location);
        }
        calendar.push(event.done());
    }
    with_time_zones(&calendar.done().to_string(), entries)
}

/// The file with a `VTIMEZONE` for every zone its events use, over the years
/// they span, before the first event (icalendar writes no time zones itself).
fn with_time_zones(file: &str, entries: &[CalendarEntry]) -> String {
    let mut zones: std::collections::BTreeMap<&str, Vec<DateTime<Utc>>> = Default::default();
    for entry in entries {
        zones.entry(entry.time_zone.as_str()).or_default().extend([entry.starts_at, entry.ends_at]);
    }
    let definitions: String = zones
        .into_iter()
        .filter_map(|(tzid, instants)| {
            let (from, to) = time_zones::years(instants)?;
            time_zones::vtimezone(tzid, from, to)
        })
        .collect();
    let at = file.find("BEGIN:VEVENT").or_else(|| file.find("END:VCALENDAR")).unwrap_or(file.len());
    format!("{}{definitions}{}", &file[..at], &file[at..])
}
