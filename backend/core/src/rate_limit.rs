//! A sliding-window limit per key (a client address), counted in PostgreSQL
//! so that several server processes behind one proxy enforce one limit: a
//! visitor gets the limit, not N times it.
//!
//! A hit is written first and counted after, so hits arriving at once see
//! each other; a hit over the limit takes its own row back (refusals do not
//! push the window forward). The cleanup job forgets hits older than a day.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

use crate::error::Result;

pub struct RateLimiter {
    /// Which limit (`registration`, `demo`): keys are counted per limit.
    name: &'static str,
    max: usize,
    window: Duration,
}

impl RateLimiter {
    /// At most `max` hits per `window` per key; `max = 0` turns the limit off.
    pub fn new(name: &'static str, max: usize, window: Duration) -> Self {
        RateLimiter { name, max, window }
    }

    /// Counts a hit for `key` at `now` and says whether it is allowed.
    pub async fn allow(&self, pool: &PgPool, key: &str, now: DateTime<Utc>) -> Result<bool> {
        if self.max == 0 {
            return Ok(true);
        }
        let hit: i64 =
            sqlx::query_scalar("INSERT INTO rate_limit_hits (limit_name, key, at) VALUES ($1, $2, $3) RETURNING id")
                .bind(self.name)
                .bind(key)
                .bind(now)
                .fetch_one(pool)
                .await?;
        let hits: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM rate_limit_hits WHERE limit_name = $1 AND key = $2 AND at > $3 AND at <= $4",
        )
        .bind(self.name)
        .bind(key)
        .bind(now - self.window)
        .bind(now)
        .fetch_one(pool)
        .await?;
        if hits as usize > self.max {
            sqlx::query("DELETE FROM rate_limit_hits WHERE id = $1").bind(hit).execute(pool).await?;
            return Ok(false);
        }
        Ok(true)
    }
}
