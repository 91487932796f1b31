//! The catalogue: every word the product says, one `Words` per language
//! (`ru.rs`, `en.rs`), for the site (`site`), the e-mails, the channel's
//! posts and the bot's chat, with the demos' words beside it (`demos`,
//! server only); and the words several of them build the same
//! way: counts with the language's plural rule, "starts in ..." by the time
//! left, and the event's headline. Compiles for the browser too.

pub mod chat;
#[cfg(feature = "server")]
pub mod demos;
pub mod email;
mod en;
pub mod posts;
mod ru;
pub mod site;

use crate::events::EventKind;
use crate::lang::Lang;

/// Everything the product says in one language.
pub struct Words {
    pub site: site::Texts,
    pub email: email::EmailWords,
    pub posts: posts::PostWords,
    pub chat: chat::ChatWords,
}

/// The catalogue of a language.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Ru => &ru::RU,
        Lang::En => &en::EN,
    }
}

/// The forms of a counted noun. Russian needs three (1 место, 2 места,
/// 5 мест); English two (`few` = `many`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plural {
    pub one: &'static str,
    pub few: &'static str,
    pub many: &'static str,
}

/// Which form `n` takes in `lang`.
pub fn form(lang: Lang, n: i64, forms: &Plural) -> &'static str {
    let n = n.unsigned_abs();
    match lang {
        // 1, 21, 101 (not 11); 2–4, 22–24 (not 12–14); the rest, 0 included.
        Lang::Ru if n % 10 == 1 && n % 100 != 11 => forms.one,
        Lang::Ru if (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100)) => forms.few,
        Lang::Ru => forms.many,
        Lang::En if n == 1 => forms.one,
        Lang::En => forms.many,
    }
}

/// "21 место", "2 seats".
pub fn count(lang: Lang, n: i64, forms: &Plural) -> String {
    format!("{n} {}", form(lang, n, forms))
}

pub fn seats(lang: Lang) -> &'static Plural {
    match lang {
        Lang::Ru => &Plural { one: "место", few: "места", many: "мест" },
        Lang::En => &Plural { one: "seat", few: "seats", many: "seats" },
    }
}

pub fn minutes(lang: Lang) -> &'static Plural {
    match lang {
        Lang::Ru => &Plural { one: "минуту", few: "минуты", many: "минут" },
        Lang::En => &Plural { one: "minute", few: "minutes", many: "minutes" },
    }
}

pub fn hours(lang: Lang) -> &'static Plural {
    match lang {
        Lang::Ru => &Plural { one: "час", few: "часа", many: "часов" },
        Lang::En => &Plural { one: "hour", few: "hours", many: "hours" },
    }
}

/// When an event starts, said `minutes` before it: "завтра", "через 3 часа",
/// "через 1 час 30 минут", "через 15 минут", "через пару минут".
pub fn starts_in(lang: Lang, minutes: i32) -> String {
    let ru = lang == Lang::Ru;
    let m = i64::from(minutes);
    match m {
        1440 => (if ru { "завтра" } else { "tomorrow" }).to_owned(),
        m if m <= 3 => (if ru { "через пару минут" } else { "in a couple of minutes" }).to_owned(),
        m if m >= 60 => {
            let hours = count(lang, m / 60, self::hours(lang));
            let rest = m % 60;
            let within = if rest == 0 { hours } else { format!("{hours} {}", count(lang, rest, self::minutes(lang))) };
            if ru { format!("через {within}") } else { format!("in {within}") }
        }
        m => {
            let within = count(lang, m, self::minutes(lang));
            if ru { format!("через {within}") } else { format!("in {within}") }
        }
    }
}

/// "Встреча №100" / "Meeting #100" for a session, the series' title for a meetup.
pub fn headline(lang: Lang, kind: EventKind, series_title: &str, number: i32) -> String {
    match (kind, lang) {
        (EventKind::Session, Lang::Ru) => format!("Встреча №{number}"),
        (EventKind::Session, Lang::En) => format!("Meeting #{number}"),
        (EventKind::Meetup, _) => series_title.to_owned(),
    }
}

/// The headline with the title, as a sentence names the event:
/// "Ридинг-группа, встреча №100: «Tensor»", "OK Tech Talk #1: “ML in production”".
pub fn named(lang: Lang, kind: EventKind, series_title: &str, number: i32, title: &str) -> String {
    match (kind, lang) {
        (EventKind::Session, Lang::Ru) => format!("{series_title}, встреча №{number}: «{title}»"),
        (EventKind::Session, Lang::En) => format!("{series_title}, meeting #{number}: “{title}”"),
        (EventKind::Meetup, Lang::Ru) => format!("{series_title} #{number}: «{title}»"),
        (EventKind::Meetup, Lang::En) => format!("{series_title} #{number}: “{title}”"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_counts_take_one_few_or_many_and_english_one_or_other() {
        let ru: Vec<String> = [1, 2, 5, 21, 11, 12, 14, 22, 25, 101, 111, 0]
            .iter()
            .map(|n| count(Lang::Ru, *n, seats(Lang::Ru)))
            .collect();
        assert_eq!(
            ru,
            [
                "1 место",
                "2 места",
                "5 мест",
                "21 место",
                "11 мест",
                "12 мест",
                "14 мест",
                "22 места",
                "25 мест",
                "101 место",
                "111 мест",
                "0 мест"
            ]
        );
        let en: Vec<String> = [1, 2, 0, 21].iter().map(|n| count(Lang::En, *n, seats(Lang::En))).collect();
        assert_eq!(en, ["1 seat", "2 seats", "0 seats", "21 seats"]);
    }

    #[test]
    fn starts_in_says_the_time_left_in_words() {
        assert_eq!(starts_in(Lang::Ru, 1440), "завтра");
        assert_eq!(starts_in(Lang::Ru, 2), "через пару минут");
        assert_eq!(starts_in(Lang::Ru, 15), "через 15 минут");
        assert_eq!(starts_in(Lang::Ru, 2 * 60 + 1), "через 2 часа 1 минуту");
        assert_eq!(starts_in(Lang::Ru, 180), "через 3 часа");
        assert_eq!(starts_in(Lang::Ru, 60), "через 1 час");
        assert_eq!(starts_in(Lang::En, 60), "in 1 hour");
        assert_eq!(starts_in(Lang::En, 10), "in 10 minutes");
    }
}
