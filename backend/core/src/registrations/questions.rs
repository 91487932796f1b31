//! Extra questions at registration: how organisers write them, how answers
//! are checked, and how they are kept.

use std::collections::BTreeMap;

use sqlx::{PgConnection, PgPool};

use crate::error::Result;
use crate::forms::{FieldErrors, Problem};
use crate::values;
pub use crate::views::{Question, QuestionKind};

/// A question as an organiser writes it, one per line:
/// `text | What do you work on? | required`, `choice | Which talk? | Ranking; Pushes; AutoML`,
/// `checkbox | I agree to be photographed | required`.
pub fn parse_line(raw: &str) -> Result<Question, Problem> {
    let parts: Vec<&str> = raw.split('|').map(str::trim).collect();
    let kind = match parts[0] {
        "text" => QuestionKind::Text,
        "choice" => QuestionKind::Choice,
        "checkbox" => QuestionKind::Checkbox,
        _ => return Err(Problem::UnknownChoice),
    };
    let label = values::required_text(parts.get(1).copied().unwrap_or_default(), 300)?;
    let mut rest = parts[2.min(parts.len())..].to_vec();
    let required = rest.last() == Some(&"required");
    if required {
        rest.pop();
    }
    let options: Vec<String> = match kind {
        QuestionKind::Choice => {
            let options: Vec<String> = rest
                .first()
                .copied()
                .unwrap_or_default()
                .split(';')
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned)
                .collect();
            if !(2..=20).contains(&options.len()) || options.iter().any(|o| o.chars().count() > 200) {
                return Err(Problem::OutOfRange { min: 2, max: 20 });
            }
            rest = rest.split_off(1.min(rest.len()));
            options
        }
        _ => Vec::new(),
    };
    if !rest.is_empty() {
        return Err(Problem::TooManyParts);
    }
    Ok(Question { kind, label, options, required })
}

/// The line a question came from, to edit it again.
pub fn render_line(question: &Question) -> String {
    let kind = match question.kind {
        QuestionKind::Text => "text",
        QuestionKind::Choice => "choice",
        QuestionKind::Checkbox => "checkbox",
    };
    let mut parts = vec![kind.to_owned(), question.label.clone()];
    if question.kind == QuestionKind::Choice {
        parts.push(question.options.join("; "));
    }
    if question.required {
        parts.push("required".to_owned());
    }
    parts.join(" | ")
}

/// Checks the answers against the questions. Answers arrive keyed by the
/// question's index (`answers[0]`, ...); they are kept keyed by its label.
pub fn check_answers(questions: &[Question], raw: &BTreeMap<String, String>) -> Result<serde_json::Value, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut answers = serde_json::Map::new();
    for (index, question) in questions.iter().enumerate() {
        let field = format!("answers[{index}]");
        let given = raw.get(&index.to_string()).map(|v| v.trim()).unwrap_or_default();
        match question.kind {
            QuestionKind::Text => match values::optional_text(given, crate::views::TEXT_ANSWER_MAX_CHARS) {
                Ok(None) if question.required => errors.add(&field, Problem::Required),
                Ok(value) => {
                    answers.insert(question.label.clone(), value.unwrap_or_default().into());
                }
                Err(problem) => errors.add(&field, problem),
            },
            QuestionKind::Choice => {
                if given.is_empty() {
                    if question.required {
                        errors.add(&field, Problem::Required);
                    }
                } else if question.options.iter().any(|option| option == given) {
                    answers.insert(question.label.clone(), given.into());
                } else {
                    errors.add(&field, Problem::UnknownChoice);
                }
            }
            QuestionKind::Checkbox => {
                let checked = matches!(given, "on" | "true" | "yes" | "1");
                if question.required && !checked {
                    errors.add(&field, Problem::Required);
                }
                answers.insert(question.label.clone(), checked.into());
            }
        }
    }
    if errors.is_empty() { Ok(serde_json::Value::Object(answers)) } else { Err(errors) }
}

pub async fn of_event(pool: &PgPool, event_id: i64) -> Result<Vec<Question>> {
    let mut conn = pool.acquire().await?;
    of_event_in(&mut conn, event_id).await
}

pub async fn of_event_in(conn: &mut PgConnection, event_id: i64) -> Result<Vec<Question>> {
    Ok(sqlx::query_as::<_, (QuestionKind, String, Vec<String>, bool)>(
        "SELECT kind, label, options, required FROM event_questions WHERE event_id = $1 ORDER BY position",
    )
    .bind(event_id)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|(kind, label, options, required)| Question { kind, label, options, required })
    .collect())
}

/// Replaces an event's questions (inside the caller's transaction).
pub async fn replace(conn: &mut PgConnection, event_id: i64, questions: &[Question]) -> Result<()> {
    sqlx::query("DELETE FROM event_questions WHERE event_id = $1").bind(event_id).execute(&mut *conn).await?;
    for (position, question) in questions.iter().enumerate() {
        sqlx::query(
            "INSERT INTO event_questions (event_id, position, kind, label, options, required) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(event_id)
        .bind(position as i32)
        .bind(question.kind)
        .bind(&question.label)
        .bind(&question.options)
        .bind(question.required)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_are_read_from_lines_and_written_back() {
        let choice = parse_line("choice | Which talk? | Ranking; Pushes; AutoML | required").unwrap();
        assert_eq!(choice.options, vec!["Ranking", "Pushes", "AutoML"]);
        assert!(choice.required);
        assert_eq!(render_line(&choice), "choice | Which talk? | Ranking; Pushes; AutoML | required");
        assert_eq!(parse_line("checkbox | Photos OK").unwrap().kind, QuestionKind::Checkbox);
        assert_eq!(parse_line("choice | One option | Only"), Err(Problem::OutOfRange { min: 2, max: 20 }));
        assert_eq!(parse_line("poll | X"), Err(Problem::UnknownChoice));
        assert_eq!(parse_line("text | X | required | extra"), Err(Problem::TooManyParts));
    }

    #[test]
    fn answers_are_checked_against_their_questions() {
        let questions = vec![
            parse_line("text | What do you do? | required").unwrap(),
            parse_line("choice | Which talk? | Ranking; Pushes").unwrap(),
            parse_line("checkbox | Photos OK | required").unwrap(),
        ];
        let raw = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let ok = check_answers(&questions, &raw(&[("0", "ML"), ("1", "Pushes"), ("2", "on")])).unwrap();
        assert_eq!(ok, serde_json::json!({"What do you do?": "ML", "Which talk?": "Pushes", "Photos OK": true}));
        let errors = check_answers(&questions, &raw(&[("1", "Nope")])).unwrap_err();
        assert_eq!(errors.get("answers[0]"), Some(&Problem::Required));
        assert_eq!(errors.get("answers[1]"), Some(&Problem::UnknownChoice));
        assert_eq!(errors.get("answers[2]"), Some(&Problem::Required));
        let long = "x".repeat(1001);
        let errors = check_answers(&questions, &raw(&[("0", &long), ("2", "on")])).unwrap_err();
        assert_eq!(errors.get("answers[0]"), Some(&Problem::TooLong { max: 1000 }));
    }
}
