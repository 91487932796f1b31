//! Configuration from environment variables, each with a default that works
//! on a developer's machine. No secret has a default.

use std::net::SocketAddr;

use anyhow::{Context, Result};

/// The bot's token: never in logs or debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct BotToken(pub String);

impl std::fmt::Debug for BotToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BotToken(***)")
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// `DATABASE_URL`
    pub database_url: String,
    /// `DATABASE_MAX_CONNECTIONS`
    pub database_max_connections: u32,
    /// `LEPTOS_SITE_ADDR`: where to listen. Port 0 picks a free port (tests).
    pub listen_addr: SocketAddr,
    /// `PUBLIC_BASE_URL`: the address people reach the site at, without a
    /// trailing slash; used in links, calendar UIDs and link previews.
    pub public_base_url: String,
    /// `LEPTOS_SITE_ROOT`: the folder holding `pkg/` (wasm, JS, CSS).
    pub site_root: String,
    /// `SMTP_URL`: where e-mail goes (`smtp://host:port`, `smtps://user:pass@host:465`,
    /// `smtp://user:pass@host:587?tls=required`). Credentials never reach the logs.
    pub smtp_url: String,
    /// `MAIL_FROM`: the sender of every e-mail.
    pub mail_from: String,
    /// `RUN_WORKERS` (default true): deliver the outbox from this process.
    /// Tests turn it off and drive delivery themselves.
    pub run_workers: bool,
    /// `REGISTRATION_RATE_LIMIT`: registrations per client address per 10
    /// minutes (default 30; 0 turns the limit off, e.g. for load tests).
    pub registration_rate_limit: usize,
    /// `DEMO_RATE_LIMIT`: demo runs asked for per client address per 10
    /// minutes (default 20; 0 turns the limit off). Identical requests reuse
    /// a stored result but still count.
    pub demo_rate_limit: usize,
    /// `TRUSTED_PROXIES` (default none): comma-separated addresses or networks
    /// (`127.0.0.1, 10.0.0.0/8, ::1`) of the reverse proxies in front of this
    /// process. Only their `X-Forwarded-For`/`Forwarded` header is believed;
    /// with none, every limit counts the socket's peer.
    pub trusted_proxies: paperclub_core::client_address::TrustedProxies,
    /// `UPLOAD_RETENTION_DAYS` (30) and `NOTIFICATION_RETENTION_DAYS` (90):
    /// how long uploads and ended notifications are kept (see `retention`).
    pub retention: paperclub_core::retention::Policy,
    /// `TELEGRAM_BOT_TOKEN`: the bot's token. Without it nothing is posted to
    /// Telegram (the run command starts the fake Bot API and sets one).
    pub telegram_bot_token: Option<BotToken>,
    /// `TELEGRAM_API_URL` (default `https://api.telegram.org`): where the Bot
    /// API answers; the fake's address in tests and local runs.
    pub telegram_api_url: String,
    /// `TELEGRAM_BOT_USERNAME` (default `paperclub_bot`, the fake's): for
    /// t.me deep links on the site.
    pub telegram_bot_username: String,
    /// `TELEGRAM_WEBHOOK_URL`: receive updates at this public address
    /// (`https://<site>/telegram/webhook`) instead of long polling.
    pub telegram_webhook_url: Option<String>,
    /// `TELEGRAM_WEBHOOK_SECRET`: what Telegram must present with each update
    /// (required with a webhook).
    pub telegram_webhook_secret: Option<BotToken>,
    /// `PAPERCLUB_TEST_CONTROLS=1`: a clock that browser tests can move
    /// forward through `POST /test/clock`. Never in production.
    pub test_controls: bool,
}

pub const DEFAULT_SMTP_URL: &str = "smtp://127.0.0.1:1025";
pub const DEFAULT_TELEGRAM_API_URL: &str = "https://api.telegram.org";

pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/paperclub";
pub const DEFAULT_LISTEN_ADDR: &str = "127.0.0.1:3000";

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.trim().is_empty())
}

impl Settings {
    pub fn from_env() -> Result<Settings> {
        let listen_addr: SocketAddr = var("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| DEFAULT_LISTEN_ADDR.to_owned())
            .parse()
            .context("LEPTOS_SITE_ADDR must be an address like 127.0.0.1:3000")?;
        let database_max_connections = match var("DATABASE_MAX_CONNECTIONS") {
            Some(raw) => raw.parse().context("DATABASE_MAX_CONNECTIONS must be a whole number")?,
            None => 16,
        };
        let public_base_url =
            var("PUBLIC_BASE_URL").unwrap_or_else(|| format!("http://{listen_addr}")).trim_end_matches('/').to_owned();
        anyhow::ensure!(
            public_base_url.starts_with("http://") || public_base_url.starts_with("https://"),
            "PUBLIC_BASE_URL must start with http:// or https://"
        );
        Ok(Settings {
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            database_max_connections,
            listen_addr,
            public_base_url,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned()),
            smtp_url: var("SMTP_URL").unwrap_or_else(|| DEFAULT_SMTP_URL.to_owned()),
            mail_from: var("MAIL_FROM").unwrap_or_else(|| "paperclub <noreply@paperclub.local>".to_owned()),
            run_workers: var("RUN_WORKERS").is_none_or(|value| value != "false" && value != "0"),
            registration_rate_limit: match var("REGISTRATION_RATE_LIMIT") {
                Some(raw) => raw.parse().context("REGISTRATION_RATE_LIMIT must be a whole number")?,
                None => 30,
            },
            demo_rate_limit: match var("DEMO_RATE_LIMIT") {
                Some(raw) => raw.parse().context("DEMO_RATE_LIMIT must be a whole number")?,
                None => 20,
            },
            trusted_proxies: match var("TRUSTED_PROXIES") {
                Some(raw) => raw.parse().map_err(anyhow::Error::msg).context("TRUSTED_PROXIES")?,
                None => Default::default(),
            },
            retention: paperclub_core::retention::Policy {
                uploads_for: chrono::Duration::days(match var("UPLOAD_RETENTION_DAYS") {
                    Some(raw) => raw.parse().context("UPLOAD_RETENTION_DAYS must be a whole number")?,
                    None => 30,
                }),
                notifications_for: chrono::Duration::days(match var("NOTIFICATION_RETENTION_DAYS") {
                    Some(raw) => raw.parse().context("NOTIFICATION_RETENTION_DAYS must be a whole number")?,
                    None => 90,
                }),
            },
            telegram_bot_token: var("TELEGRAM_BOT_TOKEN").map(BotToken),
            telegram_api_url: var("TELEGRAM_API_URL").unwrap_or_else(|| DEFAULT_TELEGRAM_API_URL.to_owned()),
            telegram_bot_username: var("TELEGRAM_BOT_USERNAME")
                .map(|name| name.trim_start_matches('@').to_owned())
                .unwrap_or_else(|| "paperclub_bot".to_owned()),
            telegram_webhook_url: var("TELEGRAM_WEBHOOK_URL"),
            telegram_webhook_secret: var("TELEGRAM_WEBHOOK_SECRET").map(BotToken),
            test_controls: matches!(var("PAPERCLUB_TEST_CONTROLS").as_deref(), Some("1" | "true")),
        })
    }

    /// The Bot API client for these settings (Telegram, or the fake); none without a token.
    pub fn telegram_bot(&self) -> anyhow::Result<Option<teloxide::Bot>> {
        let Some(token) = &self.telegram_bot_token else { return Ok(None) };
        let url =
            self.telegram_api_url.parse().map_err(|error| anyhow::anyhow!("TELEGRAM_API_URL is not a URL: {error}"))?;
        Ok(Some(teloxide::Bot::new(token.0.clone()).set_api_url(url)))
    }

    /// Cookies get `Secure` when the public address is https.
    pub fn secure_cookies(&self) -> bool {
        self.public_base_url.starts_with("https://")
    }

    /// The database URL with any password masked, for logs.
    pub fn database_url_for_logs(&self) -> String {
        match (self.database_url.find("://"), self.database_url.rfind('@')) {
            (Some(scheme), Some(at)) if at > scheme => {
                let credentials = &self.database_url[scheme + 3..at];
                match credentials.split_once(':') {
                    Some((user, _)) => {
                        format!("{}{user}:***{}", &self.database_url[..scheme + 3], &self.database_url[at..])
                    }
                    None => self.database_url.clone(),
                }
            }
            _ => self.database_url.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_the_logs() {
        let settings = Settings {
            database_url: "postgres://app:s3cret@db:5432/paperclub".into(),
            database_max_connections: 1,
            listen_addr: DEFAULT_LISTEN_ADDR.parse().unwrap(),
            public_base_url: "https://paperclub.example".into(),
            site_root: "site".into(),
            smtp_url: DEFAULT_SMTP_URL.into(),
            mail_from: "paperclub <noreply@paperclub.local>".into(),
            run_workers: false,
            registration_rate_limit: 30,
            demo_rate_limit: 20,
            trusted_proxies: Default::default(),
            retention: Default::default(),
            telegram_bot_token: Some(BotToken("1:secret".into())),
            telegram_api_url: DEFAULT_TELEGRAM_API_URL.into(),
            telegram_bot_username: "paperclub_bot".into(),
            telegram_webhook_url: None,
            telegram_webhook_secret: None,
            test_controls: false,
        };
        assert_eq!(settings.database_url_for_logs(), "postgres://app:***@db:5432/paperclub");
        assert!(settings.secure_cookies());
        assert!(!format!("{settings:?}").contains("1:secret"), "the bot token stays out of debug output");
    }
}
