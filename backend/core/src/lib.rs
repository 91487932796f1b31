//! paperclub's domain.
//!
//! Without the `server` feature this crate is only the shared vocabulary the
//! browser bundle needs too: the enums of the domain, the language, and the
//! read models ("views") that pages render. With `server` it adds the parsing
//! of outside input into domain types, the PostgreSQL repositories and the
//! services (seeding, calendar files, organiser accounts).

#[macro_use]
mod db_enum;

pub mod cookies;
pub mod forms;
pub mod lang;
pub mod outbox;
pub mod views;
pub mod words;

pub mod events;
pub mod papers;
pub mod people;
pub mod series;

#[cfg(feature = "server")]
pub mod accounts;
#[cfg(feature = "server")]
pub mod calendar;
#[cfg(feature = "server")]
pub mod channel_posts;
#[cfg(feature = "server")]
pub mod client_address;
#[cfg(feature = "server")]
pub mod clock;
#[cfg(feature = "server")]
pub mod db;
#[cfg(feature = "server")]
pub mod deep_links;
#[cfg(feature = "server")]
pub mod demo_runs;
#[cfg(feature = "server")]
pub mod email;
#[cfg(feature = "server")]
pub mod error;
#[cfg(feature = "server")]
pub mod feeds;
#[cfg(feature = "server")]
pub mod markdown;
#[cfg(feature = "server")]
pub mod rate_limit;
#[cfg(feature = "server")]
pub mod registrations;
#[cfg(feature = "server")]
pub mod reminders;
#[cfg(feature = "server")]
pub mod retention;
#[cfg(feature = "server")]
pub mod secrets;
#[cfg(feature = "server")]
pub mod seed;
pub mod site_paths;
#[cfg(feature = "server")]
pub mod time_format;
#[cfg(feature = "server")]
pub mod values;

#[cfg(feature = "server")]
pub use error::Error;
