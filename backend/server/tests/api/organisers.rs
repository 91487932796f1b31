use crate::helpers::{ORGANISER_EMAIL, ORGANISER_PASSWORD, as_fields, meetup_form, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_sends_visitors_without_a_session_to_sign_in() {
    let app = spawn_app().await;
    let page = app.get("/admin").await;
    assert_eq!(page.status, 302);
    assert_eq!(page.location.as_deref(), Some("/admin/sign-in"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_with_the_right_password_opens_the_dashboard() {
    let app = spawn_app().await;
    app.seed().await;
    let cookie = app.sign_in_as_organiser().await;
    let page = app.get_with_cookie("/admin", &cookie).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Панель организатора"));
    assert!(page.body.contains("ML в production"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_cookie_is_http_only_and_same_site() {
    let app = spawn_app().await;
    paperclub_core::accounts::upsert_organiser(&app.pool, ORGANISER_EMAIL, "Org", ORGANISER_PASSWORD).await.unwrap();
    let page = app.post_form("/api/sign_in", "", &[("email", ORGANISER_EMAIL), ("password", ORGANISER_PASSWORD)]).await;
    assert_eq!(page.status, 302);
    assert_eq!(page.location.as_deref(), Some("/admin"));
    let header = page.set_cookies.iter().find(|c| c.starts_with("paperclub_session=")).unwrap();
    assert!(header.contains("HttpOnly"));
    assert!(header.contains("SameSite=Lax"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_refused_without_a_session() {
    let app = spawn_app().await;
    paperclub_core::accounts::upsert_organiser(&app.pool, ORGANISER_EMAIL, "Org", ORGANISER_PASSWORD).await.unwrap();
    let page = app.post_form("/api/sign_in", "", &[("email", ORGANISER_EMAIL), ("password", "not the password")]).await;
    assert_eq!(page.status, 302);
    assert_eq!(page.location.as_deref(), Some("/admin/sign-in?field=_form&problem=%22wrong_credentials%22"));
    assert!(page.cookie("paperclub_session").is_none());
    let shown = app.get("/admin/sign-in?field=_form&problem=%22wrong_credentials%22").await;
    assert!(shown.body.contains("Неверная почта или пароль."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_five_failures_even_the_right_password_waits() {
    let app = spawn_app().await;
    paperclub_core::accounts::upsert_organiser(&app.pool, ORGANISER_EMAIL, "Org", ORGANISER_PASSWORD).await.unwrap();
    for _ in 0..5 {
        app.call("/api/sign_in", "", &[("email", ORGANISER_EMAIL), ("password", "guess")]).await;
    }
    let page = app.call("/api/sign_in", "", &[("email", ORGANISER_EMAIL), ("password", ORGANISER_PASSWORD)]).await;
    assert!(page.body.contains("too_many_attempts"), "{}", page.body);
    assert!(page.cookie("paperclub_session").is_none());
    // The window passes; the right password works again.
    app.clock.advance(chrono::Duration::minutes(16));
    let page = app.call("/api/sign_in", "", &[("email", ORGANISER_EMAIL), ("password", ORGANISER_PASSWORD)]).await;
    assert!(page.cookie("paperclub_session").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organiser_creates_a_meetup_with_a_programme_publishes_it_and_visitors_see_it() {
    let app = spawn_app().await;
    app.seed().await;
    let cookie = app.sign_in_as_organiser().await;
    let series = app.series_id("ok-tech-talk").await;
    let form = meetup_form(series, "OK Tech Talk: Recsys");

    let saved = app.call("/api/save_event", &cookie, &as_fields(&form)).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert!(saved.body.contains("Saved"), "{}", saved.body);
    let id = app.event_id("OK Tech Talk: Recsys").await.expect("the meetup was saved");

    // A draft: the public does not see it, the organiser does.
    assert_eq!(app.get(&format!("/events/{id}")).await.status, 404);
    let preview = app.get_with_cookie(&format!("/events/{id}"), &cookie).await;
    assert!(preview.body.contains("Черновик"));

    let published =
        app.call("/api/change_event_status", &cookie, &[("id", &id.to_string()), ("change", "publish")]).await;
    assert_eq!(published.status, 200, "{}", published.body);

    let page = app.get(&format!("/events/{id}")).await;
    assert_eq!(page.status, 200);
    let number: i32 =
        sqlx::query_scalar("SELECT number FROM events WHERE id = $1").bind(id).fetch_one(&app.pool).await.unwrap();
    assert_eq!(number, 2, "numbered after the seeded #1");
    assert!(page.body.contains("#2"));
    assert!(page.body.contains("18:30–19:10"));
    assert!(page.body.contains("Ranking at scale"));
    assert!(page.body.contains("Ana Petrova"));
    assert!(page.body.contains(">12 февраля 2027, 18:00–21:00 МСК</time>"));
    let home = app.get("/").await;
    let upcoming = home.body.split("Прошедшие").next().unwrap();
    assert!(upcoming.contains("OK Tech Talk: Recsys"), "the new meetup is upcoming on the home page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_with_problems_is_answered_field_by_field_and_saves_nothing() {
    let app = spawn_app().await;
    app.seed().await;
    let cookie = app.sign_in_as_organiser().await;
    let before = app.event_count().await;
    let series = app.series_id("ok-tech-talk").await;
    let mut form = meetup_form(series, "");
    for (key, value) in form.iter_mut() {
        match key.as_str() {
            "form[end_time]" => *value = "17:00".into(),
            "form[online_url]" => *value = "javascript:alert(1)".into(),
            "form[programme]" => *value = "18:00-18:30 | gathering | Coffee\n19:00 | talk | Broken".into(),
            _ => {}
        }
    }
    form.push(("form[online_url]".into(), "javascript:alert(1)".into()));
    let page = app.call("/api/save_event", &cookie, &as_fields(&form)).await;
    assert_eq!(page.status, 200);
    for field in ["\"title\"", "\"end_time\"", "\"programme\""] {
        assert!(page.body.contains(field), "{field} has a problem: {}", page.body);
    }
    assert!(page.body.contains("\"line\":2"), "the bad programme line is named: {}", page.body);
    assert_eq!(app.event_count().await, before, "nothing was saved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_a_rejected_form_comes_back_filled_in_with_its_problems() {
    let app = spawn_app().await;
    app.seed().await;
    let cookie = app.sign_in_as_organiser().await;
    let series = app.series_id("ok-tech-talk").await;
    let mut form = meetup_form(series, "Kept title");
    form.retain(|(key, _)| key != "form[date]");
    let mut fields = as_fields(&form);
    fields.push(("form[date]", "18.08.2023"));
    let editor = format!("{}/admin/events/new?kind=meetup", app.address);
    let response = app.post_form_from(&editor, "/api/save_event", &cookie, &fields).await;
    assert_eq!(response.status, 302);
    assert_eq!(response.location.as_deref(), Some(editor.as_str()));
    let page = app.get_with_cookie("/admin/events/new?kind=meetup", &cookie).await;
    assert!(page.body.contains("Дата в виде 2023-07-17."), "the problem is next to the field");
    assert!(page.body.contains(r#"value="Kept title""#), "what was typed is kept");
    // Shown once: a reload starts clean.
    let again = app.get_with_cookie("/admin/events/new?kind=meetup", &cookie).await;
    assert!(!again.body.contains("Дата в виде 2023-07-17."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_number_already_taken_in_the_series_is_a_field_problem_not_a_crash() {
    let app = spawn_app().await;
    app.seed().await;
    let cookie = app.sign_in_as_organiser().await;
    let series = app.series_id("ok-tech-talk").await;
    let mut form = meetup_form(series, "Duplicate number");
    for (key, value) in form.iter_mut() {
        if key == "form[number]" {
            *value = "1".into();
        }
    }
    let page = app.call("/api/save_event", &cookie, &as_fields(&form)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("number_taken"), "{}", page.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_site_post_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    app.seed().await;
    let cookie = app.sign_in_as_organiser().await;
    let series = app.series_id("ok-tech-talk").await;
    let form = meetup_form(series, "Forged");
    let before = app.event_count().await;
    let page = app.post("/api/save_event", &cookie, &as_fields(&form), Some("https://evil.example"), "text/html").await;
    assert_eq!(page.status, 403);
    assert!(page.body.contains("another site"));
    assert_eq!(app.event_count().await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn visitors_cannot_call_organiser_functions() {
    let app = spawn_app().await;
    app.seed().await;
    let series = app.series_id("ok-tech-talk").await;
    let form = meetup_form(series, "Sneaky");
    let before = app.event_count().await;
    app.call("/api/save_event", "", &as_fields(&form)).await;
    app.call(
        "/api/save_event",
        "paperclub_session=0000000000000000000000000000000000000000000000000000000000000000",
        &as_fields(&form),
    )
    .await;
    assert_eq!(app.event_count().await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organiser_edits_an_event_and_the_page_follows() {
    let app = spawn_app().await;
    app.seed().await;
    let cookie = app.sign_in_as_organiser().await;
    let id = app.event_id("ML в production").await.unwrap();
    let editor = app.get_with_cookie(&format!("/admin/events/{id}/edit"), &cookie).await;
    assert_eq!(editor.status, 200);
    assert!(editor.body.contains("17:30-18:10 | talk | Less is more"), "the programme is editable as lines");
    let series = app.series_id("ok-tech-talk").await;
    let mut form = meetup_form(series, "ML в production (updated)");
    form.push(("id".into(), id.to_string()));
    let page = app.call("/api/save_event", &cookie, &as_fields(&form)).await;
    assert!(page.body.contains("Saved"), "{}", page.body);
    let page = app.get(&format!("/events/{id}")).await;
    assert!(page.body.contains("ML в production (updated)"));
    assert!(page.body.contains("Ranking at scale"));
    assert!(!page.body.contains("Less is more"), "the old programme is replaced");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_for_registered_people_is_hidden_from_visitors() {
    let app = spawn_app().await;
    app.seed().await;
    sqlx::query(
        "UPDATE events SET online_url = 'https://zoom.us/j/secret', link_visibility = 'registered' WHERE number = 100",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let id = app
        .event_id("Tensor-based Sequential Learning via Hankel Matrix Representation for Next Item Recommendations")
        .await
        .unwrap();
    let page = app.get(&format!("/events/{id}")).await;
    assert!(!page.body.contains("zoom.us/j/secret"));
    assert!(page.body.contains("Ссылка доступна зарегистрированным участникам."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markdown_in_descriptions_cannot_inject_script() {
    let app = spawn_app().await;
    app.seed().await;
    sqlx::query("UPDATE events SET description_md = E'<script>alert(1)</script>\\n\\nSee [x](javascript:alert(2))' WHERE number = 100")
        .execute(&app.pool)
        .await
        .unwrap();
    let id = app
        .event_id("Tensor-based Sequential Learning via Hankel Matrix Representation for Next Item Recommendations")
        .await
        .unwrap();
    let page = app.get(&format!("/events/{id}")).await;
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(page.body.contains("&lt;script&gt;alert(1)"), "shown as text");
    assert!(!page.body.contains("href=\"javascript:"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organiser_creates_a_series_and_a_bad_slug_or_zone_is_refused() {
    let app = spawn_app().await;
    let cookie = app.sign_in_as_organiser().await;
    let bad = app
        .call(
            "/api/save_series",
            &cookie,
            &[
                ("form[slug]", "Paper Club!"),
                ("form[title]", "Papers"),
                ("form[time_zone]", "MSK"),
                ("form[language]", "en"),
            ],
        )
        .await;
    assert!(bad.body.contains("bad_slug"), "{}", bad.body);
    assert!(bad.body.contains("unknown_time_zone"), "{}", bad.body);
    let saved = app
        .call(
            "/api/save_series",
            &cookie,
            &[
                ("form[slug]", "papers-we-love"),
                ("form[title]", "Papers We Love"),
                ("form[time_zone]", "Europe/Berlin"),
                ("form[language]", "en"),
            ],
        )
        .await;
    assert!(saved.body.contains("Saved"), "{}", saved.body);
    let page = app.get("/series/papers-we-love").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Papers We Love"));
    let taken = app
        .call(
            "/api/save_series",
            &cookie,
            &[
                ("form[slug]", "papers-we-love"),
                ("form[title]", "Again"),
                ("form[time_zone]", "UTC"),
                ("form[language]", "ru"),
            ],
        )
        .await;
    assert!(taken.body.contains("slug_taken"), "{}", taken.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_in_a_zone_with_daylight_saving_keeps_its_wall_clock_time() {
    let app = spawn_app().await;
    let cookie = app.sign_in_as_organiser().await;
    app.call(
        "/api/save_series",
        &cookie,
        &[
            ("form[slug]", "berlin"),
            ("form[title]", "Berlin"),
            ("form[time_zone]", "Europe/Berlin"),
            ("form[language]", "en"),
        ],
    )
    .await;
    let series = app.series_id("berlin").await;
    let mut form = crate::helpers::meetup_form(series, "Summer session");
    for (key, value) in form.iter_mut() {
        match key.as_str() {
            "form[date]" => *value = "2027-07-01".into(),
            "form[programme]" => value.clear(),
            _ => {}
        }
    }
    let saved = app.call("/api/save_event", &cookie, &as_fields(&form)).await;
    assert!(saved.body.contains("Saved"), "{}", saved.body);
    let starts: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT starts_at FROM events WHERE title = 'Summer session'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(starts.to_rfc3339(), "2027-07-01T16:00:00+00:00", "18:00 CEST is 16:00 UTC");
    let id = app.event_id("Summer session").await.unwrap();
    let page = app.get_with_cookie(&format!("/events/{id}"), &format!("{cookie}; lang=en")).await;
    assert!(page.body.contains(">1 July 2027, 18:00–21:00 CEST</time>"), "shown in the series' zone");
}
