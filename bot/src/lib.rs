//! paperclub's Telegram side (issue 4): the channel publisher driven by the
//! outbox (`notifications` rows with `channel = 'telegram'`), the private-chat
//! handler tree, Telegram text rendering within Telegram's limits, and a strict
//! fake Bot API server for tests and local runs.
//!
//! Nothing here yet: the crate exists so the workspace has its place and its
//! dependency on `paperclub-core` compiles from the start.
