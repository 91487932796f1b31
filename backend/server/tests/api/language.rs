use crate::helpers::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_language_sets_a_lasting_cookie_and_returns_to_the_page() {
    let app = spawn_app().await;
    let page = app.post_form("/lang", "", &[("lang", "en"), ("back", "/events/3")]).await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/events/3"));
    assert_eq!(page.cookie("lang").as_deref(), Some("en"));
    assert!(page.set_cookies[0].contains("Max-Age=31536000"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switch_never_redirects_to_another_site() {
    let app = spawn_app().await;
    let page = app.post_form("/lang", "", &[("lang", "ru"), ("back", "//evil.example/")]).await;
    assert_eq!(page.location.as_deref(), Some("/"));
    let page = app.post_form("/lang", "", &[("lang", "de"), ("back", "/")]).await;
    assert_eq!(page.status, 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_speaks_russian_by_default_and_english_when_chosen() {
    let app = spawn_app().await;
    app.seed().await;
    let russian = app.get("/").await;
    assert!(russian.body.contains(r#"<html lang="ru""#));
    assert!(russian.body.contains("Прошедшие"));
    let english = app.get_with_cookie("/", "lang=en").await;
    assert!(english.body.contains(r#"<html lang="en""#));
    assert!(english.body.contains("Past"));
    assert!(english.body.contains("18 August 2023, 17:00 MSK"));
}
