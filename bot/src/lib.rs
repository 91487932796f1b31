//! The Telegram side of paperclub: the channel's posts rendered and sent
//! through the durable outbox (`publisher`), the texts (`posts`, `html`),
//! and a strict fake of the Bot API (`fake`) that tests and local runs use
//! instead of Telegram.

pub mod chat;
pub mod fake;
pub mod html;
pub mod posts;
pub mod publisher;
pub mod rights;
pub mod throttle;
