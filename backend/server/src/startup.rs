//! Building and running the application: pool, migrations, router, listener.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use anyhow::{Context, Result};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use paperclub_core::clock::Clock;
use paperclub_frontend::app::{App, shell};
use paperclub_frontend::server::ServerContext;
use sqlx::PgPool;
use tokio::net::TcpListener;

use crate::config::Settings;
use crate::demo_worker;
use crate::web::{self, AppState};
use paperclub_core::email::smtp::SmtpMailer;
use paperclub_core::email::{EmailDeliverer, Site};
use paperclub_core::outbox::delivery::Deliverer;

pub struct Application {
    port: u16,
    listener: TcpListener,
    router: Router,
    pub pool: PgPool,
    clock: Arc<dyn Clock>,
    settings: Settings,
}

impl Application {
    /// Connects, migrates and binds. The server does not accept requests
    /// until [`Application::run_until_stopped`].
    pub async fn build(settings: &Settings, clock: Arc<dyn Clock>) -> Result<Application> {
        Self::build_inner(settings, clock, None).await
    }

    /// The application on a clock that `POST /test/clock` moves forward
    /// (browser tests of reminders). Only with `PAPERCLUB_TEST_CONTROLS=1`.
    pub async fn build_with_test_clock(
        settings: &Settings,
        clock: paperclub_core::clock::OffsetClock,
    ) -> Result<Application> {
        Self::build_inner(settings, Arc::new(clock.clone()), Some(clock)).await
    }

    async fn build_inner(
        settings: &Settings,
        clock: Arc<dyn Clock>,
        test_clock: Option<paperclub_core::clock::OffsetClock>,
    ) -> Result<Application> {
        paperclub_core::db::ensure_database(&settings.database_url)
            .await
            .with_context(|| format!("cannot reach PostgreSQL at {}", settings.database_url_for_logs()))?;
        let pool = paperclub_core::db::connect(&settings.database_url, settings.database_max_connections)
            .await
            .with_context(|| format!("cannot connect to PostgreSQL at {}", settings.database_url_for_logs()))?;
        paperclub_core::db::migrate(&pool).await.context("cannot apply the database migrations")?;
        let listener = TcpListener::bind(settings.listen_addr)
            .await
            .with_context(|| format!("cannot listen on {}", settings.listen_addr))?;
        let port = listener.local_addr()?.port();
        let test_controls = test_clock.map(|clock| crate::web::test_controls::routes(clock, pool.clone()));
        let mut webhook = None;
        if let (Some(bot), Some(_)) = (settings.telegram_bot()?, &settings.telegram_webhook_url) {
            let secret = settings
                .telegram_webhook_secret
                .clone()
                .context("TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL")?
                .0;
            let me = teloxide::prelude::Requester::get_me(&bot).await.context("cannot reach the Telegram Bot API")?;
            let cx = Arc::new(paperclub_bot::chat::ChatContext {
                pool: pool.clone(),
                clock: clock.clone(),
                base_url: settings.public_base_url.clone(),
            });
            webhook = Some(crate::web::telegram_webhook::routes(crate::web::telegram_webhook::Webhook {
                bot,
                me,
                cx,
                secret,
            }));
        }
        let router = router(settings, pool.clone(), clock.clone(), test_controls, webhook);
        // Fail at start, not at the first e-mail, when the SMTP settings are unusable.
        SmtpMailer::new(&settings.smtp_url, &settings.mail_from).map_err(anyhow::Error::msg)?;
        Ok(Application { port, listener, router, pool, clock, settings: settings.clone() })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves (and, unless turned off, delivers the outbox and runs queued
    /// demos) until Ctrl-C or SIGTERM, then finishes the requests and the
    /// delivery batch in flight.
    pub async fn run_until_stopped(self) -> Result<()> {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let worker = if self.settings.run_workers {
            let mailer =
                SmtpMailer::new(&self.settings.smtp_url, &self.settings.mail_from).map_err(anyhow::Error::msg)?;
            let site = Site { base_url: self.settings.public_base_url.clone() };
            let mut deliverers: Vec<Arc<dyn Deliverer>> =
                vec![Arc::new(EmailDeliverer::new(self.pool.clone(), site, mailer))];
            // Demos run in their own process: one that runs out of memory
            // takes only itself down (see demo_worker).
            let demos = if std::env::var("DEMO_WORKER").is_ok_and(|value| value == "external") {
                tracing::info!("DEMO_WORKER=external: demo runs wait for a `paperclub demo-worker` elsewhere");
                tokio::spawn(async {})
            } else {
                tokio::spawn(demo_worker::supervise(stopped.clone()))
            };
            let rights = match self.settings.telegram_bot()? {
                Some(bot) => {
                    let chat = std::sync::Arc::new(paperclub_bot::chat::ChatContext {
                        pool: self.pool.clone(),
                        clock: self.clock.clone(),
                        base_url: self.settings.public_base_url.clone(),
                    });
                    match (&self.settings.telegram_webhook_url, &self.settings.telegram_webhook_secret) {
                        // Updates arrive at /telegram/webhook: tell Telegram where.
                        (Some(url), Some(secret)) => {
                            use teloxide::payloads::SetWebhookSetters;
                            use teloxide::prelude::Requester;
                            let url = url.parse().context("TELEGRAM_WEBHOOK_URL is not a URL")?;
                            if let Err(error) = bot.set_webhook(url).secret_token(secret.0.clone()).await {
                                tracing::error!(%error, "could not set the Telegram webhook");
                            }
                        }
                        _ => {
                            tokio::spawn(paperclub_bot::chat::run_poller(bot.clone(), chat, stopped.clone()));
                        }
                    }
                    deliverers.push(Arc::new(paperclub_bot::channel_delivery::TelegramDeliverer::new(
                        self.pool.clone(),
                        bot.clone(),
                        &self.settings.public_base_url,
                    )));
                    Some(tokio::spawn(paperclub_bot::rights::keep_checking(
                        self.pool.clone(),
                        bot,
                        self.clock.clone(),
                        stopped.clone(),
                    )))
                }
                None => {
                    tracing::warn!("TELEGRAM_BOT_TOKEN is not set: nothing is posted to Telegram");
                    None
                }
            };
            tokio::spawn(paperclub_core::retention::run(
                self.pool.clone(),
                self.clock.clone(),
                self.settings.retention,
                stopped.clone(),
            ));
            let outbox = tokio::spawn(paperclub_core::outbox::worker::run(
                self.pool.clone(),
                self.clock.clone(),
                deliverers,
                stopped,
            ));
            Some((outbox, demos, rights))
        } else {
            None
        };
        let served = axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("the HTTP server failed");
        let _ = stop.send(true);
        if let Some((outbox, demos, rights)) = worker {
            let _ = outbox.await;
            if let Some(rights) = rights {
                let _ = rights.await;
            }
            // The worker process puts its run back in the queue and exits.
            let _ = demos.await;
        }
        served
    }
}

/// The app's routes, generated once per process. Generating them runs the
/// app with resource loading suppressed by a process-wide flag; a page being
/// rendered at that moment by another `Application` in the same process (the
/// integration tests run many) would wait forever for its data (leptos issue
/// #4773). Once is also all a server ever needs.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

fn router(
    settings: &Settings,
    pool: PgPool,
    clock: Arc<dyn Clock>,
    test_controls: Option<Router>,
    webhook: Option<Router>,
) -> Router {
    let mut site_addr = settings.listen_addr;
    if site_addr.port() == 0 {
        site_addr.set_port(3000);
    }
    let leptos_options = LeptosOptions::builder()
        .output_name(crate::assets::output_name(&settings.site_root))
        .site_root(settings.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(site_addr)
        .build();
    let page_cache = web::page_cache::PageCache::new(pool.clone(), clock.clone());
    let server_context = ServerContext {
        pool: pool.clone(),
        clock,
        public_base_url: settings.public_base_url.clone(),
        secure_cookies: settings.secure_cookies(),
        registration_limit: Arc::new(paperclub_core::rate_limit::RateLimiter::new(
            "registration",
            settings.registration_rate_limit,
            chrono::Duration::minutes(10),
        )),
        demo_limit: Arc::new(paperclub_core::rate_limit::RateLimiter::new(
            "demo",
            settings.demo_rate_limit,
            chrono::Duration::minutes(10),
        )),
        telegram_bot_username: settings.telegram_bot_username.clone(),
    };
    let state = AppState { leptos_options: leptos_options.clone(), server_context: server_context.clone() };
    let routes = route_list();
    let app_context = move || paperclub_frontend::server::provide_page_context(server_context.clone());
    let shell_options = leptos_options.clone();
    let site = web::routes()
        .leptos_routes_with_context(&state, routes, app_context.clone(), move || shell(shell_options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(app_context, shell))
        .with_state(state.clone())
        .merge(crate::assets::routes(&settings.site_root));
    let uploads = web::uploads().with_state(state);
    web::with_layers(web::Routes { site, uploads, test_controls, webhook, page_cache }, settings)
}

/// Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
