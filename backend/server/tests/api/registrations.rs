use std::sync::Arc;
use std::time::Duration;

use paperclub_core::clock::Clock;
use paperclub_core::registrations::{self, Applicant, Cancelled, Registered, tokens::RegistrationToken};
use sqlx::postgres::PgPoolOptions;

use crate::helpers::{spawn_app, unique_email};

fn applicant(name: &str, email: &str) -> Applicant {
    Applicant::parse(name, email).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seats_are_confirmed_while_they_last_then_the_waitlist_takes_over() {
    let app = spawn_app().await;
    let event = app.open_event(Some(2), "in_person").await;
    let now = app.clock.now();
    let mut outcomes = Vec::new();
    for i in 0..4 {
        outcomes.push(
            registrations::register(&app.pool, event, &applicant("Ana", &format!("p{i}@example.org")), now)
                .await
                .unwrap(),
        );
    }
    assert_eq!(
        outcomes,
        vec![
            Registered::Confirmed,
            Registered::Confirmed,
            Registered::Waitlisted { position: 1 },
            Registered::Waitlisted { position: 2 }
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registering_twice_with_the_same_email_keeps_one_registration_and_resends_the_confirmation() {
    let app = spawn_app().await;
    let event = app.open_event(Some(10), "in_person").await;
    let email = unique_email("twice");
    let now = app.clock.now();
    assert_eq!(
        registrations::register(&app.pool, event, &applicant("Ana", &email), now).await.unwrap(),
        Registered::Confirmed
    );
    let again = registrations::register(&app.pool, event, &applicant("Ana", &email.to_uppercase()), now).await.unwrap();
    assert!(matches!(again, Registered::AlreadyRegistered { .. }));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM registrations").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 1);
    let ran = app.deliver_emails().await;
    assert_eq!(ran.sent, 2);
    let emails = app.emails_to(&email).await;
    assert_eq!(emails.len(), 2, "the confirmation, and the same confirmation again");
    assert!(emails.iter().all(|e| e.subject.starts_with("Вы зарегистрированы")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_confirmation_email_carries_the_ticket_cancel_link_and_calendar_file() {
    let app = spawn_app().await;
    let event = app.open_event(Some(10), "in_person").await;
    let email = unique_email("ana");
    registrations::register(&app.pool, event, &applicant("Ana Petrova", &email), app.clock.now()).await.unwrap();
    assert_eq!(app.deliver_emails().await.sent, 1);
    let received = app.emails_to(&email).await;
    assert_eq!(received.len(), 1);
    let message = &received[0];
    let token = message.text.split("/tickets/").nth(1).expect("a ticket link")[..64].to_owned();
    assert_eq!(app.get(&format!("/tickets/{token}")).await.status, 200, "the mailed link opens the ticket");
    assert_eq!(message.subject, "Вы зарегистрированы: Rush meetup");
    assert!(message.text.contains("Здравствуйте, Ana Petrova!"));
    assert!(message.text.contains("12 февраля 2027, 18:00–21:00 МСК"));
    assert!(message.text.contains(&format!("http://paperclub.test/tickets/{token}")));
    assert_eq!(message.attachments, vec![format!("event-{event}.ics")]);
    // Delivered once: running the worker again sends nothing.
    assert_eq!(app.deliver_emails().await.claimed(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_by_the_secret_link_promotes_the_head_of_the_waitlist_and_tells_them() {
    let app = spawn_app().await;
    let event = app.open_event(Some(1), "in_person").await;
    let (first, second, third) = (unique_email("first"), unique_email("second"), unique_email("third"));
    let now = app.clock.now();
    for email in [&first, &second, &third] {
        registrations::register(&app.pool, event, &applicant("P", email), now).await.unwrap();
    }
    app.deliver_emails().await;
    let token = app.token_of(&first).await;

    let ticket = app.get(&format!("/tickets/{token}")).await;
    assert_eq!(ticket.status, 200);
    assert!(ticket.body.contains("Вы зарегистрированы"));

    let page = app
        .post_form_from(
            &format!("{}/tickets/{token}", app.address),
            "/api/cancel_registration",
            "",
            &[("token", &token)],
        )
        .await;
    assert_eq!(page.status, 302, "{}", page.body);

    let status: String = sqlx::query_scalar("SELECT status::text FROM registrations WHERE email = $1")
        .bind(&second)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "confirmed", "the head of the waitlist got the seat");
    let third_token = app.token_of(&third).await;
    let third_page = app.get(&format!("/tickets/{third_token}")).await;
    assert!(third_page.body.contains(r#"data-testid="waitlist-position">1<"#), "the rest moved up without a gap");

    app.deliver_emails().await;
    let promoted = app.emails_to(&second).await;
    assert_eq!(promoted.last().unwrap().subject, "Место освободилось — вы зарегистрированы: Rush meetup");
    let cancelled = app.emails_to(&first).await;
    assert_eq!(cancelled.last().unwrap().subject, "Регистрация отменена: Rush meetup");

    // Cancelling again changes nothing.
    let again =
        registrations::cancel(&app.pool, &RegistrationToken::parse(&token).unwrap(), app.clock.now()).await.unwrap();
    assert_eq!(again, Cancelled::AlreadyCancelled);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_simultaneous_registrations_for_a_hundred_seats_never_overbook() {
    let app = spawn_app().await;
    let event = app.open_event(Some(100), "in_person").await;
    let pool = app.busy_pool().await;
    let now = app.clock.now();
    let tasks: Vec<_> = (0..1000)
        .map(|i| {
            let pool = pool.clone();
            tokio::spawn(async move {
                registrations::register(&pool, event, &applicant("Rush", &format!("rush{i}@example.org")), now).await
            })
        })
        .collect();
    let mut confirmed = 0;
    let mut positions = Vec::new();
    for task in tasks {
        match task.await.unwrap().unwrap() {
            Registered::Confirmed => confirmed += 1,
            Registered::Waitlisted { position } => positions.push(position),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(confirmed, 100);
    assert_eq!(positions.len(), 900);
    positions.sort();
    assert_eq!(positions, (1..=900).collect::<Vec<i64>>(), "waitlist positions 1..900 without gaps");
    let counts = registrations::counts(&app.pool, event).await.unwrap();
    assert_eq!((counts.confirmed, counts.waitlisted), (100, 900));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_simultaneous_cancellations_promote_exactly_two_hundred() {
    let app = spawn_app().await;
    let event = app.open_event(Some(300), "in_person").await;
    let pool = app.busy_pool().await;
    let now = app.clock.now();
    for i in 0..600 {
        registrations::register(&pool, event, &applicant("Rush", &format!("c{i}@example.org")), now).await.unwrap();
    }
    let emails: Vec<String> =
        sqlx::query_scalar("SELECT email FROM registrations WHERE status = 'confirmed' ORDER BY random() LIMIT 200")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    let mut tokens = Vec::new();
    for email in &emails {
        tokens.push(app.token_of(email).await);
    }
    let tasks: Vec<_> = tokens
        .into_iter()
        .map(|token| {
            let pool = pool.clone();
            tokio::spawn(
                async move { registrations::cancel(&pool, &RegistrationToken::parse(&token).unwrap(), now).await },
            )
        })
        .collect();
    let mut promoted = Vec::new();
    for task in tasks {
        if let Cancelled::Cancelled { promoted: Some(id) } = task.await.unwrap().unwrap() {
            promoted.push(id);
        }
    }
    promoted.sort();
    promoted.dedup();
    assert_eq!(promoted.len(), 200, "each cancellation promoted someone, and no one twice");
    let counts = registrations::counts(&app.pool, event).await.unwrap();
    assert_eq!((counts.confirmed, counts.waitlisted, counts.cancelled), (300, 100, 200));
    let seats_taken: i32 = sqlx::query_scalar("SELECT seats_taken FROM events WHERE id = $1")
        .bind(event)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(seats_taken, 300);
    // Promotion follows the waitlist's order: the first 200 to join were promoted.
    let promoted_in_order: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM registrations WHERE event_id = $1 AND status = 'confirmed' AND email IN
           (SELECT 'c' || g || '@example.org' FROM generate_series(300, 499) g)",
    )
    .bind(event)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(promoted_in_order, 200);
}

/// The same rush through a naive "count, then insert" without the event lock
/// and without the database's seat counter: it overbooks. This is what the
/// race test above would catch if the lock or the constraint went missing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_naive_count_then_insert_overbooks_under_the_same_race() {
    let app = spawn_app().await;
    let event = app.open_event(Some(100), "in_person").await;
    sqlx::query("ALTER TABLE registrations DISABLE TRIGGER registrations_count_seats")
        .execute(&app.pool)
        .await
        .unwrap();
    let pool = PgPoolOptions::new()
        .max_connections(24)
        .acquire_timeout(Duration::from_secs(120))
        .connect_with(app.pool.connect_options().as_ref().clone())
        .await
        .unwrap();
    let pool = Arc::new(pool);
    let tasks: Vec<_> = (0..1000)
        .map(|i| {
            let pool = pool.clone();
            tokio::spawn(async move {
                let mut tx = pool.begin().await.unwrap();
                let taken: i64 = sqlx::query_scalar("SELECT count(*) FROM registrations WHERE event_id = $1 AND status = 'confirmed'")
                    .bind(event)
                    .fetch_one(&mut *tx)
                    .await
                    .unwrap();
                // A little work between the count and the insert, as a real handler has.
                tokio::task::yield_now().await;
                let status = if taken < 100 { "confirmed" } else { "cancelled" };
                sqlx::query(
                    "INSERT INTO registrations (event_id, name, email, status, door_code) VALUES ($1, 'Naive', $2, $3::registration_status, $4)",
                )
                .bind(event)
                .bind(format!("naive{i}@example.org"))
                .bind(status)
                .bind(paperclub_core::registrations::tokens::door_code())
                .execute(&mut *tx)
                .await
                .unwrap();
                tx.commit().await.unwrap();
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let confirmed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM registrations WHERE event_id = $1 AND status = 'confirmed'")
            .bind(event)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(confirmed > 100, "the naive way gave out {confirmed} seats for 100");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_smtp_is_down_messages_wait_and_all_arrive_once_it_is_back() {
    let app = spawn_app().await;
    let event = app.open_event(None, "in_person").await;
    let emails: Vec<String> = (0..5).map(|i| unique_email(&format!("down{i}"))).collect();
    for email in &emails {
        registrations::register(&app.pool, event, &applicant("Ana", email), app.clock.now()).await.unwrap();
    }
    // Nothing listens on port 9: every attempt fails to connect.
    let ran = app.deliver_emails_via("smtp://127.0.0.1:9").await;
    assert_eq!((ran.sent, ran.retried), (0, 5));
    let ran = app.deliver_emails_via("smtp://127.0.0.1:9").await;
    assert_eq!(ran.claimed(), 0, "a failed message waits for its backoff");
    let error: String =
        sqlx::query_scalar("SELECT last_error FROM notifications WHERE kind = 'registration_confirmed' LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(!error.is_empty());

    app.clock.advance(chrono::Duration::seconds(31));
    let ran = app.deliver_emails_via("smtp://127.0.0.1:9").await;
    assert_eq!(ran.retried, 5, "retried after the backoff, still down");

    app.clock.advance(chrono::Duration::seconds(61));
    let ran = app.deliver_emails().await;
    assert_eq!(ran.sent, 5, "the server is back: everything arrives");
    for email in &emails {
        assert_eq!(app.emails_to(email).await.len(), 1, "{email} got exactly one confirmation");
    }
    let attempts: Vec<i32> =
        sqlx::query_scalar("SELECT attempts FROM notifications WHERE kind = 'registration_confirmed'")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert!(attempts.iter().all(|&a| a == 3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_that_dies_mid_send_leaves_its_messages_for_the_next_one() {
    let app = spawn_app().await;
    let event = app.open_event(None, "in_person").await;
    let email = unique_email("lease");
    registrations::register(&app.pool, event, &applicant("Ana", &email), app.clock.now()).await.unwrap();
    // A worker claims the message and dies before recording anything.
    let claimed =
        paperclub_core::outbox::delivery::claim(&app.pool, &[paperclub_core::outbox::Channel::Email], app.clock.now())
            .await
            .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(app.deliver_emails().await.claimed(), 0, "still leased to the dead worker");
    app.clock.advance(paperclub_core::outbox::delivery::LEASE + chrono::Duration::seconds(1));
    assert_eq!(app.deliver_emails().await.sent, 1, "the lease ran out; another worker sent it");
    assert_eq!(app.emails_to(&email).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_past_cancelled_and_unregistrable_events_say_why() {
    let app = spawn_app().await;
    let event = app.open_event(None, "in_person").await;
    let ana = applicant("Ana", "ana@example.org");
    let problem = |result: Result<Registered, registrations::RegistrationError>| match result {
        Err(registrations::RegistrationError::Refused(problem)) => Some(problem),
        other => panic!("expected a refusal, got {other:?}"),
    };
    use paperclub_core::forms::Problem;
    let after_start = chrono::DateTime::parse_from_rfc3339("2027-02-12T15:30:00Z").unwrap().to_utc();
    assert_eq!(
        problem(registrations::register(&app.pool, event, &ana, after_start).await),
        Some(Problem::RegistrationClosed)
    );
    sqlx::query("UPDATE events SET registration_deadline = '2027-01-01Z' WHERE id = $1")
        .bind(event)
        .execute(&app.pool)
        .await
        .unwrap();
    let after_deadline = chrono::DateTime::parse_from_rfc3339("2027-01-02T00:00:00Z").unwrap().to_utc();
    assert_eq!(
        problem(registrations::register(&app.pool, event, &ana, after_deadline).await),
        Some(Problem::RegistrationClosed)
    );
    sqlx::query("UPDATE events SET status = 'cancelled' WHERE id = $1").bind(event).execute(&app.pool).await.unwrap();
    assert_eq!(
        problem(registrations::register(&app.pool, event, &ana, app.clock.now()).await),
        Some(Problem::EventCancelled)
    );
    sqlx::query("UPDATE events SET status = 'scheduled', registration_mode = 'none' WHERE id = $1")
        .bind(event)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        problem(registrations::register(&app.pool, event, &ana, app.clock.now()).await),
        Some(Problem::RegistrationNotOffered)
    );
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM registrations").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 0, "nothing changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_form_registers_and_without_javascript_answers_in_the_address() {
    let app = spawn_app().await;
    let event = app.open_event(Some(1), "in_person").await;
    let page = app.get(&format!("/events/{event}")).await;
    assert!(page.body.contains("Зарегистрироваться"), "the form is offered");
    assert!(page.body.contains("Свободных мест:"));

    let email = unique_email("form");
    let answer = app.register_from_event_page(event, "Ana", &email).await;
    assert_eq!(answer.status, 302);
    assert_eq!(
        answer.location.as_deref(),
        Some(format!("/events/{event}?registration=confirmed#registration").as_str())
    );
    let shown = app.get(&format!("/events/{event}?registration=confirmed")).await;
    assert!(shown.body.contains("Готово, вы зарегистрированы!"));
    assert!(shown.body.contains("Встать в лист ожидания"), "the last seat is gone: the button says so");

    let bad = app
        .post_form_from(
            &format!("{}/events/{event}", app.address),
            "/api/register",
            "",
            &[("event_id", &event.to_string()), ("name", ""), ("email", "not-an-email")],
        )
        .await;
    assert!(bad.location.as_deref().unwrap().contains("registration=rejected"));
    let json = app
        .call(
            "/api/register",
            "",
            &[("event_id", &event.to_string()), ("name", &"x".repeat(201)), ("email", "not-an-email")],
        )
        .await;
    assert!(json.body.contains("too_long") && json.body.contains("bad_email"), "{}", json.body);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM registrations").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 1, "bad input changed nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_registering_for_an_event_that_is_not_there_lands_on_its_page_not_a_raw_error() {
    let app = spawn_app().await;
    let event = app.open_event(Some(5), "in_person").await;
    let gone = event + 1000;
    let answer = app
        .post_form_from(
            &format!("{}/events/{event}", app.address),
            "/api/register",
            "",
            &[("event_id", &gone.to_string()), ("name", "Ana"), ("email", &unique_email("gone"))],
        )
        .await;
    assert_eq!(answer.status, 302, "a page, not a server function's error: {}", answer.body);
    let location = answer.location.unwrap();
    assert!(location.starts_with(&format!("/events/{gone}?")), "{location}");
    let shown = app.get(&location).await;
    assert_eq!(shown.status, 404, "the event's page says it is not there");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM registrations").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_online_link_for_registered_people_opens_only_through_their_join_address() {
    let app = spawn_app().await;
    let event = app.open_event(None, "online").await;
    let page = app.get(&format!("/events/{event}")).await;
    assert!(!page.body.contains("zoom.us/j/42"), "the public page does not show the link");
    let email = unique_email("join");
    registrations::register(&app.pool, event, &applicant("Ana", &email), app.clock.now()).await.unwrap();
    let token = app.token_of(&email).await;
    let join = app.get(&format!("/join/{token}")).await;
    assert_eq!(join.status, 303);
    assert_eq!(join.location.as_deref(), Some("https://zoom.us/j/42"));
    // The link changes; the join address follows without re-sending anything.
    sqlx::query("UPDATE events SET online_url = 'https://zoom.us/j/43' WHERE id = $1")
        .bind(event)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(app.get(&format!("/join/{token}")).await.location.as_deref(), Some("https://zoom.us/j/43"));
    for forged in ["0".repeat(64), "not-a-token".into()] {
        assert_eq!(app.get(&format!("/join/{forged}")).await.status, 404);
        assert_eq!(app.get(&format!("/tickets/{forged}")).await.status, 404);
    }
    let calendar = app.get(&format!("/events/{event}/calendar.ics")).await;
    assert!(!calendar.body.contains("zoom.us"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_approval_mode_organisers_approve_or_decline_and_both_are_told() {
    let app = spawn_app().await;
    let cookie = app.sign_in_as_organiser().await;
    let event = app.open_approval_event(Some(1)).await;
    let (yes, no, late) = (unique_email("yes"), unique_email("no"), unique_email("late"));
    for email in [&yes, &no, &late] {
        let outcome = registrations::register(&app.pool, event, &applicant("P", email), app.clock.now()).await.unwrap();
        assert_eq!(outcome, Registered::Pending);
    }
    let id_of = |email: String| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM registrations WHERE email = $1")
                .bind(email)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let roster = app.get_with_cookie(&format!("/admin/events/{event}/registrations"), &cookie).await;
    assert!(roster.body.contains("Ждёт одобрения организаторов"));

    let approve = |id: i64, action: &'static str| {
        let cookie = cookie.clone();
        let app = &app;
        async move {
            app.call("/api/roster_action", &cookie, &[("registration_id", &id.to_string()), ("action", action)]).await
        }
    };
    assert_eq!(approve(id_of(yes.clone()).await, "approve").await.status, 200);
    assert_eq!(approve(id_of(no.clone()).await, "decline").await.status, 200);
    // The only seat is taken: approving the third puts them on the waitlist.
    assert_eq!(approve(id_of(late.clone()).await, "approve").await.status, 200);
    // Promoting without a free seat is refused with a reason.
    let refused = approve(id_of(late.clone()).await, "promote").await;
    // The hydrated page words this typed reason in the reader's language.
    assert!(refused.body.contains("NoSeatFree"), "{}", refused.body);

    app.deliver_emails().await;
    assert!(app.emails_to(&yes).await.iter().any(|e| e.subject.starts_with("Вы зарегистрированы")));
    assert!(app.emails_to(&no).await.iter().any(|e| e.subject.starts_with("Заявка отклонена")));
    assert!(app.emails_to(&late).await.iter().any(|e| e.subject.starts_with("Вы в листе ожидания")));
    // Organisers see every message with its state.
    let roster = app.get_with_cookie(&format!("/admin/events/{event}/registrations"), &cookie).await;
    assert!(roster.body.contains("registration_declined"));
    assert!(roster.body.contains("status-sent"));
    let yes_id = id_of(yes.clone()).await;
    app.call("/api/roster_action", "", &[("registration_id", &yes_id.to_string()), ("action", "cancel")]).await;
    let status: String = sqlx::query_scalar("SELECT status::text FROM registrations WHERE id = $1")
        .bind(yes_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "confirmed", "a visitor's call changed nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_door_admits_a_ticket_once_and_refuses_unknown_cancelled_and_used_ones() {
    let app = spawn_app().await;
    let cookie = app.sign_in_as_organiser().await;
    let event = app.open_event(Some(5), "in_person").await;
    let (ana, bob) = (unique_email("door-ana"), unique_email("door-bob"));
    for email in [&ana, &bob] {
        registrations::register(&app.pool, event, &applicant("Guest", email), app.clock.now()).await.unwrap();
    }
    let ana_token = app.token_of(&ana).await;
    let bob_token = app.token_of(&bob).await;
    registrations::cancel(&app.pool, &RegistrationToken::parse(&bob_token).unwrap(), app.clock.now()).await.unwrap();

    let ticket = app.get(&format!("/tickets/{ana_token}")).await;
    assert!(ticket.body.contains("<svg"), "the ticket shows its QR code");
    let door_code: String = sqlx::query_scalar("SELECT door_code FROM registrations WHERE email = $1")
        .bind(&ana)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let short = paperclub_core::registrations::tokens::printed_door_code(&door_code);
    assert!(ticket.body.contains(&short), "the ticket prints its door code");

    let scan = |code: String| {
        let cookie = cookie.clone();
        let app = &app;
        async move {
            app.call("/api/check_in_ticket", &cookie, &[("event_id", &event.to_string()), ("code", &code)]).await.body
        }
    };
    assert!(scan(short.to_lowercase()).await.contains("Admitted"), "the typed short code admits");
    assert!(scan(ana_token.clone()).await.contains("AlreadyCheckedIn"), "a used ticket is refused");
    assert!(scan(bob_token.clone()).await.contains("NotAdmitted"), "a cancelled ticket is refused");
    assert!(scan("ffffffff".into()).await.contains("Unknown"));
    assert!(scan("<script>".into()).await.contains("Unknown"));
    let door = app.get_with_cookie(&format!("/admin/events/{event}/check-in"), &cookie).await;
    let count = door
        .body
        .split(r#"data-testid="door-count">"#)
        .nth(1)
        .unwrap()
        .split("</p>")
        .next()
        .unwrap()
        .replace("<!>", "");
    assert_eq!(count, "Пришли: 1 / 1");
    let counts = registrations::counts(&app.pool, event).await.unwrap();
    assert_eq!(counts.checked_in, 1);

    // Without JavaScript the used ticket's answer says when, in the event's zone (Moscow).
    let door_path = format!("/admin/events/{event}/check-in");
    let fields = [("event_id", event.to_string()), ("code", ana_token.clone())];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form_from(&format!("{}{door_path}", app.address), "/api/check_in_ticket", &cookie, &fields).await;
    let answer = app.get_with_cookie(&door_path, &cookie).await.body.replace("<!>", "");
    let moscow = (app.clock.now() + chrono::Duration::hours(3)).format("%H:%M МСК").to_string();
    assert!(answer.contains(&format!("Guest ({moscow})")), "the time in the event's zone: {moscow}");
    assert!(!answer.contains(" UTC)"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organisers_export_registrations_as_csv_and_visitors_cannot() {
    let app = spawn_app().await;
    let cookie = app.sign_in_as_organiser().await;
    let event = app.open_event(Some(1), "in_person").await;
    registrations::register(&app.pool, event, &applicant("Petrova, Ana", "ana@example.org"), app.clock.now())
        .await
        .unwrap();
    registrations::register(&app.pool, event, &applicant("=HYPERLINK(\"x\")", "eve@example.org"), app.clock.now())
        .await
        .unwrap();
    let csv = app.get_with_cookie(&format!("/admin/events/{event}/registrations.csv"), &cookie).await;
    assert_eq!(csv.status, 200);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines[0], "\u{feff}name,email,status,waitlist_position,source,registered_at,checked_in_at");
    assert!(lines[1].starts_with("\"Petrova, Ana\",ana@example.org,confirmed,,web,"));
    assert!(lines[2].starts_with("\"'=HYPERLINK(\"\"x\"\")\",eve@example.org,waitlisted,1,web,"));
    let visitor = app.get(&format!("/admin/events/{event}/registrations.csv")).await;
    assert_eq!(visitor.status, 303);
    assert!(!visitor.body.contains("ana@example.org"));
}

/// A published meetup made through the organiser's form; returns (cookie, event id, form).
async fn published_meetup(app: &crate::helpers::TestApp, title: &str) -> (String, i64, Vec<(String, String)>) {
    app.seed().await;
    let cookie = app.sign_in_as_organiser().await;
    let series = app.series_id("ok-tech-talk").await;
    let form = crate::helpers::meetup_form(series, title);
    let saved = app.call("/api/save_event", &cookie, &crate::helpers::as_fields(&form)).await;
    assert!(saved.body.contains("Saved"), "{}", saved.body);
    let id = app.event_id(title).await.unwrap();
    app.call("/api/change_event_status", &cookie, &[("id", &id.to_string()), ("change", "publish")]).await;
    (cookie, id, form)
}

fn at(rfc3339: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(rfc3339).unwrap().to_utc()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_day_before_reminder_follows_a_moved_event_and_everyone_hears_of_the_move() {
    let app = spawn_app().await;
    let (cookie, event, mut form) = published_meetup(&app, "Moving meetup").await;
    let (ana, bob) = (unique_email("remind-ana"), unique_email("remind-bob"));
    for email in [&ana, &bob] {
        registrations::register(&app.pool, event, &applicant("Guest", email), app.clock.now()).await.unwrap();
    }
    assert_eq!(app.deliver_emails().await.sent, 2, "only the confirmations are due now");
    let due: Vec<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("SELECT due_at FROM notifications WHERE kind = 'reminder_day_before' ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(due, vec![at("2027-02-11T15:00:00Z"); 2], "a day before 18:00 MSK on 12 February");

    // The organiser moves the meetup a week later.
    for (key, value) in form.iter_mut() {
        if key == "form[date]" {
            *value = "2027-02-19".into();
        }
    }
    form.push(("id".into(), event.to_string()));
    let saved = app.call("/api/save_event", &cookie, &crate::helpers::as_fields(&form)).await;
    assert!(saved.body.contains("Saved"), "{}", saved.body);
    assert_eq!(app.deliver_emails().await.sent, 2, "both registrants hear of the move");
    let moved = app.emails_to(&ana).await;
    assert!(
        moved
            .iter()
            .any(|e| e.subject == "Изменения: Moving meetup" && e.text.contains("19 февраля 2027, 18:00–21:00 МСК"))
    );

    // Nothing on the old reminder day; both reminders on the new one, once.
    app.clock.set(at("2027-02-11T15:00:01Z"));
    assert_eq!(app.deliver_emails().await.claimed(), 0);
    app.clock.set(at("2027-02-18T15:00:01Z"));
    assert_eq!(app.deliver_emails().await.sent, 2);
    assert_eq!(app.deliver_emails().await.claimed(), 0, "never twice");
    let reminder = app.emails_to(&bob).await.into_iter().find(|e| e.subject.starts_with("Завтра")).expect("a reminder");
    assert!(reminder.text.contains("19 февраля 2027, 18:00–21:00 МСК"));
    assert!(reminder.text.contains("/tickets/"));
    let source = app.email_source(&reminder).await;
    let unsubscribe = source.split("List-Unsubscribe: <http://paperclub.test/unsubscribe/").nth(1).expect("the header");
    let token = &unsubscribe[..64];
    assert!(unsubscribe[64..].starts_with('>'), "{source}");
    assert_eq!(app.get(&format!("/unsubscribe/{token}")).await.status, 200, "the header's address works");
    assert!(source.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_an_event_tells_its_registrants_and_withdraws_their_reminders() {
    let app = spawn_app().await;
    let (cookie, event, _) = published_meetup(&app, "Doomed meetup").await;
    let ana = unique_email("doomed");
    registrations::register(&app.pool, event, &applicant("Ana", &ana), app.clock.now()).await.unwrap();
    app.deliver_emails().await;
    app.call("/api/change_event_status", &cookie, &[("id", &event.to_string()), ("change", "cancel")]).await;
    assert_eq!(app.deliver_emails().await.sent, 1);
    assert!(app.emails_to(&ana).await.iter().any(|e| e.subject == "Событие отменено: Doomed meetup"));
    app.clock.set(at("2027-02-11T15:00:01Z"));
    assert_eq!(app.deliver_emails().await.claimed(), 0, "no reminder for a cancelled event");
    let state: String = sqlx::query_scalar("SELECT state::text FROM notifications WHERE kind = 'reminder_day_before'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(state, "cancelled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_missed_while_down_is_sent_late_before_the_start_and_dropped_after_it() {
    let app = spawn_app().await;
    let early = app.open_event(None, "in_person").await;
    let ana = unique_email("late");
    registrations::register(&app.pool, early, &applicant("Ana", &ana), app.clock.now()).await.unwrap();
    let bob = unique_email("too-late");
    registrations::register(&app.pool, early, &applicant("Bob", &bob), app.clock.now()).await.unwrap();
    app.deliver_emails().await;
    // The platform was down from before the reminder's moment; it is back
    // three hours before the start: still useful, sent late.
    app.clock.set(at("2027-02-12T12:00:00Z"));
    sqlx::query("UPDATE notifications SET due_at = due_at + interval '1 year' WHERE recipient = $1 AND kind = 'reminder_day_before'")
        .bind(&bob)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(app.deliver_emails().await.sent, 1);
    // Worded by the time actually left, not "tomorrow" three hours before the start.
    let late = app.emails_to(&ana).await;
    let subjects: Vec<&String> = late.iter().map(|e| &e.subject).collect();
    assert!(late.iter().any(|e| e.subject.starts_with("Через 3 часа:")), "{subjects:?}");
    assert!(!late.iter().any(|e| e.subject.starts_with("Завтра")));
    // Bob's reminder comes due only after the start: dropped as missed, never sent.
    app.clock.set(at("2028-02-12T00:00:00Z"));
    let ran = app.deliver_emails().await;
    assert_eq!((ran.sent, ran.skipped), (0, 1));
    assert!(!app.emails_to(&bob).await.iter().any(|e| e.subject.starts_with("Завтра")));
    let reason: String =
        sqlx::query_scalar("SELECT why::text FROM notifications WHERE recipient = $1 AND kind = 'reminder_day_before'")
            .bind(&bob)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(reason, "event_started");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_cannot_flood_registrations() {
    let app = spawn_app().await;
    let event = app.open_event(None, "in_person").await;
    for i in 0..30 {
        let reply = app
            .call(
                "/api/register",
                "",
                &[("event_id", &event.to_string()), ("name", "Flood"), ("email", &format!("f{i}@example.org"))],
            )
            .await;
        assert!(reply.body.contains("Confirmed"), "{}", reply.body);
    }
    let refused = app
        .call("/api/register", "", &[("event_id", &event.to_string()), ("name", "Flood"), ("email", "f31@example.org")])
        .await;
    assert!(refused.body.contains("too_many_requests"), "{}", refused.body);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM registrations").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 30);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_signs_in_by_a_one_time_link_and_sees_their_registrations() {
    let app = spawn_app().await;
    let event = app.open_event(None, "in_person").await;
    let email = unique_email("member");
    registrations::register(&app.pool, event, &applicant("Mila", &email), app.clock.now()).await.unwrap();

    let page = app.get("/me").await;
    assert!(page.body.contains("Прислать ссылку"), "not signed in: the page offers the link");
    let asked =
        app.post_form_from(&format!("{}/me", app.address), "/api/request_sign_in_link", "", &[("email", &email)]).await;
    assert_eq!(asked.location.as_deref(), Some("/me?sent=1"));
    let bad = app.call("/api/request_sign_in_link", "", &[("email", "nope")]).await;
    assert!(bad.body.contains("bad_email"), "{}", bad.body);

    app.deliver_emails().await;
    let message = app
        .emails_to(&email)
        .await
        .into_iter()
        .find(|e| e.subject == "Ссылка для входа в paperclub")
        .expect("the link arrives");
    let token = message.text.split("/sign-in/").nth(1).unwrap()[..64].to_owned();
    let payload: serde_json::Value =
        sqlx::query_scalar("SELECT payload FROM notifications WHERE kind = 'sign_in_link'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(payload, serde_json::json!({}), "the secret left the database once sent");

    // Opening the link (as a mail scanner does) only asks; it names the account.
    for _ in 0..2 {
        let asked = app.get(&format!("/sign-in/{token}")).await;
        assert_eq!(asked.status, 200);
        assert!(asked.body.contains(&email), "the page says whose account it signs into");
        assert!(asked.body.contains(&format!(r#"<form method="post" action="/sign-in/{token}">"#)), "{}", asked.body);
        assert!(asked.cookie("paperclub_session").is_none());
    }
    let signed_in = app.post_form(&format!("/sign-in/{token}"), "", &[]).await;
    assert_eq!(signed_in.status, 303);
    let cookie = format!("paperclub_session={}", signed_in.cookie("paperclub_session").unwrap());
    let mine = app.get_with_cookie("/me", &cookie).await;
    assert!(mine.body.contains("Rush meetup"));
    assert!(mine.body.contains("Вы зарегистрированы"));
    assert!(mine.body.contains("/tickets/"));

    // Once only, and not after 15 minutes.
    assert_eq!(app.get(&format!("/sign-in/{token}")).await.status, 410);
    assert_eq!(app.post_form(&format!("/sign-in/{token}"), "", &[]).await.status, 410);
    app.call("/api/request_sign_in_link", "", &[("email", &email)]).await;
    app.deliver_emails().await;
    let second =
        app.emails_to(&email).await.into_iter().filter(|e| e.subject == "Ссылка для входа в paperclub").nth(1).unwrap();
    let late_token = second.text.split("/sign-in/").nth(1).unwrap()[..64].to_owned();
    app.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(app.post_form(&format!("/sign-in/{late_token}"), "", &[]).await.status, 410);
    assert_eq!(app.get(&format!("/sign-in/{}", "0".repeat(64))).await.status, 410);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organiser_cannot_sign_in_with_an_email_link_only_with_the_password() {
    let app = spawn_app().await;
    let email = unique_email("staff");
    let subject = "Ссылка для входа в paperclub";
    app.call("/api/request_sign_in_link", "", &[("email", &email)]).await;
    app.deliver_emails().await;
    let message = app.emails_to(&email).await.into_iter().find(|e| e.subject == subject).expect("a member's link");
    let token = message.text.split("/sign-in/").nth(1).unwrap()[..64].to_owned();
    // The address becomes an organiser's before the link is used.
    paperclub_core::accounts::upsert_organiser(&app.pool, &email, "Org", "a long organiser password").await.unwrap();
    let refused = app.post_form(&format!("/sign-in/{token}"), "", &[]).await;
    assert_eq!(refused.status, 403);
    assert!(refused.cookie("paperclub_session").is_none(), "no session for staff from a link");
    assert!(refused.body.contains("/admin/sign-in"), "says where staff sign in: {}", refused.body);
    // Asking again sends no link to a staff address.
    app.call("/api/request_sign_in_link", "", &[("email", &email)]).await;
    app.deliver_emails().await;
    assert_eq!(app.emails_to(&email).await.iter().filter(|e| e.subject == subject).count(), 1);
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM account_sessions").fetch_one(&app.pool).await.unwrap();
    assert_eq!(sessions, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extra_questions_are_asked_checked_kept_and_exported() {
    let app = spawn_app().await;
    app.seed().await;
    let cookie = app.sign_in_as_organiser().await;
    let series = app.series_id("ok-tech-talk").await;
    let mut form = crate::helpers::meetup_form(series, "Questions meetup");
    form.push((
        "form[questions]".into(),
        "text | Where do you work? | required\nchoice | Which talk? | Ranking; Pushes\ncheckbox | Photos are fine | required".into(),
    ));
    let saved = app.call("/api/save_event", &cookie, &crate::helpers::as_fields(&form)).await;
    assert!(saved.body.contains("Saved"), "{}", saved.body);
    let event = app.event_id("Questions meetup").await.unwrap();
    app.call("/api/change_event_status", &cookie, &[("id", &event.to_string()), ("change", "publish")]).await;
    let page = app.get(&format!("/events/{event}")).await;
    assert!(page.body.contains("Where do you work?") && page.body.contains(r#"name="answers[1]""#));
    let editor = app.get_with_cookie(&format!("/admin/events/{event}/edit"), &cookie).await;
    assert!(editor.body.contains("choice | Which talk? | Ranking; Pushes"));

    let id = event.to_string();
    let missing = app
        .call(
            "/api/register",
            "",
            &[("event_id", &id), ("name", "Ana"), ("email", "ana@example.org"), ("answers[1]", "Other")],
        )
        .await;
    assert!(missing.body.contains("answers[0]") && missing.body.contains("answers[2]"), "{}", missing.body);
    assert!(missing.body.contains("unknown_choice"), "{}", missing.body);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM registrations").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 0, "nothing saved without the required answers");

    let ok = app
        .call(
            "/api/register",
            "",
            &[
                ("event_id", &id),
                ("name", "Ana"),
                ("email", "ana@example.org"),
                ("answers[0]", "OK, ranking"),
                ("answers[1]", "Pushes"),
                ("answers[2]", "on"),
            ],
        )
        .await;
    assert!(ok.body.contains("Confirmed"), "{}", ok.body);
    let csv = app.get_with_cookie(&format!("/admin/events/{event}/registrations.csv"), &cookie).await;
    let lines: Vec<&str> = csv.body.lines().collect();
    assert!(lines[0].ends_with(",Where do you work?,Which talk?,Photos are fine"), "{}", lines[0]);
    assert!(lines[1].ends_with(",\"OK, ranking\",Pushes,yes"), "{}", lines[1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_click_unsubscribe_stops_the_reminder_and_keeps_the_registration() {
    let app = spawn_app().await;
    let event = app.open_event(None, "in_person").await;
    let ana = unique_email("unsub");
    registrations::register(&app.pool, event, &applicant("Ana", &ana), app.clock.now()).await.unwrap();
    let token = app.token_of(&ana).await;
    // A link scanner opening the address changes nothing.
    let shown = app.get(&format!("/unsubscribe/{token}")).await;
    assert_eq!(shown.status, 200);
    let state = || async {
        sqlx::query_scalar::<_, String>("SELECT state::text FROM notifications WHERE kind = 'reminder_day_before'")
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    assert_eq!(state().await, "pending");
    // The mail app's one-click POST comes from no site at all.
    let stopped =
        app.post(&format!("/unsubscribe/{token}"), "", &[("List-Unsubscribe", "One-Click")], None, "*/*").await;
    assert_eq!(stopped.status, 200);
    assert_eq!(state().await, "cancelled");
    let status: String = sqlx::query_scalar("SELECT status::text FROM registrations WHERE email = $1")
        .bind(&ana)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "confirmed");
    assert_eq!(app.post(&format!("/unsubscribe/{}", "0".repeat(64)), "", &[], None, "*/*").await.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registration_deadline_closes_the_form_and_says_so() {
    let app = spawn_app().await;
    app.seed().await;
    let cookie = app.sign_in_as_organiser().await;
    let series = app.series_id("ok-tech-talk").await;
    let mut form = crate::helpers::meetup_form(series, "Deadline meetup");
    form.push(("form[registration_deadline]".into(), "2027-03-01T00:00".into()));
    let late = app.call("/api/save_event", &cookie, &crate::helpers::as_fields(&form)).await;
    assert!(late.body.contains("deadline_after_end"), "{}", late.body);
    form.pop();
    form.push(("form[registration_deadline]".into(), "2027-02-10T12:00".into()));
    let saved = app.call("/api/save_event", &cookie, &crate::helpers::as_fields(&form)).await;
    assert!(saved.body.contains("Saved"), "{}", saved.body);
    let event = app.event_id("Deadline meetup").await.unwrap();
    app.call("/api/change_event_status", &cookie, &[("id", &event.to_string()), ("change", "publish")]).await;
    let deadline: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT registration_deadline FROM events WHERE id = $1")
            .bind(event)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(deadline, at("2027-02-10T09:00:00Z"), "12:00 in Moscow");
    assert!(app.get(&format!("/events/{event}")).await.body.contains("Зарегистрироваться"));
    app.clock.set(at("2027-02-10T09:00:01Z"));
    let page = app.get(&format!("/events/{event}")).await;
    assert!(page.body.contains("Регистрация закрыта."));
    assert!(!page.body.contains("Зарегистрироваться"));
    let refused = app
        .call("/api/register", "", &[("event_id", &event.to_string()), ("name", "Late"), ("email", "late@example.org")])
        .await;
    assert!(refused.body.contains("registration_closed"), "{}", refused.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_in_staff_work_the_door_and_nothing_else() {
    let app = spawn_app().await;
    let event = app.open_event(None, "in_person").await;
    let ana = unique_email("staffed");
    registrations::register(&app.pool, event, &applicant("Ana", &ana), app.clock.now()).await.unwrap();
    let token = app.token_of(&ana).await;
    paperclub_core::accounts::upsert_staff(
        &app.pool,
        "door@example.org",
        "Door",
        "a long door password",
        paperclub_core::accounts::Role::Checkin,
    )
    .await
    .unwrap();
    let signed_in =
        app.post_form("/api/sign_in", "", &[("email", "door@example.org"), ("password", "a long door password")]).await;
    assert_eq!(signed_in.location.as_deref(), Some("/admin/door"));
    let cookie = format!("paperclub_session={}", signed_in.cookie("paperclub_session").unwrap());
    let door = app.get_with_cookie("/admin/door", &cookie).await;
    assert!(door.body.contains("Rush meetup"));
    let scan = app.call("/api/check_in_ticket", &cookie, &[("event_id", &event.to_string()), ("code", &token)]).await;
    assert!(scan.body.contains("Admitted"), "{}", scan.body);
    let dashboard = app.get_with_cookie("/admin", &cookie).await;
    // Worded in the reader's language: Russian by default, English by choice.
    assert!(dashboard.body.contains("Эта страница — для организаторов"), "{}", dashboard.body);
    let dashboard = app.get_with_cookie("/admin", &format!("{cookie}; lang=en")).await;
    assert!(dashboard.body.contains("This page is for organisers"));
    let id = app.registration_id(&ana).await;
    app.call("/api/roster_action", &cookie, &[("registration_id", &id.to_string()), ("action", "cancel")]).await;
    let status: String = sqlx::query_scalar("SELECT status::text FROM registrations WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "checked_in", "staff cannot cancel registrations");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_request_is_refused_before_it_is_read() {
    let app = spawn_app().await;
    let event = app.open_event(None, "in_person").await;
    let huge = "x".repeat(300 * 1024);
    let page = app
        .call("/api/register", "", &[("event_id", &event.to_string()), ("name", &huge), ("email", "big@example.org")])
        .await;
    assert_eq!(page.status, 413);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM registrations").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_who_cancelled_can_register_again_with_a_fresh_ticket() {
    let app = spawn_app().await;
    let event = app.open_event(Some(5), "in_person").await;
    let email = unique_email("again");
    registrations::register(&app.pool, event, &applicant("Ana", &email), app.clock.now()).await.unwrap();
    let first = app.token_of(&email).await;
    registrations::cancel(&app.pool, &RegistrationToken::parse(&first).unwrap(), app.clock.now()).await.unwrap();
    let again = registrations::register(&app.pool, event, &applicant("Ana P.", &email), app.clock.now()).await.unwrap();
    assert_eq!(again, Registered::Confirmed);
    let second = app.token_of(&email).await;
    assert_ne!(first, second, "the old ticket link stays dead");
    assert_eq!(app.get(&format!("/tickets/{first}")).await.status, 404);
    let (count, seats): (i64, i32) =
        sqlx::query_as("SELECT (SELECT count(*) FROM registrations), (SELECT seats_taken FROM events WHERE id = $1)")
            .bind(event)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((count, seats), (1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lowering_capacity_below_the_seats_taken_is_a_problem_next_to_the_field_not_a_crash() {
    let app = spawn_app().await;
    let (cookie, event, mut form) = published_meetup(&app, "Shrinking meetup").await;
    for name in ["ana", "bob"] {
        registrations::register(&app.pool, event, &applicant("Guest", &unique_email(name)), app.clock.now())
            .await
            .unwrap();
    }
    for (key, value) in form.iter_mut() {
        if key == "form[capacity]" {
            *value = "1".into();
        }
    }
    form.push(("id".into(), event.to_string()));
    let saved = app.call("/api/save_event", &cookie, &crate::helpers::as_fields(&form)).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert!(saved.body.contains("capacity_below_seats_taken"), "{}", saved.body);
    let capacity: Option<i32> =
        sqlx::query_scalar("SELECT capacity FROM events WHERE id = $1").bind(event).fetch_one(&app.pool).await.unwrap();
    assert_eq!(capacity, Some(120), "nothing changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_cancelling_on_the_ticket_page_lands_back_on_the_ticket_saying_so() {
    let app = spawn_app().await;
    let event = app.open_event(Some(5), "in_person").await;
    let email = unique_email("cancel-nojs");
    registrations::register(&app.pool, event, &applicant("Ana", &email), app.clock.now()).await.unwrap();
    let token = app.token_of(&email).await;
    // The ticket page sends no referrer: the post arrives without one.
    let answer = app.post_form("/api/cancel_registration", "", &[("token", &token)]).await;
    assert_eq!(answer.status, 302);
    assert_eq!(answer.location.as_deref(), Some(format!("/tickets/{token}").as_str()));
    let ticket = app.get(&format!("/tickets/{token}")).await.body;
    assert!(ticket.contains("Регистрация отменена."), "the ticket says it worked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_a_too_long_answer_is_refused_with_that_fields_own_limit_stated_beside_it() {
    let app = spawn_app().await;
    let event = app.open_event(Some(10), "in_person").await;
    sqlx::query("INSERT INTO event_questions (event_id, position, kind, label, required) VALUES ($1, 1, 'text', 'Where do you work?', true)")
        .bind(event)
        .execute(&app.pool)
        .await
        .unwrap();
    let page = app.get(&format!("/events/{event}")).await;
    assert!(page.body.contains("До 1000 символов.") && page.body.contains("До 200 символов."), "limits are stated");
    assert!(!page.body.contains("maxlength"), "nothing cuts a long paste without a word");

    let pasted = "x".repeat(10_000);
    let answer = app
        .post_form_from(
            &format!("{}/events/{event}", app.address),
            "/api/register",
            "",
            &[("event_id", &event.to_string()), ("name", "Ana"), ("email", "ana@example.org"), ("answers[0]", &pasted)],
        )
        .await;
    let back = answer.location.expect("back to the event page");
    let shown = app.get(&back).await;
    assert!(shown.body.contains("не больше 1000 символов"), "the real limit, not a typical one: {back}");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM registrations").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_every_seat_taken_an_approval_event_says_a_request_joins_the_waitlist_and_the_roster_says_so_too() {
    let app = spawn_app().await;
    let cookie = app.sign_in_as_organiser().await;
    let event = app.open_approval_event(Some(1)).await;
    let first = unique_email("first");
    registrations::register(&app.pool, event, &applicant("First", &first), app.clock.now()).await.unwrap();
    let id = app.registration_id(&first).await;
    let roster = app.get_with_cookie(&format!("/admin/events/{event}/registrations"), &cookie).await;
    assert!(roster.body.contains(">Одобрить<"), "a seat is free: plain approval");
    app.call("/api/roster_action", &cookie, &[("registration_id", &id.to_string()), ("action", "approve")]).await;

    let page = app.get(&format!("/events/{event}")).await;
    assert!(page.body.contains("Все места заняты. Заявку подать можно"), "said before anyone applies");
    assert!(page.body.contains("Подать заявку в лист ожидания"));
    let late = unique_email("late");
    let reply = app.register_from_event_page(event, "Late", &late).await;
    let shown = app.get(reply.location.as_deref().unwrap()).await;
    assert!(shown.body.contains("после одобрения вы встанете в лист ожидания"));
    let roster = app.get_with_cookie(&format!("/admin/events/{event}/registrations"), &cookie).await;
    assert!(roster.body.contains("Одобрить в лист ожидания"), "the organiser sees what approving will do");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acting_on_a_registration_that_already_changed_says_what_it_is_now() {
    let app = spawn_app().await;
    let cookie = app.sign_in_as_organiser().await;
    let event = app.open_approval_event(Some(5)).await;
    let email = unique_email("twice");
    registrations::register(&app.pool, event, &applicant("Twice", &email), app.clock.now()).await.unwrap();
    let id = app.registration_id(&email).await;
    let fields = [("registration_id", id.to_string()), ("action", "approve".to_owned())];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.call("/api/roster_action", &cookie, &fields).await.status, 200);
    // The same stale button, pressed again (or by a second organiser).
    let again = app.call("/api/roster_action", &cookie, &fields).await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.body.contains("RegistrationChanged") && again.body.contains("confirmed"), "{}", again.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ticket_of_a_cancelled_event_says_so_and_offers_nothing_that_no_longer_applies() {
    let app = spawn_app().await;
    let event = app.open_event(Some(5), "in_person").await;
    let email = unique_email("ticket");
    registrations::register(&app.pool, event, &applicant("Ana", &email), app.clock.now()).await.unwrap();
    let token = app.token_of(&email).await;
    let before = app.get(&format!("/tickets/{token}")).await;
    assert!(before.body.contains("ticket-qr") && before.body.contains("Отменить регистрацию"), "a live ticket");

    paperclub_core::events::authoring::change_status(
        &app.pool,
        event,
        paperclub_core::events::authoring::StatusChange::Cancel,
        app.clock.now(),
    )
    .await
    .unwrap();
    let after = app.get(&format!("/tickets/{token}")).await;
    assert!(after.body.contains("Событие отменено"), "{}", after.body);
    assert!(!after.body.contains("Вы зарегистрированы"));
    assert!(!after.body.contains("ticket-qr"), "no QR code that admits nobody");
    assert!(!after.body.contains("Отменить регистрацию"), "nothing to cancel");
    let ics = format!("/events/{event}/calendar.ics");
    let offered = after.body.matches(&ics).count();
    assert_eq!(offered, 0, "no calendar entry for an event that will not happen: {}", after.body);
}
