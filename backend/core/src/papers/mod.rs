//! Papers discussed at sessions.

#[cfg(feature = "server")]
pub mod bibtex;
#[cfg(feature = "server")]
pub mod repository;
