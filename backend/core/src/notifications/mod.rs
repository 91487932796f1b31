//! Everything the platform promises to send: the outbox (planned with the
//! change that causes it, delivered by workers that can crash at any point),
//! the e-mails' texts, and the SMTP sender.

pub mod email;
pub mod outbox;
pub mod smtp;
pub mod telegram;
