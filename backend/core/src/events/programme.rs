//! A meetup's programme, written the way the channel's post lists it:
//! `17:30-18:10 | talk | Less is more | Дарья Никанорова, ML Engineer, Одноклассники`.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::ProgrammeKind;
use crate::forms::Problem;
use crate::people::repository::PersonLine;
use crate::values::{self, TimeZoneId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeLine {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub kind: ProgrammeKind,
    pub title: String,
    pub speakers: Vec<PersonLine>,
}

impl ProgrammeLine {
    /// Reads one line; times are wall-clock times on `date` in `zone`. A slot
    /// that ends "before" it starts runs past midnight.
    pub fn parse(raw: &str, date: NaiveDate, zone: TimeZoneId) -> Result<Self, Problem> {
        let mut parts = raw.split('|').map(str::trim);
        let slot = parts.next().unwrap_or_default();
        let (start, end) = slot.split_once(['-', '–', '—']).ok_or(Problem::BadTime)?;
        let start = values::time(start)?;
        let end = values::time(end)?;
        let kind = ProgrammeKind::parse(parts.next().unwrap_or_default()).ok_or(Problem::UnknownChoice)?;
        let title = values::required_text(parts.next().unwrap_or_default(), 300)?;
        let speakers = parts
            .next()
            .unwrap_or_default()
            .split(';')
            .filter(|speaker| !speaker.trim().is_empty())
            .map(PersonLine::parse)
            .collect::<Result<Vec<_>, _>>()?;
        if parts.next().is_some() {
            return Err(Problem::TooManyParts);
        }
        let starts_at = zone.instant(date.and_time(start))?;
        let end_date = if end <= start { date + Duration::days(1) } else { date };
        let ends_at = zone.instant(end_date.and_time(end))?;
        Ok(ProgrammeLine { starts_at, ends_at, kind, title, speakers })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moscow() -> TimeZoneId {
        TimeZoneId::parse("Europe/Moscow").unwrap()
    }

    #[test]
    fn a_talk_with_two_speakers_is_read_from_one_line() {
        let date = values::date("2023-08-18").unwrap();
        let line = ProgrammeLine::parse(
            "19:00-19:40 | talk | No-code auto ML | Арсений Селякин, программист-исследователь, predict; Артём Агафонов, руководитель команды геоаналитики, predict",
            date,
            moscow(),
        )
        .unwrap();
        assert_eq!(line.starts_at.to_rfc3339(), "2023-08-18T16:00:00+00:00");
        assert_eq!(line.ends_at.to_rfc3339(), "2023-08-18T16:40:00+00:00");
        assert_eq!(line.kind, ProgrammeKind::Talk);
        assert_eq!(line.speakers.len(), 2);
        assert_eq!(line.speakers[1].affiliation.as_deref(), Some("predict"));
    }

    #[test]
    fn a_slot_past_midnight_ends_the_next_day_and_dashes_may_be_typographic() {
        let date = values::date("2023-08-18").unwrap();
        let line = ProgrammeLine::parse("23:30–00:30 | networking | Afterparty", date, moscow()).unwrap();
        assert_eq!(line.ends_at - line.starts_at, Duration::hours(1));
    }

    #[test]
    fn malformed_lines_say_what_is_wrong() {
        let date = values::date("2023-08-18").unwrap();
        assert_eq!(ProgrammeLine::parse("17:00 | talk | X", date, moscow()), Err(Problem::BadTime));
        assert_eq!(ProgrammeLine::parse("17:00-25:00 | talk | X", date, moscow()), Err(Problem::BadTime));
        assert_eq!(ProgrammeLine::parse("17:00-18:00 | party | X", date, moscow()), Err(Problem::UnknownChoice));
        assert_eq!(ProgrammeLine::parse("17:00-18:00 | talk | ", date, moscow()), Err(Problem::Required));
    }
}
