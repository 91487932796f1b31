//! Finding, creating and showing people.

use sqlx::{PgConnection, PgPool};

use crate::error::{Error, Result};
use crate::events::queries::{self, PersonRow};
use crate::forms::Problem;
use crate::lang::Lang;
use crate::views::PersonPage;
use crate::{markdown, values};

/// A person as an organiser writes them in a list: "Name, role, affiliation".
/// Role and affiliation are optional; a role may itself contain commas only
/// if the affiliation is given (the last part is always the affiliation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonLine {
    pub name: String,
    pub role: Option<String>,
    pub affiliation: Option<String>,
}

impl PersonLine {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let parts: Vec<&str> = raw.split(',').map(str::trim).collect();
        let name = values::required_text(parts[0], 200)?;
        let (role, affiliation) = match parts.len() {
            1 => (None, None),
            2 => (values::optional_text(parts[1], 200)?, None),
            n => (values::optional_text(&parts[1..n - 1].join(", "), 200)?, values::optional_text(parts[n - 1], 200)?),
        };
        Ok(PersonLine { name, role, affiliation })
    }

    /// "Name, role, affiliation" again, for showing a saved list in a form.
    pub fn render(name: &str, role: Option<&str>, affiliation: Option<&str>) -> String {
        [Some(name), role, affiliation].into_iter().flatten().collect::<Vec<_>>().join(", ")
    }
}

/// The person with this name and affiliation, created if new. A later line
/// that adds a role updates it: the latest programme knows best.
pub async fn upsert(conn: &mut PgConnection, person: &PersonLine) -> Result<i64> {
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO people (name, role, affiliation) VALUES ($1, $2, $3)
         ON CONFLICT (lower(name), coalesce(lower(affiliation), ''))
         DO UPDATE SET role = COALESCE(EXCLUDED.role, people.role)
         RETURNING id",
    )
    .bind(&person.name)
    .bind(&person.role)
    .bind(&person.affiliation)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

pub async fn page(pool: &PgPool, id: i64, lang: Lang) -> Result<PersonPage> {
    let (person, bio, handle) =
        sqlx::query_as::<_, (i64, String, Option<String>, Option<String>, String, Option<String>)>(
            "SELECT id, name, role, affiliation, bio, telegram_handle FROM people WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|(id, name, role, affiliation, bio, handle)| (PersonRow { id, name, role, affiliation }, bio, handle))
        .ok_or(Error::NotFound)?;
    let events = queries::person_cards(pool, id, lang).await?;
    Ok(PersonPage { person: person.into(), bio_html: markdown::to_safe_html(&bio), telegram_handle: handle, events })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_line_has_a_name_and_optionally_a_role_and_an_affiliation() {
        assert_eq!(
            PersonLine::parse("Дарья Никанорова, ML Engineer, Одноклассники").unwrap(),
            PersonLine {
                name: "Дарья Никанорова".into(),
                role: Some("ML Engineer".into()),
                affiliation: Some("Одноклассники".into())
            }
        );
        assert_eq!(PersonLine::parse("Ana").unwrap().role, None);
        assert_eq!(PersonLine::parse("Ana, researcher").unwrap().role.as_deref(), Some("researcher"));
        assert_eq!(PersonLine::parse(" , role"), Err(Problem::Required));
    }
}
