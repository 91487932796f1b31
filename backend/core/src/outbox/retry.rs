//! The one retry policy of every channel: after a failed attempt a message
//! waits 30 s, 1 min, 2 min, ... up to 30 min, less up to a fifth (jitter, so
//! messages that failed together do not all come back in the same second),
//! and is given up on after `MAX_ATTEMPTS`. A provider's own "retry after"
//! (Telegram's 429) is honoured instead and is not counted as an attempt.

use chrono::Duration;

/// After this many attempts a temporarily failing message is given up on.
pub const MAX_ATTEMPTS: i32 = 20;

const FIRST: i64 = 30;
const LONGEST: i64 = 30 * 60;

/// The wait before attempt `attempts + 1` of message `id`, without jitter.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = attempts.clamp(1, 7) - 1;
    Duration::seconds(FIRST * (1 << exponent)).min(Duration::seconds(LONGEST))
}

/// The wait before attempt `attempts + 1` of message `id`: `backoff` less a
/// jitter of up to 20% drawn from the id and the attempt, so it is the same
/// every time it is computed (a test, or a worker that retries the commit).
pub fn wait_before_retry(id: i64, attempts: i32) -> Duration {
    let full = backoff(attempts);
    // SplitMix64's finaliser: a well-spread number from (id, attempts).
    let mut x = (id as u64) ^ ((attempts as u64) << 32) ^ 0x9e37_79b9_7f4a_7c15;
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^= x >> 31;
    let fifth = full.num_milliseconds() / 5;
    full - Duration::milliseconds((x % (fifth as u64 + 1)) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_and_stops_at_thirty_minutes() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(3), Duration::seconds(120));
        assert_eq!(backoff(6), Duration::seconds(960));
        assert_eq!(backoff(7), Duration::minutes(30));
        assert_eq!(backoff(50), Duration::minutes(30));
    }

    #[test]
    fn jitter_takes_at_most_a_fifth_off_and_spreads_messages_that_failed_together() {
        let waits: Vec<Duration> = (1..=200).map(|id| wait_before_retry(id, 1)).collect();
        assert!(waits.iter().all(|w| *w <= Duration::seconds(30) && *w >= Duration::seconds(24)));
        let distinct: std::collections::HashSet<_> = waits.iter().map(|w| w.num_milliseconds()).collect();
        assert!(distinct.len() > 150, "only {} distinct waits for 200 messages", distinct.len());
        assert_eq!(wait_before_retry(7, 3), wait_before_retry(7, 3), "the same for the same attempt");
    }
}
