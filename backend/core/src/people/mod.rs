//! People: presenters, speakers and hosts.

#[cfg(feature = "server")]
pub mod repository;
