use std::sync::Arc;

use chrono::{TimeZone, Utc};
use paperclub_core::clock::{Clock, ManualClock};
use paperclub_core::email::smtp::SmtpMailer;
use paperclub_core::email::{EmailDeliverer, Site};
use paperclub_core::outbox::delivery::{self, Deliverer, Ran};
use paperclub_server::{Application, Settings};
use reqwest::header::{ACCEPT, COOKIE, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;
use sqlx::PgPool;

pub const PUBLIC_BASE_URL: &str = "http://paperclub.test";
pub const ORGANISER_EMAIL: &str = "org@example.org";
pub const ORGANISER_PASSWORD: &str = "a long organiser password";

pub struct TestApp {
    pub address: String,
    pub database_url: String,
    pub pool: PgPool,
    pub clock: ManualClock,
    client: reqwest::Client,
    settings: Settings,
}

/// The server's PostgreSQL, without a database name.
fn server_url() -> String {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/paperclub".into());
    match url.rsplit_once('/') {
        Some((server, _)) if server.contains("://") && !server.ends_with('/') => server.to_owned(),
        _ => url,
    }
}

/// Starts the application against a new, empty database. The clock stands
/// still at 2026-11-28 10:00 UTC until a test moves it.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// `spawn_app` with settings changed by `adjust` first.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        paperclub_server::telemetry::init();
    }
    let database = format!("paperclub_test_{}", uuid_like());
    let mut settings = Settings {
        database_url: format!("{}/{database}", server_url()),
        database_max_connections: 8,
        listen_addr: "127.0.0.1:0".parse().unwrap(),
        public_base_url: PUBLIC_BASE_URL.into(),
        site_root: "target/site".into(),
        smtp_url: smtp_url(),
        mail_from: "paperclub <noreply@paperclub.test>".into(),
        // Tests deliver the outbox themselves, with their own clock.
        run_workers: false,
        registration_rate_limit: 30,
        demo_rate_limit: 20,
        trusted_proxies: Default::default(),
        retention: Default::default(),
        telegram_bot_token: None,
        telegram_api_url: "http://127.0.0.1:9".into(),
        telegram_bot_username: "paperclub_bot".into(),
        telegram_webhook_url: None,
        telegram_webhook_secret: None,
        test_controls: false,
    };
    adjust(&mut settings);
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 28, 10, 0, 0).unwrap());
    start(settings, clock).await
}

async fn start(settings: Settings, clock: ManualClock) -> TestApp {
    let application = Application::build(&settings, Arc::new(clock.clone())).await.expect("the application builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    let pool = application.pool.clone();
    tokio::spawn(application.run_until_stopped());
    // A hung request fails the test with a message instead of hanging the suite.
    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap();
    TestApp { address, database_url: settings.database_url.clone(), pool, clock, client, settings }
}

/// The test SMTP server (maildev); scripts/test.sh starts one and says where.
pub fn smtp_url() -> String {
    std::env::var("PAPERCLUB_TEST_SMTP_URL").unwrap_or_else(|_| "smtp://127.0.0.1:1025".into())
}

/// maildev's web API, to read what arrived.
pub fn maildev_url() -> String {
    std::env::var("PAPERCLUB_TEST_MAILDEV_URL").unwrap_or_else(|_| "http://127.0.0.1:1080".into())
}

/// An e-mail as maildev shows it.
#[derive(Debug, Clone)]
pub struct ReceivedEmail {
    /// maildev's id, to fetch the raw message with `TestApp::email_source`.
    pub id: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub attachments: Vec<String>,
}

/// A unique address for this test, so tests sharing one maildev don't read each other's mail.
pub fn unique_email(name: &str) -> String {
    format!("{name}.{}@example.org", uuid_like())
}

fn uuid_like() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("{:x}{:04x}", nanos, std::process::id() & 0xffff)
}

/// A response read whole.
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    async fn read(response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let location = response.headers().get(LOCATION).map(|v| v.to_str().unwrap().to_owned());
        let set_cookies =
            response.headers().get_all(SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap();
        Page { status, location, set_cookies, headers, body }
    }

    /// The value the response set for a cookie.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies.iter().find_map(|header| {
            let pair = header.split(';').next()?;
            let (key, value) = pair.split_once('=')?;
            (key == name).then(|| value.to_owned())
        })
    }
}

impl TestApp {
    /// A second server process on the same database, with the same settings
    /// and clock: what a deployment with two web processes behind a proxy runs.
    pub async fn another_process(&self) -> TestApp {
        start(self.settings.clone(), self.clock.clone()).await
    }

    pub async fn get(&self, path: &str) -> Page {
        self.get_with_cookie(path, "").await
    }

    /// A page asked for with extra request headers (`If-None-Match`, `Accept-Encoding`).
    pub async fn get_with_headers(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let request = self.client.get(format!("{}{path}", self.address)).header(ACCEPT, "text/html");
        let request = headers.iter().fold(request, |request, (name, value)| request.header(*name, *value));
        Page::read(request.send().await.expect("the server answers")).await
    }

    pub async fn get_with_cookie(&self, path: &str, cookie: &str) -> Page {
        let request = self.client.get(format!("{}{path}", self.address)).header(ACCEPT, "text/html");
        let request = if cookie.is_empty() { request } else { request.header(COOKIE, cookie) };
        Page::read(request.send().await.expect("the server answers")).await
    }

    /// A form post as a browser without JavaScript sends it: same origin, expecting HTML.
    pub async fn post_form(&self, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Page {
        self.post(path, cookie, fields, Some(&self.address), "text/html").await
    }

    /// A form post without JavaScript from the page at `referer`, where
    /// leptos sends the browser back to after the server function ran.
    pub async fn post_form_from(&self, referer: &str, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Page {
        let request = self
            .client
            .post(format!("{}{path}", self.address))
            .header(ACCEPT, "text/html")
            .header("origin", &self.address)
            .header("referer", referer)
            .header(COOKIE, cookie)
            .form(fields);
        Page::read(request.send().await.expect("the server answers")).await
    }

    /// A browser's `multipart/form-data` post (a file upload form), built by
    /// hand: `files` are (field, file name, content).
    pub async fn post_multipart(
        &self,
        path: &str,
        cookie: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Page {
        let boundary = "paperclub-test-boundary-7c1f";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
            );
        }
        for (name, file_name, content) in files {
            body.extend(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n"
                )
                .bytes(),
            );
            body.extend_from_slice(content);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{boundary}--\r\n").bytes());
        let mut request = self
            .client
            .post(format!("{}{path}", self.address))
            .header(ACCEPT, "text/html")
            .header("origin", &self.address)
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(body);
        if !cookie.is_empty() {
            request = request.header(COOKIE, cookie);
        }
        Page::read(request.send().await.expect("the server answers")).await
    }

    /// A server-function call as the hydrated page makes it: it wants JSON back.
    pub async fn call(&self, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Page {
        self.post(path, cookie, fields, Some(&self.address), "application/json").await
    }

    /// A server-function call relayed by a reverse proxy for `client`.
    pub async fn call_via_proxy(&self, client: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let request = self
            .client
            .post(format!("{}{path}", self.address))
            .header(ACCEPT, "application/json")
            .header("origin", &self.address)
            .header("x-forwarded-for", client)
            .form(fields);
        Page::read(request.send().await.expect("the server answers")).await
    }

    pub async fn post(
        &self,
        path: &str,
        cookie: &str,
        fields: &[(&str, &str)],
        origin: Option<&str>,
        accept: &str,
    ) -> Page {
        let mut request = self.client.post(format!("{}{path}", self.address)).header(ACCEPT, accept).form(fields);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if !cookie.is_empty() {
            request = request.header(COOKIE, cookie);
        }
        Page::read(request.send().await.expect("the server answers")).await
    }

    /// Delivers every e-mail due now through the test SMTP server, as the
    /// worker would; returns what the run did.
    pub async fn deliver_emails(&self) -> Ran {
        self.deliver_emails_via(&smtp_url()).await
    }

    pub async fn deliver_emails_via(&self, smtp: &str) -> Ran {
        self.run_outbox(&[&self.email_deliverer(smtp)]).await
    }

    /// The e-mail channel, through an SMTP server.
    pub fn email_deliverer(&self, smtp: &str) -> EmailDeliverer {
        let mailer = SmtpMailer::new(smtp, "paperclub <noreply@paperclub.test>").unwrap();
        EmailDeliverer::new(self.pool.clone(), Site { base_url: PUBLIC_BASE_URL.into() }, mailer)
    }

    /// Delivers what is due now on these channels, as the worker would.
    pub async fn run_outbox(&self, deliverers: &[&dyn Deliverer]) -> Ran {
        delivery::run_due(&self.pool, self.clock.now(), deliverers).await.unwrap()
    }

    /// The e-mails maildev received for this address, oldest first.
    pub async fn emails_to(&self, address: &str) -> Vec<ReceivedEmail> {
        let all: serde_json::Value =
            self.client.get(format!("{}/api/email", maildev_url())).send().await.unwrap().json().await.unwrap();
        all.as_array()
            .unwrap()
            .iter()
            .filter(|email| {
                email["to"].as_array().is_some_and(|to| to.iter().any(|t| t["address"].as_str() == Some(address)))
            })
            .map(|email| ReceivedEmail {
                id: email["id"].as_str().unwrap_or_default().to_owned(),
                subject: email["subject"].as_str().unwrap_or_default().to_owned(),
                text: email["text"].as_str().unwrap_or_default().to_owned(),
                html: email["html"].as_str().unwrap_or_default().to_owned(),
                attachments: email["attachments"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x["fileName"].as_str().or(x["filename"].as_str()).map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// The raw message as the SMTP server received it (headers included).
    pub async fn email_source(&self, email: &ReceivedEmail) -> String {
        self.client
            .get(format!("{}/api/email/{}/source", maildev_url(), email.id))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// A published upcoming event taking registrations; returns its id.
    pub async fn open_event(&self, capacity: Option<i32>, format: &str) -> i64 {
        let series: i64 = sqlx::query_scalar(
            "INSERT INTO series (slug, title, time_zone, language) VALUES ('meetups-' || floor(random() * 1e9)::text, 'Meetups', 'Europe/Moscow', 'ru') RETURNING id",
        )
        .fetch_one(&self.pool)
        .await
        .unwrap();
        sqlx::query_scalar(
            "INSERT INTO events (series_id, kind, number, title, starts_at, ends_at, time_zone, format, capacity,
                                 registration_mode, status, published_at, venue_name, online_url, link_visibility)
             VALUES ($1, 'meetup', 1, 'Rush meetup', '2027-02-12 15:00Z', '2027-02-12 18:00Z', 'Europe/Moscow', $2::event_format, $3,
                     'required', 'scheduled', now(), 'Orangery', 'https://zoom.us/j/42', 'registered')
             RETURNING id",
        )
        .bind(series)
        .bind(format)
        .bind(capacity)
        .fetch_one(&self.pool)
        .await
        .unwrap()
    }

    /// The same, where organisers approve each request.
    pub async fn open_approval_event(&self, capacity: Option<i32>) -> i64 {
        let event = self.open_event(capacity, "in_person").await;
        sqlx::query("UPDATE events SET registration_mode = 'approval' WHERE id = $1")
            .bind(event)
            .execute(&self.pool)
            .await
            .unwrap();
        event
    }

    /// Registers as the event page's form does without JavaScript: posted
    /// from the page, answered with a redirect back to it.
    pub async fn register_from_event_page(&self, event: i64, name: &str, email: &str) -> Page {
        self.post_form_from(
            &format!("{}/events/{event}", self.address),
            "/api/register",
            "",
            &[("event_id", &event.to_string()), ("name", name), ("email", email)],
        )
        .await
    }

    /// The id of this address's registration.
    pub async fn registration_id(&self, email: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM registrations WHERE email = $1")
            .bind(email)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    /// A ticket token for this address's registration, as the next e-mail
    /// about it would carry (only digests are stored, so one is minted).
    pub async fn token_of(&self, email: &str) -> String {
        let id = self.registration_id(email).await;
        let mut conn = self.pool.acquire().await.unwrap();
        let token = paperclub_core::registrations::tokens::mint(&mut conn, id, self.clock.now(), None).await.unwrap();
        token.as_str().to_owned()
    }

    /// A pool of its own: hundreds of requests queue for 24 connections, like a busy server.
    pub async fn busy_pool(&self) -> sqlx::PgPool {
        sqlx::postgres::PgPoolOptions::new()
            .max_connections(24)
            .acquire_timeout(std::time::Duration::from_secs(120))
            .connect_with(self.pool.connect_options().as_ref().clone())
            .await
            .unwrap()
    }

    pub async fn seed(&self) {
        paperclub_core::seed::load(&self.pool).await.expect("the seed loads");
    }

    /// Creates the organiser and signs in; returns the `Cookie` header value.
    pub async fn sign_in_as_organiser(&self) -> String {
        paperclub_core::accounts::upsert_organiser(&self.pool, ORGANISER_EMAIL, "Org", ORGANISER_PASSWORD)
            .await
            .unwrap();
        let page =
            self.post_form("/api/sign_in", "", &[("email", ORGANISER_EMAIL), ("password", ORGANISER_PASSWORD)]).await;
        let token = page.cookie("paperclub_session").expect("signing in sets the session cookie");
        format!("paperclub_session={token}")
    }

    /// Signs in as a member the way people do, by the one-time link mailed
    /// to `email`; returns the `Cookie` header value.
    pub async fn sign_in_as_member(&self, email: &str) -> String {
        self.call("/api/request_sign_in_link", "", &[("email", email)]).await;
        self.deliver_emails().await;
        // Newest first: tests running beside this one may mail the same address.
        for mail in self.emails_to(email).await.into_iter().rev() {
            let Some(token) = mail.text.split("/sign-in/").nth(1).and_then(|rest| rest.get(..64)) else { continue };
            if let Some(session) =
                self.post_form(&format!("/sign-in/{token}"), "", &[]).await.cookie("paperclub_session")
            {
                return format!("paperclub_session={session}");
            }
        }
        panic!("no sign-in link mailed to {email} signs in")
    }

    pub async fn event_id(&self, title: &str) -> Option<i64> {
        sqlx::query_scalar("SELECT id FROM events WHERE title = $1")
            .bind(title)
            .fetch_optional(&self.pool)
            .await
            .unwrap()
    }

    pub async fn event_count(&self) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM events").fetch_one(&self.pool).await.unwrap()
    }

    pub async fn series_id(&self, slug: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM series WHERE slug = $1").bind(slug).fetch_one(&self.pool).await.unwrap()
    }
}

/// Form fields of a meetup in the future, ready to post to `save_event`.
pub fn meetup_form(series_id: i64, title: &str) -> Vec<(String, String)> {
    [
        ("series_id", series_id.to_string()),
        ("kind", "meetup".into()),
        ("number", String::new()),
        ("title", title.into()),
        ("description", "Talks about **ML in production**.".into()),
        ("date", "2027-02-12".into()),
        ("start_time", "18:00".into()),
        ("end_time", "21:00".into()),
        ("time_zone", String::new()),
        ("format", "in_person".into()),
        ("venue_name", "Orangery".into()),
        ("venue_address", "Shpalernaya 43".into()),
        ("capacity", "120".into()),
        ("registration_mode", "required".into()),
        (
            "programme",
            "18:00-18:30 | gathering | Welcome coffee\n18:30-19:10 | talk | Ranking at scale | Ana Petrova, ML Engineer, OK\n19:10-20:00 | networking | Buffet"
                .into(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (format!("form[{k}]"), v))
    .collect()
}

pub fn as_fields(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}
