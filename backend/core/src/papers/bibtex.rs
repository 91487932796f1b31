//! Papers as citations: a BibTeX entry per paper (the organiser's own, when
//! one was stored in `papers.bibtex`, else written from what we know), and a
//! series' reading list as one `.bib` file.

use sqlx::PgPool;

use crate::error::{Error, Result};
use crate::events::queries::{PAPER_COLUMNS, PaperRow};
use crate::views::PaperRef;

/// Braces and TeX's special characters in a field's value.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '\\' => out.push_str("\\textbackslash{}"),
            c => out.push(c),
        }
    }
    out
}

/// `frolov2022tensor`: the first author's surname, the year, the title's
/// first word, in ASCII; `paper<id>` when none of them is.
fn key(paper: &PaperRef) -> String {
    let ascii = |text: &str| text.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
    let surname = paper.authors.first().and_then(|a| a.split_whitespace().last()).map(ascii).unwrap_or_default();
    let word = paper.title.split_whitespace().map(ascii).find(|w| w.len() > 3).unwrap_or_default();
    let year = paper.year.map(|y| y.to_string()).unwrap_or_default();
    let key = format!("{surname}{year}{word}");
    if surname.is_empty() && word.is_empty() { format!("paper{}", paper.id) } else { key }
}

/// The entry for one paper.
pub fn entry(paper: &PaperRef, stored: &str) -> String {
    if !stored.trim().is_empty() {
        return format!("{}\n", stored.trim());
    }
    // A venue means proceedings; an arXiv preprint or a bare link is `misc`.
    let kind = if paper.venue.is_some() { "inproceedings" } else { "misc" };
    let mut fields: Vec<(&str, String)> = vec![("title", format!("{{{}}}", escape(&paper.title)))];
    if !paper.authors.is_empty() {
        fields.push(("author", paper.authors.iter().map(|a| escape(a)).collect::<Vec<_>>().join(" and ")));
    }
    if let Some(year) = paper.year {
        fields.push(("year", year.to_string()));
    }
    if let Some(venue) = &paper.venue {
        fields.push(("booktitle", escape(venue)));
    }
    if let Some(arxiv) = &paper.arxiv_id {
        fields.push(("eprint", escape(arxiv)));
        fields.push(("archivePrefix", "arXiv".into()));
    }
    if let Some(doi) = &paper.doi {
        fields.push(("doi", escape(doi)));
    }
    if let Some(url) = paper.link() {
        fields.push(("url", url));
    }
    let body: Vec<String> = fields.into_iter().map(|(name, value)| format!("  {name} = {{{value}}}")).collect();
    format!("@{kind}{{{},\n{}\n}}\n", key(paper), body.join(",\n"))
}

#[derive(sqlx::FromRow)]
struct CitedRow {
    #[sqlx(flatten)]
    paper: PaperRow,
    bibtex: String,
}

/// One paper's entry; `NotFound` for an unknown paper.
pub async fn of_paper(pool: &PgPool, id: i64) -> Result<String> {
    let row = sqlx::query_as::<_, CitedRow>(&format!("SELECT {PAPER_COLUMNS}, p.bibtex FROM papers p WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(entry(&row.paper.into(), &row.bibtex))
}

/// Every paper the series' published events discussed, in the order they
/// were first discussed, once each; `NotFound` for an unknown series.
pub async fn of_series(pool: &PgPool, slug: &str) -> Result<String> {
    let series = sqlx::query_scalar::<_, i64>("SELECT id FROM series WHERE slug = $1")
        .bind(slug)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::NotFound)?;
    let rows = sqlx::query_as::<_, CitedRow>(&format!(
        "SELECT {PAPER_COLUMNS}, p.bibtex FROM papers p
         JOIN (SELECT x.paper_id, min(e.starts_at) AS first_at FROM event_papers x JOIN events e ON e.id = x.event_id
               WHERE e.series_id = $1 AND e.status <> 'draft' GROUP BY x.paper_id) d ON d.paper_id = p.id
         ORDER BY d.first_at, p.id"
    ))
    .bind(series)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|row| entry(&row.paper.into(), &row.bibtex)).collect::<Vec<_>>().join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tensor() -> PaperRef {
        PaperRef {
            id: 1,
            title: "Tensor-based Sequential Learning via Hankel Matrix Representation for Next Item Recommendations"
                .into(),
            authors: vec!["Evgeny Frolov".into(), "Ivan Oseledets".into()],
            year: Some(2022),
            venue: None,
            arxiv_id: Some("2212.05720".into()),
            doi: None,
            url: None,
        }
    }

    #[test]
    fn an_arxiv_paper_becomes_a_misc_entry_with_its_eprint() {
        let bib = entry(&tensor(), "");
        assert!(bib.starts_with("@misc{frolov2022tensorbased,\n"), "{bib}");
        assert!(bib.contains("  author = {Evgeny Frolov and Ivan Oseledets},\n"));
        assert!(bib.contains("  title = {{Tensor-based Sequential Learning"));
        assert!(bib.contains("  eprint = {2212.05720},\n  archivePrefix = {arXiv}"));
        assert!(bib.trim_end().ends_with('}'));
    }

    #[test]
    fn tex_specials_are_escaped_and_a_stored_entry_is_used_as_it_is() {
        let paper = PaperRef { title: "50% of R&D: {x}_1".into(), venue: Some("KDD #29".into()), ..tensor() };
        let bib = entry(&paper, "");
        assert!(bib.contains("{{50\\% of R\\&D: \\{x\\}\\_1}}"), "{bib}");
        assert!(bib.starts_with("@inproceedings{") && bib.contains("booktitle = {KDD \\#29}"));
        assert_eq!(entry(&paper, "  @article{own, title={Own}}\n"), "@article{own, title={Own}}\n");
    }

    #[test]
    fn a_paper_with_no_ascii_in_its_name_gets_a_key_from_its_id() {
        let paper =
            PaperRef {
                id: 7, title: "Обзор".into(), authors: vec!["Иван Петров".into()], year: None, ..tensor()
            };
        assert!(entry(&paper, "").starts_with("@misc{paper7,"));
    }
}
