//! The two languages of the product. Russian is the default, like the channel.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ru, Lang::En];

    /// The cookie that remembers a visitor's choice.
    pub const COOKIE: &'static str = "lang";

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// Accepts exactly the codes we serve; anything else is `None` so callers
    /// fall back to the default instead of guessing.
    pub fn parse(raw: &str) -> Option<Lang> {
        match raw.trim() {
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Finds `lang=xx` in a `Cookie` header value.
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == Self::COOKIE)
            .and_then(|(_, value)| Lang::parse(value))
            .unwrap_or_default()
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Ru => Lang::En,
            Lang::En => Lang::Ru,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_cookie_is_found_among_others() {
        assert_eq!(Lang::from_cookie_header("a=1; lang=en; b=2"), Lang::En);
        assert_eq!(Lang::from_cookie_header("lang=ru"), Lang::Ru);
    }

    #[test]
    fn an_unknown_or_missing_language_falls_back_to_russian() {
        assert_eq!(Lang::from_cookie_header("lang=de"), Lang::Ru);
        assert_eq!(Lang::from_cookie_header(""), Lang::Ru);
        assert_eq!(Lang::from_cookie_header("xlang=en"), Lang::Ru);
    }
}
