//! The core's error: what went wrong, in the domain's words. The web edge maps
//! it to a status and a message in one place (`paperclub-server`'s `web::error`).

use crate::forms::{FieldErrors, Problem};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not found")]
    NotFound,
    #[error("the input has problems: {0:?}")]
    Invalid(FieldErrors),
    #[error("sign in first")]
    Unauthenticated,
    #[error("this needs an organiser account")]
    Forbidden,
    #[error(transparent)]
    Database(sqlx::Error),
}

impl Error {
    pub fn invalid(field: &str, problem: Problem) -> Self {
        Error::Invalid(FieldErrors::single(field, problem))
    }
}

/// Constraint names the database may report, and the form field and problem
/// each one means for the person who submitted the form. A violation of any
/// of these is the user's to fix, never a 500.
const CONSTRAINTS: &[(&str, &str, Problem)] = &[
    ("events_number_unique_in_series", "number", Problem::NumberTaken),
    ("events_end_after_start", "ends_time", Problem::EndNotAfterStart),
    ("series_slug_unique", "slug", Problem::SlugTaken),
    ("events_series_id_fkey", "series_id", Problem::UnknownSeries),
    ("time_zone_id_known", "time_zone", Problem::UnknownTimeZone),
    ("programme_items_end_after_start", "programme", Problem::EndNotAfterStart),
    ("events_deadline_before_end", "registration_deadline", Problem::DeadlineAfterEnd),
    ("events_seats_within_capacity", "capacity", Problem::CapacityBelowSeatsTaken),
];

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        if let sqlx::Error::RowNotFound = error {
            return Error::NotFound;
        }
        let known = error
            .as_database_error()
            .and_then(|db| db.constraint())
            .and_then(|name| CONSTRAINTS.iter().find(|(constraint, ..)| *constraint == name));
        match known {
            Some((_, field, problem)) => Error::invalid(field, problem.clone()),
            None => Error::Database(error),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
