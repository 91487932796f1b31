//! Finding, creating and showing papers.

use sqlx::{PgConnection, PgPool};

use crate::error::{Error, Result};
use crate::events::queries::{self, PAPER_COLUMNS, PaperRow};
use crate::forms::Problem;
use crate::lang::Lang;
use crate::values::{self, ArxivId, Doi, WebUrl};
use crate::views::{PaperPage, PaperRef};

/// Where a paper can be found: one of the identifiers people paste.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaperLocator {
    Arxiv(ArxivId),
    Doi(Doi),
    Url(WebUrl),
}

impl PaperLocator {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let raw = raw.trim();
        if let Ok(id) = ArxivId::parse(raw) {
            return Ok(PaperLocator::Arxiv(id));
        }
        if let Ok(doi) = Doi::parse(raw) {
            return Ok(PaperLocator::Doi(doi));
        }
        WebUrl::parse(raw).map(PaperLocator::Url)
    }
}

/// A paper as an organiser lists it: "Title | Author One, Author Two | year | arXiv id, DOI or URL".
/// Only the title is required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperLine {
    pub title: String,
    pub authors: Vec<String>,
    pub year: Option<i32>,
    pub locator: Option<PaperLocator>,
}

impl PaperLine {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let mut parts = raw.split('|').map(str::trim);
        let title = values::required_text(parts.next().unwrap_or_default(), 500)?;
        let authors = parts
            .next()
            .unwrap_or_default()
            .split(',')
            .map(|author| values::required_text(author, 200))
            .filter(|author| author != &Err(Problem::Required))
            .collect::<Result<Vec<_>, _>>()?;
        let year = values::optional_integer(parts.next().unwrap_or_default(), 1900, 2100)?.map(|y| y as i32);
        let locator = match parts.next().unwrap_or_default() {
            "" => None,
            raw => Some(PaperLocator::parse(raw)?),
        };
        if parts.next().is_some() {
            return Err(Problem::TooManyParts);
        }
        Ok(PaperLine { title, authors, year, locator })
    }

    pub fn render(paper: &PaperRef) -> String {
        let locator = paper.arxiv_id.clone().or_else(|| paper.doi.clone()).or_else(|| paper.url.clone());
        let year = paper.year.map(|y| y.to_string()).unwrap_or_default();
        format!("{} | {} | {} | {}", paper.title, paper.authors.join(", "), year, locator.unwrap_or_default())
            .trim_end_matches([' ', '|'])
            .to_owned()
    }
}

/// The paper with this arXiv id or DOI if we know it (its details refreshed
/// from the line), otherwise a new paper.
pub async fn upsert(conn: &mut PgConnection, paper: &PaperLine) -> Result<i64> {
    let (arxiv_id, doi, url) = match &paper.locator {
        Some(PaperLocator::Arxiv(id)) => (Some(id.as_str()), None, None),
        Some(PaperLocator::Doi(doi)) => (None, Some(doi.as_str()), None),
        Some(PaperLocator::Url(url)) => (None, None, Some(url.as_str())),
        None => (None, None, None),
    };
    let existing = sqlx::query_scalar::<_, i64>(
        "SELECT id FROM papers
         WHERE ($1::text IS NOT NULL AND arxiv_id = $1) OR ($2::text IS NOT NULL AND doi = $2)
            OR ($1::text IS NULL AND $2::text IS NULL AND lower(title) = lower($3))
         LIMIT 1",
    )
    .bind(arxiv_id)
    .bind(doi)
    .bind(&paper.title)
    .fetch_optional(&mut *conn)
    .await?;
    let id = match existing {
        Some(id) => {
            sqlx::query(
                "UPDATE papers SET title = $2,
                    authors = CASE WHEN cardinality($3::text[]) > 0 THEN $3 ELSE authors END,
                    year = COALESCE($4, year), url = COALESCE($5, url)
                 WHERE id = $1",
            )
            .bind(id)
            .bind(&paper.title)
            .bind(&paper.authors)
            .bind(paper.year)
            .bind(url)
            .execute(&mut *conn)
            .await?;
            id
        }
        None => {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO papers (title, authors, year, arxiv_id, doi, url)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(&paper.title)
            .bind(&paper.authors)
            .bind(paper.year)
            .bind(arxiv_id)
            .bind(doi)
            .bind(url)
            .fetch_one(&mut *conn)
            .await?
        }
    };
    Ok(id)
}

pub async fn page(pool: &PgPool, id: i64, lang: Lang) -> Result<PaperPage> {
    let paper = sqlx::query_as::<_, PaperRow>(&format!("SELECT {PAPER_COLUMNS} FROM papers p WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::NotFound)?;
    let (abstract_text, stored) =
        sqlx::query_as::<_, (String, String)>("SELECT abstract, bibtex FROM papers WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await?;
    let events = queries::paper_cards(pool, id, lang).await?;
    let paper: PaperRef = paper.into();
    let bibtex = super::bibtex::entry(&paper, &stored);
    Ok(PaperPage { paper, abstract_text, bibtex, events })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paper_line_reads_title_authors_year_and_locator() {
        let line = PaperLine::parse(
            "Tensor-based Sequential Learning | Evgeny Frolov, Ivan Oseledets | 2022 | arXiv:2212.05720",
        )
        .unwrap();
        assert_eq!(line.authors, vec!["Evgeny Frolov", "Ivan Oseledets"]);
        assert_eq!(line.year, Some(2022));
        assert!(matches!(line.locator, Some(PaperLocator::Arxiv(ref id)) if id.as_str() == "2212.05720"));
    }

    #[test]
    fn only_the_title_is_required() {
        assert_eq!(PaperLine::parse("Just a title").unwrap().authors, Vec::<String>::new());
        assert_eq!(PaperLine::parse(" | Ana"), Err(Problem::Required));
        assert_eq!(PaperLine::parse("T | A | 1800"), Err(Problem::OutOfRange { min: 1900, max: 2100 }));
        assert_eq!(PaperLine::parse("T | A | 2020 | not a link"), Err(Problem::BadUrl));
    }

    #[test]
    fn a_paper_renders_back_to_the_line_it_came_from() {
        let paper = PaperRef {
            id: 1,
            title: "DLRM".into(),
            authors: vec!["Maxim Naumov".into()],
            year: Some(2019),
            venue: None,
            arxiv_id: Some("1906.00091".into()),
            doi: None,
            url: None,
        };
        let line = PaperLine::render(&paper);
        assert_eq!(line, "DLRM | Maxim Naumov | 2019 | 1906.00091");
        assert_eq!(PaperLine::parse(&line).unwrap().title, "DLRM");
    }
}
