//! One module per page.

pub mod admin;
pub mod demos;
pub mod event;
pub mod home;
pub mod me;
pub mod not_found;
pub mod paper;
pub mod person;
pub mod series;
pub mod ticket;
