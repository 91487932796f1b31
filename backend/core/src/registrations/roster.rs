//! The organiser's view of an event's registrations: the list in order,
//! the actions on one registration, and the CSV export.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use super::{RegistrationStatus, lock_event, promote_head};
use crate::error::{Error, Result};
use crate::outbox::Kind;
use crate::outbox::plan::{self, Planned};
use crate::reminders;

pub use crate::views::RosterEntry;

/// Every registration of the event: confirmed and checked in first, then the
/// waitlist in order, then pending, then cancelled and declined.
pub async fn list(pool: &PgPool, event_id: i64) -> Result<Vec<RosterEntry>> {
    Ok(sqlx::query_as::<_, RosterEntry>(
        "SELECT id, name, email, answers, status,
                CASE WHEN status = 'waitlisted'
                     THEN row_number() OVER (PARTITION BY status = 'waitlisted' ORDER BY waitlist_order) END AS waitlist_position,
                source, created_at, checked_in_at
         FROM registrations WHERE event_id = $1
         ORDER BY CASE status WHEN 'checked_in' THEN 0 WHEN 'confirmed' THEN 0 WHEN 'waitlisted' THEN 1
                              WHEN 'pending' THEN 2 ELSE 3 END,
                  waitlist_order, created_at, id",
    )
    .bind(event_id)
    .fetch_all(pool)
    .await?)
}

/// What an organiser can do to one registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RosterAction {
    /// pending -> confirmed (or waitlisted when full)
    Approve,
    /// pending -> declined
    Decline,
    /// waitlisted -> confirmed, when a seat is free
    Promote,
    /// any live registration -> cancelled; a freed seat goes to the waitlist's head
    Cancel,
}

impl RosterAction {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "approve" => Some(RosterAction::Approve),
            "decline" => Some(RosterAction::Decline),
            "promote" => Some(RosterAction::Promote),
            "cancel" => Some(RosterAction::Cancel),
            _ => None,
        }
    }
}

/// Why an organiser's action on a registration was not applied.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error("no seat is free")]
    NoSeatFree,
    /// The registration changed since the organiser saw it: what it is now.
    #[error("the action does not fit the registration's current status ({now:?})")]
    DoesNotFit { now: RegistrationStatus },
    #[error("no such registration")]
    NotFound,
    #[error(transparent)]
    Other(#[from] Error),
}

impl From<sqlx::Error> for RosterError {
    fn from(error: sqlx::Error) -> Self {
        RosterError::Other(error.into())
    }
}

/// Applies an organiser's action, under the event's lock like every change,
/// and plans the e-mail that tells the person.
#[tracing::instrument(skip(pool))]
pub async fn act(
    pool: &PgPool,
    registration_id: i64,
    action: RosterAction,
    now: DateTime<Utc>,
) -> Result<RegistrationStatus, RosterError> {
    let event_id = sqlx::query_scalar::<_, i64>("SELECT event_id FROM registrations WHERE id = $1")
        .bind(registration_id)
        .fetch_optional(pool)
        .await?
        .ok_or(RosterError::NotFound)?;
    let mut tx = pool.begin().await?;
    let event = lock_event(&mut tx, event_id).await?;
    let (email, status) = sqlx::query_as::<_, (String, RegistrationStatus)>(
        "SELECT email, status FROM registrations WHERE id = $1 FOR UPDATE",
    )
    .bind(registration_id)
    .fetch_one(&mut *tx)
    .await?;
    let (new_status, kind) = match (action, status) {
        (RosterAction::Approve, RegistrationStatus::Pending) if event.has_free_seat() => {
            (RegistrationStatus::Confirmed, Kind::RegistrationConfirmed)
        }
        (RosterAction::Approve, RegistrationStatus::Pending) => {
            (RegistrationStatus::Waitlisted, Kind::RegistrationWaitlisted)
        }
        (RosterAction::Decline, RegistrationStatus::Pending) => {
            (RegistrationStatus::Declined, Kind::RegistrationDeclined)
        }
        (RosterAction::Promote, RegistrationStatus::Waitlisted) if event.has_free_seat() => {
            (RegistrationStatus::Confirmed, Kind::RegistrationPromoted)
        }
        (RosterAction::Promote, RegistrationStatus::Waitlisted) => {
            return Err(RosterError::NoSeatFree);
        }
        (
            RosterAction::Cancel,
            RegistrationStatus::Confirmed
            | RegistrationStatus::Waitlisted
            | RegistrationStatus::Pending
            | RegistrationStatus::CheckedIn,
        ) => (RegistrationStatus::Cancelled, Kind::RegistrationCancelled),
        (_, now) => return Err(RosterError::DoesNotFit { now }),
    };
    sqlx::query(
        "UPDATE registrations SET status = $2, updated_at = $3,
             cancelled_at = CASE WHEN $2 = 'cancelled'::registration_status THEN $3 END,
             waitlist_order = CASE WHEN $2 = 'waitlisted'::registration_status
                                   THEN nextval('registrations_waitlist_order') END
         WHERE id = $1",
    )
    .bind(registration_id)
    .bind(new_status)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    plan::plan(&mut tx, &Planned::about_registration(kind, event_id, registration_id, &email, now)).await?;
    if new_status.holds_seat() {
        reminders::plan_for_registration(&mut tx, event_id, registration_id, &email, event.starts_at, now).await?;
    } else {
        reminders::withdraw_for_registration(&mut tx, registration_id).await?;
    }
    if new_status == RegistrationStatus::Cancelled && status.holds_seat() {
        promote_head(&mut tx, event_id, now).await?;
    }
    tx.commit().await?;
    Ok(new_status)
}

/// One CSV cell: quoted when needed, and a leading `=`, `+`, `-`, `@`, tab or
/// carriage return defused (OWASP's list) so a spreadsheet does not run it as
/// a formula.
fn cell(value: &str) -> String {
    let value =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

/// The registrations as CSV, for spreadsheets and badge printers: one column
/// per extra question (the event's current ones first, then any older labels
/// people answered). It starts with a UTF-8 byte order mark: without it Excel
/// reads the file in the machine's legacy code page and Cyrillic names turn to
/// mojibake.
pub fn to_csv(entries: &[RosterEntry], questions: &[super::questions::Question]) -> String {
    let mut labels: Vec<String> = questions.iter().map(|q| q.label.clone()).collect();
    for entry in entries {
        if let Some(answers) = entry.answers.as_object() {
            for label in answers.keys() {
                if !labels.contains(label) {
                    labels.push(label.clone());
                }
            }
        }
    }
    let mut out = String::from("\u{feff}name,email,status,waitlist_position,source,registered_at,checked_in_at");
    for label in &labels {
        out.push(',');
        out.push_str(&cell(label));
    }
    out.push_str("\r\n");
    for entry in entries {
        let status =
            serde_json::to_value(entry.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        let row = [
            cell(&entry.name),
            cell(&entry.email),
            status,
            entry.waitlist_position.map(|p| p.to_string()).unwrap_or_default(),
            entry.source.code().to_owned(),
            entry.created_at.to_rfc3339(),
            entry.checked_in_at.map(|at| at.to_rfc3339()).unwrap_or_default(),
        ];
        out.push_str(&row.join(","));
        for label in &labels {
            let answer = match entry.answers.get(label) {
                Some(serde_json::Value::String(text)) => text.clone(),
                Some(serde_json::Value::Bool(checked)) => if *checked { "yes" } else { "no" }.to_owned(),
                Some(other) => other.to_string(),
                None => String::new(),
            };
            out.push(',');
            out.push_str(&cell(&answer));
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("Ana"), "Ana");
        assert_eq!(cell("Petrova, Ana"), "\"Petrova, Ana\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("@cmd"), "'@cmd");
        assert_eq!(cell("\t=cmd"), "'\t=cmd", "a leading tab is defused too");
        assert_eq!(cell("\r=cmd"), "\"'\r=cmd\"", "and a leading carriage return");
    }

    #[test]
    fn the_csv_starts_with_a_byte_order_mark_so_spreadsheets_read_it_as_utf8() {
        assert!(to_csv(&[], &[]).starts_with("\u{feff}name,email,"));
    }
}
