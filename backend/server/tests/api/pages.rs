use crate::helpers::{TestApp, spawn_app};

async fn seeded() -> TestApp {
    let app = spawn_app().await;
    app.seed().await;
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_page_lists_the_channels_events_as_past_with_nothing_upcoming_yet() {
    let app = seeded().await;
    let page = app.get("/").await;
    assert_eq!(page.status, 200);
    let past = page.body.split("Прошедшие").nth(1).expect("a past section");
    assert!(page.body.contains("Новых встреч пока не запланировано"));
    // Latest first: the meetup (18 Aug), then DLRM (27 Jul), then the 100th (17 Jul).
    let meetup = past.find("ML в production").unwrap();
    let dlrm = past.find("DLRM").unwrap();
    let hundredth = past.find("Tensor-based Sequential Learning").unwrap();
    assert!(meetup < dlrm && dlrm < hundredth);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hundredth_meeting_shows_its_number_presenter_paper_time_and_recording() {
    let app = seeded().await;
    let id = app
        .event_id("Tensor-based Sequential Learning via Hankel Matrix Representation for Next Item Recommendations")
        .await
        .unwrap();
    let page = app.get(&format!("/events/{id}")).await;
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(body.contains("Встреча №100"));
    assert!(body.contains(">17 июля 2023, 15:00–16:30 МСК</time>"), "time in the event's zone with its name");
    assert!(body.contains("Сергей Ермилов"));
    assert!(body.contains("ML-инженер"));
    assert!(body.contains("Evgeny Frolov, Ivan Oseledets"));
    assert!(body.contains(r#"href="https://arxiv.org/abs/2212.05720""#));
    assert!(body.contains("Tensor_based_Sequential_Learning_via_Hankel_Matrix_Representation.mp4"));
    assert!(body.contains("75 MB"));
    assert!(body.contains("Онлайн"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_meetup_page_shows_the_timed_programme_speakers_and_venue() {
    let app = seeded().await;
    let id = app.event_id("ML в production").await.unwrap();
    let page = app.get(&format!("/events/{id}")).await;
    assert_eq!(page.status, 200);
    let body = &page.body;
    for expected in [
        "17:00–17:30",
        "17:30–18:10",
        "Less is more: как снизить отправку пушей и не просадить продуктовые метрики",
        "Дарья Никанорова",
        "ML Engineer, Одноклассники",
        "18:50–19:00",
        "Перерыв",
        "Арсений Селякин",
        "Артём Агафонов",
        "19:40–20:30",
        "Фуршет, свободное общение",
        "Оранжерея Таврического сада",
        "Шпалерная ул., 43",
        "Участие бесплатное, регистрация обязательна",
    ] {
        assert!(body.contains(expected), "the meetup page shows {expected:?}");
    }
    let slots: Vec<usize> = ["17:00–17:30", "17:30–18:10", "18:10–18:50", "18:50–19:00", "19:00–19:40", "19:40–20:30"]
        .iter()
        .map(|slot| body.find(slot).unwrap())
        .collect();
    assert!(slots.windows(2).all(|w| w[0] < w[1]), "the programme is in time order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_pages_carry_link_preview_tags() {
    let app = seeded().await;
    let id = app.event_id("ML в production").await.unwrap();
    let page = app.get(&format!("/events/{id}")).await;
    assert!(page.body.contains(r#"<meta property="og:title" content="ML в production · OK Tech Talk">"#));
    assert!(page.body.contains(r#"<meta property="og:type" content="article">"#));
    assert!(page.body.contains(&format!(r#"<meta property="og:url" content="http://paperclub.test/events/{id}">"#)));
    assert!(page.body.contains(r#"property="og:description" content="18 августа мы устраиваем первый OK Tech Talk."#));
    assert!(page.body.contains("<title>ML в production · paperclub</title>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_event_or_address_is_a_404_page() {
    let app = seeded().await;
    for path in ["/events/999999", "/events/not-a-number", "/no/such/page"] {
        let page = app.get(path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(page.body.contains("Страница не найдена"), "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_series_page_lists_its_numbered_events_newest_first() {
    let app = seeded().await;
    let page = app.get("/series/reading-group").await;
    assert_eq!(page.status, 200);
    let n101 = page.body.find("Встреча №101").unwrap();
    let n100 = page.body.find("Встреча №100").unwrap();
    assert!(n101 < n100);
    assert!(!page.body.contains("ML в production"), "other series' events stay out");
    assert!(page.body.contains("webcal://paperclub.test/series/reading-group/calendar.ics"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_and_paper_pages_link_back_to_their_events() {
    let app = seeded().await;
    let person: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE name = 'Дарья Никанорова'").fetch_one(&app.pool).await.unwrap();
    let page = app.get(&format!("/people/{person}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("ML Engineer, Одноклассники"));
    assert!(page.body.contains("ML в production"));

    let paper: i64 =
        sqlx::query_scalar("SELECT id FROM papers WHERE arxiv_id = '1906.00091'").fetch_one(&app.pool).await.unwrap();
    let page = app.get(&format!("/papers/{paper}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Deep Learning Recommendation Model"));
    assert!(page.body.contains("DLRM и его реализация на TorchRec"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_completely_on_the_server() {
    let app = seeded().await;
    let id = app.event_id("ML в production").await.unwrap();
    let page = app.get(&format!("/events/{id}")).await;
    // No loading placeholder left for JavaScript to fill.
    assert!(!page.body.contains("Загрузка…"));
    assert!(page.body.contains("</table>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meetup_page_counts_its_seats_with_each_languages_plural_rule() {
    let app = crate::helpers::spawn_app().await;
    for (capacity, russian, english) in
        [(21, "21 место", "21 seats"), (2, "2 места", "2 seats"), (5, "5 мест", "5 seats"), (1, "1 место", "1 seat")]
    {
        let event = app.open_event(Some(capacity), "in_person").await;
        let page = app.get(&format!("/events/{event}")).await;
        assert!(page.body.contains(&format!(" · {russian}")), "{capacity}: {russian} missing");
        let page = app.get_with_cookie(&format!("/events/{event}"), "lang=en").await;
        assert!(
            page.body.contains(&format!(" · {english}<")) || page.body.contains(&format!(" · {english}")),
            "{capacity}: {english} missing"
        );
        assert!(!page.body.contains(&format!(" · {capacity} seats")) || capacity != 1, "no '1 seats'");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revisit_of_an_unchanged_page_is_a_304_and_an_edit_shows_on_the_next_request() {
    let app = seeded().await;
    let meetup = app.event_id("ML в production").await.unwrap();
    let path = format!("/events/{meetup}");
    let first = app.get(&path).await;
    let tag = first.headers.get("etag").expect("pages carry an ETag").to_str().unwrap().to_owned();
    assert_eq!(first.headers.get("cache-control").unwrap(), "no-cache");
    let again = app.get_with_headers(&path, &[("if-none-match", &tag)]).await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert!(again.headers.get("content-security-policy").is_none(), "the stored page keeps its own policy");
    sqlx::query("UPDATE events SET title = 'OK Tech Talk: ML in production, second edition' WHERE id = $1")
        .bind(meetup)
        .execute(&app.pool)
        .await
        .unwrap();
    let edited = app.get_with_headers(&path, &[("if-none-match", &tag)]).await;
    assert_eq!(edited.status, 200);
    assert!(edited.body.contains("second edition"));
    assert_ne!(edited.headers.get("etag").unwrap().to_str().unwrap(), tag);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_travel_compressed_by_what_the_browser_accepts() {
    let app = seeded().await;
    let meetup = app.event_id("ML в production").await.unwrap();
    let path = format!("/events/{meetup}");
    let br = app.get_with_headers(&path, &[("accept-encoding", "br, gzip")]).await;
    assert_eq!(br.headers.get("content-encoding").unwrap(), "br");
    let gzip = app.get_with_headers(&path, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gzip.headers.get("content-encoding").unwrap(), "gzip");
    let plain = app.get(&path).await;
    assert!(plain.headers.get("content-encoding").is_none());
    assert!(plain.body.contains("</html>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_files_carry_their_hash_are_kept_for_a_year_and_come_precompressed() {
    let site = std::env::temp_dir().join(format!("paperclub-site-{}", paperclub_core::secrets::random_token()));
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("paperclub.js"), "export default async function init() {}\n".repeat(20)).unwrap();
    std::fs::write(pkg.join("paperclub_bg.wasm"), [0u8, 97, 115, 109, 1, 0, 0, 0]).unwrap();
    for group in ["organiser", "member", "demos"] {
        std::fs::write(
            pkg.join(format!("paperclub-{group}.js")),
            format!("export default async function {group}() {{}}\n"),
        )
        .unwrap();
        std::fs::write(pkg.join(format!("paperclub-{group}_bg.wasm")), group.as_bytes()).unwrap();
    }
    std::fs::write(pkg.join("paperclub.css"), "body { margin: 0 }\n".repeat(50)).unwrap();
    let name = paperclub_server::assets::prepare(&pkg).unwrap().output_name;
    let root = site.to_string_lossy().into_owned();
    let app = crate::helpers::spawn_app_with(|settings| settings.site_root = root).await;

    // Pages link the hashed stylesheet.
    let home = app.get("/").await;
    assert!(home.body.contains(&format!("/pkg/{name}.css")), "the page links {name}.css");
    let css = app.get_with_headers(&format!("/pkg/{name}.css"), &[("accept-encoding", "br, gzip")]).await;
    assert_eq!(css.status, 200);
    assert_eq!(css.headers.get("cache-control").unwrap(), "public, max-age=31536000, immutable");
    assert_eq!(css.headers.get("content-encoding").unwrap(), "br");
    assert_eq!(css.headers.get("content-type").unwrap(), "text/css");
    let gzip = app.get_with_headers(&format!("/pkg/{name}_bg.wasm"), &[("accept-encoding", "gzip")]).await;
    assert_eq!(gzip.headers.get("content-encoding").unwrap(), "gzip");
    assert_eq!(gzip.headers.get("content-type").unwrap(), "application/wasm");
    assert_eq!(app.get("/pkg/paperclub.css").await.status, 404, "the unhashed name is gone");
    std::fs::remove_dir_all(&site).unwrap();
}

fn nonce_in(page: &crate::helpers::Page) -> String {
    let csp = page.headers.get("content-security-policy").unwrap().to_str().unwrap();
    let start = csp.find("'nonce-").unwrap() + "'nonce-".len();
    csp[start..start + csp[start..].find('\'').unwrap()].to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_page_comes_from_memory_with_its_own_nonce_until_something_on_it_changes() {
    let app = seeded().await;
    let meetup = app.event_id("ML в production").await.unwrap();
    let path = format!("/events/{meetup}");
    let first = app.get(&path).await;
    let second = app.get(&path).await;
    let (a, b) = (nonce_in(&first), nonce_in(&second));
    assert_ne!(a, b, "every answer has a nonce of its own");
    assert!(second.body.contains(&format!("nonce=\"{b}\"")), "the page's script carries the new nonce");
    assert_eq!(first.body.replace(&a, ""), second.body.replace(&b, ""));

    // A change the version does not hear about stays unseen: the page is kept...
    sqlx::query("ALTER TABLE events DISABLE TRIGGER events_bump_site_version").execute(&app.pool).await.unwrap();
    sqlx::query("UPDATE events SET title = 'Unseen title' WHERE id = $1")
        .bind(meetup)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("ALTER TABLE events ENABLE TRIGGER events_bump_site_version").execute(&app.pool).await.unwrap();
    assert!(!app.get(&path).await.body.contains("Unseen title"), "served from memory");
    // ...and the same change through the trigger shows on the next request.
    sqlx::query("UPDATE events SET title = 'Seen title' WHERE id = $1").bind(meetup).execute(&app.pool).await.unwrap();
    assert!(app.get(&path).await.body.contains("Seen title"));
    // An organiser's view (a draft they can see) never reaches anonymous visitors.
    sqlx::query("UPDATE events SET status = 'draft' WHERE id = $1").bind(meetup).execute(&app.pool).await.unwrap();
    let organiser = app.sign_in_as_organiser().await;
    assert_eq!(app.get_with_cookie(&path, &organiser).await.status, 200);
    assert_eq!(app.get(&path).await.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seats_left_change_on_the_next_request_after_a_registration() {
    let app = spawn_app().await;
    let event = app.open_event(Some(2), "in_person").await;
    let path = format!("/events/{event}");
    // The form is an island: its text carries hydration marks (`<!>`).
    let shows = |body: &str, n: u32| body.replace("<!>", "").contains(&format!("Свободных мест: <strong>{n}</strong>"));
    assert!(shows(&app.get(&path).await.body, 2));
    let fields = [("event_id", event.to_string()), ("name", "Ana".into()), ("email", "ana@example.org".into())];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form_from(&format!("{}{path}", app.address), "/api/register", "", &fields).await;
    assert!(shows(&app.get(&path).await.body, 1));
}
