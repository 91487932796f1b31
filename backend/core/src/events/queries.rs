//! The read side of events: what the public pages, feeds and the organiser
//! dashboard show. Each function is one page's worth of queries.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sqlx::PgPool;

use super::{EventFormat, EventKind, EventStatus, LinkVisibility, PersonRole, ProgrammeKind, RegistrationMode};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::views::{
    EventCard, EventPage, EventPerson, HomePage, PaperRef, PersonRef, ProgrammeRow, Recording, SeriesRef,
};
use crate::{markdown, time_format};

/// Who is looking. Drafts and reserved links depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    Public,
    Organiser,
}

impl Viewer {
    pub fn sees_drafts(self) -> bool {
        self == Viewer::Organiser
    }
}

/// The columns every event listing selects; `people` are the presenters or
/// speakers in order, hosts left out.
pub(crate) const CARD_COLUMNS: &str = r#"
    e.id, e.kind, e.status, e.format, s.slug AS series_slug, s.title AS series_title,
    e.number, e.title, e.starts_at, e.time_zone::text AS time_zone, e.venue_name,
    COALESCE((SELECT array_agg(p.name ORDER BY ep.role, ep.position)
              FROM event_people ep JOIN people p ON p.id = ep.person_id
              WHERE ep.event_id = e.id AND ep.role <> 'host'), '{}') AS people
"#;

#[derive(sqlx::FromRow)]
pub(crate) struct CardRow {
    id: i64,
    kind: EventKind,
    status: EventStatus,
    format: EventFormat,
    series_slug: String,
    series_title: String,
    number: i32,
    title: String,
    starts_at: DateTime<Utc>,
    time_zone: String,
    venue_name: Option<String>,
    people: Vec<String>,
}

/// A zone name read from the database. The column's constraint only admits
/// zones PostgreSQL knows; if chrono-tz is older than the server's tzdata we
/// show UTC rather than fail the page.
pub(crate) fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

impl CardRow {
    pub(crate) fn starts_at(&self) -> DateTime<Utc> {
        self.starts_at
    }
    pub(crate) fn time_zone(&self) -> &str {
        &self.time_zone
    }
    pub(crate) fn venue_name(&self) -> Option<&str> {
        self.venue_name.as_deref()
    }

    pub(crate) fn into_card(self, lang: Lang) -> EventCard {
        let tz = zone(&self.time_zone);
        EventCard {
            id: self.id,
            kind: self.kind,
            status: self.status,
            format: self.format,
            series_slug: self.series_slug,
            series_title: self.series_title,
            number: self.number,
            title: self.title,
            starts: time_format::when(self.starts_at, tz, lang),
            people: self.people,
            place: self.venue_name,
        }
    }
}

fn cards(rows: Vec<CardRow>, lang: Lang) -> Vec<EventCard> {
    rows.into_iter().map(|row| row.into_card(lang)).collect()
}

/// Upcoming events (soonest first) and past ones (latest first).
#[tracing::instrument(skip(pool))]
pub async fn home(pool: &PgPool, lang: Lang, now: DateTime<Utc>) -> Result<HomePage> {
    let upcoming = sqlx::query_as::<_, CardRow>(&format!(
        "SELECT {CARD_COLUMNS} FROM events e JOIN series s ON s.id = e.series_id
         WHERE e.status <> 'draft' AND e.ends_at >= $1 ORDER BY e.starts_at LIMIT 50"
    ))
    .bind(now)
    .fetch_all(pool)
    .await?;
    let past = sqlx::query_as::<_, CardRow>(&format!(
        "SELECT {CARD_COLUMNS} FROM events e JOIN series s ON s.id = e.series_id
         WHERE e.status <> 'draft' AND e.ends_at < $1 ORDER BY e.starts_at DESC LIMIT 50"
    ))
    .bind(now)
    .fetch_all(pool)
    .await?;
    let series = sqlx::query_as::<_, (String, String)>("SELECT slug::text, title FROM series ORDER BY id")
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|(slug, title)| SeriesRef { slug, title })
        .collect();
    Ok(HomePage { upcoming: cards(upcoming, lang), past: cards(past, lang), series })
}

/// Every event of a series, newest number first.
pub async fn series_cards(pool: &PgPool, series_id: i64, viewer: Viewer, lang: Lang) -> Result<Vec<EventCard>> {
    let rows = sqlx::query_as::<_, CardRow>(&format!(
        "SELECT {CARD_COLUMNS} FROM events e JOIN series s ON s.id = e.series_id
         WHERE e.series_id = $1 AND (e.status <> 'draft' OR $2) ORDER BY e.number DESC"
    ))
    .bind(series_id)
    .bind(viewer.sees_drafts())
    .fetch_all(pool)
    .await?;
    Ok(cards(rows, lang))
}

/// All events, drafts included, for the organiser dashboard: upcoming first.
pub async fn all_cards(pool: &PgPool, lang: Lang) -> Result<Vec<EventCard>> {
    let rows = sqlx::query_as::<_, CardRow>(&format!(
        "SELECT {CARD_COLUMNS} FROM events e JOIN series s ON s.id = e.series_id
         ORDER BY (e.ends_at < now()), e.starts_at DESC"
    ))
    .fetch_all(pool)
    .await?;
    Ok(cards(rows, lang))
}

/// Public events a person presented or spoke at.
pub async fn person_cards(pool: &PgPool, person_id: i64, lang: Lang) -> Result<Vec<EventCard>> {
    let rows = sqlx::query_as::<_, CardRow>(&format!(
        "SELECT {CARD_COLUMNS} FROM events e JOIN series s ON s.id = e.series_id
         WHERE e.status <> 'draft' AND (
             EXISTS (SELECT 1 FROM event_people ep WHERE ep.event_id = e.id AND ep.person_id = $1)
             OR EXISTS (SELECT 1 FROM programme_items pi JOIN programme_item_speakers ps ON ps.item_id = pi.id
                        WHERE pi.event_id = e.id AND ps.person_id = $1))
         ORDER BY e.starts_at DESC"
    ))
    .bind(person_id)
    .fetch_all(pool)
    .await?;
    Ok(cards(rows, lang))
}

/// Public events that discussed a paper.
pub async fn paper_cards(pool: &PgPool, paper_id: i64, lang: Lang) -> Result<Vec<EventCard>> {
    let rows = sqlx::query_as::<_, CardRow>(&format!(
        "SELECT {CARD_COLUMNS} FROM events e JOIN series s ON s.id = e.series_id
         WHERE e.status <> 'draft' AND EXISTS (SELECT 1 FROM event_papers x WHERE x.event_id = e.id AND x.paper_id = $1)
         ORDER BY e.starts_at DESC"
    ))
    .bind(paper_id)
    .fetch_all(pool)
    .await?;
    Ok(cards(rows, lang))
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    #[sqlx(flatten)]
    card: CardRow,
    ends_at: DateTime<Utc>,
    description_md: String,
    online_url: Option<String>,
    link_visibility: LinkVisibility,
    venue_address: Option<String>,
    capacity: Option<i32>,
    seats_taken: i32,
    registration_deadline: Option<DateTime<Utc>>,
    registration_mode: RegistrationMode,
    recording_url: Option<String>,
    recording_file_name: Option<String>,
    recording_size_bytes: Option<i64>,
    slides_url: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct PersonRow {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) role: Option<String>,
    pub(crate) affiliation: Option<String>,
}

impl From<PersonRow> for PersonRef {
    fn from(row: PersonRow) -> Self {
        PersonRef { id: row.id, name: row.name, role: row.role, affiliation: row.affiliation }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct PaperRow {
    pub(crate) id: i64,
    pub(crate) title: String,
    pub(crate) authors: Vec<String>,
    pub(crate) year: Option<i32>,
    pub(crate) venue: Option<String>,
    pub(crate) arxiv_id: Option<String>,
    pub(crate) doi: Option<String>,
    pub(crate) url: Option<String>,
}

impl From<PaperRow> for PaperRef {
    fn from(row: PaperRow) -> Self {
        PaperRef {
            id: row.id,
            title: row.title,
            authors: row.authors,
            year: row.year,
            venue: row.venue,
            arxiv_id: row.arxiv_id,
            doi: row.doi,
            url: row.url,
        }
    }
}

pub(crate) const PAPER_COLUMNS: &str =
    "p.id, p.title, p.authors, p.year, p.venue, p.arxiv_id, p.doi, p.url::text AS url";

/// One event with everything its page shows. Drafts are `NotFound` to the public.
#[tracing::instrument(skip(pool))]
pub async fn event_page(pool: &PgPool, id: i64, viewer: Viewer, lang: Lang, now: DateTime<Utc>) -> Result<EventPage> {
    let row = sqlx::query_as::<_, DetailRow>(&format!(
        "SELECT {CARD_COLUMNS}, e.ends_at, e.description_md, e.online_url::text AS online_url, e.link_visibility,
                e.venue_address, e.capacity, e.seats_taken, e.registration_deadline, e.registration_mode, e.recording_url::text AS recording_url,
                e.recording_file_name, e.recording_size_bytes, e.slides_url::text AS slides_url
         FROM events e JOIN series s ON s.id = e.series_id
         WHERE e.id = $1 AND (e.status <> 'draft' OR $2)"
    ))
    .bind(id)
    .bind(viewer.sees_drafts())
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound)?;

    let people = sqlx::query_as::<_, (i64, String, Option<String>, Option<String>, PersonRole)>(
        "SELECT p.id, p.name, p.role, p.affiliation, ep.role
         FROM event_people ep JOIN people p ON p.id = ep.person_id
         WHERE ep.event_id = $1 ORDER BY ep.role, ep.position",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(id, name, role, affiliation, event_role)| EventPerson {
        person: PersonRef { id, name, role, affiliation },
        role: event_role,
    })
    .collect();

    let papers = sqlx::query_as::<_, PaperRow>(&format!(
        "SELECT {PAPER_COLUMNS} FROM event_papers x JOIN papers p ON p.id = x.paper_id
         WHERE x.event_id = $1 ORDER BY x.position"
    ))
    .bind(id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(PaperRef::from)
    .collect();

    let tz = zone(&row.card.time_zone);
    let programme = programme_rows(pool, id, tz).await?;

    let has_link = row.online_url.is_some();
    let link_shown = row.link_visibility == LinkVisibility::Everyone || viewer == Viewer::Organiser;
    let recording = (row.recording_url.is_some() || row.recording_file_name.is_some()).then(|| Recording {
        url: row.recording_url,
        file_name: row.recording_file_name,
        size_label: row.recording_size_bytes.map(time_format::file_size_label),
    });
    let registration_open = row.card.status == EventStatus::Scheduled
        && row.registration_mode != RegistrationMode::None
        && now < row.card.starts_at
        && row.registration_deadline.is_none_or(|deadline| now < deadline);
    // The registration form's questions: only when the form is shown, or an organiser edits them.
    let questions = if registration_open || viewer == Viewer::Organiser {
        crate::registrations::questions::of_event(pool, id).await?
    } else {
        Vec::new()
    };
    let demos = crate::demo_runs::attachments::of_event(pool, id, lang).await?;
    Ok(EventPage {
        calendar_links: None,
        demos,
        questions,
        registration_open,
        seats_left: row.capacity.map(|capacity| i64::from((capacity - row.seats_taken).max(0))),
        ends: time_format::when(row.ends_at, tz, lang),
        span_label: time_format::span(row.card.starts_at, row.ends_at, tz, lang),
        description_html: markdown::to_safe_html(&row.description_md),
        summary: markdown::summary(&row.description_md, 200),
        online_url: if link_shown { row.online_url } else { None },
        online_url_hidden: has_link && !link_shown,
        venue_name: row.card.venue_name.clone(),
        venue_address: row.venue_address,
        capacity: row.capacity,
        registration_mode: row.registration_mode,
        people,
        papers,
        programme,
        recording,
        slides_url: row.slides_url,
        card: row.card.into_card(lang),
    })
}

async fn programme_rows(pool: &PgPool, event_id: i64, tz: Tz) -> Result<Vec<ProgrammeRow>> {
    let items = sqlx::query_as::<_, (i64, DateTime<Utc>, DateTime<Utc>, ProgrammeKind, String)>(
        "SELECT id, starts_at, ends_at, kind, title FROM programme_items WHERE event_id = $1 ORDER BY starts_at, id",
    )
    .bind(event_id)
    .fetch_all(pool)
    .await?;
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let speakers = sqlx::query_as::<_, (i64, i64, String, Option<String>, Option<String>)>(
        "SELECT ps.item_id, p.id, p.name, p.role, p.affiliation
         FROM programme_item_speakers ps JOIN people p ON p.id = ps.person_id
         JOIN programme_items pi ON pi.id = ps.item_id
         WHERE pi.event_id = $1 ORDER BY ps.item_id, ps.position",
    )
    .bind(event_id)
    .fetch_all(pool)
    .await?;
    Ok(items
        .into_iter()
        .map(|(item_id, starts_at, ends_at, kind, title)| ProgrammeRow {
            time_range: time_format::clock_range(starts_at, ends_at, tz),
            kind,
            title,
            speakers: speakers
                .iter()
                .filter(|(item, ..)| *item == item_id)
                .map(|(_, id, name, role, affiliation)| PersonRef {
                    id: *id,
                    name: name.clone(),
                    role: role.clone(),
                    affiliation: affiliation.clone(),
                })
                .collect(),
        })
        .collect())
}

/// The language of an event's series (the channel's posts use it).
pub async fn series_language(pool: &PgPool, event_id: i64) -> Result<Lang> {
    let code = sqlx::query_scalar::<_, String>(
        "SELECT s.language::text FROM events e JOIN series s ON s.id = e.series_id WHERE e.id = $1",
    )
    .bind(event_id)
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound)?;
    Ok(Lang::parse(&code).unwrap_or_default())
}

/// The reminder offsets in force for an event: its own, else its series'.
pub async fn reminder_minutes(pool: &PgPool, event_id: i64) -> Result<Vec<i32>> {
    Ok(sqlx::query_scalar::<_, Vec<i32>>(
        "SELECT COALESCE(e.reminder_minutes, s.reminder_minutes) FROM events e JOIN series s ON s.id = e.series_id WHERE e.id = $1",
    )
    .bind(event_id)
    .fetch_optional(pool)
    .await?
    .unwrap_or_default())
}
