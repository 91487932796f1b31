//! What the server functions answer besides page views: a form's reply and
//! the organiser pages' own shapes. Shared by `api` (the functions) and
//! `server` (their server side), so neither needs the other's types.

use paperclub_core::forms::{EventForm, Rejected, SeriesForm};
use paperclub_core::views::{ChannelRights, EventCard};
use serde::{Deserialize, Serialize};

/// The answer to a form post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FormReply {
    Saved { id: i64 },
    Rejected(Rejected),
}

/// The signed-in organiser, as the header shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub display_name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesOption {
    pub id: i64,
    pub title: String,
    pub time_zone: String,
}

/// Everything the event editor needs: the choices, and the values and
/// problems to show (from the saved event, or from a rejected post).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventEditor {
    pub id: Option<i64>,
    pub series: Vec<SeriesOption>,
    pub form: EventForm,
    pub rejected: Option<Rejected>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesEditor {
    pub id: Option<i64>,
    pub form: SeriesForm,
    pub rejected: Option<Rejected>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub me: Me,
    pub events: Vec<EventCard>,
    pub series: Vec<SeriesOption>,
    /// Channels where the bot lacks a right it needs.
    pub telegram_problems: Vec<ChannelRights>,
}
