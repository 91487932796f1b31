//! The Telegram side of paperclub: the `telegram` channel of the outbox
//! (`channel_delivery`, within Telegram's rates, `throttle`), the private
//! chat (`chat`), the bot's rights in its channels (`rights`), and a strict
//! fake of the Bot API (`fake`) that tests and local runs use instead of
//! Telegram. The posts' words and planning live in
//! `paperclub_core::channel_posts`, so the site can preview them.

pub mod channel_delivery;
pub mod chat;
pub mod fake;
pub mod rights;
pub mod throttle;
