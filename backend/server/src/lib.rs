//! The paperclub server: configuration, the HTTP application and its
//! background duties. `main.rs` is only the command line around it.

pub mod assets;
pub mod config;
pub mod demo_worker;
pub mod startup;
pub mod telemetry;
pub mod web;

pub use config::Settings;
pub use startup::Application;
