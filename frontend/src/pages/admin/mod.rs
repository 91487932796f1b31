//! The organiser's pages. Every server function behind them checks the
//! session; these pages only render what they are given.

pub mod dashboard;
pub mod door;
pub mod event_editor;
pub mod notifications;
pub mod roster;
pub mod series_editor;
pub mod sign_in;
