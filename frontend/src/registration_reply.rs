//! A registration's answer as an address query, for the browser without
//! JavaScript: the form posts, the server redirects to the event page with
//! `?registration=...`, and the page shows the same message the hydrated
//! form would.

use paperclub_core::views::RegistrationReply;

#[cfg(feature = "ssr")]
pub fn to_query(reply: &RegistrationReply) -> String {
    match reply {
        RegistrationReply::Confirmed => "registration=confirmed".into(),
        RegistrationReply::Waitlisted { position } => format!("registration=waitlisted&position={position}"),
        RegistrationReply::Pending => "registration=pending".into(),
        RegistrationReply::AlreadyRegistered => "registration=already".into(),
        RegistrationReply::Rejected(errors) => {
            format!("registration=rejected&{}", crate::refusal_in_address::to_query(errors))
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
            let problems = crate::refusal_in_address::from_query(field, problem);
            if problems.is_empty() {
                return None;
            }
            RegistrationReply::Rejected(problems)
        }
        _ => return None,
    })
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use paperclub_core::forms::{FieldErrors, Problem};

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
            RegistrationReply::Rejected(FieldErrors::single("answers[0]", Problem::TooLong { max: 1000 })),
        ];
        for answer in answers {
            let query = to_query(&answer);
            let pairs: std::collections::HashMap<String, String> = serde_urlencoded::from_str(&query).unwrap();
            let get = |name: &str| pairs.get(name).map(String::as_str);
            let back = from_query(get("registration"), get("position"), get("field"), get("problem"));
            assert_eq!(back, Some(answer), "{query}");
        }
    }
}
