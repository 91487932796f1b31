//! The site's words for the reader's language. The words themselves are the
//! core's catalogue (`paperclub_core::words`, one per language, shared with
//! the e-mails, the channel's posts and the bot); this module picks the
//! reader's and words the server functions' failures.

use leptos::prelude::*;
use paperclub_core::lang::Lang;
pub use paperclub_core::words::site::Texts;

use crate::failure::Failure;

pub fn texts(lang: Lang) -> &'static Texts {
    &paperclub_core::words::words(lang).site
}

/// The current reader's language, provided by the app at its root; in an
/// island in the browser (no context from the page around it), the page's
/// `<html lang>`, which the server wrote from the same cookie.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_else(crate::site::reader_lang)
}

pub fn use_texts() -> &'static Texts {
    texts(use_lang())
}

/// What could not be done, and what to do about it, in the reader's words.
pub fn failure(t: &Texts, failure: &Failure) -> String {
    let words = &t.failures;
    let text = match failure {
        Failure::SignInFirst => words.sign_in_first,
        Failure::OrganisersOnly => words.organisers_only,
        Failure::StaffOnly => words.staff_only,
        Failure::LinkNotValid => words.link_not_valid,
        Failure::Gone => words.gone,
        Failure::EventNotOpen => words.event_not_open,
        Failure::StatusChangeDoesNotFit => words.status_change_does_not_fit,
        Failure::RegistrationChanged { now } => {
            return format!("{} «{}».", words.registration_changed, t.registration_status(*now));
        }
        Failure::NoSeatFree => words.no_seat_free,
        Failure::UnknownAction => words.unknown_action,
        Failure::NoSuchDemo => words.no_such_demo,
        Failure::NoSuchRun => words.no_such_run,
        Failure::NotYourRun => words.not_your_run,
        Failure::Unreachable => words.unreachable,
        Failure::OurFault => words.our_fault,
    };
    text.to_owned()
}
