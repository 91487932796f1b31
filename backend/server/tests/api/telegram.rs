//! The channel's posts against the fake Bot API, with the test's clock:
//! publishing, reminders at their instants (across DST changes too), edits,
//! moves, cancels, the recording post, 429s and broken connections, refusals
//! for good, and the bot's rights.

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use chrono_tz::Tz;
use paperclub_bot::channel_delivery::TelegramDeliverer;
use paperclub_bot::fake::{Call, ChannelConfig, Config, Fake, Fault};
use paperclub_core::clock::Clock;
use paperclub_core::events::authoring::{self, StatusChange};
use paperclub_core::forms::EventForm;
use paperclub_core::outbox::delivery::Ran;
use paperclub_core::views::ChannelProblem;

use crate::helpers::{TestApp, spawn_app};

const TOKEN: &str = "424242:test";
const CHANNEL_ID: i64 = -1_001_000_000_001;

struct Channel {
    app: TestApp,
    fake: Fake,
    telegram: TelegramDeliverer,
}

impl Channel {
    async fn start() -> Channel {
        let app = spawn_app().await;
        app.seed().await;
        // The test's clock drives our rates; the fake's real-time limits would fight it.
        let fake = Fake::new(Config { enforce_rate_limits: false, ..Config::local(TOKEN) });
        let url = fake.clone().spawn().await.unwrap();
        let bot = teloxide::Bot::new(TOKEN).set_api_url(url.parse().unwrap());
        let telegram = TelegramDeliverer::new(app.pool.clone(), bot, "https://paperclub.test");
        Channel { app, fake, telegram }
    }

    async fn run(&self) -> Ran {
        self.app.run_outbox(&[&self.telegram]).await
    }

    /// The calls made since the last look, as (method, text or message id).
    fn take_calls(&self, seen: &mut usize) -> Vec<Call> {
        let calls = self.fake.calls();
        let new = calls[*seen..].to_vec();
        *seen = calls.len();
        new
    }

    fn channel_texts(&self) -> Vec<String> {
        self.fake.messages_in(CHANNEL_ID).into_iter().map(|m| m.text).collect()
    }

    async fn series(&self) -> String {
        self.app.series_id("reading-group").await.to_string()
    }

    /// A session of the reading group on `date` at `time` Moscow time, published.
    async fn publish_session(&self, title: &str, date: &str, time: &str, pin: bool) -> i64 {
        let form = session_form(&self.series().await, title, date, time, pin);
        let now = self.app.clock.now();
        let id = authoring::create(&self.app.pool, &form, now).await.unwrap();
        authoring::change_status(&self.app.pool, id, StatusChange::Publish, now).await.unwrap();
        id
    }

    /// Each message of a kind: its state and why it ended (or what Telegram said).
    async fn state_of(&self, event_id: i64, kind: &str) -> Vec<(String, Option<String>)> {
        sqlx::query_as(
            "SELECT state::text, COALESCE(why::text, last_error) FROM notifications
             WHERE event_id = $1 AND kind::text = $2 ORDER BY id",
        )
        .bind(event_id)
        .bind(kind)
        .fetch_all(&self.app.pool)
        .await
        .unwrap()
    }
}

fn session_form(series_id: &str, title: &str, date: &str, time: &str, pin: bool) -> EventForm {
    EventForm {
        series_id: series_id.into(),
        kind: "session".into(),
        title: title.into(),
        description: "Разбираем статью. Ведущий расскажет, как это работает.".into(),
        date: date.into(),
        start_time: time.into(),
        end_time: "23:59".into(),
        format: "online".into(),
        online_url: "https://zoom.us/j/100".into(),
        link_visibility: "everyone".into(),
        venue_name: "Zoom".into(),
        registration_mode: "none".into(),
        presenters: "Сергей Ермилов, ML-инженер, Одноклассники".into(),
        papers: "Tensor-based Sequential Learning | Evgeny Frolov, Ivan Oseledets | 2022 | 2212.05720".into(),
        pin_announcement: if pin { "on".into() } else { String::new() },
        ..EventForm::default()
    }
}

fn methods(calls: &[Call]) -> Vec<&str> {
    calls.iter().map(|c| c.method.as_str()).collect()
}

fn moscow(date: &str, time: &str) -> DateTime<Utc> {
    let local = chrono::NaiveDateTime::parse_from_str(&format!("{date} {time}"), "%Y-%m-%d %H:%M").unwrap();
    chrono_tz::Europe::Moscow.from_local_datetime(&local).unwrap().with_timezone(&Utc)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_announces_pins_and_reminds_at_the_planned_instants() {
    let channel = Channel::start().await;
    let mut seen = 0;
    let id = channel.publish_session("Hankel matrices", "2026-12-01", "15:00", true).await;
    let starts = moscow("2026-12-01", "15:00");

    assert_eq!(channel.run().await.sent, 2);
    let calls = channel.take_calls(&mut seen);
    assert_eq!(methods(&calls), ["sendMessage", "pinChatMessage"]);
    assert_eq!(calls[0].params["parse_mode"], "HTML");
    let announcement = &channel.channel_texts()[0];
    for expected in
        ["Встреча №", "Hankel matrices", "Сергей Ермилов", "Tensor-based Sequential Learning", "1 декабря 2026", "МСК"]
    {
        assert!(announcement.contains(expected), "{expected} missing in {announcement}");
    }
    assert!(channel.fake.messages_in(CHANNEL_ID)[0].pinned);
    // The button opens the event page.
    let button = &calls[0].params["reply_markup"]["inline_keyboard"][0][0];
    assert_eq!(button["url"], format!("https://paperclub.test/events/{id}"));

    // Nothing until each reminder's instant; then exactly that reminder.
    for (minutes, words) in [(1440, "завтра"), (15, "через 15 минут стартует"), (2, "Ждём всех через пару минут")]
    {
        let due = starts - Duration::minutes(minutes);
        channel.app.clock.set(due - Duration::seconds(1));
        assert_eq!(channel.run().await, Ran::default(), "{minutes} min: not before its instant");
        channel.app.clock.set(due);
        assert_eq!(channel.run().await.sent, 1, "{minutes} min");
        let calls = channel.take_calls(&mut seen);
        assert_eq!(methods(&calls), ["sendMessage"]);
        let text = channel.channel_texts().last().unwrap().clone();
        assert!(text.contains(words), "{minutes}: {text}");
        assert!(text.contains("Ссылка на встречу"), "the public link is in the reminder");
    }
    channel.app.clock.set(starts + Duration::hours(1));
    assert_eq!(channel.run().await, Ran::default());
    assert_eq!(channel.state_of(id, "tg_reminder").await.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moving_a_session_edits_the_post_and_moves_the_reminders_and_saving_it_unchanged_calls_nothing() {
    let channel = Channel::start().await;
    let mut seen = 0;
    let id = channel.publish_session("Hankel matrices", "2026-12-01", "15:00", false).await;
    channel.run().await;
    channel.take_calls(&mut seen);

    let mut form = authoring::form_of(&channel.app.pool, id).await.unwrap();
    form.start_time = "18:00".into();
    form.title = "Hankel matrices, part 2".into();
    authoring::update(&channel.app.pool, id, &form, channel.app.clock.now()).await.unwrap();
    let ran = channel.run().await;
    assert_eq!((ran.sent, ran.skipped), (1, 1), "the announcement's edit; no recording post to edit yet");
    let calls = channel.take_calls(&mut seen);
    assert_eq!(methods(&calls), ["editMessageText"]);
    let text = channel.channel_texts()[0].clone();
    assert!(text.contains("part 2") && text.contains("18:00"), "{text}");

    // Saved again with nothing changed: no call at all.
    authoring::update(&channel.app.pool, id, &form, channel.app.clock.now()).await.unwrap();
    channel.run().await;
    assert!(channel.take_calls(&mut seen).is_empty());

    // Every reminder moved with the start: the day-before one to 18:00 the day before...
    channel.app.clock.set(moscow("2026-11-30", "17:59"));
    channel.run().await;
    assert!(channel.take_calls(&mut seen).is_empty());
    channel.app.clock.set(moscow("2026-11-30", "18:00"));
    channel.run().await;
    assert_eq!(methods(&channel.take_calls(&mut seen)), ["sendMessage"]);
    // ...and the 15-minute one to 17:45, not 14:45.
    channel.app.clock.set(moscow("2026-12-01", "14:45"));
    channel.run().await;
    assert!(methods(&channel.take_calls(&mut seen)).is_empty(), "not at the old instant");
    channel.app.clock.set(moscow("2026-12-01", "17:45"));
    channel.run().await;
    let calls = channel.take_calls(&mut seen);
    assert_eq!(methods(&calls), ["sendMessage"]);
    assert!(calls[0].params["text"].as_str().unwrap().contains("15 минут"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_edits_the_announcement_posts_a_notice_and_withdraws_the_reminders() {
    let channel = Channel::start().await;
    let mut seen = 0;
    let id = channel.publish_session("To be cancelled", "2026-12-02", "15:00", false).await;
    channel.run().await;
    channel.take_calls(&mut seen);
    authoring::change_status(&channel.app.pool, id, StatusChange::Cancel, channel.app.clock.now()).await.unwrap();
    channel.run().await;
    let calls = channel.take_calls(&mut seen);
    assert_eq!(methods(&calls), ["editMessageText", "sendMessage"]);
    let texts = channel.channel_texts();
    assert!(texts[0].contains("Отменено"), "{}", texts[0]);
    assert!(texts[1].contains("Отменяется"), "{}", texts[1]);
    // No reminder ever goes out for it.
    channel.app.clock.set(moscow("2026-12-02", "14:59"));
    channel.run().await;
    assert!(channel.take_calls(&mut seen).is_empty());
    assert!(channel.state_of(id, "tg_reminder").await.iter().all(|(state, _)| state == "cancelled"));

    // Cancelled before it was announced: nothing at all is posted.
    let quiet = channel.publish_session("Never announced", "2026-12-03", "15:00", false).await;
    authoring::change_status(&channel.app.pool, quiet, StatusChange::Cancel, channel.app.clock.now()).await.unwrap();
    channel.run().await;
    assert!(channel.take_calls(&mut seen).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_pinned_announcement_unpins_it_and_takes_the_join_link_out() {
    let channel = Channel::start().await;
    let mut seen = 0;
    let id = channel.publish_session("Pinned, then cancelled", "2026-12-02", "15:00", true).await;
    channel.run().await;
    assert_eq!(methods(&channel.take_calls(&mut seen)), ["sendMessage", "pinChatMessage"]);
    assert!(channel.channel_texts()[0].contains("Ссылка на встречу"));
    authoring::change_status(&channel.app.pool, id, StatusChange::Cancel, channel.app.clock.now()).await.unwrap();
    channel.run().await;
    let calls = channel.take_calls(&mut seen);
    assert_eq!(methods(&calls), ["editMessageText", "unpinChatMessage", "sendMessage"]);
    let announcement = &channel.fake.messages_in(CHANNEL_ID)[0];
    assert!(!announcement.pinned, "the cancelled announcement is no longer pinned");
    assert!(announcement.text.contains("Отменено"), "{}", announcement.text);
    assert!(
        !announcement.text.contains("Ссылка на встречу"),
        "no join link for a cancelled event: {}",
        announcement.text
    );
    assert!(!announcement.text.contains("zoom.us"), "{}", announcement.text);

    // Not pinned by the bot: nothing to unpin.
    let unpinned = channel.publish_session("Never pinned", "2026-12-03", "15:00", false).await;
    channel.run().await;
    channel.take_calls(&mut seen);
    authoring::change_status(&channel.app.pool, unpinned, StatusChange::Cancel, channel.app.clock.now()).await.unwrap();
    channel.run().await;
    assert_eq!(methods(&channel.take_calls(&mut seen)), ["editMessageText", "sendMessage"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_recording_post_carries_its_size_and_the_demo_link() {
    let channel = Channel::start().await;
    let mut seen = 0;
    let id = channel.publish_session("With a recording", "2026-11-28", "14:00", false).await;
    channel.run().await;
    channel.take_calls(&mut seen);
    authoring::change_status(&channel.app.pool, id, StatusChange::Finish, channel.app.clock.now()).await.unwrap();
    let mut form = authoring::form_of(&channel.app.pool, id).await.unwrap();
    form.recording_url = "https://video.example/100.mp4".into();
    form.recording_file_name = "Tensor_based_Sequential_Learning.mp4".into();
    form.recording_size_mb = "75".into();
    form.demos = "ga-satf".into();
    authoring::update(&channel.app.pool, id, &form, channel.app.clock.now()).await.unwrap();
    channel.run().await;
    let calls = channel.take_calls(&mut seen);
    assert!(methods(&calls).contains(&"sendMessage"), "{calls:?}");
    let recording = channel.fake.messages_in(CHANNEL_ID).last().unwrap().clone();
    assert!(recording.text.contains("Tensor_based_Sequential_Learning.mp4, 75 MB"), "{}", recording.text);
    assert!(recording.html.contains("https://paperclub.test/demos/ga-satf"), "{}", recording.html);
    assert!(recording.html.contains("https://video.example/100.mp4"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_waits_its_retry_after_a_dropped_connection_retries_and_order_holds() {
    let channel = Channel::start().await;
    let mut seen = 0;
    channel.fake.add_fault(Fault { method: Some("sendMessage".into()), kind: "429".into(), retry_after: Some(9) });
    let first = channel.publish_session("First", "2026-12-05", "15:00", false).await;
    let second = channel.publish_session("Second", "2026-12-06", "15:00", false).await;
    let ran = channel.run().await;
    assert_eq!((ran.sent, ran.waiting), (0, 2), "the 429 holds both, in order");
    channel.take_calls(&mut seen);
    channel.app.clock.advance(Duration::seconds(8));
    assert_eq!(channel.run().await.sent, 0, "still within retry_after");
    assert!(channel.take_calls(&mut seen).is_empty(), "nothing is sent while Telegram asked to wait");
    channel.app.clock.advance(Duration::seconds(1));
    channel.fake.add_fault(Fault { method: Some("sendMessage".into()), kind: "drop".into(), retry_after: None });
    let ran = channel.run().await;
    assert_eq!(ran.retried, 1);
    // The second waits behind the first: per chat, order holds.
    assert_eq!(ran.sent, 0);
    channel.app.clock.advance(Duration::minutes(1));
    assert_eq!(channel.run().await.sent, 2);
    let texts = channel.channel_texts();
    assert!(texts[0].contains("First") && texts[1].contains("Second"), "{texts:?}");
    let (state, error) = channel.state_of(first, "tg_announcement").await.remove(0);
    assert_eq!(state, "sent");
    assert!(error.is_none());
    assert_eq!(channel.state_of(second, "tg_announcement").await[0].0, "sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_for_good_fail_with_a_reason_and_the_rights_check_names_the_missing_right() {
    let channel = Channel::start().await;
    let mut config = Config::local(TOKEN).channels.remove(0);
    config.bot_status = "kicked".into();
    channel.fake.set_channel(config.clone());
    let id = channel.publish_session("Nobody hears", "2026-12-07", "15:00", false).await;
    assert_eq!(channel.run().await.failed, 1);
    let (state, reason) = channel.state_of(id, "tg_announcement").await.remove(0);
    assert_eq!(state, "failed");
    assert!(reason.unwrap().contains("removed from the channel"));

    let bot = teloxide::Bot::new(TOKEN).set_api_url(channel.fake_url().await.parse().unwrap());
    let checked = paperclub_bot::rights::check(&channel.app.pool, &bot, channel.app.clock.now()).await.unwrap();
    assert_eq!(checked[0].problem, Some(ChannelProblem::Removed), "the bot was removed: add it back");
    channel.fake.set_channel(ChannelConfig {
        bot_status: "administrator".into(),
        can_pin: false,
        can_edit: false,
        ..config
    });
    let checked = paperclub_bot::rights::check(&channel.app.pool, &bot, channel.app.clock.now()).await.unwrap();
    assert!(checked[0].can_post && !checked[0].can_pin);
    assert_eq!(checked[0].problem, Some(ChannelProblem::CannotPin), "it needs Edit messages of others");
}

impl Channel {
    /// A second client for the same fake (the publisher keeps its own).
    async fn fake_url(&self) -> String {
        self.fake.clone().spawn().await.unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_late_because_the_platform_was_down_goes_out_before_the_start_and_is_missed_after() {
    let channel = Channel::start().await;
    let mut seen = 0;
    let id = channel.publish_session("Downtime", "2026-12-08", "15:00", false).await;
    channel.run().await;
    channel.take_calls(&mut seen);
    // Down from 14:00 to 14:50: the 15-minute reminder (14:45) is late but
    // useful, and says the time actually left; the day-before one would say
    // "tomorrow" ten minutes before the start, so only the nearer one goes.
    channel.app.clock.set(moscow("2026-12-08", "14:50"));
    channel.run().await;
    let calls = channel.take_calls(&mut seen);
    assert_eq!(methods(&calls), ["sendMessage"], "only the nearer reminder, still before the start");
    let text = channel.channel_texts().last().unwrap().clone();
    assert!(text.contains("через 10 минут стартует"), "{text}");
    assert!(!text.contains("завтра"), "{text}");
    let states = channel.state_of(id, "tg_reminder").await;
    assert!(states.iter().any(|(s, why)| s == "missed" && why.as_deref() == Some("nearer_reminder_due")), "{states:?}");
    // Down again past the start: the 2-minute reminder is marked missed, never sent.
    channel.app.clock.set(moscow("2026-12-08", "15:05"));
    channel.run().await;
    assert!(channel.take_calls(&mut seen).is_empty());
    let states = channel.state_of(id, "tg_reminder").await;
    assert_eq!(states.iter().filter(|(s, _)| s == "missed").count(), 2, "{states:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_fall_at_their_offsets_across_daylight_saving_changes() {
    let channel = Channel::start().await;
    let mut seen = 0;
    channel.run().await;
    // Events just after a DST change in zones that have one; offsets of a day,
    // an hour and a quarter: the reminder is due exactly `offset` before the
    // start instant, whatever the wall clocks did in between.
    let cases: [(Tz, &str, &str); 4] = [
        (chrono_tz::America::New_York, "2027-03-14", "10:00"),
        (chrono_tz::America::New_York, "2026-11-01", "09:00"),
        (chrono_tz::Europe::Berlin, "2027-03-28", "12:00"),
        (chrono_tz::Australia::Sydney, "2027-04-04", "10:00"),
    ];
    let series = channel.series().await;
    sqlx::query("UPDATE series SET reminder_minutes = '{1440,60,15}' WHERE id = $1::bigint")
        .bind(&series)
        .execute(&channel.app.pool)
        .await
        .unwrap();
    for (zone, date, time) in cases {
        channel.app.clock.set(Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap());
        let form = EventForm {
            time_zone: zone.name().into(),
            ..session_form(&series, &format!("DST {date}"), date, time, false)
        };
        let now = channel.app.clock.now();
        let id = authoring::create(&channel.app.pool, &form, now).await.unwrap();
        authoring::change_status(&channel.app.pool, id, StatusChange::Publish, now).await.unwrap();
        channel.run().await;
        channel.take_calls(&mut seen);
        let local = chrono::NaiveDateTime::parse_from_str(&format!("{date} {time}"), "%Y-%m-%d %H:%M").unwrap();
        let starts = zone.from_local_datetime(&local).unwrap().with_timezone(&Utc);
        for minutes in [1440, 60, 15] {
            let due = starts - Duration::minutes(minutes);
            channel.app.clock.set(due - Duration::seconds(1));
            channel.run().await;
            assert!(channel.take_calls(&mut seen).is_empty(), "{zone} {date}: {minutes} min fired early");
            channel.app.clock.set(due);
            channel.run().await;
            assert_eq!(methods(&channel.take_calls(&mut seen)), ["sendMessage"], "{zone} {date}: {minutes} min");
        }
        channel.app.clock.set(starts + Duration::hours(2));
        channel.run().await;
        channel.take_calls(&mut seen);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_posts_keeps_to_twenty_a_minute_in_one_channel() {
    let channel = Channel::start().await;
    let mut seen = 0;
    for n in 0..45 {
        channel.publish_session(&format!("Burst {n}"), "2026-12-20", "15:00", false).await;
    }
    let start = channel.app.clock.now();
    let mut sent_at: Vec<DateTime<Utc>> = Vec::new();
    while sent_at.len() < 45 {
        let ran = channel.run().await;
        sent_at.extend(std::iter::repeat_n(channel.app.clock.now(), ran.sent));
        channel.app.clock.advance(Duration::seconds(1));
        assert!(channel.app.clock.now() - start < Duration::minutes(5), "stuck at {}", sent_at.len());
    }
    for (k, at) in sent_at.iter().enumerate().skip(20) {
        assert!(*at - sent_at[k - 20] >= Duration::seconds(60), "more than 20 within a minute at {k}");
    }
    // And as fast as the limit allows: the last of 45 goes out in the third minute.
    assert!(*sent_at.last().unwrap() - start <= Duration::seconds(123));
    let texts = channel.channel_texts();
    assert!(texts.iter().enumerate().all(|(n, t)| t.contains(&format!("Burst {n}"))), "in order");
    assert!(channel.take_calls(&mut seen).iter().all(|c| c.status == 200), "Telegram never had to refuse");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organisers_see_every_message_with_previews_and_can_send_now_retry_or_skip() {
    let channel = Channel::start().await;
    let id = channel.publish_session("On the dashboard", "2026-12-09", "15:00", false).await;
    // The bot was thrown out: the announcement fails, the dashboard says what to do.
    let mut config = Config::local(TOKEN).channels.remove(0);
    config.bot_status = "left".into();
    channel.fake.set_channel(config.clone());
    channel.run().await;
    let bot = teloxide::Bot::new(TOKEN).set_api_url(channel.fake_url().await.parse().unwrap());
    paperclub_bot::rights::check(&channel.app.pool, &bot, channel.app.clock.now()).await.unwrap();
    let cookie = channel.app.sign_in_as_organiser().await;
    let board = channel.app.get_with_cookie("/admin", &cookie).await;
    assert!(board.body.contains("Бота нет в канале: добавьте его администратором."), "the dashboard names the problem");
    let board = channel.app.get_with_cookie("/admin", &format!("{cookie}; lang=en")).await;
    assert!(
        board.body.contains("The bot is not in the channel: add it as an administrator."),
        "the dashboard names the problem"
    );

    let page = channel.app.get_with_cookie(&format!("/admin/events/{id}/notifications"), &cookie).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"data-kind="tg_announcement" data-state="failed""#), "{}", page.body);
    assert!(page.body.contains(r#"data-kind="tg_reminder" data-state="pending""#));
    // Previews: the announcement and each reminder, as Telegram HTML.
    assert!(page.body.contains(r#"data-kind="reminder:15""#) && !page.body.contains("&lt;b&gt;"));
    assert!(page.body.contains("<b>On the dashboard</b>"));

    let failed: i64 =
        sqlx::query_scalar("SELECT id FROM notifications WHERE event_id = $1 AND kind = 'tg_announcement'")
            .bind(id)
            .fetch_one(&channel.app.pool)
            .await
            .unwrap();
    let reminder: i64 = sqlx::query_scalar(
        "SELECT id FROM notifications WHERE event_id = $1 AND kind = 'tg_reminder' ORDER BY due_at LIMIT 1",
    )
    .bind(id)
    .fetch_one(&channel.app.pool)
    .await
    .unwrap();
    let act = |nid: i64, action: &'static str| {
        let app = &channel.app;
        let cookie = cookie.clone();
        async move {
            app.call(
                "/api/notification_action",
                &cookie,
                &[("event_id", &id.to_string()), ("id", &nid.to_string()), ("action", action)],
            )
            .await
        }
    };
    assert_eq!(act(reminder, "skip").await.status, 200);
    assert_eq!(channel.state_of(id, "tg_reminder").await.iter().filter(|(s, _)| s == "cancelled").count(), 1);
    // The page says why, in the organiser's language.
    let page = channel.app.get_with_cookie(&format!("/admin/events/{id}/notifications"), &cookie).await;
    assert!(page.body.contains("пропущено организатором"), "{}", page.body);
    let page =
        channel.app.get_with_cookie(&format!("/admin/events/{id}/notifications"), &format!("{cookie}; lang=en")).await;
    assert!(page.body.contains("skipped by an organiser"));
    // Back in the channel, the organiser retries the failed announcement; it goes out.
    channel.fake.set_channel(ChannelConfig { bot_status: "administrator".into(), ..config });
    act(failed, "retry").await;
    assert_eq!(channel.run().await.sent, 1);
    assert_eq!(channel.state_of(id, "tg_announcement").await[0].0, "sent");
    // "Send now" on the skipped reminder: it goes out at once.
    act(reminder, "send_now").await;
    assert_eq!(channel.run().await.sent, 1);
    assert!(channel.channel_texts().last().unwrap().contains("Напоминаем"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_storm_of_429s_and_server_errors_still_delivers_everything_in_order_within_the_rates() {
    let channel = Channel::start().await;
    for n in 0..12 {
        channel.publish_session(&format!("Storm {n:02}"), "2026-12-21", "15:00", false).await;
    }
    for (kind, retry_after) in
        [("429", Some(3)), ("drop", None), ("429", Some(5)), ("500", None), ("drop", None), ("429", Some(2))]
    {
        channel.fake.add_fault(Fault { method: Some("sendMessage".into()), kind: kind.into(), retry_after });
    }
    let start = channel.app.clock.now();
    loop {
        channel.run().await;
        let left: i64 =
            sqlx::query_scalar("SELECT count(*) FROM notifications WHERE kind = 'tg_announcement' AND state <> 'sent'")
                .fetch_one(&channel.app.pool)
                .await
                .unwrap();
        if left == 0 {
            break;
        }
        channel.app.clock.advance(Duration::seconds(1));
        assert!(channel.app.clock.now() - start < Duration::minutes(30), "{left} never went out");
    }
    let texts = channel.channel_texts();
    assert_eq!(texts.len(), 12, "each exactly once");
    assert!(texts.iter().enumerate().all(|(n, t)| t.contains(&format!("Storm {n:02}"))), "in order: {texts:?}");
    let faults = channel.fake.calls().iter().filter(|c| c.status != 200).count();
    assert_eq!(faults, 6, "every injected fault was met and survived");
    let sent_at: Vec<DateTime<Utc>> =
        sqlx::query_scalar("SELECT sent_at FROM notifications WHERE kind = 'tg_announcement' ORDER BY sent_at")
            .fetch_all(&channel.app.pool)
            .await
            .unwrap();
    for (k, at) in sent_at.iter().enumerate().skip(20) {
        assert!(*at - sent_at[k - 20] >= Duration::seconds(60));
    }
}

/// Daylight-saving changes of a zone in a year: the days on which its UTC offset changes.
fn transitions(zone: Tz, year: i32) -> Vec<chrono::NaiveDate> {
    use chrono::Offset;
    let mut days = Vec::new();
    let mut day = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
    let offset_at = |d: chrono::NaiveDate| zone.offset_from_utc_date(&d).fix();
    while day.year() == year {
        let next = day.succ_opt().unwrap();
        if offset_at(day) != offset_at(next) {
            days.push(next);
        }
        day = next;
    }
    days
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn property_reminders_are_due_exactly_their_offset_before_the_start_in_any_zone() {
    let channel = Channel::start().await;
    let series = channel.series().await;
    let zones = [
        chrono_tz::America::New_York,
        chrono_tz::America::Los_Angeles,
        chrono_tz::America::Santiago,
        chrono_tz::Europe::London,
        chrono_tz::Europe::Berlin,
        chrono_tz::Asia::Jerusalem,
        chrono_tz::Australia::Sydney,
        chrono_tz::Pacific::Auckland,
        chrono_tz::Europe::Moscow,
    ];
    // A small seeded generator: the same cases on every run.
    let mut state: u64 = 0x5eed;
    let mut next = |n: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let mut checked = 0;
    for zone in zones {
        let days = transitions(zone, 2027);
        // Zones without DST (Moscow) get ordinary days: the property still holds.
        let candidates =
            if days.is_empty() { vec![chrono::NaiveDate::from_ymd_opt(2027, 3, 28).unwrap()] } else { days };
        for change in candidates {
            let date = change + chrono::Duration::days(next(3) as i64 - 1);
            let time = format!("{:02}:{:02}", 8 + next(12), [0, 15, 30, 45][next(4) as usize]);
            let minutes = [2i32, 15, 60, 180, 1440, 2880][next(6) as usize];
            sqlx::query("UPDATE series SET reminder_minutes = $2 WHERE id = $1::bigint")
                .bind(&series)
                .bind(vec![minutes])
                .execute(&channel.app.pool)
                .await
                .unwrap();
            channel.app.clock.set(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap());
            let title = format!("Property {zone} {date} {time} {minutes}");
            let form = EventForm {
                time_zone: zone.name().into(),
                ..session_form(&series, &title, &date.to_string(), &time, false)
            };
            let now = channel.app.clock.now();
            let id = authoring::create(&channel.app.pool, &form, now).await.unwrap();
            authoring::change_status(&channel.app.pool, id, StatusChange::Publish, now).await.unwrap();
            let local = chrono::NaiveDateTime::parse_from_str(&format!("{date} {time}"), "%Y-%m-%d %H:%M").unwrap();
            let Some(starts) = zone.from_local_datetime(&local).earliest() else { continue };
            let starts = starts.with_timezone(&Utc);
            let due: DateTime<Utc> =
                sqlx::query_scalar("SELECT due_at FROM notifications WHERE event_id = $1 AND kind = 'tg_reminder'")
                    .bind(id)
                    .fetch_one(&channel.app.pool)
                    .await
                    .unwrap();
            assert_eq!(due, starts - Duration::minutes(i64::from(minutes)), "{title}");
            assert_eq!(date.year(), 2027);
            checked += 1;
        }
    }
    assert!(checked >= 17, "{checked} cases");
}
