//! The outbox on its own terms, through a scripted `Deliverer` (the shape a
//! third channel would take): one retry policy for any channel, a provider's
//! "wait" that is not an attempt, refusals for good, a lease that covers a
//! slow send so a second worker never takes the row, and one `run_due` that
//! drains every channel it is given.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use paperclub_core::clock::Clock;
use paperclub_core::outbox::delivery::{Claimed, Deliverer, Delivery, DeliveryFuture};
use paperclub_core::outbox::plan::{self, Planned};
use paperclub_core::outbox::{Channel, Kind};
use tokio::sync::Semaphore;

use crate::helpers::{TestApp, spawn_app, unique_email};

/// Answers each delivery with the next scripted outcome (then `Sent`), and
/// can hold a delivery until the test lets it go.
struct Scripted {
    channel: Channel,
    outcomes: Mutex<VecDeque<Delivery>>,
    delivered: Mutex<Vec<i64>>,
    longest: std::time::Duration,
    /// When set, each delivery waits for a permit.
    gate: Option<Arc<Semaphore>>,
    /// A permit per delivery that has begun.
    begun: Arc<Semaphore>,
}

impl Scripted {
    fn new(channel: Channel, outcomes: Vec<Delivery>) -> Scripted {
        Scripted {
            channel,
            outcomes: Mutex::new(outcomes.into()),
            delivered: Mutex::new(Vec::new()),
            longest: std::time::Duration::from_secs(10),
            gate: None,
            begun: Arc::new(Semaphore::new(0)),
        }
    }

    fn delivered(&self) -> Vec<i64> {
        self.delivered.lock().unwrap().clone()
    }
}

impl Deliverer for Scripted {
    fn channel(&self) -> Channel {
        self.channel
    }

    fn longest_send(&self) -> std::time::Duration {
        self.longest
    }

    fn deliver<'a>(&'a self, message: &'a Claimed, _now: DateTime<Utc>) -> DeliveryFuture<'a> {
        Box::pin(async move {
            self.begun.add_permits(1);
            if let Some(gate) = &self.gate {
                gate.acquire().await.unwrap().forget();
            }
            let outcome = self.outcomes.lock().unwrap().pop_front().unwrap_or(Delivery::Sent("ok".into()));
            if matches!(outcome, Delivery::Sent(_)) {
                self.delivered.lock().unwrap().push(message.id);
            }
            outcome
        })
    }
}

async fn plan_one(app: &TestApp, kind: Kind, recipient: &str) -> i64 {
    let mut conn = app.pool.acquire().await.unwrap();
    let key = format!("test:{}:{recipient}", kind.code());
    let planned = Planned {
        kind,
        event_id: None,
        registration_id: None,
        recipient,
        dedupe_key: key.clone(),
        payload: serde_json::json!({}),
        due_at: app.clock.now(),
    };
    plan::plan(&mut conn, &planned).await.unwrap();
    sqlx::query_scalar("SELECT id FROM notifications WHERE dedupe_key = $1")
        .bind(key)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn row(app: &TestApp, id: i64) -> (String, i32, Option<DateTime<Utc>>, Option<String>) {
    sqlx::query_as("SELECT state::text, attempts, retry_at, last_error FROM notifications WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_channel_retries_with_backoff_waits_when_told_without_an_attempt_and_fails_refusals_for_good() {
    let app = spawn_app().await;
    let id = plan_one(&app, Kind::SignInLink, "ana@example.org").await;
    let double = Scripted::new(
        Channel::Email,
        vec![
            Delivery::Transient("connection refused".into()),
            Delivery::Throttled { wait: Duration::seconds(59), reason: "asked to wait".into() },
            Delivery::Permanent("mailbox does not exist".into()),
        ],
    );

    assert_eq!(app.run_outbox(&[&double]).await.retried, 1);
    let (state, attempts, retry_at, error) = row(&app, id).await;
    assert_eq!((state.as_str(), attempts, error.as_deref()), ("pending", 1, Some("connection refused")));
    let wait = retry_at.unwrap() - app.clock.now();
    assert!(wait > Duration::seconds(23) && wait <= Duration::seconds(30), "first backoff with jitter: {wait}");
    assert_eq!(app.run_outbox(&[&double]).await.claimed(), 0, "not before its retry");

    app.clock.advance(Duration::seconds(31));
    let later = app.clock.now() + Duration::seconds(59);
    assert_eq!(app.run_outbox(&[&double]).await.waiting, 1);
    let (state, attempts, retry_at, _) = row(&app, id).await;
    assert_eq!((state.as_str(), attempts), ("pending", 1), "a wait the provider asked for is not an attempt");
    assert_eq!(retry_at, Some(later));

    app.clock.set(later);
    assert_eq!(app.run_outbox(&[&double]).await.failed, 1);
    let (state, attempts, _, error) = row(&app, id).await;
    assert_eq!((state.as_str(), attempts, error.as_deref()), ("failed", 2, Some("mailbox does not exist")));
    assert!(double.delivered().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_worker_never_takes_a_message_the_first_is_still_sending() {
    let app = spawn_app().await;
    let id = plan_one(&app, Kind::SignInLink, &unique_email("slow")).await;
    // A send that may take five minutes, far longer than the claim's lease.
    let gate = Arc::new(Semaphore::new(0));
    let mut slow = Scripted::new(Channel::Email, vec![]);
    slow.longest = std::time::Duration::from_secs(300);
    slow.gate = Some(gate.clone());
    let begun = slow.begun.clone();
    let slow = Arc::new(slow);

    let first = {
        let (pool, now, slow) = (app.pool.clone(), app.clock.now(), slow.clone());
        tokio::spawn(async move { paperclub_core::outbox::delivery::run_due(&pool, now, &[slow.as_ref()]).await })
    };
    begun.acquire().await.unwrap().forget();
    // Two minutes into the send, another process looks: the lease still holds.
    app.clock.advance(Duration::minutes(2));
    let second = Scripted::new(Channel::Email, vec![]);
    assert_eq!(app.run_outbox(&[&second]).await.claimed(), 0, "the row is still the first worker's");
    gate.add_permits(1);
    assert_eq!(first.await.unwrap().unwrap().sent, 1);
    assert_eq!((slow.delivered(), second.delivered()), (vec![id], vec![]), "sent exactly once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_run_drains_every_channel_it_is_given() {
    let app = spawn_app().await;
    let email = plan_one(&app, Kind::SignInLink, "ana@example.org").await;
    let post = plan_one(&app, Kind::TgAnnouncement, "@ml_is_ok").await;
    let mail = Scripted::new(Channel::Email, vec![]);
    let telegram = Scripted::new(Channel::Telegram, vec![]);
    assert_eq!(app.run_outbox(&[&mail]).await.sent, 1, "only the channels given");
    assert_eq!(row(&app, post).await.0, "pending");
    assert_eq!(app.run_outbox(&[&mail, &telegram]).await.sent, 1);
    assert_eq!((mail.delivered(), telegram.delivered()), (vec![email], vec![post]));
}
