//! `VTIMEZONE` components (RFC 5545, section 3.6.5): a calendar file that
//! names a `TZID` must define it, or Outlook refuses the file and other
//! clients guess. Each zone is written from chrono-tz's own rules for the
//! years the file covers: one observance from the first instant of the first
//! year, then one per change of offset (found by scanning and bisecting,
//! since chrono-tz does not list its transitions).

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

/// How far the scan steps: shorter than any two transitions are apart.
const STEP: Duration = Duration::hours(6);

/// One period of a zone's time: from `starts` (UTC) on, `offset_to` seconds
/// east of UTC, having been `offset_from` before.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Observance {
    starts: DateTime<Utc>,
    offset_from: i32,
    offset_to: i32,
    daylight: bool,
    name: String,
}

/// The zone's observances from 1 January of `from_year` to the end of
/// `to_year`; `None` for a name chrono-tz does not know.
fn observances(tzid: &str, from_year: i32, to_year: i32) -> Option<Vec<Observance>> {
    let zone: Tz = tzid.parse().ok()?;
    let at = |instant: DateTime<Utc>| {
        let offset = zone.offset_from_utc_datetime(&instant.naive_utc());
        let seconds = (offset.base_utc_offset() + offset.dst_offset()).num_seconds() as i32;
        let name = offset.abbreviation().unwrap_or_default().to_owned();
        (seconds, !offset.dst_offset().is_zero(), name)
    };
    let start = Utc.from_utc_datetime(&NaiveDate::from_ymd_opt(from_year, 1, 1)?.and_hms_opt(0, 0, 0)?);
    let end = Utc.from_utc_datetime(&NaiveDate::from_ymd_opt(to_year + 1, 1, 1)?.and_hms_opt(0, 0, 0)?);
    let (offset, daylight, name) = at(start);
    let mut found = vec![Observance { starts: start, offset_from: offset, offset_to: offset, daylight, name }];
    let mut before = start;
    while before < end {
        let after = before + STEP;
        let offset_before = at(before).0;
        if at(after).0 != offset_before {
            // The change lies in (low, high]: halve down to the second.
            let (mut low, mut high) = (before, after);
            while high - low > Duration::seconds(1) {
                let middle = low + (high - low) / 2;
                if at(middle).0 == offset_before { low = middle } else { high = middle }
            }
            let (offset, daylight, name) = at(high);
            found.push(Observance { starts: high, offset_from: offset_before, offset_to: offset, daylight, name });
        }
        before = after;
    }
    Some(found)
}

/// `+0300`, `-0430`, `+053028` for an offset with seconds.
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (hours, minutes, rest) = (s / 3600, s / 60 % 60, s % 60);
    if rest == 0 { format!("{sign}{hours:02}{minutes:02}") } else { format!("{sign}{hours:02}{minutes:02}{rest:02}") }
}

/// The `VTIMEZONE` for `tzid` over the given years, CRLF-terminated lines.
pub fn vtimezone(tzid: &str, from_year: i32, to_year: i32) -> Option<String> {
    let mut out = format!("BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n");
    for observance in observances(tzid, from_year, to_year)? {
        let kind = if observance.daylight { "DAYLIGHT" } else { "STANDARD" };
        // DTSTART is the wall-clock time the change happens at, read in
        // the offset in force before it.
        let local = observance.starts.naive_utc() + Duration::seconds(observance.offset_from.into());
        out.push_str(&format!(
            "BEGIN:{kind}\r\nDTSTART:{}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\n",
            local.format("%Y%m%dT%H%M%S"),
            utc_offset(observance.offset_from),
            utc_offset(observance.offset_to),
        ));
        if !observance.name.is_empty() {
            out.push_str(&format!("TZNAME:{}\r\n", observance.name));
        }
        out.push_str(&format!("END:{kind}\r\n"));
    }
    out.push_str("END:VTIMEZONE\r\n");
    Some(out)
}

/// The years a set of instants covers, for `vtimezone`.
pub fn years(instants: impl IntoIterator<Item = DateTime<Utc>>) -> Option<(i32, i32)> {
    instants.into_iter().fold(None, |span, at| {
        let year = at.year();
        Some(span.map_or((year, year), |(low, high): (i32, i32)| (low.min(year), high.max(year))))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moscow_has_kept_one_offset_since_2014() {
        let zone = vtimezone("Europe/Moscow", 2023, 2027).unwrap();
        assert_eq!(
            zone,
            "BEGIN:VTIMEZONE\r\nTZID:Europe/Moscow\r\nBEGIN:STANDARD\r\nDTSTART:20230101T030000\r\n\
             TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0300\r\nTZNAME:MSK\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        );
    }

    #[test]
    fn berlin_changes_to_summer_time_on_the_last_sunday_of_march_and_back_in_october() {
        let found = observances("Europe/Berlin", 2027, 2027).unwrap();
        let changes: Vec<(String, i32, i32, bool)> = found
            .iter()
            .skip(1)
            .map(|o| {
                let local = o.starts.naive_utc() + Duration::seconds(o.offset_from.into());
                (local.format("%Y%m%dT%H%M%S").to_string(), o.offset_from, o.offset_to, o.daylight)
            })
            .collect();
        assert_eq!(
            changes,
            [("20270328T020000".to_owned(), 3600, 7200, true), ("20271031T030000".to_owned(), 7200, 3600, false)]
        );
        let zone = vtimezone("Europe/Berlin", 2027, 2027).unwrap();
        assert!(zone.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"
        ));
    }

    #[test]
    fn offsets_west_and_with_half_hours_are_written_as_rfc_5545_says() {
        assert_eq!(utc_offset(-4 * 3600 - 1800), "-0430");
        assert_eq!(utc_offset(5 * 3600 + 30 * 60), "+0530");
        assert_eq!(utc_offset(0), "+0000");
        assert_eq!(utc_offset(3600 + 28), "+010028");
        assert!(vtimezone("Mars/Olympus", 2027, 2027).is_none());
    }
}
