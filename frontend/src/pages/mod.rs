//! One module per page.

// Each bundle of islands holds one group of pages (`islands`): the
// server has them all.
#[cfg(feature = "organiser")]
pub mod admin;
#[cfg(feature = "demos")]
pub mod demos;
pub mod event;
pub mod home;
#[cfg(feature = "member")]
pub mod me;
pub mod not_found;
pub mod paper;
pub mod person;
pub mod series;
#[cfg(feature = "member")]
pub mod ticket;
