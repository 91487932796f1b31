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
use crate::error::Result;
use crate::events::queries::zone;
use crate::events::{EventFormat, EventKind};
use crate::lang::Lang;
use crate::outbox::delivery::{Claimed, Deliverer, Delivery, DeliveryFuture};
use crate::outbox::{Channel, Kind, State};
use crate::registrations::{self, RegistrationStatus};
use crate::reminders::{self, Timeliness};
use crate::{markdown, time_format, words};

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

fn to_html(blocks: &[Block]) -> String {
    let source = blocks
        .iter()
        .map(|block| match block {
            Block::Text(text) => text.clone(),
            Block::Link { label, url } => format!("[{label}](<{url}>)"),
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    format!(
        "<!DOCTYPE html><html><body style=\"font-family: sans-serif; line-height: 1.5\">{}</body></html>",
        markdown::to_safe_html(&source)
    )
}

#[derive(sqlx::FromRow)]
struct Facts {
    name: String,
    email: String,
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
    Skip(State, String),
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
    let gone = || Rendered::Skip(State::Cancelled, "the registration or event no longer exists".into());
    if claimed.kind == Kind::SignInLink {
        return Ok(sign_in_link(claimed, site)
            .unwrap_or_else(|| Rendered::Skip(State::Cancelled, "the link is missing".into())));
    }
    let Some(registration_id) = claimed.registration_id else { return Ok(gone()) };
    let facts = sqlx::query_as::<_, Facts>(
        "SELECT r.name, r.email, r.token, r.status, r.reminders, e.id AS event_id, e.kind, e.number, e.title, e.starts_at,
                e.ends_at, e.time_zone::text AS time_zone, e.format, e.venue_name, e.venue_address,
                s.title AS series_title, s.language::text AS language
         FROM registrations r JOIN events e ON e.id = r.event_id JOIN series s ON s.id = e.series_id
         WHERE r.id = $1",
    )
    .bind(registration_id)
    .fetch_optional(pool)
    .await?;
    let Some(facts) = facts else { return Ok(gone()) };
    let mut minutes_left = reminders::DAY_BEFORE_MINUTES;
    if claimed.kind == Kind::ReminderDayBefore {
        match reminders::timeliness(pool, claimed, facts.starts_at, now).await? {
            Timeliness::Missed(reason) => return Ok(Rendered::Skip(State::Missed, reason)),
            Timeliness::Send { minutes_left: left } => minutes_left = left,
        }
        if !facts.status.holds_seat() {
            return Ok(Rendered::Skip(State::Cancelled, "the registration no longer holds a seat".into()));
        }
        if !facts.reminders {
            return Ok(Rendered::Skip(State::Cancelled, "the registrant turned reminders off".into()));
        }
    }
    let position = if facts.status == RegistrationStatus::Waitlisted {
        let mut conn = pool.acquire().await?;
        Some(registrations::waitlist_position(&mut conn, registration_id).await?)
    } else {
        None
    };
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
    let ru = lang == Lang::Ru;
    let t = |ru_text: &str, en_text: &str| if ru { ru_text.to_owned() } else { en_text.to_owned() };
    let blocks = vec![
        Block::Text(t("Здравствуйте!", "Hello,")),
        Block::Text(t(
            "Чтобы войти и увидеть свои регистрации, откройте ссылку. Она действует 15 минут и один раз.",
            "To sign in and see your registrations, open the link. It works once, for 15 minutes.",
        )),
        Block::Link { label: t("Войти", "Sign in"), url: format!("{}/sign-in/{token}", site.base_url) },
        Block::Text(t(
            "Если вы не просили ссылку, просто удалите это письмо.",
            "If you did not ask for it, just delete this e-mail.",
        )),
        Block::Text("— paperclub".to_owned()),
    ];
    Some(Rendered::Message(EmailMessage {
        unsubscribe_url: None,
        to: claimed.recipient.clone(),
        to_name: None,
        subject: t("Ссылка для входа в paperclub", "Your paperclub sign-in link"),
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
    let ru = lang == Lang::Ru;
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
    let greeting =
        if ru { format!("Здравствуйте, {}!", facts.name) } else { format!("Hello {},", facts.name) };
    let t = |ru_text: &str, en_text: &str| if ru { ru_text.to_owned() } else { en_text.to_owned() };

    let mut blocks = vec![Block::Text(greeting)];
    let subject;
    match kind {
        Kind::RegistrationConfirmed | Kind::RegistrationPromoted => {
            subject = if kind == Kind::RegistrationPromoted {
                t("Место освободилось — вы зарегистрированы", "A seat opened up: you are registered")
            } else {
                t("Вы зарегистрированы", "You are registered")
            };
            if kind == Kind::RegistrationPromoted {
                blocks.push(Block::Text(t(
                    "В листе ожидания подошла ваша очередь: место ваше.",
                    "Your turn on the waitlist has come: the seat is yours.",
                )));
            }
            blocks.push(Block::Text(format!("{}: {what}. {when}.", t("Вы идёте на", "You are coming to"))));
            if facts.format.is_in_person() && !place.is_empty() {
                blocks.push(Block::Text(format!("{}: {place}.", t("Место", "Venue"))));
                blocks.push(Block::Link {
                    label: t("Ваш билет (покажите его на входе)", "Your ticket (show it at the door)"),
                    url: ticket.clone(),
                });
            }
            if facts.format.is_online() {
                blocks.push(Block::Link {
                    label: t("Ссылка для подключения", "Your link to join"), url: join
                });
            }
            blocks.push(Block::Link {
                label: t("Не получается прийти? Отмените регистрацию", "Cannot come? Cancel your registration"),
                url: ticket,
            });
            blocks
                .push(Block::Text(t("Событие в календаре — во вложении.", "The event is attached for your calendar.")));
        }
        Kind::RegistrationWaitlisted => {
            subject = t("Вы в листе ожидания", "You are on the waitlist");
            let position = details.position.unwrap_or(1);
            blocks.push(Block::Text(if ru {
                format!("Все места на {what} ({when}) заняты. Вы в листе ожидания, ваш номер в очереди: {position}. Если место освободится, мы сразу напишем.")
            } else {
                format!("All seats for {what} ({when}) are taken. You are on the waitlist at position {position}. If a seat opens up, we will write at once.")
            }));
            blocks.push(Block::Link { label: t("Ваша регистрация", "Your registration"), url: ticket });
        }
        Kind::RegistrationPending => {
            subject = t("Заявка получена", "Request received");
            blocks.push(Block::Text(if ru {
                format!("Мы получили вашу заявку на {what} ({when}). Организаторы рассмотрят её и напишут вам.")
            } else {
                format!("We have your request for {what} ({when}). The organisers will review it and write to you.")
            }));
            blocks.push(Block::Link { label: t("Ваша заявка", "Your request"), url: ticket });
        }
        Kind::ReminderDayBefore => {
            // Worded by the time actually left: a reminder that could only go
            // out late does not say "tomorrow" three hours before the start.
            let starts_in = words::starts_in(lang, details.minutes_left);
            subject = capitalised(&starts_in);
            blocks.push(Block::Text(if ru {
                format!("Напоминаем: {starts_in} — {what}. {when}.")
            } else {
                format!("A reminder: {what} starts {starts_in}. {when}.")
            }));
            if facts.format.is_in_person() && !place.is_empty() {
                blocks.push(Block::Text(format!("{}: {place}.", t("Место", "Venue"))));
                blocks.push(Block::Link { label: t("Ваш билет", "Your ticket"), url: ticket.clone() });
            }
            if facts.format.is_online() {
                blocks.push(Block::Link {
                    label: t("Ссылка для подключения", "Your link to join"), url: join.clone()
                });
            }
            blocks.push(Block::Link {
                label: t("Не получается прийти? Отмените регистрацию", "Cannot come? Cancel your registration"),
                url: ticket.clone(),
            });
        }
        Kind::EventChanged => {
            subject = t("Изменения", "Changes");
            blocks.push(Block::Text(format!(
                "{}: {what}.",
                t("Организаторы изменили событие", "The organisers changed")
            )));
            blocks.push(Block::Text(format!("{}: {when}.", t("Когда", "When"))));
            if facts.format.is_in_person() && !place.is_empty() {
                blocks.push(Block::Text(format!("{}: {place}.", t("Где", "Where"))));
            }
            if facts.format.is_online() && facts.status.holds_seat() {
                blocks.push(Block::Link {
                    label: t("Ссылка для подключения (всегда актуальная)", "Your link to join (always current)"),
                    url: join.clone(),
                });
            }
            blocks.push(Block::Link {
                label: t("Ваша регистрация", "Your registration"), url: ticket.clone()
            });
        }
        Kind::EventCancelled => {
            subject = t("Событие отменено", "Event cancelled");
            blocks.push(Block::Text(if ru {
                format!("К сожалению, {what} ({when}) отменяется. Ваша регистрация больше не действует; о новых встречах расскажем в канале.")
            } else {
                format!("We are sorry: {what} ({when}) is cancelled. Your registration no longer applies; watch the channel for new events.")
            }));
            blocks.push(Block::Link { label: t("Страница события", "Event page"), url: page.clone() });
        }
        Kind::RegistrationDeclined => {
            subject = t("Заявка отклонена", "Request declined");
            blocks.push(Block::Text(if ru {
                format!("К сожалению, организаторы не смогли подтвердить вашу заявку на {what} ({when}).")
            } else {
                format!("We are sorry: the organisers could not accept your request for {what} ({when}).")
            }));
            blocks.push(Block::Link { label: t("Страница события", "Event page"), url: page.clone() });
        }
        Kind::RegistrationCancelled => {
            subject = t("Регистрация отменена", "Registration cancelled");
            blocks.push(Block::Text(if ru {
                format!("Ваша регистрация на {what} ({when}) отменена. Передумаете — зарегистрируйтесь снова на странице события.")
            } else {
                format!("Your registration for {what} ({when}) is cancelled. Changed your mind? Register again on the event page.")
            }));
            blocks.push(Block::Link { label: t("Страница события", "Event page"), url: page });
        }
        other => {
            subject = other.code().to_owned();
            blocks.push(Block::Link { label: what.clone(), url: page });
        }
    }
    blocks.push(Block::Text("— paperclub".to_owned()));
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
