//! A refused form's first problem in a page's address, for browsers without
//! JavaScript: the form posts, the server redirects back with
//! `?field=<name>&problem=<json>`, and the page shows the same words the
//! hydrated form would, parameters and all ("at most 1000 characters", not a
//! typical limit). One encoding for every form that travels this way.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use paperclub_core::forms::FieldErrors;

/// Longer values are not ours: nothing is shown.
const MAX_PROBLEM_LEN: usize = 300;

/// `field=...&problem=...` for the first problem of `errors` (the one to fix first).
#[cfg(feature = "ssr")]
pub fn to_query(errors: &FieldErrors) -> String {
    let (field, problem) = errors
        .0
        .iter()
        .next()
        .map(|(f, p)| (f.as_str(), p))
        .unwrap_or((FieldErrors::FORM, &paperclub_core::forms::Problem::Required));
    let problem = serde_json::to_string(problem).unwrap_or_default();
    serde_urlencoded::to_string([("field", field), ("problem", &problem)]).unwrap_or_default()
}

/// The same, with what was typed in short fields (`typed[<name>]=...`), so
/// the form comes back filled in. Only short values travel: an address is no
/// place for long text.
#[cfg(feature = "ssr")]
pub fn to_query_with_values(errors: &FieldErrors, values: &std::collections::BTreeMap<String, String>) -> String {
    let typed: Vec<(String, &str)> = values
        .iter()
        .filter(|(name, value)| name.len() <= 40 && value.len() <= MAX_TYPED_LEN)
        .take(MAX_TYPED_FIELDS)
        .map(|(name, value)| (format!("typed[{name}]"), value.as_str()))
        .collect();
    let typed = serde_urlencoded::to_string(typed).unwrap_or_default();
    if typed.is_empty() { to_query(errors) } else { format!("{}&{typed}", to_query(errors)) }
}

const MAX_TYPED_LEN: usize = 64;
#[cfg(feature = "ssr")]
const MAX_TYPED_FIELDS: usize = 20;

/// What was typed in field `name` of a refused form, from the page's address.
pub fn typed_in_address(name: &str) -> Option<String> {
    use_query_map().with_untracked(|q| q.get(&format!("typed[{name}]"))).filter(|value| value.len() <= MAX_TYPED_LEN)
}

/// Reads a refusal back; anything malformed reads as none.
pub fn from_query(field: Option<&str>, problem: Option<&str>) -> FieldErrors {
    let field = field
        .filter(|f| (1..=40).contains(&f.len()) && f.bytes().all(|c| c.is_ascii_alphanumeric() || b"_[]".contains(&c)));
    let problem = problem.filter(|raw| raw.len() <= MAX_PROBLEM_LEN).and_then(|raw| serde_json::from_str(raw).ok());
    match (field, problem) {
        (Some(field), Some(problem)) => FieldErrors::single(field, problem),
        _ => FieldErrors::new(),
    }
}

/// The refusal in the current page's address.
pub fn in_address() -> FieldErrors {
    use_query_map().with_untracked(|q| from_query(q.get("field").as_deref(), q.get("problem").as_deref()))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use paperclub_core::forms::Problem;

    fn round_trip(errors: &FieldErrors) -> FieldErrors {
        let query = to_query(errors);
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&query).unwrap();
        let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        from_query(get("field"), get("problem"))
    }

    #[test]
    fn a_refusal_comes_back_from_the_address_with_its_numbers() {
        for errors in [
            FieldErrors::single("answers[1]", Problem::TooLong { max: 1000 }),
            FieldErrors::single("email", Problem::BadEmail),
            FieldErrors::single(FieldErrors::FORM, Problem::TooManyRequests),
            FieldErrors::single("svd_rank", Problem::NotAbove { limit: "min(users, items)".into() }),
        ] {
            assert_eq!(round_trip(&errors), errors);
        }
    }

    #[test]
    fn a_forged_address_shows_nothing() {
        assert!(from_query(Some("name"), Some("{\"nonsense\":1}")).is_empty());
        assert!(from_query(Some("<script>"), Some("\"required\"")).is_empty());
        assert!(from_query(Some("name"), Some(&"x".repeat(400))).is_empty());
    }
}
