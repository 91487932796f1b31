//! What an outsider types reaches other people only as the words they typed:
//! never as a link, a tag or a header.

use paperclub_core::clock::Clock;
use paperclub_core::registrations::{self, Applicant};

use crate::helpers::{spawn_app, unique_email};

/// Payloads a visitor can put in any free-text field.
const PAYLOADS: &[&str] = &[
    "[Подтвердите место](https://evil.example)",
    "<script>alert(1)</script>",
    "<a href=\"javascript:alert(1)\">жми</a>",
    "[x](javascript:alert(1))",
    "![](https://evil.example/pixel.png)",
    "**Организатор** <img src=x onerror=alert(1)>",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_that_looks_like_a_link_reaches_the_inbox_as_plain_words() {
    let app = spawn_app().await;
    let event = app.open_event(Some(10), "in_person").await;
    let mut addresses = Vec::new();
    for (i, name) in PAYLOADS.iter().enumerate() {
        let email = unique_email(&format!("victim{i}"));
        let applicant = Applicant::parse(name, &email).unwrap();
        registrations::register(&app.pool, event, &applicant, app.clock.now()).await.unwrap();
        addresses.push((name, email));
    }
    assert_eq!(app.deliver_emails().await.sent, PAYLOADS.len());
    for (name, email) in addresses {
        let received = app.emails_to(&email).await;
        let html = &received[0].html;
        assert!(!html.contains("evil.example\""), "a link or image to the attacker in {html}");
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(!html.to_lowercase().contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<strong>Организатор"), "the name's Markdown was interpreted in {html}");
        assert!(received[0].text.contains(name), "the plain text says the name as typed: {}", received[0].text);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_cannot_break_out_of_the_mail_header() {
    let app = spawn_app().await;
    let event = app.open_event(Some(10), "in_person").await;
    let email = unique_email("header");
    let applicant = Applicant::parse("Ana\r\nBcc: everyone@example.org", &email).unwrap();
    assert_eq!(applicant.name, "Ana Bcc: everyone@example.org", "a name is one line");
    registrations::register(&app.pool, event, &applicant, app.clock.now()).await.unwrap();
    assert_eq!(app.deliver_emails().await.sent, 1);
    let source = app.email_source(&app.emails_to(&email).await[0]).await;
    assert!(!source.lines().any(|line| line.starts_with("Bcc:")), "{source}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_tells_the_browser_to_run_only_the_sites_own_scripts() {
    let app = spawn_app().await;
    app.seed().await;
    for path in ["/", "/events/3", "/admin/sign-in", "/no-such-page", "/unsubscribe/0000"] {
        let page = app.get(path).await;
        let header = |name: &str| page.headers.get(name).map(|v| v.to_str().unwrap().to_owned());
        let policy = header("content-security-policy").unwrap_or_else(|| panic!("{path} has no CSP"));
        assert!(policy.contains("default-src 'self'"), "{path}: {policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{path}: {policy}");
        assert!(policy.contains("object-src 'none'"), "{path}: {policy}");
        assert!(!policy.contains("script-src 'self' 'unsafe-inline'"), "{path}: {policy}");
        assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"), "{path}");
        assert!(header("referrer-policy").is_some(), "{path}");
        assert_eq!(header("strict-transport-security"), None, "plain http: no HSTS");
        // The page's inline scripts (hydration) carry the nonce the policy names.
        if path == "/" {
            assert!(page.body.contains("<script"), "the home page hydrates");
        }
        for script in page.body.split("<script").skip(1) {
            let nonce = script.split("nonce=\"").nth(1).and_then(|rest| rest.split('"').next());
            let nonce = nonce.unwrap_or_else(|| panic!("{path}: an inline script without a nonce: <script{script}"));
            assert!(policy.contains(&format!("'nonce-{nonce}'")), "{path}: {policy} vs {nonce}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_https_the_site_asks_browsers_never_to_use_plain_http() {
    let app =
        crate::helpers::spawn_app_with(|settings| settings.public_base_url = "https://paperclub.test".into()).await;
    let page = app.get("/").await;
    let hsts = page.headers.get("strict-transport-security").expect("HSTS on https");
    assert!(hsts.to_str().unwrap().contains("max-age=31536000"));
}

async fn register_via_proxy(app: &crate::helpers::TestApp, client: &str, event: i64) -> String {
    let email = unique_email("proxied");
    let fields = [("event_id", event.to_string()), ("name", "Ana".into()), ("email", email)];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call_via_proxy(client, "/api/register", &fields).await.body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_each_visitor_has_their_own_limit_and_ipv6_counts_per_64() {
    let app = crate::helpers::spawn_app_with(|settings| {
        settings.registration_rate_limit = 2;
        settings.trusted_proxies = "127.0.0.1, ::1".parse().unwrap();
    })
    .await;
    let event = app.open_event(None, "online").await;
    for _ in 0..2 {
        assert!(register_via_proxy(&app, "203.0.113.5", event).await.contains("Confirmed"));
    }
    assert!(register_via_proxy(&app, "203.0.113.5", event).await.contains("too_many_requests"));
    assert!(register_via_proxy(&app, "198.51.100.9", event).await.contains("Confirmed"), "another visitor");
    // A visitor cannot pose as someone else by adding their own header: the
    // proxy appends the address it saw, and that is the one believed.
    assert!(register_via_proxy(&app, "192.0.2.1, 203.0.113.5", event).await.contains("too_many_requests"));
    // Addresses within one /64 are one visitor.
    for _ in 0..2 {
        assert!(register_via_proxy(&app, "2001:db8:1:2::1", event).await.contains("Confirmed"));
    }
    assert!(register_via_proxy(&app, "2001:db8:1:2:ffff::7", event).await.contains("too_many_requests"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_trusted_proxies_a_forwarded_for_header_is_ignored() {
    let app = crate::helpers::spawn_app_with(|settings| settings.registration_rate_limit = 2).await;
    let event = app.open_event(None, "online").await;
    for client in ["203.0.113.5", "198.51.100.9"] {
        assert!(register_via_proxy(&app, client, event).await.contains("Confirmed"));
    }
    assert!(register_via_proxy(&app, "192.0.2.77", event).await.contains("too_many_requests"), "one peer, one limit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobodys_inbox_can_be_flooded_with_sign_in_links_or_confirmations() {
    let app = spawn_app().await;
    let event = app.open_event(None, "online").await;
    let victim = unique_email("flooded");
    let applicant = Applicant::parse("Ana", &victim).unwrap();
    for _ in 0..20 {
        app.call("/api/request_sign_in_link", "", &[("email", &victim)]).await;
        let _ = registrations::register(&app.pool, event, &applicant, app.clock.now()).await;
    }
    app.deliver_emails().await;
    let received = app.emails_to(&victim).await.len();
    assert!(received <= paperclub_core::outbox::recipient_limit::MAX_PER_HOUR as usize, "{received} e-mails");
    assert!(received >= 2, "the first link and the confirmation arrive");
    // An hour later the address hears from paperclub again.
    app.clock.advance(chrono::Duration::minutes(61));
    app.call("/api/request_sign_in_link", "", &[("email", &victim)]).await;
    app.deliver_emails().await;
    assert_eq!(app.emails_to(&victim).await.len(), received + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_processes_enforce_one_limit_per_visitor() {
    let first = crate::helpers::spawn_app_with(|settings| settings.registration_rate_limit = 3).await;
    let second = first.another_process().await;
    let event = first.open_event(None, "online").await;
    let mut answers = Vec::new();
    for app in [&first, &second, &first, &second] {
        let email = unique_email("both");
        let fields = [("event_id", event.to_string()), ("name", "Ana".to_owned()), ("email", email)];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        answers.push(app.call("/api/register", "", &fields).await.body);
    }
    assert!(answers[..3].iter().all(|answer| answer.contains("Confirmed")), "{answers:?}");
    assert!(
        answers[3].contains("too_many_requests"),
        "the fourth, on the other process, is over the limit: {}",
        answers[3]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_of_the_database_holds_none_of_the_secrets_mailed_out() {
    let app = spawn_app().await;
    let event = app.open_event(Some(10), "online").await;
    let email = unique_email("copied");
    let applicant = Applicant::parse("Ana", &email).unwrap();
    registrations::register(&app.pool, event, &applicant, app.clock.now()).await.unwrap();
    app.call("/api/request_sign_in_link", "", &[("email", &email)]).await;
    app.deliver_emails().await;
    let mut secrets: Vec<String> = Vec::new();
    for message in app.emails_to(&email).await {
        for marker in ["/tickets/", "/join/", "/sign-in/"] {
            if let Some(rest) = message.text.split(marker).nth(1) {
                secrets.push(rest[..64].to_owned());
            }
        }
    }
    assert!(secrets.len() >= 3, "a ticket, a join and a sign-in link were mailed: {secrets:?}");
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    for secret in &secrets {
        for table in &tables {
            let holding: i64 =
                sqlx::query_scalar(&format!("SELECT count(*) FROM \"{table}\" t WHERE t::text LIKE '%' || $1 || '%'"))
                    .bind(secret)
                    .fetch_one(&app.pool)
                    .await
                    .unwrap();
            assert_eq!(holding, 0, "{table} holds a mailed secret in clear");
        }
    }
    let ticket = app.emails_to(&email).await[0].text.split("/tickets/").nth(1).unwrap()[..64].to_owned();
    assert_eq!(app.get(&format!("/tickets/{ticket}")).await.status, 200, "and yet the mailed ticket opens");
}
