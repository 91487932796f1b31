//! Check-in at the door: staff scan the QR code or type the short code.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::RegistrationStatus;
use super::tokens::normalise_code;
use crate::error::Result;
use crate::lang::Lang;
use crate::time_format;

pub use crate::views::CheckIn;

/// Checks in the ticket with this code for this event, at most once; an
/// answer that names a time names it in the event's zone, in `lang`.
// The code is a ticket's token: it never goes into a log.
#[tracing::instrument(skip(pool, raw_code))]
pub async fn check_in(pool: &PgPool, event_id: i64, raw_code: &str, lang: Lang, now: DateTime<Utc>) -> Result<CheckIn> {
    let Some(code) = normalise_code(raw_code) else { return Ok(CheckIn::Unknown) };
    let mut tx = pool.begin().await?;
    // A scanned QR code is a whole token (found by its digest); a typed code
    // is the ticket's door code.
    let digest = (code.len() == 64).then(|| crate::secrets::digest(&code));
    let matches = sqlx::query_as::<_, (i64, String, RegistrationStatus, Option<DateTime<Utc>>)>(
        "SELECT id, name, status, checked_in_at FROM registrations
         WHERE event_id = $1
           AND (door_code = $2
                OR id = (SELECT registration_id FROM registration_tokens
                         WHERE digest = $3 AND (expires_at IS NULL OR expires_at > $4)))
         ORDER BY id LIMIT 2 FOR UPDATE",
    )
    .bind(event_id)
    .bind(&code)
    .bind(digest)
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    let outcome = match matches.as_slice() {
        [] => CheckIn::Unknown,
        [_, _] => CheckIn::Ambiguous,
        [(id, name, status, checked_in_at)] => match status {
            RegistrationStatus::CheckedIn => {
                let at = checked_in_at.unwrap_or(now);
                let zone: String = sqlx::query_scalar("SELECT time_zone FROM events WHERE id = $1")
                    .bind(event_id)
                    .fetch_one(&mut *tx)
                    .await?;
                let tz = crate::events::queries::zone(&zone);
                let at_label =
                    format!("{} {}", time_format::clock_label(at, tz), time_format::zone_abbreviation(at, tz, lang));
                CheckIn::AlreadyCheckedIn { name: name.clone(), at, at_label }
            }
            RegistrationStatus::Confirmed => {
                sqlx::query(
                    "UPDATE registrations SET status = 'checked_in', checked_in_at = $2, updated_at = $2 WHERE id = $1",
                )
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                CheckIn::Admitted { name: name.clone() }
            }
            other => CheckIn::NotAdmitted { name: name.clone(), status: *other },
        },
        _ => unreachable!("LIMIT 2"),
    };
    tx.commit().await?;
    tracing::info!(?outcome, "check-in");
    Ok(outcome)
}
