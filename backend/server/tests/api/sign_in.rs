//! Password sign-in as an attacker would try it: many guesses at once, and
//! failures meant to lock the organiser out.

use paperclub_core::accounts::sign_in::{self, MAX_FAILURES_PER_ACCOUNT_AND_ADDR};
use paperclub_core::clock::Clock;
use paperclub_core::forms::{FieldErrors, Problem};

use crate::helpers::{ORGANISER_EMAIL, ORGANISER_PASSWORD, spawn_app};

fn refusal(result: &paperclub_core::error::Result<paperclub_core::accounts::Account>) -> Option<Problem> {
    match result {
        Err(paperclub_core::Error::Invalid(errors)) => errors.0.get(FieldErrors::FORM).cloned(),
        _ => None,
    }
}

// As many threads as guesses: each request runs as it would on a busy server.
#[tokio::test(flavor = "multi_thread", worker_threads = 20)]
async fn twenty_guesses_sent_at_once_get_no_more_password_checks_than_the_limit() {
    let app = spawn_app().await;
    paperclub_core::accounts::upsert_organiser(&app.pool, ORGANISER_EMAIL, "Org", ORGANISER_PASSWORD).await.unwrap();
    let now = app.clock.now();
    let busy = app.busy_pool().await;
    let guesses: Vec<_> = (0..20)
        .map(|i| {
            let pool = busy.clone();
            tokio::spawn(async move {
                sign_in::sign_in(&pool, ORGANISER_EMAIL, &format!("guess {i}"), "203.0.113.7", now).await
            })
        })
        .collect();
    let mut checked = 0;
    for guess in guesses {
        match refusal(&guess.await.unwrap()) {
            Some(Problem::WrongCredentials) => checked += 1,
            Some(Problem::TooManyAttempts) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(checked <= MAX_FAILURES_PER_ACCOUNT_AND_ADDR as usize, "{checked} guesses were checked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_failing_many_times_does_not_lock_the_organiser_out() {
    let app = spawn_app().await;
    paperclub_core::accounts::upsert_organiser(&app.pool, ORGANISER_EMAIL, "Org", ORGANISER_PASSWORD).await.unwrap();
    let now = app.clock.now();
    for i in 0..30 {
        let _ = sign_in::sign_in(&app.pool, ORGANISER_EMAIL, &format!("guess {i}"), "203.0.113.7", now).await;
    }
    let stranger = sign_in::sign_in(&app.pool, ORGANISER_EMAIL, ORGANISER_PASSWORD, "203.0.113.7", now).await;
    assert_eq!(refusal(&stranger), Some(Problem::TooManyAttempts), "the guessing address waits");
    let organiser = sign_in::sign_in(&app.pool, ORGANISER_EMAIL, ORGANISER_PASSWORD, "198.51.100.1", now).await;
    assert!(organiser.is_ok(), "the organiser from their own address signs in: {organiser:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_from_many_addresses_slow_everyone_but_the_organisers_known_address() {
    let app = spawn_app().await;
    paperclub_core::accounts::upsert_organiser(&app.pool, ORGANISER_EMAIL, "Org", ORGANISER_PASSWORD).await.unwrap();
    let now = app.clock.now();
    let home = "198.51.100.1";
    assert!(sign_in::sign_in(&app.pool, ORGANISER_EMAIL, ORGANISER_PASSWORD, home, now).await.is_ok());
    for addr in 0..6 {
        for i in 0..20 {
            let guess = format!("guess {i}");
            let _ = sign_in::sign_in(&app.pool, ORGANISER_EMAIL, &guess, &format!("203.0.113.{addr}"), now).await;
        }
    }
    let elsewhere = sign_in::sign_in(&app.pool, ORGANISER_EMAIL, ORGANISER_PASSWORD, "192.0.2.50", now).await;
    assert_eq!(
        refusal(&elsewhere),
        Some(Problem::TooManyAttempts),
        "a new address waits while the account is under attack"
    );
    assert!(sign_in::sign_in(&app.pool, ORGANISER_EMAIL, ORGANISER_PASSWORD, home, now).await.is_ok());
}
