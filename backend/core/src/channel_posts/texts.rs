//! The channel's posts, rendered from the event as it is at send time, in
//! the series' language, in Telegram's HTML, never over Telegram's limits:
//! the announcement (number, title, presenter or programme, papers, time
//! with the zone's name, link or venue, a button to the event page), the
//! reminders ("starts in 15 minutes" with the link), the recording post
//! (with its size and the demos), and the cancellation notice.

use crate::events::{EventKind, EventStatus, ProgrammeKind, RegistrationMode};
use crate::lang::Lang;
use crate::views::EventPage;

use super::html::{self, MAX_TEXT, escape};
use crate::words::posts::PostWords;

/// A rendered post: its HTML and an optional URL button under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub html: String,
    pub button: Option<(String, String)>,
}

/// What a post is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKind {
    Announcement,
    /// Minutes before the start.
    Reminder(i32),
    Recording,
    Cancelled,
}

impl PostKind {
    /// The key of the bot's stored message for this post (`telegram_posts.kind`).
    pub fn key(self) -> String {
        match self {
            PostKind::Announcement => "announcement".into(),
            PostKind::Reminder(minutes) => format!("reminder:{minutes}"),
            PostKind::Recording => "recording".into(),
            PostKind::Cancelled => "cancelled".into(),
        }
    }
}

/// "Встреча №100" / "Meeting #100", or the meetup's series title.
fn headline(page: &EventPage, lang: Lang) -> String {
    crate::words::headline(lang, page.card.kind, &page.card.series_title, page.card.number)
}

/// Where: the join link (unless the event is cancelled: nobody should join
/// a meeting that is not happening) and the venue.
fn place(page: &EventPage, w: &PostWords) -> Option<String> {
    let mut parts = Vec::new();
    let cancelled = page.card.status == EventStatus::Cancelled;
    match &page.online_url {
        _ if cancelled => {}
        Some(url) => parts.push(format!("🔗 <a href=\"{}\">{}</a>", escape(url), escape(w.join_link))),
        None if page.online_url_hidden => parts.push(escape(w.link_for_registered)),
        None => {}
    }
    if let Some(venue) = &page.venue_name {
        let address = page.venue_address.as_deref().map(|a| format!(", {}", escape(a))).unwrap_or_default();
        parts.push(format!("📍 {}{address}", escape(venue)));
    }
    (!parts.is_empty()).then(|| parts.join("\n"))
}

fn event_url(base_url: &str, page: &EventPage) -> String {
    format!("{base_url}/events/{}", page.card.id)
}

/// Puts the parts together; the description is cut at a sentence so that
/// the whole stays within Telegram's limit.
fn assemble(head: Vec<String>, description: &str, tail: Vec<String>) -> String {
    let fixed = head.iter().chain(tail.iter()).cloned().collect::<Vec<_>>().join("\n\n");
    let used = html::parse(&fixed).unwrap_or(MAX_TEXT);
    // Two blank lines around the description, and some room to spare.
    let budget = MAX_TEXT.saturating_sub(used + 8);
    let description = html::cut_at_sentence(description.trim(), budget);
    let mut parts = head;
    if !description.is_empty() {
        parts.push(escape(&description));
    }
    parts.extend(tail);
    parts.join("\n\n")
}

pub fn render(kind: PostKind, page: &EventPage, lang: Lang, base_url: &str) -> Post {
    let w = &crate::words::words(lang).posts;
    let url = event_url(base_url, page);
    let title = escape(&page.card.title);
    let head = escape(&headline(page, lang));
    let details = (escape(w.details), url.clone());
    match kind {
        PostKind::Announcement => {
            let cancelled = page.card.status == EventStatus::Cancelled;
            let mut top = vec![if cancelled {
                format!("❌ <b>{}</b>\n<s>{head}: {title}</s>", escape(w.cancelled_mark))
            } else {
                format!("<b>{head}</b>\n<b>{title}</b>")
            }];
            let people: Vec<String> = page.card.people.iter().map(|p| escape(p)).collect();
            if !people.is_empty() && page.card.kind == EventKind::Session {
                top.push(format!("{} {}", w.presenter, people.join(", ")));
            }
            if !page.papers.is_empty() {
                let papers = page
                    .papers
                    .iter()
                    .map(|paper| {
                        let name = escape(&paper.title);
                        match paper.link() {
                            Some(link) => format!("📄 <a href=\"{}\">{name}</a>", escape(&link)),
                            None => format!("📄 {name}"),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                top.push(papers);
            }
            if !page.programme.is_empty() {
                let rows = page
                    .programme
                    .iter()
                    .map(|row| {
                        let speakers = row
                            .speakers
                            .iter()
                            .map(|s| {
                                let about =
                                    [s.role.clone(), s.affiliation.clone()].into_iter().flatten().collect::<Vec<_>>();
                                if about.is_empty() {
                                    escape(&s.name)
                                } else {
                                    format!("{} ({})", escape(&s.name), escape(&about.join(", ")))
                                }
                            })
                            .collect::<Vec<_>>()
                            .join("; ");
                        let title = if row.kind == ProgrammeKind::Talk {
                            format!("<b>{}</b>", escape(&row.title))
                        } else {
                            escape(&row.title)
                        };
                        if speakers.is_empty() {
                            format!("{} {title}", escape(&row.time_range))
                        } else {
                            format!("{} {title} — {speakers}", escape(&row.time_range))
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                top.push(format!("<b>{}</b>\n{rows}", escape(w.programme)));
            }
            let mut when = format!("🗓 {}", escape(&page.span_label));
            if let Some(place) = place(page, w) {
                when.push('\n');
                when.push_str(&place);
            }
            top.push(when);
            let mut tail = Vec::new();
            if page.registration_mode != RegistrationMode::None && !cancelled {
                tail.push(escape(w.free_registration_required));
            }
            let button = if cancelled {
                details
            } else if page.registration_open {
                (escape(w.register), url)
            } else {
                details
            };
            Post { html: assemble(top, if cancelled { "" } else { &page.summary }, tail), button: Some(button) }
        }
        PostKind::Reminder(minutes) => {
            // With each language's plural rule: "через 2 минуты", "через 21 минуту".
            let when = crate::words::starts_in(lang, minutes);
            let lead = if minutes <= 3 {
                format!("{} {} — <b>{title}</b>", escape(w.waiting_for_you), escape(&when))
            } else {
                format!("{} {} {}: <b>{head}</b> — {title}", escape(w.reminder_lead), escape(&when), escape(w.starts),)
            };
            let mut parts = vec![lead, format!("🗓 {}", escape(&page.span_label))];
            if let Some(place) = place(page, w) {
                parts.push(place);
            }
            Post { html: parts.join("\n"), button: Some(details) }
        }
        PostKind::Recording => {
            let mut parts = vec![format!("🎬 <b>{} {head}</b>\n{title}", escape(w.recording))];
            if let Some(recording) = &page.recording {
                let label = [recording.file_name.clone(), recording.size_label.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", ");
                let label = if label.is_empty() { w.watch_recording.to_owned() } else { label };
                parts.push(match &recording.url {
                    Some(link) => format!("<a href=\"{}\">{}</a>", escape(link), escape(&label)),
                    None => escape(&label),
                });
            }
            if !page.demos.is_empty() {
                let demos = page
                    .demos
                    .iter()
                    .map(|demo| {
                        format!("<a href=\"{}{}\">{}</a>", escape(base_url), escape(&demo.href()), escape(&demo.title))
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                parts.push(format!("🧪 {}\n{demos}", escape(w.demo)));
            }
            Post { html: parts.join("\n\n"), button: Some(details) }
        }
        PostKind::Cancelled => Post {
            html: format!("❌ {} <b>{head}</b> «{title}» {}", escape(w.cancelled_lead), escape(w.cancelled_tail)),
            button: Some(details),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::EventFormat;
    use crate::views::{EventCard, PaperRef, Recording, When};
    use chrono::{TimeZone, Utc};

    fn page() -> EventPage {
        let at = Utc.with_ymd_and_hms(2023, 7, 17, 12, 0, 0).unwrap();
        let when = When { at, time_zone: "Europe/Moscow".into(), label: "17 июля 2023, 15:00 МСК".into() };
        EventPage {
            calendar_links: None,
            card: EventCard {
                id: 7,
                kind: EventKind::Session,
                status: EventStatus::Scheduled,
                format: EventFormat::Online,
                series_slug: "reading-group".into(),
                series_title: "Ридинг-группа".into(),
                number: 100,
                title: "Tensor <Hankel> & SASRec".into(),
                starts: when.clone(),
                people: vec!["Сергей Ермилов".into()],
                place: None,
            },
            ends: when,
            span_label: "17 июля 2023, 15:00–16:30 МСК".into(),
            description_html: String::new(),
            summary: "Юбилейная встреча. ".repeat(400),
            online_url: Some("https://zoom.us/j/1?pwd=a&b".into()),
            online_url_hidden: false,
            venue_name: None,
            venue_address: None,
            capacity: None,
            registration_mode: RegistrationMode::None,
            registration_open: false,
            seats_left: None,
            questions: vec![],
            people: vec![],
            papers: vec![PaperRef {
                id: 1,
                title: "Tensor-based Sequential Learning".into(),
                authors: vec![],
                year: Some(2022),
                venue: None,
                arxiv_id: Some("2212.05720".into()),
                doi: None,
                url: None,
            }],
            programme: vec![],
            recording: Some(Recording {
                url: None,
                file_name: Some("talk.mp4".into()),
                size_label: Some("75 MB".into()),
            }),
            slides_url: None,
            demos: vec![],
        }
    }

    #[test]
    fn every_post_parses_as_telegram_html_and_fits() {
        let page = page();
        for kind in [
            PostKind::Announcement,
            PostKind::Reminder(1440),
            PostKind::Reminder(15),
            PostKind::Reminder(2),
            PostKind::Recording,
            PostKind::Cancelled,
        ] {
            for lang in Lang::ALL {
                let post = render(kind, &page, lang, "https://paperclub.example");
                let length = html::parse(&post.html).unwrap_or_else(|e| panic!("{kind:?}: {e}\n{}", post.html));
                assert!(length <= MAX_TEXT, "{kind:?}: {length}");
            }
        }
        let announcement = render(PostKind::Announcement, &page, Lang::Ru, "https://paperclub.example");
        assert!(announcement.html.contains("Встреча №100"));
        assert!(announcement.html.contains("Tensor &lt;Hankel&gt; &amp; SASRec"));
        assert!(announcement.html.contains("https://arxiv.org/abs/2212.05720"));
        assert!(announcement.html.contains("https://zoom.us/j/1?pwd=a&amp;b"));
        // The long description was cut at a sentence, not rejected.
        assert!(announcement.html.contains("Юбилейная встреча."));
        let plural = render(PostKind::Reminder(22), &page, Lang::Ru, "https://paperclub.example");
        assert!(plural.html.contains("через 22 минуты стартует"), "{}", plural.html);
        let reminder = render(PostKind::Reminder(15), &page, Lang::Ru, "https://paperclub.example");
        assert!(reminder.html.contains("через 15 минут стартует"), "{}", reminder.html);
        let soon = render(PostKind::Reminder(2), &page, Lang::Ru, "https://paperclub.example");
        assert!(soon.html.contains("Ждём всех через пару минут"), "{}", soon.html);
        let recording = render(PostKind::Recording, &page, Lang::Ru, "https://paperclub.example");
        assert!(recording.html.contains("talk.mp4, 75 MB"));
    }
}
