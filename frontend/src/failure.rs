//! What a server function answers when it cannot do what was asked: one
//! serialisable type the page words in the reader's language
//! (`Texts::failure`), so nothing decides by reading a message. Rejected
//! forms are not failures: they come back as `FormReply::Rejected` with
//! problems per field.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Failure {
    /// Only for signed-in members (linking Telegram).
    SignInFirst,
    /// Only for organisers.
    OrganisersOnly,
    /// Only for organisers and check-in staff.
    StaffOnly,
    /// A ticket or cancel link that is malformed or unknown.
    LinkNotValid,
    /// What the form was about no longer exists.
    Gone,
    /// The event takes no registrations (unknown or unpublished).
    EventNotOpen,
    /// An event status change that does not fit its current status.
    StatusChangeDoesNotFit,
    /// A roster action on a registration that has changed since the page
    /// showed it (another organiser, or a second press): what it is now.
    RegistrationChanged {
        now: paperclub_core::views::RegistrationStatus,
    },
    /// Promoting from the waitlist with every seat taken.
    NoSeatFree,
    /// A button's action that this version does not know.
    UnknownAction,
    NoSuchDemo,
    NoSuchRun,
    /// Stopping a run someone else started.
    NotYourRun,
    /// Our fault: logged with the request's span.
    OurFault,
    /// The call did not reach the server or its answer did not come back.
    Unreachable,
}

#[cfg(feature = "ssr")]
impl Failure {
    /// The HTTP status the answer carries, so clients and logs tell "sign in
    /// first" or "already changed" from a fault of ours.
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            Failure::SignInFirst => StatusCode::UNAUTHORIZED,
            Failure::OrganisersOnly | Failure::StaffOnly | Failure::NotYourRun => StatusCode::FORBIDDEN,
            Failure::LinkNotValid
            | Failure::Gone
            | Failure::EventNotOpen
            | Failure::NoSuchDemo
            | Failure::NoSuchRun => StatusCode::NOT_FOUND,
            Failure::StatusChangeDoesNotFit | Failure::RegistrationChanged { .. } | Failure::NoSeatFree => {
                StatusCode::CONFLICT
            }
            Failure::UnknownAction => StatusCode::BAD_REQUEST,
            Failure::OurFault => StatusCode::INTERNAL_SERVER_ERROR,
            Failure::Unreachable => StatusCode::BAD_GATEWAY,
        }
    }
}

impl FromServerFnError for Failure {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) | ServerFnErrorErr::Deserialization(_) => {
                Failure::Unreachable
            }
            _ => Failure::OurFault,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}
