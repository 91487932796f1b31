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
