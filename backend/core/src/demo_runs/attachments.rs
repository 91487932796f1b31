//! Demos attached to events: written by organisers one per line in the
//! event form (`ga-satf`, or a particular run: `ga-satf #12`), shown on the
//! event page and in its recording post.

use sqlx::{PgConnection, PgPool};

use super::registry;
use crate::error::Result;
use crate::forms::Problem;
use crate::lang::Lang;
use crate::views::{AttachedDemo, EventLink};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLine {
    pub demo: String,
    pub run_id: Option<i64>,
}

impl DemoLine {
    /// `ga-satf`, `ga-satf #12`, or a run's address (`/demos/runs/12`,
    /// with or without the site in front), whose demo is looked up on save.
    pub fn parse(raw: &str) -> std::result::Result<DemoLine, Problem> {
        let raw = raw.trim();
        if let Some((_, id)) = raw.rsplit_once("/demos/runs/") {
            let run_id = id.trim_end_matches('/').parse::<i64>().map_err(|_| Problem::UnknownDemo)?;
            return Ok(DemoLine { demo: String::new(), run_id: Some(run_id) });
        }
        let raw = raw.rsplit_once("/demos/").map_or(raw, |(_, id)| id.trim_end_matches('/'));
        let (demo, run) = match raw.split_once('#') {
            Some((demo, run)) => (demo.trim(), Some(run.trim().parse::<i64>().map_err(|_| Problem::UnknownDemo)?)),
            None => (raw, None),
        };
        registry::find(demo).ok_or(Problem::UnknownDemo)?;
        Ok(DemoLine { demo: demo.to_owned(), run_id: run })
    }

    pub fn render(&self) -> String {
        match self.run_id {
            Some(run) => format!("{} #{run}", self.demo),
            None => self.demo.clone(),
        }
    }
}

/// Replaces an event's demos. A line naming only a run takes the run's demo;
/// a run that does not exist, or belongs to another demo, is refused.
pub async fn write(conn: &mut PgConnection, event_id: i64, lines: &[DemoLine]) -> Result<()> {
    sqlx::query("DELETE FROM event_demos WHERE event_id = $1").bind(event_id).execute(&mut *conn).await?;
    for (position, line) in lines.iter().enumerate() {
        let demo = match line.run_id {
            None => line.demo.clone(),
            Some(run) => {
                let found = sqlx::query_scalar::<_, String>("SELECT demo FROM demo_runs WHERE id = $1")
                    .bind(run)
                    .fetch_optional(&mut *conn)
                    .await?;
                match found {
                    Some(demo) if line.demo.is_empty() || demo == line.demo => demo,
                    _ => {
                        let problem = Problem::Line { line: position + 1, problem: Box::new(Problem::UnknownDemo) };
                        return Err(crate::Error::invalid("demos", problem));
                    }
                }
            }
        };
        sqlx::query("INSERT INTO event_demos (event_id, position, demo, run_id) VALUES ($1, $2, $3, $4)")
            .bind(event_id)
            .bind(position as i32)
            .bind(demo)
            .bind(line.run_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// An event's demos, in the organiser's order.
pub async fn of_event(pool: &PgPool, event_id: i64, lang: Lang) -> Result<Vec<AttachedDemo>> {
    Ok(sqlx::query_as::<_, (String, Option<i64>)>(
        "SELECT demo, run_id FROM event_demos WHERE event_id = $1 ORDER BY position",
    )
    .bind(event_id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .filter_map(|(demo, run_id)| {
        let spec = registry::find(&demo)?;
        Some(AttachedDemo { title: spec.title.get(lang).to_owned(), demo, run_id })
    })
    .collect())
}

/// Published events that show a demo, newest first.
pub async fn events_showing(pool: &PgPool, demo: &str) -> Result<Vec<EventLink>> {
    Ok(sqlx::query_as::<_, (i64, String)>(
        "SELECT e.id, e.title FROM events e
         WHERE e.status <> 'draft' AND EXISTS (SELECT 1 FROM event_demos d WHERE d.event_id = e.id AND d.demo = $1)
         ORDER BY e.starts_at DESC",
    )
    .bind(demo)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(id, title)| EventLink { id, title })
    .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_name_a_demo_or_a_run() {
        let line = |raw: &str| DemoLine::parse(raw);
        assert_eq!(line("ga-satf"), Ok(DemoLine { demo: "ga-satf".into(), run_id: None }));
        assert_eq!(line(" ga-satf #12 "), Ok(DemoLine { demo: "ga-satf".into(), run_id: Some(12) }));
        assert_eq!(
            line("https://paperclub.example/demos/ga-satf"),
            Ok(DemoLine { demo: "ga-satf".into(), run_id: None })
        );
        assert_eq!(line("/demos/runs/7"), Ok(DemoLine { demo: String::new(), run_id: Some(7) }));
        assert_eq!(line("sasrec"), Err(Problem::UnknownDemo));
        assert_eq!(line("ga-satf #x"), Err(Problem::UnknownDemo));
        assert_eq!(line("ga-satf #12").unwrap().render(), "ga-satf #12");
    }
}
