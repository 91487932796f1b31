//! Organisers create, edit, publish and cancel events.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgPool};

use super::programme::ProgrammeLine;
use super::queries::{self, Viewer};
use super::{EventFormat, EventKind, EventStatus, LinkVisibility, PersonRole, ProgrammeKind, RegistrationMode};
use crate::demo_runs::attachments::DemoLine;
use crate::error::{Error, Result};
use crate::forms::{EventForm, FieldErrors, Problem};
use crate::lang::Lang;
use crate::outbox::Kind;
use crate::outbox::plan;
use crate::papers::repository::{self as papers, PaperLine};
use crate::people::repository::{self as people, PersonLine};
use crate::values::{self, TimeZoneId, WebUrl};
use crate::{channel_posts, reminders};

/// A checked event, ready to be written.
#[derive(Debug, Clone)]
pub struct EventDraft {
    pub series_id: i64,
    pub kind: EventKind,
    /// `None`: the next number in the series.
    pub number: Option<i32>,
    pub title: String,
    pub description_md: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub zone: TimeZoneId,
    pub format: EventFormat,
    pub online_url: Option<WebUrl>,
    pub link_visibility: LinkVisibility,
    pub venue_name: Option<String>,
    pub venue_address: Option<String>,
    pub capacity: Option<i32>,
    pub registration_mode: RegistrationMode,
    pub registration_deadline: Option<DateTime<Utc>>,
    pub recording_url: Option<WebUrl>,
    pub recording_file_name: Option<String>,
    pub recording_size_bytes: Option<i64>,
    pub slides_url: Option<WebUrl>,
    pub presenters: Vec<PersonLine>,
    pub papers: Vec<PaperLine>,
    pub programme: Vec<ProgrammeLine>,
    pub questions: Vec<crate::registrations::questions::Question>,
    pub demos: Vec<DemoLine>,
    pub pin_announcement: bool,
    /// None: the series' offsets.
    pub reminder_minutes: Option<Vec<i32>>,
}

fn choice<T>(raw: &str, parse: fn(&str) -> Option<T>, default: Option<T>) -> Result<T, Problem> {
    match (raw.trim(), default) {
        ("", Some(default)) => Ok(default),
        ("", None) => Err(Problem::Required),
        (raw, _) => parse(raw).ok_or(Problem::UnknownChoice),
    }
}

/// Parses every non-empty line of a list field, reporting the first bad line by number.
fn lines<T>(raw: &str, mut parse: impl FnMut(&str) -> Result<T, Problem>) -> Result<Vec<T>, Problem> {
    const MAX_LINES: usize = 100;
    let lines: Vec<(usize, &str)> = raw.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()).collect();
    if lines.len() > MAX_LINES {
        return Err(Problem::TooLong { max: MAX_LINES });
    }
    lines
        .into_iter()
        .map(|(index, line)| {
            parse(line).map_err(|problem| Problem::Line { line: index + 1, problem: Box::new(problem) })
        })
        .collect()
}

impl EventDraft {
    /// Checks every field and reports every problem at once. `series_zone` is
    /// the series' default zone, used when the form leaves the zone empty.
    pub fn parse(form: &EventForm, series_id: i64, series_zone: TimeZoneId) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = errors.check("kind", choice(&form.kind, EventKind::parse, None));
        let number = errors.check("number", values::optional_integer(&form.number, 1, 1_000_000));
        let title = errors.check("title", values::required_text(&form.title, 300));
        let description_md = errors.check("description", values::long_text(&form.description, 20_000));
        let zone = if form.time_zone.trim().is_empty() {
            Some(series_zone)
        } else {
            errors.check("time_zone", TimeZoneId::parse(&form.time_zone))
        };
        let date = errors.check("date", values::date(&form.date));
        let start = errors.check("start_time", values::time(&form.start_time));
        let end = errors.check("end_time", values::time(&form.end_time));
        let (mut starts_at, mut ends_at) = (None, None);
        if let (Some(zone), Some(date), Some(start), Some(end)) = (zone, date, start, end) {
            starts_at = errors.check("start_time", zone.instant(date.and_time(start)));
            ends_at = errors.check("end_time", zone.instant(date.and_time(end)));
            if let (Some(s), Some(e)) = (starts_at, ends_at)
                && e <= s
            {
                errors.add("end_time", Problem::EndNotAfterStart);
            }
        }
        let format = errors.check("format", choice(&form.format, EventFormat::parse, None));
        let online_url = errors.check("online_url", WebUrl::optional(&form.online_url));
        let link_visibility = errors.check(
            "link_visibility",
            choice(&form.link_visibility, LinkVisibility::parse, Some(LinkVisibility::Everyone)),
        );
        let venue_name = errors.check("venue_name", values::optional_text(&form.venue_name, 300));
        if format.is_some_and(EventFormat::is_in_person) && venue_name == Some(None) {
            errors.add("venue_name", Problem::Required);
        }
        let venue_address = errors.check("venue_address", values::optional_text(&form.venue_address, 500));
        let capacity = errors.check("capacity", values::optional_integer(&form.capacity, 1, 100_000));
        let registration_mode = errors.check(
            "registration_mode",
            choice(&form.registration_mode, RegistrationMode::parse, Some(RegistrationMode::None)),
        );
        let registration_deadline = match (form.registration_deadline.trim(), zone) {
            ("", _) | (_, None) => Some(None),
            (raw, Some(zone)) => errors.check(
                "registration_deadline",
                chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
                    .or_else(|_| chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M"))
                    .map_err(|_| Problem::BadDate)
                    .and_then(|local| zone.instant(local))
                    .map(Some),
            ),
        };
        if let (Some(Some(deadline)), Some(end)) = (registration_deadline, ends_at)
            && deadline > end
        {
            errors.add("registration_deadline", Problem::DeadlineAfterEnd);
        }
        let recording_url = errors.check("recording_url", WebUrl::optional(&form.recording_url));
        let recording_file_name =
            errors.check("recording_file_name", values::optional_text(&form.recording_file_name, 300));
        let recording_size_mb =
            errors.check("recording_size_mb", values::optional_integer(&form.recording_size_mb, 1, 1_000_000));
        let slides_url = errors.check("slides_url", WebUrl::optional(&form.slides_url));
        let presenters = errors.check("presenters", lines(&form.presenters, PersonLine::parse));
        let papers = errors.check("papers", lines(&form.papers, PaperLine::parse));
        let questions = errors.check("questions", lines(&form.questions, crate::registrations::questions::parse_line));
        let demos = errors.check("demos", lines(&form.demos, DemoLine::parse));
        let reminder_minutes = match form.reminder_minutes.trim() {
            "" => Some(None),
            raw => errors.check("reminder_minutes", values::reminder_minutes(raw).map(Some)),
        };
        let programme = match (date, zone) {
            (Some(date), Some(zone)) => {
                errors.check("programme", lines(&form.programme, |line| ProgrammeLine::parse(line, date, zone)))
            }
            _ => Some(Vec::new()),
        };

        match (
            kind,
            number,
            title,
            description_md,
            zone,
            starts_at,
            ends_at,
            format,
            online_url,
            link_visibility,
            venue_name,
            venue_address,
            capacity,
            registration_mode,
            recording_url,
            recording_file_name,
            recording_size_mb,
            slides_url,
            presenters,
            papers,
            programme,
            questions,
            registration_deadline,
        ) {
            (
                Some(kind),
                Some(number),
                Some(title),
                Some(description_md),
                Some(zone),
                Some(starts_at),
                Some(ends_at),
                Some(format),
                Some(online_url),
                Some(link_visibility),
                Some(venue_name),
                Some(venue_address),
                Some(capacity),
                Some(registration_mode),
                Some(recording_url),
                Some(recording_file_name),
                Some(recording_size_mb),
                Some(slides_url),
                Some(presenters),
                Some(papers),
                Some(programme),
                Some(questions),
                Some(registration_deadline),
            ) if errors.is_empty() => Ok(EventDraft {
                series_id,
                kind,
                number: number.map(|n| n as i32),
                title,
                description_md,
                starts_at,
                ends_at,
                zone,
                format,
                online_url,
                link_visibility,
                venue_name,
                venue_address,
                capacity: capacity.map(|c| c as i32),
                registration_mode,
                recording_url,
                recording_file_name,
                recording_size_bytes: recording_size_mb.map(|mb| mb * 1024 * 1024),
                slides_url,
                presenters,
                papers,
                programme,
                questions,
                registration_deadline,
                // Checked above: no errors means every list parsed.
                demos: demos.unwrap_or_default(),
                pin_announcement: matches!(form.pin_announcement.trim(), "on" | "true"),
                reminder_minutes: reminder_minutes.flatten(),
            }),
            _ => Err(errors),
        }
    }
}

/// The series' id and zone for a form's `series_id`.
async fn series_of(conn: &mut PgConnection, raw_id: &str) -> Result<(i64, TimeZoneId)> {
    let id = values::integer(raw_id, 1, i64::MAX).map_err(|problem| Error::invalid("series_id", problem))?;
    let zone = sqlx::query_scalar::<_, String>("SELECT time_zone::text FROM series WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::invalid("series_id", Problem::UnknownSeries))?;
    let zone = TimeZoneId::parse(&zone).map_err(|problem| Error::invalid("time_zone", problem))?;
    Ok((id, zone))
}

/// The event columns an organiser's form sets, in the order `save` binds them.
const FORM_COLUMNS: &str = "series_id, kind, number, title, description_md, starts_at, ends_at, time_zone, format,
    online_url, link_visibility, venue_name, venue_address, capacity, registration_mode,
    recording_url, recording_file_name, recording_size_bytes, slides_url, registration_deadline";
const FORM_PARAMS: &str = "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20";

/// Creates a draft event from the organiser's form; returns its id.
pub async fn create(pool: &PgPool, form: &EventForm, now: DateTime<Utc>) -> Result<i64> {
    save(pool, None, form, now).await
}

/// Replaces an event's details (people, papers and programme included) with the form's.
pub async fn update(pool: &PgPool, id: i64, form: &EventForm, now: DateTime<Utc>) -> Result<()> {
    save(pool, Some(id), form, now).await.map(|_| ())
}

/// Writes the form as a new event (`id` = None) or over an existing one, in
/// one transaction: the event either has all of the form or none of it.
#[tracing::instrument(skip(pool, form), fields(title = %form.title))]
async fn save(pool: &PgPool, id: Option<i64>, form: &EventForm, now: DateTime<Utc>) -> Result<i64> {
    let mut tx = pool.begin().await?;
    let (series_id, zone) = series_of(&mut tx, &form.series_id).await?;
    let draft = EventDraft::parse(form, series_id, zone).map_err(Error::Invalid)?;
    let number = match (draft.number, id) {
        (Some(number), _) => number,
        (None, None) => next_number(&mut tx, series_id).await?,
        (None, Some(id)) => sqlx::query_scalar::<_, i32>("SELECT number FROM events WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound)?,
    };
    // What registrants were told before this change, to tell them what changed.
    let before =
        match id {
            Some(id) => sqlx::query_as::<_, Logistics>(
                "SELECT status, starts_at, ends_at, format, venue_name, venue_address, online_url::text AS online_url
             FROM events WHERE id = $1 FOR UPDATE",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?,
            None => None,
        };
    let sql = match id {
        None => format!("INSERT INTO events ({FORM_COLUMNS}) VALUES ({FORM_PARAMS}) RETURNING id"),
        Some(_) => format!(
            "UPDATE events SET ({FORM_COLUMNS}) = ({FORM_PARAMS}), updated_at = now() WHERE id = $21 RETURNING id"
        ),
    };
    let query = sqlx::query_scalar::<_, i64>(&sql)
        .bind(draft.series_id)
        .bind(draft.kind)
        .bind(number)
        .bind(&draft.title)
        .bind(&draft.description_md)
        .bind(draft.starts_at)
        .bind(draft.ends_at)
        .bind(draft.zone.name())
        .bind(draft.format)
        .bind(draft.online_url.as_ref().map(WebUrl::as_str))
        .bind(draft.link_visibility)
        .bind(&draft.venue_name)
        .bind(&draft.venue_address)
        .bind(draft.capacity)
        .bind(draft.registration_mode)
        .bind(draft.recording_url.as_ref().map(WebUrl::as_str))
        .bind(&draft.recording_file_name)
        .bind(draft.recording_size_bytes)
        .bind(draft.slides_url.as_ref().map(WebUrl::as_str))
        .bind(draft.registration_deadline);
    let query = match id {
        Some(id) => query.bind(id),
        None => query,
    };
    let id = query.fetch_optional(&mut *tx).await?.ok_or(Error::NotFound)?;
    sqlx::query("UPDATE events SET pin_announcement = $2, reminder_minutes = $3 WHERE id = $1")
        .bind(id)
        .bind(draft.pin_announcement)
        .bind(&draft.reminder_minutes)
        .execute(&mut *tx)
        .await?;
    // The lists are replaced whole: what the form lists is what the event has.
    for table in ["event_people", "event_papers", "programme_items"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE event_id = $1")).bind(id).execute(&mut *tx).await?;
    }
    write_children(&mut tx, id, &draft).await?;
    crate::registrations::questions::replace(&mut tx, id, &draft.questions).await?;
    // The channel's posts follow the event: edits, re-planned reminders, the recording post.
    if before.as_ref().is_some_and(|before| before.status != EventStatus::Draft) {
        channel_posts::on_change(&mut tx, id, now).await?;
    }
    if let Some(before) = before
        && before.status == EventStatus::Scheduled
    {
        let after = Logistics {
            status: before.status,
            starts_at: draft.starts_at,
            ends_at: draft.ends_at,
            format: draft.format,
            venue_name: draft.venue_name.clone(),
            venue_address: draft.venue_address.clone(),
            online_url: draft.online_url.as_ref().map(|url| url.as_str().to_owned()),
        };
        if after != before {
            let told = plan::for_registrants(&mut tx, id, Kind::EventChanged, now).await?;
            reminders::follow_start(&mut tx, id).await?;
            tracing::info!(event_id = id, told, "event changed: registrants will be told");
        }
    }
    tx.commit().await?;
    tracing::info!(event_id = id, "event saved");
    Ok(id)
}

/// The facts of an event that registrants rely on: when it changes, they hear.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct Logistics {
    status: EventStatus,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    format: EventFormat,
    venue_name: Option<String>,
    venue_address: Option<String>,
    online_url: Option<String>,
}

async fn next_number(conn: &mut PgConnection, series_id: i64) -> Result<i32> {
    Ok(sqlx::query_scalar::<_, i32>("SELECT COALESCE(max(number), 0) + 1 FROM events WHERE series_id = $1")
        .bind(series_id)
        .fetch_one(conn)
        .await?)
}

async fn write_children(conn: &mut PgConnection, event_id: i64, draft: &EventDraft) -> Result<()> {
    let role = match draft.kind {
        EventKind::Session => PersonRole::Presenter,
        EventKind::Meetup => PersonRole::Host,
    };
    for (position, person) in draft.presenters.iter().enumerate() {
        let person_id = people::upsert(conn, person).await?;
        sqlx::query(
            "INSERT INTO event_people (event_id, person_id, role, position) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
        )
        .bind(event_id)
        .bind(person_id)
        .bind(role)
        .bind(position as i32)
        .execute(&mut *conn)
        .await?;
    }
    crate::demo_runs::attachments::write(conn, event_id, &draft.demos).await?;
    for (position, paper) in draft.papers.iter().enumerate() {
        let paper_id = papers::upsert(conn, paper).await?;
        sqlx::query(
            "INSERT INTO event_papers (event_id, paper_id, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(event_id)
        .bind(paper_id)
        .bind(position as i32)
        .execute(&mut *conn)
        .await?;
    }
    for item in &draft.programme {
        let item_id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO programme_items (event_id, starts_at, ends_at, kind, title) VALUES ($1, $2, $3, $4, $5)
             RETURNING id",
        )
        .bind(event_id)
        .bind(item.starts_at)
        .bind(item.ends_at)
        .bind(item.kind)
        .bind(&item.title)
        .fetch_one(&mut *conn)
        .await?;
        for (position, speaker) in item.speakers.iter().enumerate() {
            let person_id = people::upsert(conn, speaker).await?;
            sqlx::query(
                "INSERT INTO programme_item_speakers (item_id, person_id, position) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
            )
            .bind(item_id)
            .bind(person_id)
            .bind(position as i32)
            .execute(&mut *conn)
            .await?;
            if item.kind == ProgrammeKind::Talk {
                sqlx::query(
                    "INSERT INTO event_people (event_id, person_id, role, position)
                     VALUES ($1, $2, 'speaker', (SELECT count(*) FROM event_people WHERE event_id = $1 AND role = 'speaker'))
                     ON CONFLICT DO NOTHING",
                )
                .bind(event_id)
                .bind(person_id)
                .execute(&mut *conn)
                .await?;
            }
        }
    }
    Ok(())
}

/// The status changes an organiser can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    /// draft -> scheduled: the public sees it.
    Publish,
    /// scheduled -> cancelled: still visible, marked cancelled.
    Cancel,
    /// scheduled -> finished: it took place.
    Finish,
}

impl StatusChange {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "publish" => Some(StatusChange::Publish),
            "cancel" => Some(StatusChange::Cancel),
            "finish" => Some(StatusChange::Finish),
            _ => None,
        }
    }
    fn transition(self) -> (EventStatus, EventStatus) {
        match self {
            StatusChange::Publish => (EventStatus::Draft, EventStatus::Scheduled),
            StatusChange::Cancel => (EventStatus::Scheduled, EventStatus::Cancelled),
            StatusChange::Finish => (EventStatus::Scheduled, EventStatus::Finished),
        }
    }
}

/// Applies a status change; one that does not fit the current status is refused.
#[tracing::instrument(skip(pool))]
pub async fn change_status(pool: &PgPool, id: i64, change: StatusChange, now: DateTime<Utc>) -> Result<EventStatus> {
    let (from, to) = change.transition();
    let mut tx = pool.begin().await?;
    let changed = sqlx::query_scalar::<_, EventStatus>(
        "UPDATE events SET status = $3, published_at = COALESCE(published_at, $4), updated_at = $4
         WHERE id = $1 AND status = $2 RETURNING status",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    match changed {
        Some(EventStatus::Scheduled) => channel_posts::on_publish(&mut tx, id, now).await?,
        Some(EventStatus::Cancelled) => {
            // Everyone registered hears it, and nobody gets a reminder for it.
            plan::for_registrants(&mut tx, id, Kind::EventCancelled, now).await?;
            reminders::withdraw_for_event(&mut tx, id, crate::outbox::Why::EventCancelled).await?;
            channel_posts::on_cancel(&mut tx, id, now).await?;
        }
        Some(EventStatus::Finished) => channel_posts::on_finish(&mut tx, id).await?,
        _ => {}
    }
    tx.commit().await?;
    match changed {
        Some(status) => {
            tracing::info!(event_id = id, status = status.code(), "event status changed");
            Ok(status)
        }
        None => {
            let exists = sqlx::query_scalar::<_, i64>("SELECT id FROM events WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?;
            match exists {
                None => Err(Error::NotFound),
                Some(_) => Err(Error::invalid(FieldErrors::FORM, Problem::UnknownChoice)),
            }
        }
    }
}

/// The form as the organiser would have typed it, to edit a saved event.
pub async fn form_of(pool: &PgPool, id: i64) -> Result<EventForm> {
    #[derive(sqlx::FromRow)]
    struct Row {
        series_id: i64,
        kind: EventKind,
        number: i32,
        title: String,
        description_md: String,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        time_zone: String,
        format: EventFormat,
        online_url: Option<String>,
        link_visibility: LinkVisibility,
        venue_name: Option<String>,
        venue_address: Option<String>,
        capacity: Option<i32>,
        registration_mode: RegistrationMode,
        registration_deadline: Option<DateTime<Utc>>,
        recording_url: Option<String>,
        recording_file_name: Option<String>,
        recording_size_bytes: Option<i64>,
        slides_url: Option<String>,
        pin_announcement: bool,
        reminder_minutes: Option<Vec<i32>>,
    }
    let row = sqlx::query_as::<_, Row>(
        "SELECT series_id, kind, number, title, description_md, starts_at, ends_at, time_zone::text AS time_zone,
                format, online_url::text AS online_url, link_visibility, venue_name, venue_address, capacity,
                registration_mode, registration_deadline, recording_url::text AS recording_url, recording_file_name,
                recording_size_bytes, slides_url::text AS slides_url, pin_announcement, reminder_minutes
         FROM events WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound)?;
    let tz = queries::zone(&row.time_zone);
    let page = queries::event_page(pool, id, Viewer::Organiser, Lang::En, chrono::Utc::now()).await?;
    let local = |at: DateTime<Utc>| at.with_timezone(&tz);
    let date: NaiveDate = local(row.starts_at).date_naive();
    let presenters = page
        .people
        .iter()
        .filter(|p| p.role != PersonRole::Speaker)
        .map(|p| PersonLine::render(&p.person.name, p.person.role.as_deref(), p.person.affiliation.as_deref()))
        .collect::<Vec<_>>()
        .join("\n");
    let programme = page
        .programme
        .iter()
        .map(|item| {
            let speakers = item
                .speakers
                .iter()
                .map(|s| PersonLine::render(&s.name, s.role.as_deref(), s.affiliation.as_deref()))
                .collect::<Vec<_>>()
                .join("; ");
            format!("{} | {} | {} | {}", item.time_range.replace('–', "-"), item.kind.code(), item.title, speakers)
                .trim_end_matches([' ', '|'])
                .to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n");
    Ok(EventForm {
        series_id: row.series_id.to_string(),
        kind: row.kind.code().to_owned(),
        number: row.number.to_string(),
        title: row.title,
        description: row.description_md,
        date: date.format("%Y-%m-%d").to_string(),
        start_time: local(row.starts_at).format("%H:%M").to_string(),
        end_time: local(row.ends_at).format("%H:%M").to_string(),
        time_zone: row.time_zone,
        format: row.format.code().to_owned(),
        online_url: row.online_url.unwrap_or_default(),
        link_visibility: row.link_visibility.code().to_owned(),
        venue_name: row.venue_name.unwrap_or_default(),
        venue_address: row.venue_address.unwrap_or_default(),
        capacity: row.capacity.map(|c| c.to_string()).unwrap_or_default(),
        registration_mode: row.registration_mode.code().to_owned(),
        registration_deadline: row
            .registration_deadline
            .map(|at| local(at).format("%Y-%m-%dT%H:%M").to_string())
            .unwrap_or_default(),
        recording_url: row.recording_url.unwrap_or_default(),
        recording_file_name: row.recording_file_name.unwrap_or_default(),
        recording_size_mb: row.recording_size_bytes.map(|b| (b / (1024 * 1024)).to_string()).unwrap_or_default(),
        slides_url: row.slides_url.unwrap_or_default(),
        presenters,
        papers: page.papers.iter().map(PaperLine::render).collect::<Vec<_>>().join("\n"),
        programme,
        questions: page
            .questions
            .iter()
            .map(crate::registrations::questions::render_line)
            .collect::<Vec<_>>()
            .join("\n"),
        pin_announcement: if row.pin_announcement { "on".into() } else { String::new() },
        reminder_minutes: row
            .reminder_minutes
            .as_deref()
            .map(crate::series::authoring::render_minutes)
            .unwrap_or_default(),
        demos: page
            .demos
            .iter()
            .map(|d| DemoLine { demo: d.demo.clone(), run_id: d.run_id }.render())
            .collect::<Vec<_>>()
            .join("\n"),
    })
}
