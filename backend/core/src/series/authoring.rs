//! Organisers create and edit series; the public reads them.

use sqlx::PgPool;

use crate::error::{Error, Result};
use crate::events::queries::{self, Viewer};
use crate::forms::{FieldErrors, Problem, SeriesForm};
use crate::lang::Lang;
use crate::markdown;
use crate::values::{self, Slug, TelegramChat, TimeZoneId};

/// The channel's habit: a reminder a day before, 15 minutes and 2 minutes before.
pub const DEFAULT_REMINDER_MINUTES: [i32; 3] = [1440, 15, 2];

/// Offsets as the form shows them: "1440, 15, 2".
pub fn render_minutes(minutes: &[i32]) -> String {
    minutes.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
}
use crate::views::SeriesPage;

#[derive(Debug, Clone)]
pub struct SeriesDraft {
    pub slug: Slug,
    pub title: String,
    pub description: String,
    pub zone: TimeZoneId,
    pub language: Lang,
    pub telegram_chat: Option<TelegramChat>,
    pub reminder_minutes: Vec<i32>,
}

impl SeriesDraft {
    pub fn parse(form: &SeriesForm) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let slug = errors.check("slug", Slug::parse(&form.slug));
        let title = errors.check("title", values::required_text(&form.title, 200));
        let description = errors.check("description", values::long_text(&form.description, 5000));
        let zone = errors.check("time_zone", TimeZoneId::parse(&form.time_zone));
        let language = errors.check("language", Lang::parse(&form.language).ok_or(Problem::UnknownChoice));
        let telegram_chat = errors.check("telegram_chat", TelegramChat::optional(&form.telegram_chat));
        // An empty field on a new series means the channel's habit: a day, 15 and 2 minutes before.
        let reminder_minutes = match form.reminder_minutes.trim() {
            "" => Some(DEFAULT_REMINDER_MINUTES.to_vec()),
            raw => errors.check("reminder_minutes", values::reminder_minutes(raw)),
        };
        match (slug, title, description, zone, language, telegram_chat, reminder_minutes) {
            (
                Some(slug),
                Some(title),
                Some(description),
                Some(zone),
                Some(language),
                Some(telegram_chat),
                Some(reminder_minutes),
            ) if errors.is_empty() => {
                Ok(SeriesDraft { slug, title, description, zone, language, telegram_chat, reminder_minutes })
            }
            _ => Err(errors),
        }
    }
}

#[tracing::instrument(skip(pool, form), fields(slug = %form.slug))]
pub async fn create(pool: &PgPool, form: &SeriesForm) -> Result<i64> {
    let draft = SeriesDraft::parse(form).map_err(Error::Invalid)?;
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO series (slug, title, description, time_zone, language, telegram_chat, reminder_minutes)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(draft.slug.as_str())
    .bind(&draft.title)
    .bind(&draft.description)
    .bind(draft.zone.name())
    .bind(draft.language.code())
    .bind(draft.telegram_chat.as_ref().map(TelegramChat::as_str))
    .bind(&draft.reminder_minutes)
    .fetch_one(pool)
    .await?;
    Ok(id)
}

#[tracing::instrument(skip(pool, form))]
pub async fn update(pool: &PgPool, id: i64, form: &SeriesForm) -> Result<()> {
    let draft = SeriesDraft::parse(form).map_err(Error::Invalid)?;
    let done = sqlx::query(
        "UPDATE series SET slug = $2, title = $3, description = $4, time_zone = $5, language = $6,
             telegram_chat = $7, reminder_minutes = $8
         WHERE id = $1",
    )
    .bind(id)
    .bind(draft.slug.as_str())
    .bind(&draft.title)
    .bind(&draft.description)
    .bind(draft.zone.name())
    .bind(draft.language.code())
    .bind(draft.telegram_chat.as_ref().map(TelegramChat::as_str))
    .bind(&draft.reminder_minutes)
    .execute(pool)
    .await?;
    if done.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
}

/// A series as its edit form shows it.
pub async fn form_of(pool: &PgPool, id: i64) -> Result<SeriesForm> {
    let (slug, title, description, time_zone, language, telegram_chat, minutes) =
        sqlx::query_as::<_, (String, String, String, String, String, Option<String>, Vec<i32>)>(
            "SELECT slug::text, title, description, time_zone::text, language::text, telegram_chat, reminder_minutes
             FROM series WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(SeriesForm {
        slug,
        title,
        description,
        time_zone,
        language,
        telegram_chat: telegram_chat.unwrap_or_default(),
        reminder_minutes: render_minutes(&minutes),
    })
}

/// (id, title, default zone) of every series, for the organiser's pickers.
pub async fn list(pool: &PgPool) -> Result<Vec<(i64, String, String)>> {
    Ok(sqlx::query_as::<_, (i64, String, String)>("SELECT id, title, time_zone::text FROM series ORDER BY id")
        .fetch_all(pool)
        .await?)
}

pub async fn page(pool: &PgPool, slug: &str, viewer: Viewer, lang: Lang) -> Result<SeriesPage> {
    let (id, slug, title, description, time_zone) = sqlx::query_as::<_, (i64, String, String, String, String)>(
        "SELECT id, slug::text, title, description, time_zone::text FROM series WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound)?;
    let events = queries::series_cards(pool, id, viewer, lang).await?;
    Ok(SeriesPage { id, slug, title, description_html: markdown::to_safe_html(&description), time_zone, events })
}
