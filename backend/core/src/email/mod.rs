//! E-mail: the outbox's deliverer for the `email` channel (`EmailDeliverer`),
//! the messages' texts, and the SMTP sender (`smtp`). Each message is a few
//! paragraphs and links, rendered at send time from the current registration
//! and event (so a moved event's new time is what people read) twice: as plain
//! text and as HTML (through the same safe Markdown renderer the site uses),
//! in the series' language.

pub mod smtp;

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::calendar::{self, Scope};
use crate::channel_posts::html::escape;
use crate::error::Result;
use crate::events::queries::zone;
use crate::events::{EventFormat, EventKind};
use crate::lang::Lang;
use crate::outbox::delivery::{Claimed, Deliverer, Delivery, DeliveryFuture};
use crate::outbox::{Channel, Kind, State, Why};
use crate::registrations::{self, RegistrationStatus};
use crate::reminders::{self, Timeliness};
use crate::{time_format, words};

/// The site's public address, for links in messages.
#[derive(Debug, Clone)]
pub struct Site {
    pub base_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    pub content_type: &'static str,
    pub content: String,
}

/// A rendered e-mail, ready for any sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailMessage {
    /// Where the `List-Unsubscribe` header points (optional messages only).
    pub unsubscribe_url: Option<String>,
    pub to: String,
    pub to_name: Option<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub attachments: Vec<Attachment>,
}

/// A paragraph of a message.
enum Block {
    Text(String),
    Link { label: String, url: String },
}

fn to_text(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(|block| match block {
            Block::Text(text) => text.clone(),
            Block::Link { label, url } => format!("{label}: {url}"),
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The HTML part: every paragraph is text the message composed (a person's
/// name, an event's title), so it is escaped, never read as Markdown or HTML:
/// a name such as `[Confirm](https://evil.example)` stays those characters.
fn to_html(blocks: &[Block]) -> String {
    let body: String = blocks
        .iter()
        .map(|block| match block {
            Block::Text(text) => format!("<p>{}</p>\n", escape(text)),
            Block::Link { label, url } => format!("<p><a href=\"{}\">{}</a></p>\n", escape(url), escape(label)),
        })
        .collect();
    format!("<!DOCTYPE html><html><body style=\"font-family: sans-serif; line-height: 1.5\">{body}</body></html>")
}

#[derive(sqlx::FromRow)]
struct Facts {
    name: String,
    email: String,
    /// Minted for this message just before it is composed; never read from the database.
    #[sqlx(skip)]
    token: String,
    status: RegistrationStatus,
    reminders: bool,
    event_id: i64,
    kind: EventKind,
    number: i32,
    title: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    time_zone: String,
    format: EventFormat,
    venue_name: Option<String>,
    venue_address: Option<String>,
    series_title: String,
    language: String,
}

/// What a claimed notification turns into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rendered {
    Message(EmailMessage),
    /// Not worth sending any more: ends in this state, with the reason.
    Skip(State, Why),
}

/// The `email` channel of the outbox: renders each claimed message and sends
/// it through SMTP.
pub struct EmailDeliverer {
    pool: PgPool,
    site: Site,
    mailer: smtp::SmtpMailer,
}

impl EmailDeliverer {
    pub fn new(pool: PgPool, site: Site, mailer: smtp::SmtpMailer) -> Self {
        EmailDeliverer { pool, site, mailer }
    }
}

impl Deliverer for EmailDeliverer {
    fn channel(&self) -> Channel {
        Channel::Email
    }

    fn longest_send(&self) -> std::time::Duration {
        // lettre's own timeout is 20 s per SMTP command; a message is a few.
        std::time::Duration::from_secs(45)
    }

    fn deliver<'a>(&'a self, message: &'a Claimed, now: DateTime<Utc>) -> DeliveryFuture<'a> {
        Box::pin(async move {
            match render(&self.pool, message, &self.site, now).await {
                Ok(Rendered::Message(email)) => self.mailer.send(&email).await,
                Ok(Rendered::Skip(state, reason)) => Delivery::Dropped(state, reason),
                Err(error) => Delivery::Transient(format!("could not prepare the message: {error}")),
            }
        })
    }
}

/// Renders a claimed notification from the current state of its
/// registration and event (so a moved event's new time is what people read).
pub async fn render(pool: &PgPool, claimed: &Claimed, site: &Site, now: DateTime<Utc>) -> Result<Rendered> {
    let gone = || Rendered::Skip(State::Cancelled, Why::EventGone);
    if claimed.kind == Kind::SignInLink {
        return Ok(sign_in_link(claimed, site).unwrap_or(Rendered::Skip(State::Cancelled, Why::LinkMissing)));
    }
    let Some(registration_id) = claimed.registration_id else { return Ok(gone()) };
    let facts = sqlx::query_as::<_, Facts>(
        "SELECT r.name, r.email, r.status, r.reminders, e.id AS event_id, e.kind, e.number, e.title, e.starts_at,
                e.ends_at, e.time_zone::text AS time_zone, e.format, e.venue_name, e.venue_address,
                s.title AS series_title, s.language::text AS language
         FROM registrations r JOIN events e ON e.id = r.event_id JOIN series s ON s.id = e.series_id
         WHERE r.id = $1",
    )
    .bind(registration_id)
    .fetch_optional(pool)
    .await?;
    let Some(mut facts) = facts else { return Ok(gone()) };
    let mut minutes_left = reminders::DAY_BEFORE_MINUTES;
    if claimed.kind == Kind::ReminderDayBefore {
        match reminders::timeliness(pool, claimed, facts.starts_at, now).await? {
            Timeliness::Missed(reason) => return Ok(Rendered::Skip(State::Missed, reason)),
            Timeliness::Send { minutes_left: left } => minutes_left = left,
        }
        if !facts.status.holds_seat() {
            return Ok(Rendered::Skip(State::Cancelled, Why::NoSeat));
        }
        if !facts.reminders {
            return Ok(Rendered::Skip(State::Cancelled, Why::RemindersOff));
        }
    }
    let mut conn = pool.acquire().await?;
    let position = if facts.status == RegistrationStatus::Waitlisted {
        Some(registrations::waitlist_position(&mut conn, registration_id).await?)
    } else {
        None
    };
    // This message's own ticket link: the database keeps only its digest.
    facts.token = registrations::tokens::mint(&mut conn, registration_id, now, None).await?.as_str().to_owned();
    drop(conn);
    let lang = Lang::parse(&facts.language).unwrap_or_default();
    let kind = match claimed.kind {
        // A re-sent confirmation says what the registration is now.
        Kind::RegistrationResent => match facts.status {
            RegistrationStatus::Waitlisted => Kind::RegistrationWaitlisted,
            RegistrationStatus::Pending => Kind::RegistrationPending,
            _ => Kind::RegistrationConfirmed,
        },
        other => other,
    };
    let mut message = compose(kind, &facts, Details { position, minutes_left }, lang, site);
    if matches!(kind, Kind::RegistrationConfirmed | Kind::RegistrationPromoted | Kind::EventChanged)
        && facts.status.holds_seat()
    {
        let entries = calendar::entries(pool, &Scope::Event(facts.event_id)).await?;
        message.attachments.push(Attachment {
            file_name: format!("event-{}.ics", facts.event_id),
            content_type: "text/calendar; charset=utf-8; method=PUBLISH",
            content: calendar::render(&facts.title, &entries, &site.base_url),
        });
    }
    Ok(Rendered::Message(message))
}

/// The e-mail with a member's one-time sign-in link.
fn sign_in_link(claimed: &Claimed, site: &Site) -> Option<Rendered> {
    let token = claimed.payload.get("token")?.as_str()?;
    let lang = claimed.payload.get("lang").and_then(|l| l.as_str()).and_then(Lang::parse).unwrap_or_default();
    let w = &words::words(lang).email;
    let blocks = vec![
        Block::Text(w.sign_in_hello.to_owned()),
        Block::Text(w.sign_in_body.to_owned()),
        Block::Link { label: w.sign_in_link.to_owned(), url: format!("{}/sign-in/{token}", site.base_url) },
        Block::Text(w.sign_in_not_you.to_owned()),
        Block::Text(w.signature.to_owned()),
    ];
    Some(Rendered::Message(EmailMessage {
        unsubscribe_url: None,
        to: claimed.recipient.clone(),
        to_name: None,
        subject: w.subject_sign_in.to_owned(),
        text: to_text(&blocks),
        html: to_html(&blocks),
        attachments: Vec::new(),
    }))
}

/// What a message says beyond the registration and the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Details {
    /// The registrant's place on the waitlist.
    position: Option<i64>,
    /// A reminder's time left to the start, in minutes (a day, when on time).
    minutes_left: i32,
}

impl Default for Details {
    fn default() -> Self {
        Details { position: None, minutes_left: reminders::DAY_BEFORE_MINUTES }
    }
}

fn compose(kind: Kind, facts: &Facts, details: Details, lang: Lang, site: &Site) -> EmailMessage {
    let w = &words::words(lang).email;
    let tz = zone(&facts.time_zone);
    let when = time_format::span(facts.starts_at, facts.ends_at, tz, lang);
    let what = words::named(lang, facts.kind, &facts.series_title, facts.number, &facts.title);
    let ticket = format!("{}/tickets/{}", site.base_url, facts.token);
    let join = format!("{}/join/{}", site.base_url, facts.token);
    let page = format!("{}/events/{}", site.base_url, facts.event_id);
    let place = [facts.venue_name.as_deref(), facts.venue_address.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let in_person = facts.format.is_in_person() && !place.is_empty();
    let link = |label: &str, url: &str| Block::Link { label: label.to_owned(), url: url.to_owned() };

    let mut blocks = vec![Block::Text((w.greeting)(&facts.name))];
    let subject: String = match kind {
        Kind::RegistrationConfirmed | Kind::RegistrationPromoted => {
            if kind == Kind::RegistrationPromoted {
                blocks.push(Block::Text(w.promoted_turn.to_owned()));
            }
            blocks.push(Block::Text((w.coming_to)(&what, &when)));
            if in_person {
                blocks.push(Block::Text((w.venue)(&place)));
                blocks.push(link(w.ticket_at_door, &ticket));
            }
            if facts.format.is_online() {
                blocks.push(link(w.join_link, &join));
            }
            blocks.push(link(w.cancel_link, &ticket));
            blocks.push(Block::Text(w.calendar_attached.to_owned()));
            if kind == Kind::RegistrationPromoted { w.subject_promoted } else { w.subject_confirmed }.to_owned()
        }
        Kind::RegistrationWaitlisted => {
            blocks.push(Block::Text((w.waitlisted)(&what, &when, details.position.unwrap_or(1))));
            blocks.push(link(w.your_registration, &ticket));
            w.subject_waitlisted.to_owned()
        }
        Kind::RegistrationPending => {
            blocks.push(Block::Text((w.pending)(&what, &when)));
            blocks.push(link(w.your_request, &ticket));
            w.subject_pending.to_owned()
        }
        Kind::ReminderDayBefore => {
            // Worded by the time actually left: a reminder that could only go
            // out late does not say "tomorrow" three hours before the start.
            let starts_in = words::starts_in(lang, details.minutes_left);
            blocks.push(Block::Text((w.reminder)(&starts_in, &what, &when)));
            if in_person {
                blocks.push(Block::Text((w.venue)(&place)));
                blocks.push(link(w.your_ticket, &ticket));
            }
            if facts.format.is_online() {
                blocks.push(link(w.join_link, &join));
            }
            blocks.push(link(w.cancel_link, &ticket));
            capitalised(&starts_in)
        }
        Kind::EventChanged => {
            blocks.push(Block::Text((w.changed)(&what)));
            blocks.push(Block::Text((w.changed_when)(&when)));
            if in_person {
                blocks.push(Block::Text((w.changed_where)(&place)));
            }
            if facts.format.is_online() && facts.status.holds_seat() {
                blocks.push(link(w.join_link_current, &join));
            }
            blocks.push(link(w.your_registration, &ticket));
            w.subject_changed.to_owned()
        }
        Kind::EventCancelled => {
            blocks.push(Block::Text((w.event_cancelled)(&what, &when)));
            blocks.push(link(w.event_page, &page));
            w.subject_event_cancelled.to_owned()
        }
        Kind::RegistrationDeclined => {
            blocks.push(Block::Text((w.declined)(&what, &when)));
            blocks.push(link(w.event_page, &page));
            w.subject_declined.to_owned()
        }
        Kind::RegistrationCancelled => {
            blocks.push(Block::Text((w.registration_cancelled)(&what, &when)));
            blocks.push(link(w.event_page, &page));
            w.subject_registration_cancelled.to_owned()
        }
        other => {
            blocks.push(link(&what, &page));
            other.code().to_owned()
        }
    };
    blocks.push(Block::Text(w.signature.to_owned()));
    EmailMessage {
        unsubscribe_url: (kind == Kind::ReminderDayBefore)
            .then(|| format!("{}/unsubscribe/{}", site.base_url, facts.token)),
        to: facts.email.clone(),
        to_name: Some(facts.name.clone()),
        subject: format!("{subject}: {}", facts.title),
        text: to_text(&blocks),
        html: to_html(&blocks),
        attachments: Vec::new(),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn facts(format: EventFormat) -> Facts {
        Facts {
            name: "Ана <b>".into(),
            email: "ana@example.org".into(),
            token: "a".repeat(64),
            status: RegistrationStatus::Confirmed,
            reminders: true,
            event_id: 3,
            kind: EventKind::Meetup,
            number: 1,
            title: "ML в production".into(),
            starts_at: Utc.with_ymd_and_hms(2023, 8, 18, 14, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2023, 8, 18, 17, 30, 0).unwrap(),
            time_zone: "Europe/Moscow".into(),
            format,
            venue_name: Some("Оранжерея Таврического сада".into()),
            venue_address: Some("Шпалерная ул., 43".into()),
            series_title: "OK Tech Talk".into(),
            language: "ru".into(),
        }
    }

    fn site() -> Site {
        Site { base_url: "https://paperclub.example".into() }
    }

    #[test]
    fn a_confirmation_for_a_meetup_has_the_time_venue_ticket_and_cancel_link() {
        let message =
            compose(Kind::RegistrationConfirmed, &facts(EventFormat::InPerson), Details::default(), Lang::Ru, &site());
        assert_eq!(message.subject, "Вы зарегистрированы: ML в production");
        assert!(message.text.contains("18 августа 2023, 17:00–20:30 МСК"));
        assert!(message.text.contains("Оранжерея Таврического сада, Шпалерная ул., 43"));
        assert!(message.text.contains(&format!("https://paperclub.example/tickets/{}", "a".repeat(64))));
        assert!(!message.text.contains("/join/"), "no join link for an in-person event");
        assert!(message.html.contains(&format!("href=\"https://paperclub.example/tickets/{}\"", "a".repeat(64))));
        assert!(message.html.contains("Ана &lt;b&gt;"), "names are escaped in HTML");
    }

    #[test]
    fn an_online_confirmation_carries_the_personal_join_address_and_english_reads_english() {
        let message =
            compose(Kind::RegistrationConfirmed, &facts(EventFormat::Online), Details::default(), Lang::En, &site());
        assert!(
            message.text.contains(&format!("Your link to join: https://paperclub.example/join/{}", "a".repeat(64)))
        );
        assert!(message.text.contains("18 August 2023, 17:00–20:30 MSK"));
    }

    #[test]
    fn a_waitlist_message_says_the_position() {
        let message = compose(
            Kind::RegistrationWaitlisted,
            &facts(EventFormat::InPerson),
            Details { position: Some(7), ..Details::default() },
            Lang::Ru,
            &site(),
        );
        assert!(message.text.contains("ваш номер в очереди: 7"));
        assert_eq!(message.subject, "Вы в листе ожидания: ML в production");
    }
}
