use icalendar::{Calendar, CalendarComponent, CalendarDateTime, Component, DatePerhapsTime, EventLike};

use crate::helpers::{TestApp, spawn_app};

async fn seeded() -> TestApp {
    let app = spawn_app().await;
    app.seed().await;
    app
}

fn parse(body: &str) -> Vec<icalendar::Event> {
    let calendar: Calendar = body.parse().expect("a calendar parser reads our file");
    calendar
        .components
        .into_iter()
        .filter_map(|component| match component {
            CalendarComponent::Event(event) => Some(event),
            _ => None,
        })
        .collect()
}

fn local(start: Option<DatePerhapsTime>) -> (String, String) {
    match start {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid })) => {
            (date_time.format("%Y-%m-%d %H:%M").to_string(), tzid)
        }
        other => panic!("expected a time with an IANA zone, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_events_calendar_file_carries_its_iana_zone_stable_uid_and_venue() {
    let app = seeded().await;
    let id = app.event_id("ML в production").await.unwrap();
    let path = format!("/events/{id}/calendar.ics");
    let first = app.get(&path).await;
    assert_eq!(first.status, 200);
    let events = parse(&first.body);
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(local(event.get_start()), ("2023-08-18 17:00".into(), "Europe/Moscow".into()));
    assert_eq!(local(event.get_end()), ("2023-08-18 20:30".into(), "Europe/Moscow".into()));
    assert_eq!(event.get_uid(), Some(format!("event-{id}@paperclub.test").as_str()));
    assert_eq!(event.get_summary(), Some("OK Tech Talk #1: ML в production"));
    assert_eq!(event.get_location(), Some("Оранжерея Таврического сада, Санкт-Петербург, Шпалерная ул., 43, 1-й этаж"));
    assert_eq!(event.get_url(), Some(format!("http://paperclub.test/events/{id}").as_str()));
    // The same event, fetched again, has the same UID: calendars update, not duplicate.
    let again = parse(&app.get(&path).await.body);
    assert_eq!(again[0].get_uid(), event.get_uid());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_series_calendar_holds_that_series_and_the_full_calendar_holds_everything_public() {
    let app = seeded().await;
    let series = parse(&app.get("/series/reading-group/calendar.ics").await.body);
    let mut summaries: Vec<_> = series.iter().map(|e| e.get_summary().unwrap().to_owned()).collect();
    summaries.sort();
    assert_eq!(summaries.len(), 2);
    assert!(summaries[0].starts_with("Ридинг-группа Одноклассников #100"));
    assert!(summaries[1].starts_with("Ридинг-группа Одноклассников #101"));

    let all = parse(&app.get("/calendar.ics").await.body);
    assert_eq!(all.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_and_unknown_scopes_are_not_in_any_calendar() {
    let app = seeded().await;
    sqlx::query("UPDATE events SET status = 'draft' WHERE number = 101").execute(&app.pool).await.unwrap();
    assert_eq!(parse(&app.get("/calendar.ics").await.body).len(), 2);
    let draft = app.event_id("DLRM и его реализация на TorchRec с дообучением онлайн").await.unwrap();
    assert_eq!(app.get(&format!("/events/{draft}/calendar.ics")).await.status, 404);
    assert_eq!(app.get("/series/no-such-series/calendar.ics").await.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_for_registered_people_only_never_appears_in_a_calendar() {
    let app = seeded().await;
    sqlx::query(
        "UPDATE events SET online_url = 'https://zoom.us/j/secret', link_visibility = 'registered', venue_name = NULL WHERE number = 100",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let body = app.get("/calendar.ics").await.body;
    assert!(!body.contains("zoom.us/j/secret"));
    sqlx::query("UPDATE events SET link_visibility = 'everyone' WHERE number = 100").execute(&app.pool).await.unwrap();
    let body = app.get("/calendar.ics").await.body;
    assert!(body.contains("zoom.us/j/secret"));
}

/// The zones a file's events are timed in, and the zones it defines.
fn zones_used_and_defined(body: &str) -> (std::collections::BTreeSet<String>, std::collections::BTreeSet<String>) {
    let unfolded = body.replace("\r\n ", "");
    let mut used = std::collections::BTreeSet::new();
    let mut defined = std::collections::BTreeSet::new();
    for line in unfolded.lines() {
        if let Some(tzid) = line.strip_prefix("TZID:") {
            defined.insert(tzid.to_owned());
        } else if let Some((name, _)) = line.split_once(':')
            && let Some(tzid) = name.split(';').find_map(|param| param.strip_prefix("TZID="))
        {
            used.insert(tzid.to_owned());
        }
    }
    (used, defined)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_zone_a_calendar_file_names_is_defined_in_it_as_outlook_requires() {
    let app = seeded().await;
    let berlin = app.event_id("ML в production").await.unwrap();
    sqlx::query("UPDATE events SET time_zone = 'Europe/Berlin' WHERE id = $1")
        .bind(berlin)
        .execute(&app.pool)
        .await
        .unwrap();
    let all = app.get("/calendar.ics").await;
    assert_eq!(all.status, 200);
    assert!(all.body.contains("\r\nMETHOD:PUBLISH\r\n"), "published, as the e-mail's MIME type says");
    let (used, defined) = zones_used_and_defined(&all.body);
    assert_eq!(used, ["Europe/Berlin".to_owned(), "Europe/Moscow".to_owned()].into());
    assert_eq!(defined, used, "one VTIMEZONE per TZID");
    assert!(all.body.contains("BEGIN:DAYLIGHT\r\n"), "Berlin's summer time is described");
    assert!(all.body.contains("TZOFFSETTO:+0300\r\nTZNAME:MSK\r\n"));
    assert!(!parse(&all.body).is_empty(), "with its zones the file still parses, events and all");

    let one = app.get(&format!("/events/{berlin}/calendar.ics")).await;
    let (used, defined) = zones_used_and_defined(&one.body);
    assert_eq!(used, ["Europe/Berlin".to_owned()].into());
    assert_eq!(defined, used, "a file defines the zones it uses, no more");
}

/// The query of the link marked `test_id` on a page, decoded.
fn link_query(body: &str, test_id: &str) -> (String, std::collections::BTreeMap<String, String>) {
    let marker = body.find(&format!("data-testid=\"{test_id}\"")).unwrap_or_else(|| panic!("no {test_id} link"));
    let start = body[..marker].rfind("href=\"").unwrap() + "href=\"".len();
    let href = body[start..].split('"').next().unwrap().replace("&amp;", "&");
    let (address, query) = href.split_once('?').unwrap();
    (address.to_owned(), serde_urlencoded::from_str(query).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_page_adds_it_to_google_calendar_or_outlook_with_its_own_times_place_and_page() {
    let app = seeded().await;
    let id = app.event_id("ML в production").await.unwrap();
    let (starts, ends): (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) =
        sqlx::query_as("SELECT starts_at, ends_at FROM events WHERE id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let page = app.get(&format!("/events/{id}")).await;
    assert!(page.body.contains(">Google Календарь</a>") && page.body.contains(">Outlook</a>"));

    let (address, google) = link_query(&page.body, "google-calendar");
    assert_eq!(address, "https://calendar.google.com/calendar/render");
    assert_eq!(google["action"], "TEMPLATE");
    assert_eq!(google["dates"], format!("{}/{}", starts.format("%Y%m%dT%H%M%SZ"), ends.format("%Y%m%dT%H%M%SZ")));
    assert_eq!(google["ctz"], "Europe/Moscow");
    assert!(google["text"].contains("ML в production"), "{}", google["text"]);
    assert!(google["details"].ends_with(&format!("/events/{id}")), "the event's page: {}", google["details"]);
    assert!(!google["location"].is_empty(), "the venue");

    let (address, outlook) = link_query(&page.body, "outlook-calendar");
    assert_eq!(address, "https://outlook.live.com/calendar/0/deeplink/compose");
    assert_eq!(outlook["startdt"], starts.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    assert_eq!(outlook["enddt"], ends.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    assert_eq!(outlook["subject"], google["text"]);
    assert_eq!(outlook["location"], google["location"]);
}
