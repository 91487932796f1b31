//! The fake Telegram Bot API as a process, for local runs without a token:
//!
//!     fake-telegram [--port 8081] [--token 123:local]
//!
//! The platform is pointed at it with TELEGRAM_API_URL=http://127.0.0.1:8081
//! and TELEGRAM_BOT_TOKEN=123:local; http://127.0.0.1:8081/ shows the posts.

use paperclub_bot::fake::{Config, Fake};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut port = 8081u16;
    let mut token = "123456:local-fake-token".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => port = args.next().and_then(|p| p.parse().ok()).unwrap_or(port),
            "--token" => token = args.next().unwrap_or(token),
            other => anyhow::bail!("unknown argument {other}; use --port N and --token T"),
        }
    }
    let fake = Fake::new(Config::local(&token));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("fake Telegram Bot API on http://127.0.0.1:{port} (token {token})");
    axum::serve(listener, fake.router()).await?;
    Ok(())
}
