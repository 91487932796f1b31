//! Showing instants the way the channel writes them: in the event's zone,
//! with the zone's name ("17 июля 2023, 15:00 МСК").

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;

use crate::lang::Lang;
use crate::views::When;
use crate::words::words;

/// The zone's short name at that instant, as readers of that language know it.
pub fn zone_abbreviation(at: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    let abbreviation = at.with_timezone(&tz).format("%Z").to_string();
    match abbreviation.as_str() {
        "MSK" => words(lang).site.moscow_zone.to_owned(),
        _ => abbreviation,
    }
}

/// "17 июля 2023" / "17 July 2023"
pub fn date_label(at: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    let local = at.with_timezone(&tz);
    let month = local.month0() as usize;
    let name = words(lang).site.months[month];
    format!("{} {} {}", local.day(), name, local.year())
}

/// "15:00"
pub fn clock_label(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%H:%M").to_string()
}

/// "17 июля 2023, 15:00 МСК"
pub fn when(at: DateTime<Utc>, tz: Tz, lang: Lang) -> When {
    When {
        at,
        time_zone: tz.name().to_owned(),
        label: format!("{}, {} {}", date_label(at, tz, lang), clock_label(at, tz), zone_abbreviation(at, tz, lang)),
    }
}

/// "18 августа 2023, 17:00–20:30 МСК": start to end, the date once when both
/// fall on the same local day.
pub fn span(start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    let (local_start, local_end) = (start.with_timezone(&tz), end.with_timezone(&tz));
    if local_start.date_naive() == local_end.date_naive() {
        format!(
            "{}, {}–{} {}",
            date_label(start, tz, lang),
            clock_label(start, tz),
            clock_label(end, tz),
            zone_abbreviation(end, tz, lang)
        )
    } else {
        format!("{} – {}", when(start, tz, lang).label, when(end, tz, lang).label)
    }
}

/// "17:30–18:10" for a programme slot.
pub fn clock_range(start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz) -> String {
    format!("{}–{}", clock_label(start, tz), clock_label(end, tz))
}

/// "75 MB", the way Telegram labels a file.
pub fn file_size_label(bytes: i64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    let bytes = bytes as f64;
    if bytes >= 1024.0 * MIB {
        format!("{:.1} GB", bytes / (1024.0 * MIB))
    } else if bytes >= MIB {
        format!("{:.0} MB", bytes / MIB)
    } else {
        format!("{:.0} KB", (bytes / 1024.0).max(1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn the_hundredth_meeting_reads_as_the_channel_wrote_it() {
        let at = utc(2023, 7, 17, 12, 0);
        assert_eq!(when(at, chrono_tz::Europe::Moscow, Lang::Ru).label, "17 июля 2023, 15:00 МСК");
        assert_eq!(when(at, chrono_tz::Europe::Moscow, Lang::En).label, "17 July 2023, 15:00 MSK");
    }

    #[test]
    fn the_zone_name_follows_daylight_saving() {
        let berlin = chrono_tz::Europe::Berlin;
        assert_eq!(when(utc(2024, 1, 10, 14, 0), berlin, Lang::En).label, "10 January 2024, 15:00 CET");
        assert_eq!(when(utc(2024, 7, 10, 13, 0), berlin, Lang::En).label, "10 July 2024, 15:00 CEST");
    }

    #[test]
    fn a_late_evening_in_moscow_is_already_the_next_day_in_tokyo() {
        let at = utc(2023, 7, 17, 20, 30);
        assert_eq!(date_label(at, chrono_tz::Europe::Moscow, Lang::Ru), "17 июля 2023");
        assert_eq!(date_label(at, chrono_tz::Asia::Tokyo, Lang::Ru), "18 июля 2023");
    }

    #[test]
    fn a_span_names_its_day_once_unless_it_crosses_midnight() {
        let tz = chrono_tz::Europe::Moscow;
        assert_eq!(
            span(utc(2023, 8, 18, 14, 0), utc(2023, 8, 18, 17, 30), tz, Lang::Ru),
            "18 августа 2023, 17:00–20:30 МСК"
        );
        assert_eq!(
            span(utc(2023, 8, 18, 20, 0), utc(2023, 8, 18, 22, 0), tz, Lang::En),
            "18 August 2023, 23:00 MSK – 19 August 2023, 01:00 MSK"
        );
    }

    #[test]
    fn programme_slots_and_file_sizes() {
        let tz = chrono_tz::Europe::Moscow;
        assert_eq!(clock_range(utc(2023, 8, 18, 14, 30), utc(2023, 8, 18, 15, 10), tz), "17:30–18:10");
        assert_eq!(file_size_label(75 * 1024 * 1024), "75 MB");
        assert_eq!(file_size_label(2 * 1024 * 1024 * 1024), "2.0 GB");
        assert_eq!(file_size_label(10), "1 KB");
    }
}
