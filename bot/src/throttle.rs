//! Telegram's rates, kept on our side so that posts are not refused: about
//! 30 messages a second overall and 20 a minute in one channel. Edits and
//! pins count like messages. A 429 from Telegram holds everything until its
//! `retry_after` has passed (teloxide's own throttle covers neither edits
//! nor pins, nor survives a restart; this one is fed the outbox's clock).

use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, Duration, Utc};

pub const PER_CHAT: usize = 20;
/// A minute, and a little more: our instants are taken before sending, Telegram's
/// on arrival, and a faster request must not land inside the window.
pub const PER_CHAT_WINDOW: Duration = Duration::milliseconds(60_100);
pub const OVERALL: usize = 30;
pub const OVERALL_WINDOW: Duration = Duration::milliseconds(1_010);

#[derive(Debug, Default)]
pub struct Throttle {
    per_chat: HashMap<String, VecDeque<DateTime<Utc>>>,
    overall: VecDeque<DateTime<Utc>>,
    /// Telegram said "retry after": nothing goes out before this.
    held_until: Option<DateTime<Utc>>,
}

impl Throttle {
    /// When a message to `chat` may go out: `now`, or the first instant the limits allow.
    pub fn next_slot(&mut self, chat: &str, now: DateTime<Utc>) -> DateTime<Utc> {
        let mut at = now;
        if let Some(until) = self.held_until {
            at = at.max(until);
        }
        while self.overall.front().is_some_and(|t| *t + OVERALL_WINDOW <= now) {
            self.overall.pop_front();
        }
        if self.overall.len() >= OVERALL {
            at = at.max(self.overall[self.overall.len() - OVERALL] + OVERALL_WINDOW);
        }
        if let Some(sent) = self.per_chat.get_mut(chat) {
            while sent.front().is_some_and(|t| *t + PER_CHAT_WINDOW <= now) {
                sent.pop_front();
            }
            if sent.len() >= PER_CHAT {
                at = at.max(sent[sent.len() - PER_CHAT] + PER_CHAT_WINDOW);
            }
        }
        at
    }

    /// A message went to `chat` at `at`.
    pub fn record(&mut self, chat: &str, at: DateTime<Utc>) {
        self.overall.push_back(at);
        self.per_chat.entry(chat.to_owned()).or_default().push_back(at);
    }

    /// Telegram answered 429: hold everything for `seconds`.
    pub fn hold(&mut self, now: DateTime<Utc>, seconds: u32) {
        self.hold_until(now + Duration::seconds(i64::from(seconds)));
    }

    /// Hold everything until `until` (or longer, if already held longer).
    pub fn hold_until(&mut self, until: DateTime<Utc>) {
        self.held_until = Some(self.held_until.map_or(until, |held| held.max(until)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn twenty_a_minute_per_chat_thirty_a_second_overall_and_holds() {
        let t0 = Utc.with_ymd_and_hms(2026, 11, 28, 10, 0, 0).unwrap();
        let mut throttle = Throttle::default();
        for k in 0..20 {
            let at = t0 + Duration::milliseconds(100 * k);
            assert_eq!(throttle.next_slot("@a", at), at);
            throttle.record("@a", at);
        }
        // The 21st waits until the first of the twenty is a minute (and a margin) old.
        assert_eq!(throttle.next_slot("@a", t0 + Duration::seconds(5)), t0 + PER_CHAT_WINDOW);
        // Another chat is free, up to 30 a second overall.
        let busy = t0 + Duration::seconds(10);
        for _ in 0..30 {
            assert_eq!(throttle.next_slot("@b", busy), busy);
            throttle.record(&format!("@c{}", throttle.overall.len()), busy);
        }
        assert_eq!(throttle.next_slot("@b", busy), busy + OVERALL_WINDOW);
        throttle.hold(busy, 7);
        assert_eq!(throttle.next_slot("@b", busy + Duration::seconds(2)), busy + Duration::seconds(7));
    }
}
