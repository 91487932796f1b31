//! A registration's answer as an address query, for the browser without
//! JavaScript: the form posts, the server redirects to the event page with
//! `?registration=...`, and the page shows the same message the hydrated
//! form would.

use paperclub_core::forms::{FieldErrors, Problem};
use paperclub_core::views::RegistrationReply;

pub fn to_query(reply: &RegistrationReply) -> String {
    match reply {
        RegistrationReply::Confirmed => "registration=confirmed".into(),
        RegistrationReply::Waitlisted { position } => format!("registration=waitlisted&position={position}"),
        RegistrationReply::Pending => "registration=pending".into(),
        RegistrationReply::AlreadyRegistered => "registration=already".into(),
        RegistrationReply::Rejected(errors) => {
            let (field, problem) =
                errors.0.iter().next().map(|(f, p)| (f.as_str(), p)).unwrap_or(("_form", &Problem::Required));
            format!("registration=rejected&field={field}&problem={}", problem.address_code())
        }
    }
}

/// Reads the answer back; anything unexpected is `None` (no message shown).
pub fn from_query(
    registration: Option<&str>,
    position: Option<&str>,
    field: Option<&str>,
    problem: Option<&str>,
) -> Option<RegistrationReply> {
    Some(match registration? {
        "confirmed" => RegistrationReply::Confirmed,
        "waitlisted" => RegistrationReply::Waitlisted { position: position?.parse().ok()? },
        "pending" => RegistrationReply::Pending,
        "already" => RegistrationReply::AlreadyRegistered,
        "rejected" => {
            let field = match field? {
                "name" => "name".to_owned(),
                "email" => "email".to_owned(),
                answer if answer.starts_with("answers[") && answer.len() <= 16 => answer.to_owned(),
                _ => FieldErrors::FORM.to_owned(),
            };
            RegistrationReply::Rejected(FieldErrors::single(&field, Problem::from_address_code(problem?)?))
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_answer_survives_the_trip_through_the_address() {
        let answers = [
            RegistrationReply::Confirmed,
            RegistrationReply::Waitlisted { position: 12 },
            RegistrationReply::Pending,
            RegistrationReply::AlreadyRegistered,
            RegistrationReply::Rejected(FieldErrors::single("email", Problem::BadEmail)),
            RegistrationReply::Rejected(FieldErrors::single(FieldErrors::FORM, Problem::RegistrationClosed)),
            RegistrationReply::Rejected(FieldErrors::single("answers[1]", Problem::Required)),
        ];
        for answer in answers {
            let query = to_query(&answer);
            let pairs: std::collections::HashMap<&str, &str> =
                query.split('&').filter_map(|pair| pair.split_once('=')).collect();
            let back = from_query(
                pairs.get("registration").copied(),
                pairs.get("position").copied(),
                pairs.get("field").copied(),
                pairs.get("problem").copied(),
            );
            assert_eq!(back, Some(answer), "{query}");
        }
    }
}
