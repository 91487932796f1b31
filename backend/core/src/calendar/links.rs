//! "Add to Google Calendar" and "Outlook" links beside the calendar file: the
//! event's facts in each service's own address format, so a visitor on a
//! phone adds the event in one tap without downloading a file.

use chrono::{DateTime, Utc};

use super::CalendarEntry;
use crate::views::CalendarLinks;

/// Both links for one event; `base_url` is the site's public address.
pub fn of(entry: &CalendarEntry, base_url: &str) -> CalendarLinks {
    let summary = entry.summary();
    let details = entry.description(base_url);
    let location = entry.location().unwrap_or_default();
    // Google: UTC instants as `YYYYMMDDTHHMMSSZ/...`, and the event's zone
    // for how its own view shows them.
    let compact = |at: DateTime<Utc>| at.format("%Y%m%dT%H%M%SZ").to_string();
    let google = form_urlencoded::Serializer::new(String::new())
        .append_pair("action", "TEMPLATE")
        .append_pair("text", &summary)
        .append_pair("dates", &format!("{}/{}", compact(entry.starts_at), compact(entry.ends_at)))
        .append_pair("details", &details)
        .append_pair("location", &location)
        .append_pair("ctz", &entry.time_zone)
        .finish();
    // Outlook on the web: ISO 8601 instants.
    let iso = |at: DateTime<Utc>| at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let outlook = form_urlencoded::Serializer::new(String::new())
        .append_pair("path", "/calendar/action/compose")
        .append_pair("rru", "addevent")
        .append_pair("subject", &summary)
        .append_pair("startdt", &iso(entry.starts_at))
        .append_pair("enddt", &iso(entry.ends_at))
        .append_pair("body", &details)
        .append_pair("location", &location)
        .finish();
    CalendarLinks {
        google: format!("https://calendar.google.com/calendar/render?{google}"),
        outlook: format!("https://outlook.live.com/calendar/0/deeplink/compose?{outlook}"),
    }
}
