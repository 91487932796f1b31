//! Series: named, numbered lines of events.

#[cfg(feature = "server")]
pub mod authoring;
