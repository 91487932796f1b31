//! The Atom feeds, read back as XML the way a feed reader would.

use crate::helpers::{PUBLIC_BASE_URL, spawn_app};

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The text of `parent`'s first child element named `name`.
fn child_text<'a>(parent: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    parent.children().find(|n| n.has_tag_name((ATOM, name))).and_then(|n| n.text())
}

fn entries<'a>(feed: &'a roxmltree::Document<'a>) -> Vec<roxmltree::Node<'a, 'a>> {
    feed.root_element().children().filter(|n| n.has_tag_name((ATOM, "entry"))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_feed_lists_published_events_newest_change_first_with_their_pages() {
    let app = spawn_app().await;
    app.seed().await;
    let moved = app.event_id("ML в production").await.unwrap();
    sqlx::query("UPDATE events SET updated_at = now() + interval '1 day' WHERE id = $1")
        .bind(moved)
        .execute(&app.pool)
        .await
        .unwrap();
    let response = app.get("/feed.atom").await;
    assert_eq!(response.status, 200);
    assert!(response.headers["content-type"].to_str().unwrap().starts_with("application/atom+xml"));
    let feed = roxmltree::Document::parse(&response.body).expect("the feed is well-formed XML");
    let root = feed.root_element();
    assert!(root.has_tag_name((ATOM, "feed")));
    assert_eq!(child_text(root, "id"), Some(format!("{PUBLIC_BASE_URL}/feed.atom").as_str()));
    assert!(child_text(root, "updated").is_some() && root.children().any(|n| n.has_tag_name((ATOM, "author"))));

    let published: i64 =
        sqlx::query_scalar("SELECT count(*) FROM events WHERE status <> 'draft'").fetch_one(&app.pool).await.unwrap();
    let listed = entries(&feed);
    assert_eq!(listed.len() as i64, published.min(50));
    let first = listed[0];
    let page = format!("{PUBLIC_BASE_URL}/events/{moved}");
    assert_eq!(child_text(first, "id"), Some(page.as_str()), "the last changed event comes first");
    let link = first.children().find(|n| n.has_tag_name((ATOM, "link"))).unwrap();
    assert_eq!(link.attribute("href"), Some(page.as_str()));
    assert!(child_text(first, "title").unwrap().contains("ML в production"));
    assert!(child_text(first, "summary").unwrap().contains("МСК"), "when, in the event's zone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_series_feed_holds_that_series_only_hides_drafts_and_an_unknown_series_is_not_found() {
    let app = spawn_app().await;
    app.seed().await;
    let hidden = app.event_id("ML в production").await.unwrap();
    sqlx::query("UPDATE events SET status = 'draft' WHERE id = $1").bind(hidden).execute(&app.pool).await.unwrap();
    let response = app.get("/series/reading-group/feed.atom").await;
    assert_eq!(response.status, 200);
    let feed = roxmltree::Document::parse(&response.body).unwrap();
    let titles: Vec<&str> = entries(&feed).iter().filter_map(|e| child_text(*e, "title")).collect();
    assert!(!titles.is_empty());
    assert!(titles.iter().all(|t| t.starts_with("Ридинг-группа Одноклассников #")), "{titles:?}");

    let all = app.get("/feed.atom").await;
    assert!(!all.body.contains(&format!("/events/{hidden}<")), "a draft is in no feed");
    assert_eq!(app.get("/series/no-such-series/feed.atom").await.status, 404);

    let page = app.get("/series/reading-group").await;
    assert!(page.body.contains("href=\"/series/reading-group/feed.atom\""), "the series page links its feed");
    assert!(
        page.body.contains("rel=\"alternate\" type=\"application/atom+xml\" href=\"/feed.atom\""),
        "every page links the site's feed"
    );
}
