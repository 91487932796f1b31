//! Links that open the bot with something to do: `t.me/<bot>?start=<parameter>`.
//! Telegram hands the parameter to the bot (as `/start <parameter>`) only
//! when it is 1 to 64 characters of `A-Z`, `a-z`, `0-9`, `_` and `-`;
//! anything else opens the bot without it, and the link silently does
//! nothing. Every deep link the platform builds is a [`DeepLink`], so one
//! place decides what they look like and a test holds them to the rule.

use crate::accounts::telegram_link::LinkToken;

/// What a deep link asks the bot to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeepLink {
    /// Show an event with its "register" button.
    Event(i64),
    /// Link the Telegram account to the site account that made the token.
    LinkAccount(LinkToken),
}

const EVENT_PREFIX: &str = "event_";
const LINK_PREFIX: &str = "link_";

impl DeepLink {
    /// The start parameter the bot receives.
    pub fn start_parameter(&self) -> String {
        match self {
            DeepLink::Event(id) => format!("{EVENT_PREFIX}{id}"),
            DeepLink::LinkAccount(token) => format!("{LINK_PREFIX}{}", token.as_str()),
        }
    }

    /// The link to show people: opens the bot in any Telegram client.
    pub fn url(&self, bot_username: &str) -> String {
        format!("https://t.me/{bot_username}?start={}", self.start_parameter())
    }

    /// What a `/start` parameter asks for; `None` for anything else (then the
    /// bot greets and helps).
    pub fn parse(parameter: &str) -> Option<DeepLink> {
        if let Some(id) = parameter.strip_prefix(EVENT_PREFIX) {
            return id.parse().ok().map(DeepLink::Event);
        }
        parameter.strip_prefix(LINK_PREFIX).and_then(LinkToken::parse).map(DeepLink::LinkAccount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_deep_link_reads_back_as_what_it_asks_for() {
        let token = LinkToken::generate();
        for link in [DeepLink::Event(1), DeepLink::Event(i64::MAX), DeepLink::LinkAccount(token)] {
            assert_eq!(DeepLink::parse(&link.start_parameter()), Some(link.clone()));
            assert!(link.url("paperclub_bot").starts_with("https://t.me/paperclub_bot?start="));
        }
        assert_eq!(DeepLink::parse("event_x"), None);
        assert_eq!(DeepLink::parse("link_short"), None);
        assert_eq!(DeepLink::parse(""), None);
    }
}
