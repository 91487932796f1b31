//! Registrations: seats that are never given out twice, a waitlist without
//! gaps, and the messages each change promises, planned in the same
//! transaction.
//!
//! Every change takes the event's row lock first (`SELECT ... FOR UPDATE`),
//! then reads and writes registrations. One lock order everywhere, so two
//! changes to one event queue instead of deadlocking, and the seat count
//! they read is the count they write against. The database backs the rule
//! with `events_seats_within_capacity`.

pub mod door;
pub mod questions;
pub mod roster;
pub mod tokens;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};

use crate::error::{Error, Result};
use crate::events::{EventStatus, RegistrationMode};
use crate::forms::{FieldErrors, Problem};
use crate::outbox::Kind;
use crate::outbox::plan::{self, Planned};
use crate::outbox::recipient_limit;
use crate::reminders;
use crate::values::{self, Email};

pub use crate::views::{RegistrationSource, RegistrationStatus};

/// A visitor's registration, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant {
    pub name: String,
    pub email: Email,
    /// Raw answers to the event's extra questions, by question index;
    /// checked against the questions when registering.
    pub answers: std::collections::BTreeMap<String, String>,
    /// The site's form unless said otherwise (the bot says so).
    pub source: RegistrationSource,
}

impl Applicant {
    pub fn parse(name: &str, email: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", values::required_text(name, crate::views::NAME_MAX_CHARS));
        let email = errors.check("email", Email::parse(email));
        match (name, email) {
            (Some(name), Some(email)) if errors.is_empty() => {
                Ok(Applicant { name, email, answers: Default::default(), source: RegistrationSource::Web })
            }
            _ => Err(errors),
        }
    }

    pub fn with_answers(mut self, answers: std::collections::BTreeMap<String, String>) -> Self {
        self.answers = answers;
        self
    }
}

/// What registering did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Registered {
    Confirmed,
    /// On the waitlist at this position (1 = next to get a seat).
    Waitlisted {
        position: i64,
    },
    /// Waiting for an organiser's approval.
    Pending,
    /// This e-mail was already registered; the confirmation was sent again.
    AlreadyRegistered {
        status: RegistrationStatus,
    },
}

pub(crate) struct LockedEvent {
    status: EventStatus,
    mode: RegistrationMode,
    capacity: Option<i32>,
    seats_taken: i32,
    pub(crate) starts_at: DateTime<Utc>,
    deadline: Option<DateTime<Utc>>,
}

/// Locks the event row for the rest of the transaction.
async fn lock_event(conn: &mut PgConnection, event_id: i64) -> Result<LockedEvent> {
    let row =
        sqlx::query_as::<_, (EventStatus, RegistrationMode, Option<i32>, i32, DateTime<Utc>, Option<DateTime<Utc>>)>(
            "SELECT status, registration_mode, capacity, seats_taken, starts_at, registration_deadline
         FROM events WHERE id = $1 FOR UPDATE",
        )
        .bind(event_id)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::NotFound)?;
    let (status, mode, capacity, seats_taken, starts_at, deadline) = row;
    Ok(LockedEvent { status, mode, capacity, seats_taken, starts_at, deadline })
}

impl LockedEvent {
    fn refuses_registration(&self, now: DateTime<Utc>) -> Option<Problem> {
        match self.status {
            EventStatus::Draft => return Some(Problem::RegistrationNotOffered),
            EventStatus::Cancelled => return Some(Problem::EventCancelled),
            EventStatus::Finished => return Some(Problem::RegistrationClosed),
            EventStatus::Scheduled => {}
        }
        if self.mode == RegistrationMode::None {
            return Some(Problem::RegistrationNotOffered);
        }
        if now >= self.starts_at || self.deadline.is_some_and(|deadline| now >= deadline) {
            return Some(Problem::RegistrationClosed);
        }
        None
    }

    fn has_free_seat(&self) -> bool {
        self.capacity.is_none_or(|capacity| self.seats_taken < capacity)
    }
}

/// Why a registration was not taken.
#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    /// The event takes no registration now: not offered, cancelled, or
    /// closed (deadline passed, or it has started).
    #[error("the event takes no registration now: {0:?}")]
    Refused(Problem),
    /// The event's questions were not answered as they must be, per question.
    #[error("the answers have problems: {0:?}")]
    Answers(FieldErrors),
    #[error("no such event")]
    NoSuchEvent,
    #[error(transparent)]
    Other(#[from] Error),
}

impl From<sqlx::Error> for RegistrationError {
    fn from(error: sqlx::Error) -> Self {
        RegistrationError::Other(error.into())
    }
}

impl RegistrationError {
    /// The problems to show next to a registration form's fields, if the
    /// visitor can act on them.
    pub fn field_errors(&self) -> Option<FieldErrors> {
        match self {
            RegistrationError::Refused(problem) => Some(FieldErrors::single(FieldErrors::FORM, problem.clone())),
            RegistrationError::Answers(errors) => Some(errors.clone()),
            RegistrationError::NoSuchEvent | RegistrationError::Other(_) => None,
        }
    }
}

/// Registers the applicant for the event: confirmed while seats remain,
/// waitlisted after; pending in approval mode. The same e-mail registering
/// again gets its confirmation again and no second registration.
#[tracing::instrument(skip(pool, applicant), fields(email = %applicant.email.as_str()))]
pub async fn register(
    pool: &PgPool,
    event_id: i64,
    applicant: &Applicant,
    now: DateTime<Utc>,
) -> Result<Registered, RegistrationError> {
    let mut tx = pool.begin().await?;
    let event = match lock_event(&mut tx, event_id).await {
        Err(Error::NotFound) => return Err(RegistrationError::NoSuchEvent),
        locked => locked?,
    };
    if let Some(problem) = event.refuses_registration(now) {
        return Err(RegistrationError::Refused(problem));
    }
    let questions = questions::of_event_in(&mut tx, event_id).await?;
    let answers = questions::check_answers(&questions, &applicant.answers).map_err(RegistrationError::Answers)?;

    let existing = sqlx::query_as::<_, (i64, RegistrationStatus)>(
        "SELECT id, status FROM registrations WHERE event_id = $1 AND lower(email) = $2",
    )
    .bind(event_id)
    .bind(applicant.email.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((id, status)) = existing
        && status != RegistrationStatus::Cancelled
        && status != RegistrationStatus::Declined
    {
        // Registering someone again re-sends their confirmation, a handful of
        // times an hour at most: the answer is the same either way, so the
        // form cannot be used to fill their inbox.
        if recipient_limit::allows(&mut tx, applicant.email.as_str(), now).await? {
            let resent =
                Planned::about_registration(Kind::RegistrationResent, event_id, id, applicant.email.as_str(), now);
            plan::plan(&mut tx, &resent).await?;
        }
        tx.commit().await?;
        return Ok(Registered::AlreadyRegistered { status });
    }

    if !recipient_limit::allows(&mut tx, applicant.email.as_str(), now).await? {
        return Err(RegistrationError::Refused(Problem::TooManyRequests));
    }
    let status = if event.mode == RegistrationMode::Approval {
        RegistrationStatus::Pending
    } else if event.has_free_seat() {
        RegistrationStatus::Confirmed
    } else {
        RegistrationStatus::Waitlisted
    };
    // New, or a cancelled or declined registration coming back to life with
    // a new door code; its old links stop working (the messages about it
    // carry tokens minted when they are sent).
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO registrations (event_id, name, email, status, door_code, created_at, updated_at, waitlist_order, answers, source)
         VALUES ($1, $2, $3, $4, $5, $6, $6,
                 CASE WHEN $4 = 'waitlisted'::registration_status THEN nextval('registrations_waitlist_order') END, $7, $8)
         ON CONFLICT (event_id, lower(email)) DO UPDATE
             SET name = EXCLUDED.name, status = EXCLUDED.status, door_code = EXCLUDED.door_code, cancelled_at = NULL,
                 updated_at = EXCLUDED.updated_at, waitlist_order = EXCLUDED.waitlist_order, answers = EXCLUDED.answers,
                 source = EXCLUDED.source
         RETURNING id",
    )
    .bind(event_id)
    .bind(&applicant.name)
    .bind(applicant.email.as_str())
    .bind(status)
    .bind(tokens::door_code())
    .bind(now)
    .bind(&answers)
    .bind(applicant.source)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM registration_tokens WHERE registration_id = $1").bind(id).execute(&mut *tx).await?;
    let kind = match status {
        RegistrationStatus::Confirmed => Kind::RegistrationConfirmed,
        RegistrationStatus::Waitlisted => Kind::RegistrationWaitlisted,
        _ => Kind::RegistrationPending,
    };
    plan::plan(&mut tx, &Planned::about_registration(kind, event_id, id, applicant.email.as_str(), now)).await?;
    if status.holds_seat() {
        reminders::plan_for_registration(&mut tx, event_id, id, applicant.email.as_str(), event.starts_at, now).await?;
    }
    let outcome = match status {
        RegistrationStatus::Confirmed => Registered::Confirmed,
        RegistrationStatus::Waitlisted => Registered::Waitlisted { position: waitlist_position(&mut tx, id).await? },
        _ => Registered::Pending,
    };
    tx.commit().await?;
    tracing::info!(registration_id = id, ?outcome, "registered");
    Ok(outcome)
}

/// 1 for the head of the waitlist; `None`-free because callers ask only for waitlisted rows.
pub async fn waitlist_position(conn: &mut PgConnection, registration_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT count(*) FROM registrations w JOIN registrations r ON r.event_id = w.event_id
         WHERE r.id = $1 AND w.status = 'waitlisted' AND w.waitlist_order <= r.waitlist_order",
    )
    .bind(registration_id)
    .fetch_one(conn)
    .await?)
}

/// What cancelling did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cancelled {
    Cancelled {
        /// The waitlisted registration that got the freed seat, if any.
        promoted: Option<i64>,
    },
    /// It was cancelled before; nothing changed.
    AlreadyCancelled,
}

/// Cancels the registration with this token. A freed seat goes to the head of
/// the waitlist in the same transaction, and both people are told.
#[tracing::instrument(skip(pool, token))]
pub async fn cancel(pool: &PgPool, token: &tokens::RegistrationToken, now: DateTime<Utc>) -> Result<Cancelled> {
    cancel_registration(pool, by_token(pool, token, now).await?, now).await
}

/// Cancels registration `id` (the bot's button, a ticket page's form).
#[tracing::instrument(skip(pool))]
pub async fn cancel_registration(pool: &PgPool, id: i64, now: DateTime<Utc>) -> Result<Cancelled> {
    let event_id = sqlx::query_scalar::<_, i64>("SELECT event_id FROM registrations WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::NotFound)?;
    let mut tx = pool.begin().await?;
    lock_event(&mut tx, event_id).await?;
    let (email, status) = sqlx::query_as::<_, (String, RegistrationStatus)>(
        "SELECT email, status FROM registrations WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    if matches!(status, RegistrationStatus::Cancelled | RegistrationStatus::Declined) {
        return Ok(Cancelled::AlreadyCancelled);
    }
    sqlx::query(
        "UPDATE registrations SET status = 'cancelled', waitlist_order = NULL, cancelled_at = $2, updated_at = $2
         WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    plan::plan(&mut tx, &Planned::about_registration(Kind::RegistrationCancelled, event_id, id, &email, now)).await?;
    reminders::withdraw_for_registration(&mut tx, id).await?;
    let promoted = if status.holds_seat() { promote_head(&mut tx, event_id, now).await? } else { None };
    tx.commit().await?;
    tracing::info!(registration_id = id, ?promoted, "registration cancelled");
    Ok(Cancelled::Cancelled { promoted })
}

/// Gives a free seat to the head of the waitlist, if there is a free seat
/// and a waitlist. The caller holds the event's lock.
async fn promote_head(conn: &mut PgConnection, event_id: i64, now: DateTime<Utc>) -> Result<Option<i64>> {
    let seat_free =
        sqlx::query_scalar::<_, bool>("SELECT capacity IS NULL OR seats_taken < capacity FROM events WHERE id = $1")
            .bind(event_id)
            .fetch_one(&mut *conn)
            .await?;
    if !seat_free {
        return Ok(None);
    }
    let head = sqlx::query_as::<_, (i64, String)>(
        "UPDATE registrations SET status = 'confirmed', waitlist_order = NULL, updated_at = $2
         WHERE id = (SELECT id FROM registrations WHERE event_id = $1 AND status = 'waitlisted'
                     ORDER BY waitlist_order LIMIT 1)
         RETURNING id, email",
    )
    .bind(event_id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((id, email)) = &head {
        plan::plan(&mut *conn, &Planned::about_registration(Kind::RegistrationPromoted, event_id, *id, email, now))
            .await?;
        let starts_at = sqlx::query_scalar::<_, DateTime<Utc>>("SELECT starts_at FROM events WHERE id = $1")
            .bind(event_id)
            .fetch_one(&mut *conn)
            .await?;
        reminders::plan_for_registration(conn, event_id, *id, email, starts_at, now).await?;
    }
    Ok(head.map(|(id, _)| id))
}

/// Seat and waitlist counts for one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    pub confirmed: i64,
    pub waitlisted: i64,
    pub pending: i64,
    pub cancelled: i64,
    pub checked_in: i64,
}

pub async fn counts(pool: &PgPool, event_id: i64) -> Result<Counts> {
    let (confirmed, waitlisted, pending, cancelled, checked_in) = sqlx::query_as::<_, (i64, i64, i64, i64, i64)>(
        "SELECT count(*) FILTER (WHERE status = 'confirmed'), count(*) FILTER (WHERE status = 'waitlisted'),
                count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'cancelled'),
                count(*) FILTER (WHERE status = 'checked_in')
         FROM registrations WHERE event_id = $1",
    )
    .bind(event_id)
    .fetch_one(pool)
    .await?;
    Ok(Counts { confirmed, waitlisted, pending, cancelled, checked_in })
}

/// The registration a token opens; `NotFound` for any other.
async fn by_token(pool: &PgPool, token: &tokens::RegistrationToken, now: DateTime<Utc>) -> Result<i64> {
    let mut conn = pool.acquire().await?;
    tokens::registration_of(&mut conn, token, now).await?.ok_or(Error::NotFound)
}

/// The personal page of the registration with this token.
pub async fn ticket(
    pool: &PgPool,
    token: &tokens::RegistrationToken,
    lang: crate::lang::Lang,
    now: DateTime<Utc>,
) -> Result<crate::views::TicketPage> {
    use crate::events::queries::{CARD_COLUMNS, CardRow, zone};
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        card: CardRow,
        ends_at: DateTime<Utc>,
        venue_address: Option<String>,
        has_link: bool,
        registration_id: i64,
        name: String,
        email: String,
        registration_status: RegistrationStatus,
        door_code: String,
    }
    let row = sqlx::query_as::<_, Row>(&format!(
        "SELECT {CARD_COLUMNS}, e.ends_at, e.venue_address, e.online_url IS NOT NULL AS has_link,
                r.id AS registration_id, r.name, r.email, r.status AS registration_status, r.door_code
         FROM registrations r JOIN events e ON e.id = r.event_id JOIN series s ON s.id = e.series_id
         WHERE r.id = $1"
    ))
    .bind(by_token(pool, token, now).await?)
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound)?;
    let position = if row.registration_status == RegistrationStatus::Waitlisted {
        let mut conn = pool.acquire().await?;
        Some(waitlist_position(&mut conn, row.registration_id).await?)
    } else {
        None
    };
    let span_label = crate::time_format::span(row.card.starts_at(), row.ends_at, zone(row.card.time_zone()), lang);
    let venue = [row.card.venue_name().map(str::to_owned), row.venue_address]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let card = row.card.into_card(lang);
    // A cancelled event's ticket admits nobody and has nothing left to cancel.
    let event_on = card.status != EventStatus::Cancelled;
    let live = !matches!(row.registration_status, RegistrationStatus::Cancelled | RegistrationStatus::Declined);
    let admits = event_on && row.registration_status.holds_seat();
    Ok(crate::views::TicketPage {
        can_join: admits && card.format.is_online() && row.has_link,
        can_cancel: event_on && live && row.ends_at > now,
        event: card,
        span_label,
        venue: Some(venue).filter(|v| !v.is_empty()),
        name: row.name,
        email: row.email,
        status: row.registration_status,
        waitlist_position: position,
        short_code: tokens::printed_door_code(&row.door_code),
        qr_svg: admits.then(|| token.qr_svg()),
        token: token.as_str().to_owned(),
    })
}

/// Where `/join/{token}` sends a registrant: the event's current online link,
/// if this registration holds a seat and the event has one.
pub async fn join_link(pool: &PgPool, token: &tokens::RegistrationToken, now: DateTime<Utc>) -> Result<Option<String>> {
    let Ok(id) = by_token(pool, token, now).await else { return Ok(None) };
    let row = sqlx::query_as::<_, (RegistrationStatus, Option<String>)>(
        "SELECT r.status, e.online_url::text FROM registrations r JOIN events e ON e.id = r.event_id
         WHERE r.id = $1 AND e.status = 'scheduled'",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|(status, url)| if status.holds_seat() { url } else { None }))
}

/// Whether a listing of someone's registrations carries links to their
/// tickets: minted for the listing and valid for a day, or none (the bot,
/// which only needs the events).
#[derive(Debug, Clone, Copy)]
pub enum TicketLinks {
    Mint { now: DateTime<Utc> },
    Omit,
}

/// Every registration made with this e-mail, newest event first.
pub async fn of_email(
    pool: &PgPool,
    email: &str,
    lang: crate::lang::Lang,
    links: TicketLinks,
) -> Result<Vec<crate::views::MyRegistration>> {
    use crate::events::queries::{CARD_COLUMNS, CardRow};
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        card: CardRow,
        registration_status: RegistrationStatus,
        registration_id: i64,
    }
    let rows = sqlx::query_as::<_, Row>(&format!(
        "SELECT {CARD_COLUMNS}, r.status AS registration_status, r.id AS registration_id
         FROM registrations r JOIN events e ON e.id = r.event_id JOIN series s ON s.id = e.series_id
         WHERE lower(r.email) = lower($1) ORDER BY e.starts_at DESC"
    ))
    .bind(email)
    .fetch_all(pool)
    .await?;
    let mut conn = pool.acquire().await?;
    let mut mine = Vec::with_capacity(rows.len());
    for row in rows {
        let token = match links {
            TicketLinks::Mint { now } => {
                let expires = Some(now + tokens::PAGE_TOKEN_LIFETIME);
                Some(tokens::mint(&mut conn, row.registration_id, now, expires).await?.as_str().to_owned())
            }
            TicketLinks::Omit => None,
        };
        mine.push(crate::views::MyRegistration {
            event: row.card.into_card(lang),
            status: row.registration_status,
            token,
        });
    }
    Ok(mine)
}

/// Turns off the day-before reminder of the registration with this token.
pub async fn stop_reminders(pool: &PgPool, token: &tokens::RegistrationToken, now: DateTime<Utc>) -> Result<()> {
    let id = by_token(pool, token, now).await?;
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE registrations SET reminders = false WHERE id = $1").bind(id).execute(&mut *tx).await?;
    reminders::withdraw_for_registration(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}
