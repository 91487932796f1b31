//! Papers as citations: BibTeX per paper and per series.

use crate::helpers::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paper_page_offers_its_bibtex_to_copy_and_download() {
    let app = spawn_app().await;
    app.seed().await;
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM papers WHERE arxiv_id = '2212.05720'").fetch_one(&app.pool).await.unwrap();
    let page = app.get(&format!("/papers/{id}")).await;
    assert!(page.body.contains("Цитировать (BibTeX)"));
    assert!(page.body.contains(&format!("href=\"/papers/{id}/cite.bib\"")));

    let file = app.get(&format!("/papers/{id}/cite.bib")).await;
    assert_eq!(file.status, 200);
    assert!(file.headers["content-type"].to_str().unwrap().starts_with("application/x-bibtex"));
    assert!(file.body.starts_with("@misc{frolov2022"), "{}", file.body);
    assert!(file.body.contains("eprint = {2212.05720}") && file.body.contains("archivePrefix = {arXiv}"));
    assert_eq!(file.body.matches('{').count(), file.body.matches('}').count(), "balanced braces");

    // An organiser's own entry wins over the one written from the fields.
    sqlx::query("UPDATE papers SET bibtex = '@article{own2022, title = {Own}}' WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(app.get(&format!("/papers/{id}/cite.bib")).await.body, "@article{own2022, title = {Own}}\n");
    assert_eq!(app.get("/papers/987654/cite.bib").await.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_series_reading_list_holds_each_paper_its_published_events_discussed_once() {
    let app = spawn_app().await;
    app.seed().await;
    let discussed: i64 = sqlx::query_scalar(
        "SELECT count(DISTINCT x.paper_id) FROM event_papers x JOIN events e ON e.id = x.event_id
         JOIN series s ON s.id = e.series_id WHERE s.slug = 'reading-group' AND e.status <> 'draft'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(discussed > 0);
    let file = app.get("/series/reading-group/papers.bib").await;
    assert_eq!(file.status, 200);
    assert_eq!(
        file.body.matches("\n@").count() + usize::from(file.body.starts_with('@')),
        discussed as usize,
        "{}",
        file.body
    );
    assert!(app.get("/series/reading-group").await.body.contains("href=\"/series/reading-group/papers.bib\""));
    assert_eq!(app.get("/series/no-such-series/papers.bib").await.status, 404);
}
