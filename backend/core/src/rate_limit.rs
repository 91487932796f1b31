//! A sliding-window limit per key (a client address), kept in this process.
//! Each server process limits on its own: behind a load balancer with N
//! processes a client gets at most N times the limit, which is still a limit.
//! (Sign-in failures are counted in PostgreSQL instead: there the limit must
//! hold across processes, because it guards passwords.)

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

pub struct RateLimiter {
    max: usize,
    window: Duration,
    hits: Mutex<HashMap<String, VecDeque<DateTime<Utc>>>>,
}

impl RateLimiter {
    /// At most `max` hits per `window` per key; `max = 0` turns the limit off.
    pub fn new(max: usize, window: Duration) -> Self {
        RateLimiter { max, window, hits: Mutex::new(HashMap::new()) }
    }

    /// Counts a hit for `key` at `now` and says whether it is allowed.
    pub fn allow(&self, key: &str, now: DateTime<Utc>) -> bool {
        if self.max == 0 {
            return true;
        }
        let mut hits = self.hits.lock().expect("rate limiter lock");
        let since = now - self.window;
        // Keep memory bounded: now and then forget keys with no recent hits.
        if hits.len() > 10_000 {
            hits.retain(|_, times| times.back().is_some_and(|last| *last > since));
        }
        let times = hits.entry(key.to_owned()).or_default();
        while times.front().is_some_and(|first| *first <= since) {
            times.pop_front();
        }
        if times.len() >= self.max {
            return false;
        }
        times.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_key_gets_its_allowance_per_window_and_others_are_unaffected() {
        let limiter = RateLimiter::new(3, Duration::minutes(10));
        let t0 = Utc.with_ymd_and_hms(2026, 11, 28, 10, 0, 0).unwrap();
        assert!((0..3).all(|i| limiter.allow("1.2.3.4", t0 + Duration::seconds(i))));
        assert!(!limiter.allow("1.2.3.4", t0 + Duration::minutes(1)));
        assert!(limiter.allow("5.6.7.8", t0 + Duration::minutes(1)));
        assert!(limiter.allow("1.2.3.4", t0 + Duration::minutes(10) + Duration::seconds(1)), "the window moved on");
        assert!(RateLimiter::new(0, Duration::minutes(1)).allow("x", t0), "0 turns it off");
    }
}
