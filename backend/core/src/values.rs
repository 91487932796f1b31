//! Small domain values parsed once at the edge ("parse, don't validate").
//! Each `parse` trims, normalises and bounds its input and says what is wrong
//! with a [`Problem`] the page can put next to the field.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::forms::Problem;

/// One line of free text that must be present and not too long. Control
/// characters (line breaks, tabs) become spaces: a name or a title is one
/// line wherever it goes next, a mail header included.
pub fn required_text(raw: &str, max: usize) -> Result<String, Problem> {
    let text = one_line(raw);
    if text.is_empty() {
        return Err(Problem::Required);
    }
    bounded(&text, max)
}

/// One line of free text that may be empty (then `None`).
pub fn optional_text(raw: &str, max: usize) -> Result<Option<String>, Problem> {
    let text = one_line(raw);
    if text.is_empty() { Ok(None) } else { bounded(&text, max).map(Some) }
}

fn one_line(raw: &str) -> String {
    raw.trim().split(char::is_control).filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Long text (Markdown): kept as typed but for surrounding blank space.
pub fn long_text(raw: &str, max: usize) -> Result<String, Problem> {
    bounded(raw.trim(), max)
}

fn bounded(text: &str, max: usize) -> Result<String, Problem> {
    if text.chars().count() > max { Err(Problem::TooLong { max }) } else { Ok(text.to_owned()) }
}

pub fn integer(raw: &str, min: i64, max: i64) -> Result<i64, Problem> {
    let value: i64 =
        raw.trim().parse().map_err(|_| if raw.trim().is_empty() { Problem::Required } else { Problem::NotANumber })?;
    if (min..=max).contains(&value) { Ok(value) } else { Err(Problem::OutOfRange { min, max }) }
}

pub fn optional_integer(raw: &str, min: i64, max: i64) -> Result<Option<i64>, Problem> {
    if raw.trim().is_empty() { Ok(None) } else { integer(raw, min, max).map(Some) }
}

/// An IANA time zone id known to the tz database, e.g. `Europe/Moscow`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZoneId(Tz);

impl TimeZoneId {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(Problem::Required);
        }
        // Abbreviations and POSIX-style names ("MSK", "EST5EDT") are ambiguous
        // or obsolete: accept region/city ids and UTC, like the database does.
        if !(raw.contains('/') || raw == "UTC") {
            return Err(Problem::UnknownTimeZone);
        }
        raw.parse::<Tz>().map(TimeZoneId).map_err(|_| Problem::UnknownTimeZone)
    }
    pub fn tz(self) -> Tz {
        self.0
    }
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The instant of a wall-clock time in this zone. In a DST overlap the
    /// earlier instant wins (what a person who says "01:30" most likely means);
    /// a time inside a DST gap does not exist and is refused.
    pub fn instant(self, local: NaiveDateTime) -> Result<DateTime<Utc>, Problem> {
        self.0
            .from_local_datetime(&local)
            .earliest()
            .map(|at| at.with_timezone(&Utc))
            .ok_or(Problem::NonexistentLocalTime)
    }
}

/// `2023-07-17` as an HTML date input sends it.
pub fn date(raw: &str) -> Result<NaiveDate, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Problem::Required);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| Problem::BadDate)
}

/// `15:00` (an HTML time input may add seconds).
pub fn time(raw: &str) -> Result<NaiveTime, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Problem::Required);
    }
    NaiveTime::parse_from_str(raw, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(raw, "%H:%M:%S"))
        .map_err(|_| Problem::BadTime)
}

/// An absolute http(s) address we may put in an `href`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebUrl(String);

impl WebUrl {
    pub const MAX: usize = 2000;

    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(Problem::Required);
        }
        if raw.len() > Self::MAX {
            return Err(Problem::TooLong { max: Self::MAX });
        }
        let rest = raw.strip_prefix("https://").or_else(|| raw.strip_prefix("http://")).ok_or(Problem::BadUrl)?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host_ok = !host.is_empty() && host.chars().all(|c| c.is_alphanumeric() || "-.:[]@".contains(c));
        if !host_ok || raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Problem::BadUrl);
        }
        Ok(WebUrl(raw.to_owned()))
    }
    pub fn optional(raw: &str) -> Result<Option<Self>, Problem> {
        if raw.trim().is_empty() { Ok(None) } else { Self::parse(raw).map(Some) }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_string(self) -> String {
        self.0
    }
}

/// An e-mail address, trimmed and lower-cased: one person, one spelling.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub const MAX: usize = crate::views::EMAIL_MAX_CHARS;

    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(Problem::Required);
        }
        if email.len() > Self::MAX {
            return Err(Problem::TooLong { max: Self::MAX });
        }
        let (local, domain) = email.split_once('@').ok_or(Problem::BadEmail)?;
        let plausible = !local.is_empty()
            && local.len() <= 64
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !email.chars().any(|c| c.is_whitespace() || c.is_control() || "<>(),;:\"[]\\".contains(c))
            && !domain.contains('@');
        if plausible { Ok(Email(email)) } else { Err(Problem::BadEmail) }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A URL path segment: lower-case letters, digits and single dashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let slug = raw.trim();
        if slug.is_empty() {
            return Err(Problem::Required);
        }
        let ok = slug.len() <= 64
            && slug
                .split('-')
                .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
        if ok { Ok(Slug(slug.to_owned())) } else { Err(Problem::BadSlug) }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new-style arXiv identifier (`2212.05720`, `1906.00091v3`); accepts the
/// forms people paste: `arXiv:2212.05720` and `https://arxiv.org/abs/...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArxivId(String);

impl ArxivId {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let raw = raw.trim();
        let id = ["https://arxiv.org/abs/", "http://arxiv.org/abs/", "https://arxiv.org/pdf/", "arXiv:", "arxiv:"]
            .iter()
            .find_map(|prefix| raw.strip_prefix(prefix))
            .unwrap_or(raw)
            .trim_end_matches(".pdf");
        let (number, version) = match id.split_once('v') {
            Some((number, version)) => (number, Some(version)),
            None => (id, None),
        };
        let number_ok = number.split_once('.').is_some_and(|(yymm, seq)| {
            yymm.len() == 4
                && (4..=5).contains(&seq.len())
                && yymm.chars().chain(seq.chars()).all(|c| c.is_ascii_digit())
        });
        let version_ok = version.is_none_or(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()));
        if number_ok && version_ok { Ok(ArxivId(id.to_owned())) } else { Err(Problem::BadArxivId) }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A DOI such as `10.1109/ACCESS.2023.3283213`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doi(String);

impl Doi {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let raw = raw.trim();
        let doi = raw.strip_prefix("https://doi.org/").or_else(|| raw.strip_prefix("doi:")).unwrap_or(raw);
        let ok = doi.len() <= 200
            && doi.split_once('/').is_some_and(|(prefix, suffix)| {
                prefix.strip_prefix("10.").is_some_and(|registrant| {
                    (4..=9).contains(&registrant.len()) && registrant.chars().all(|c| c.is_ascii_digit())
                }) && !suffix.is_empty()
                    && !suffix.chars().any(char::is_whitespace)
            });
        if ok { Ok(Doi(doi.to_owned())) } else { Err(Problem::BadDoi) }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Telegram username without the `@`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelegramHandle(String);

impl TelegramHandle {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let handle = raw.trim().trim_start_matches('@');
        let ok = (5..=32).contains(&handle.len())
            && handle.starts_with(|c: char| c.is_ascii_alphabetic())
            && handle.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if ok { Ok(TelegramHandle(handle.to_owned())) } else { Err(Problem::BadTelegramHandle) }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Telegram chat the bot posts to: a public `@username` (as a handle) or
/// a numeric chat id such as `-1001234567890` (private channels have only that).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelegramChat(String);

impl TelegramChat {
    pub fn optional(raw: &str) -> Result<Option<Self>, Problem> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        let numeric = raw.strip_prefix('-').unwrap_or(raw);
        if !numeric.is_empty() && numeric.len() <= 20 && numeric.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Some(TelegramChat(raw.to_owned())));
        }
        TelegramHandle::parse(raw).map(|handle| Some(TelegramChat(format!("@{}", handle.as_str()))))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// When reminders go out, in minutes before the start, written "1440, 15, 2"
/// (a day, a quarter of an hour, two minutes); at most six, each up to two
/// weeks, kept largest first without repeats. Empty: no reminders.
pub fn reminder_minutes(raw: &str) -> Result<Vec<i32>, Problem> {
    let mut minutes = Vec::new();
    for part in raw.split([',', ' ', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        minutes.push(integer(part, 1, 20_160)? as i32);
    }
    minutes.sort_unstable_by(|a, b| b.cmp(a));
    minutes.dedup();
    if minutes.len() > 6 { Err(Problem::OutOfRange { min: 0, max: 6 }) } else { Ok(minutes) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telegram_chats_and_reminder_offsets_parse() {
        assert_eq!(TelegramChat::optional(" @ml_is_ok ").unwrap().unwrap().as_str(), "@ml_is_ok");
        assert_eq!(TelegramChat::optional("ml_is_ok").unwrap().unwrap().as_str(), "@ml_is_ok");
        assert_eq!(TelegramChat::optional("-1001234567890").unwrap().unwrap().as_str(), "-1001234567890");
        assert_eq!(TelegramChat::optional(""), Ok(None));
        assert_eq!(TelegramChat::optional("@ab"), Err(Problem::BadTelegramHandle));
        assert_eq!(reminder_minutes("15, 1440 2 15"), Ok(vec![1440, 15, 2]));
        assert_eq!(reminder_minutes(""), Ok(vec![]));
        assert_eq!(reminder_minutes("0"), Err(Problem::OutOfRange { min: 1, max: 20_160 }));
        assert_eq!(reminder_minutes("x"), Err(Problem::NotANumber));
    }

    #[test]
    fn text_is_trimmed_and_bounded_in_characters_not_bytes() {
        assert_eq!(required_text("  Встреча  ", 7), Ok("Встреча".into()));
        assert_eq!(required_text("Встреча!", 7), Err(Problem::TooLong { max: 7 }));
        assert_eq!(required_text("   ", 7), Err(Problem::Required));
        assert_eq!(optional_text(" ", 7), Ok(None));
    }

    #[test]
    fn time_zones_are_iana_ids_not_abbreviations() {
        assert_eq!(TimeZoneId::parse("Europe/Moscow").unwrap().name(), "Europe/Moscow");
        assert_eq!(TimeZoneId::parse("MSK"), Err(Problem::UnknownTimeZone));
        assert_eq!(TimeZoneId::parse("Mars/Olympus"), Err(Problem::UnknownTimeZone));
        assert!(TimeZoneId::parse("UTC").is_ok());
    }

    #[test]
    fn a_wall_clock_time_becomes_the_right_instant() {
        let moscow = TimeZoneId::parse("Europe/Moscow").unwrap();
        let local = date("2023-07-17").unwrap().and_time(time("15:00").unwrap());
        assert_eq!(moscow.instant(local).unwrap().to_rfc3339(), "2023-07-17T12:00:00+00:00");
    }

    #[test]
    fn a_time_in_a_dst_gap_is_refused_and_an_overlap_takes_the_earlier_instant() {
        let berlin = TimeZoneId::parse("Europe/Berlin").unwrap();
        let gap = date("2024-03-31").unwrap().and_time(time("02:30").unwrap());
        assert_eq!(berlin.instant(gap), Err(Problem::NonexistentLocalTime));
        let overlap = date("2024-10-27").unwrap().and_time(time("02:30").unwrap());
        assert_eq!(berlin.instant(overlap).unwrap().to_rfc3339(), "2024-10-27T00:30:00+00:00");
    }

    #[test]
    fn urls_must_be_web_addresses() {
        assert!(WebUrl::parse("https://zoom.us/j/123?pwd=x").is_ok());
        assert_eq!(WebUrl::parse("javascript:alert(1)"), Err(Problem::BadUrl));
        assert_eq!(WebUrl::parse("https://"), Err(Problem::BadUrl));
        assert_eq!(WebUrl::parse("https://a b.com"), Err(Problem::BadUrl));
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse(" Ana@Example.ORG ").unwrap().as_str(), "ana@example.org");
        for bad in ["ana", "ana@", "@example.org", "ana@example", "a na@example.org", "ana@@example.org"] {
            assert_eq!(Email::parse(bad), Err(Problem::BadEmail), "{bad}");
        }
    }

    #[test]
    fn arxiv_ids_are_accepted_in_the_forms_people_paste() {
        for raw in ["2212.05720", "arXiv:2212.05720", "https://arxiv.org/abs/2212.05720", "1906.00091v3"] {
            assert!(ArxivId::parse(raw).is_ok(), "{raw}");
        }
        assert_eq!(ArxivId::parse("https://arxiv.org/abs/2212.05720").unwrap().as_str(), "2212.05720");
        for raw in ["22.05720", "2212.057", "2212.05720v", "hello"] {
            assert_eq!(ArxivId::parse(raw), Err(Problem::BadArxivId), "{raw}");
        }
    }

    #[test]
    fn dois_slugs_and_handles_follow_their_formats() {
        assert!(Doi::parse("https://doi.org/10.1109/ACCESS.2023.3283213").is_ok());
        assert_eq!(Doi::parse("11.1/x"), Err(Problem::BadDoi));
        assert!(Slug::parse("reading-group").is_ok());
        assert_eq!(Slug::parse("Reading Group"), Err(Problem::BadSlug));
        assert_eq!(Slug::parse("a--b"), Err(Problem::BadSlug));
        assert_eq!(TelegramHandle::parse("@ok_ml").unwrap().as_str(), "ok_ml");
        assert_eq!(TelegramHandle::parse("1abcde"), Err(Problem::BadTelegramHandle));
    }
}
