//! Visitors' own data sets: an uploaded `user,item,timestamp` CSV, checked
//! once on the way in and kept once per content.

use chrono::{DateTime, Utc};
use paperclub_demos::sequences::Sequences;
use sqlx::PgPool;

use super::sequences::{UPLOAD_LIMITS, UPLOAD_MAX_BYTES, upload_problem};
use crate::error::{Error, Result};
use crate::forms::Problem;

/// The form field an upload arrives in (and its problems are reported on).
pub const FIELD: &str = "data";

/// Checks an uploaded file and stores it; the same content twice is the
/// same data set. Problems name the line and what is wrong there.
#[tracing::instrument(skip(pool, bytes), fields(bytes = bytes.len()))]
pub async fn store(pool: &PgPool, bytes: &[u8], now: DateTime<Utc>) -> Result<i64> {
    if bytes.len() > UPLOAD_MAX_BYTES {
        return Err(Error::invalid(FIELD, Problem::FileTooLarge { max_mib: UPLOAD_MAX_BYTES >> 20 }));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::invalid(FIELD, Problem::Required));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::invalid(
            FIELD,
            Problem::Line { line: line_of(bytes, e.valid_up_to()), problem: Box::new(Problem::CsvColumns) },
        )
    })?;
    // Parsing tens of megabytes takes a while: off the async threads, which
    // serve every other visitor meanwhile.
    let owned = text.to_owned();
    let parsed = tokio::task::spawn_blocking(move || Sequences::from_csv(&owned, UPLOAD_LIMITS)).await;
    let data = parsed
        .unwrap_or_else(|failed| std::panic::resume_unwind(failed.into_panic()))
        .map_err(|e| Error::invalid(FIELD, upload_problem(e)))?;
    // ON CONFLICT ... DO UPDATE (a no-op) so that RETURNING gives the existing row's id too.
    Ok(sqlx::query_scalar::<_, i64>(
        "INSERT INTO demo_datasets (sha256, csv, users, items, interactions, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT ON CONSTRAINT demo_datasets_one_per_content DO UPDATE SET sha256 = EXCLUDED.sha256
         RETURNING id",
    )
    .bind(crate::secrets::digest_bytes(bytes))
    .bind(text)
    .bind(data.users.len() as i32)
    .bind(data.items as i32)
    .bind(data.interactions() as i32)
    .bind(now)
    .fetch_one(pool)
    .await?)
}

/// The 1-based line holding byte `offset`.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset].iter().filter(|b| **b == b'\n').count() + 1
}

pub async fn csv(pool: &PgPool, id: i64) -> Result<String> {
    sqlx::query_scalar::<_, String>("SELECT csv FROM demo_datasets WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::NotFound)
}
