//! Read models the pages render. They cross the wire between the server and
//! the browser bundle, so they hold ready-to-show strings (times already
//! formatted in the event's zone and the reader's language) plus the raw
//! instant and zone the browser needs to add the viewer's own time.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::events::{EventFormat, EventKind, EventStatus, PersonRole, ProgrammeKind, RegistrationMode};

/// An instant as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct When {
    pub at: DateTime<Utc>,
    /// IANA id of the event's zone, e.g. "Europe/Moscow".
    pub time_zone: String,
    /// "17 июля 2023, 15:00 МСК"
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventCard {
    pub id: i64,
    pub kind: EventKind,
    pub status: EventStatus,
    pub format: EventFormat,
    pub series_slug: String,
    pub series_title: String,
    pub number: i32,
    pub title: String,
    pub starts: When,
    /// Presenters of a session or speakers of a meetup, in order.
    pub people: Vec<String>,
    pub place: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRef {
    pub id: i64,
    pub name: String,
    pub role: Option<String>,
    pub affiliation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPerson {
    pub person: PersonRef,
    pub role: PersonRole,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaperRef {
    pub id: i64,
    pub title: String,
    pub authors: Vec<String>,
    pub year: Option<i32>,
    pub venue: Option<String>,
    pub arxiv_id: Option<String>,
    pub doi: Option<String>,
    pub url: Option<String>,
}

impl PaperRef {
    /// The best public address of the paper: its own URL, else arXiv, else DOI.
    pub fn link(&self) -> Option<String> {
        self.url
            .clone()
            .or_else(|| self.arxiv_id.as_ref().map(|id| format!("https://arxiv.org/abs/{id}")))
            .or_else(|| self.doi.as_ref().map(|doi| format!("https://doi.org/{doi}")))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeRow {
    /// "17:30–18:10", in the event's zone.
    pub time_range: String,
    pub kind: ProgrammeKind,
    pub title: String,
    pub speakers: Vec<PersonRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recording {
    pub url: Option<String>,
    pub file_name: Option<String>,
    /// "75 MB"
    pub size_label: Option<String>,
}

/// Where to add an event without a file (`calendar::links`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarLinks {
    pub google: String,
    pub outlook: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPage {
    pub card: EventCard,
    /// Filled by the page's loader, which knows the site's address; `None`
    /// for a draft.
    #[serde(default)]
    pub calendar_links: Option<CalendarLinks>,
    pub ends: When,
    /// "18 августа 2023, 17:00–20:30 МСК"
    pub span_label: String,
    /// Rendered from Markdown with raw HTML escaped.
    pub description_html: String,
    /// Plain-text summary for link previews.
    pub summary: String,
    /// Present only when the viewer may see it.
    pub online_url: Option<String>,
    /// True when a link exists but is reserved for registered people.
    pub online_url_hidden: bool,
    pub venue_name: Option<String>,
    pub venue_address: Option<String>,
    pub capacity: Option<i32>,
    pub registration_mode: RegistrationMode,
    /// The form is offered: scheduled, takes registrations, not started, before the deadline.
    pub registration_open: bool,
    /// Seats still free (`None`: unlimited). Zero means new registrations join the waitlist.
    pub seats_left: Option<i64>,
    /// The registration form's extra questions.
    pub questions: Vec<Question>,
    pub people: Vec<EventPerson>,
    pub papers: Vec<PaperRef>,
    pub programme: Vec<ProgrammeRow>,
    pub recording: Option<Recording>,
    pub slides_url: Option<String>,
    /// Demos of the discussed models, attached by the organisers.
    pub demos: Vec<AttachedDemo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomePage {
    pub upcoming: Vec<EventCard>,
    pub past: Vec<EventCard>,
    pub series: Vec<SeriesRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesRef {
    pub slug: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesPage {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description_html: String,
    pub time_zone: String,
    /// Newest first, like the channel.
    pub events: Vec<EventCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonPage {
    pub person: PersonRef,
    pub bio_html: String,
    pub telegram_handle: Option<String>,
    pub events: Vec<EventCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaperPage {
    pub paper: PaperRef,
    pub abstract_text: String,
    /// The paper's BibTeX entry, to copy (`papers::bibtex`).
    pub bibtex: String,
    pub events: Vec<EventCard>,
}

/// What a registrant sees on their personal page (`/tickets/{token}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketPage {
    pub event: EventCard,
    pub span_label: String,
    pub venue: Option<String>,
    pub name: String,
    pub email: String,
    pub status: RegistrationStatus,
    pub waitlist_position: Option<i64>,
    /// The token itself: the key of the join and cancel links, and the QR code's content.
    pub token: String,
    /// The code to type at the door: `3F9A-0C21`.
    pub short_code: String,
    /// The ticket as an SVG QR code, while it admits (confirmed).
    pub qr_svg: Option<String>,
    /// True when the event is online and this registration may join.
    pub can_join: bool,
    /// True while cancelling still makes sense (not cancelled, event not over).
    pub can_cancel: bool,
}

/// The answer to a registration form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RegistrationReply {
    Confirmed,
    Waitlisted { position: i64 },
    Pending,
    AlreadyRegistered,
    Rejected(crate::forms::FieldErrors),
}

db_enum!(
    /// Where a registration stands; its code is used in the database, CSV and pages.
    RegistrationStatus as "registration_status" {
        Confirmed = "confirmed", Waitlisted = "waitlisted", Pending = "pending", Cancelled = "cancelled",
        Declined = "declined", CheckedIn = "checked_in",
    }
);

db_enum!(
    /// Where a registration was made: the site's form or the bot's button.
    RegistrationSource as "registration_source" { Web = "web", Telegram = "telegram" }
);

db_enum!(
    /// What the bot lacks in a series' channel, for organisers to fix.
    ChannelProblem as "channel_problem" {
        CannotPost = "cannot_post", CannotPin = "cannot_pin", NotAdministrator = "not_administrator",
        NotInChannel = "not_in_channel", Removed = "removed", Restricted = "restricted",
        ChatUnknown = "chat_unknown", TokenRefused = "token_refused", CheckFailed = "check_failed",
    }
);

db_enum!(
    /// Where a demo run stands.
    DemoRunStatus as "demo_run_status" {
        Queued = "queued", Running = "running", Done = "done", Failed = "failed", Cancelled = "cancelled",
    }
);

impl DemoRunStatus {
    /// Still to come or under way: the page keeps following it.
    pub fn is_unfinished(self) -> bool {
        matches!(self, DemoRunStatus::Queued | DemoRunStatus::Running)
    }
}

impl RegistrationStatus {
    pub fn holds_seat(self) -> bool {
        matches!(self, RegistrationStatus::Confirmed | RegistrationStatus::CheckedIn)
    }

    /// Still in the running: holding a seat, waiting for one, or awaiting approval.
    pub fn is_live(self) -> bool {
        !matches!(self, RegistrationStatus::Cancelled | RegistrationStatus::Declined)
    }
}

/// One registration as the organiser's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(sqlx::FromRow))]
pub struct RosterEntry {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// Answers to the extra questions, by question label.
    pub answers: serde_json::Value,
    pub status: RegistrationStatus,
    /// 1, 2, 3, ... for the waitlist.
    pub waitlist_position: Option<i64>,
    pub source: RegistrationSource,
    pub created_at: DateTime<Utc>,
    pub checked_in_at: Option<DateTime<Utc>>,
}

/// What the door says about a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckIn {
    /// Welcome: checked in now.
    Admitted { name: String },
    /// This ticket was already used.
    /// `at_label` is the moment in the event's zone ("18:04 МСК").
    AlreadyCheckedIn { name: String, at: DateTime<Utc>, at_label: String },
    /// The ticket exists but does not admit: cancelled, declined, waitlisted or pending.
    NotAdmitted { name: String, status: RegistrationStatus },
    /// No ticket of this event has this code.
    Unknown,
    /// The short code matches several tickets: scan the QR code or type more characters.
    Ambiguous,
}

/// The organiser's list of an event's registrations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterPage {
    pub event: EventCard,
    pub capacity: Option<i32>,
    pub entries: Vec<RosterEntry>,
    /// Every message planned for the event's registrants, newest first.
    pub notifications: Vec<NotificationRow>,
}

/// One planned, sent or failed message, as organisers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(sqlx::FromRow))]
pub struct NotificationRow {
    pub id: i64,
    pub channel: crate::outbox::Channel,
    pub kind: crate::outbox::Kind,
    pub recipient: String,
    pub due_at: DateTime<Utc>,
    pub state: crate::outbox::State,
    pub attempts: i32,
    /// Why it ended unsent or was withdrawn, in our words (the page words it).
    pub why: Option<crate::outbox::Why>,
    /// What an outside system said about the last failure, verbatim.
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// What the bot may do in a channel, as last checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(sqlx::FromRow))]
pub struct ChannelRights {
    pub chat: String,
    pub can_post: bool,
    pub can_pin: bool,
    /// What is missing (worded by `Texts::channel_problem`).
    pub problem: Option<ChannelProblem>,
    pub checked_at: DateTime<Utc>,
}

/// A Telegram post as it will look, rendered from the event now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostPreview {
    /// announcement, reminder:15, recording, ...
    pub kind: String,
    /// Telegram HTML (only Telegram's tags, text escaped).
    pub html: String,
    pub button: Option<(String, String)>,
}

/// Every message of one event, e-mail and Telegram, with previews of the
/// channel's posts and the bot's rights in the channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationsPage {
    pub event: EventCard,
    pub chat: Option<String>,
    pub rights: Option<ChannelRights>,
    pub previews: Vec<PostPreview>,
    pub rows: Vec<NotificationRow>,
}

/// The door page: which event, how many are in, and the last scan's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoorPage {
    pub event: EventCard,
    pub checked_in: i64,
    pub expected: i64,
    pub last: Option<CheckIn>,
}

/// A member's own page: their registrations, newest event first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyPage {
    /// `None` when nobody is signed in: the page offers the e-mail link instead.
    pub email: Option<String>,
    pub registrations: Vec<MyRegistration>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyRegistration {
    pub event: EventCard,
    pub status: RegistrationStatus,
    /// The key of the ticket page, where it can be cancelled (minted for
    /// the member's page; none where nobody follows it).
    pub token: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", derive(sqlx::Type))]
#[cfg_attr(feature = "server", sqlx(type_name = "question_kind", rename_all = "snake_case"))]
pub enum QuestionKind {
    Text,
    Choice,
    Checkbox,
}

/// The longest name a registration form takes, in characters (shown next to the field).
pub const NAME_MAX_CHARS: usize = 200;
/// The longest e-mail address (RFC 5321's path limit).
pub const EMAIL_MAX_CHARS: usize = 254;
/// The longest answer to a text question.
pub const TEXT_ANSWER_MAX_CHARS: usize = 1000;

/// An extra question of an event's registration form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub kind: QuestionKind,
    pub label: String,
    /// The choices of a `Choice` question.
    pub options: Vec<String>,
    pub required: bool,
}

/// A demo in the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoCard {
    pub id: String,
    pub title: String,
    /// Authors, venue and year of the paper(s) the demo reproduces.
    pub paper: String,
    /// The paper's idea in a few sentences.
    pub idea: String,
    /// About how long a run with the default parameters takes on our server.
    pub default_seconds: u32,
}

/// One field of a demo's parameter form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoField {
    pub name: String,
    pub help: String,
    pub default: String,
    pub min: String,
    pub max: String,
    pub integer: bool,
}

/// A demo's page: what it shows, its form, the paper's own numbers, and
/// where it is used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoPage {
    pub card: DemoCard,
    pub fields: Vec<DemoField>,
    /// The paper's reported numbers (on the paper's data, not ours).
    pub paper_numbers: ResultTable,
    /// For demos that also run on an uploaded `user,item,timestamp` CSV: the
    /// parameters that still apply to uploaded data.
    pub upload_fields: Option<Vec<DemoField>>,
    pub recent_runs: Vec<DemoRunLink>,
    /// Sessions this demo (or one of its runs) is attached to.
    pub sessions: Vec<EventLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoRunLink {
    pub id: i64,
    pub status: DemoRunStatus,
    pub claim_held: Option<bool>,
}

/// A link to an event page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventLink {
    pub id: i64,
    pub title: String,
}

/// A demo attached to an event, as its page links it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedDemo {
    pub demo: String,
    pub title: String,
    /// A specific run to show, or the demo's page.
    pub run_id: Option<i64>,
}

impl AttachedDemo {
    pub fn href(&self) -> String {
        match self.run_id {
            Some(run) => format!("/demos/runs/{run}"),
            None => format!("/demos/{}", self.demo),
        }
    }
}

/// A demo run as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoRunPage {
    pub id: i64,
    pub demo: DemoCard,
    /// queued, running, done, failed, cancelled
    pub status: DemoRunStatus,
    pub progress: f32,
    /// The parameters as run, by name.
    pub params: Vec<(String, String)>,
    /// Rows of the uploaded data set the run used, if any.
    pub dataset: Option<String>,
    pub error: Option<String>,
    pub seconds: Option<f64>,
    /// The visitor who asked for the run (or an organiser) may stop it.
    pub can_cancel: bool,
    /// Whether the run's input data can be downloaded as CSV.
    pub has_data: bool,
    pub result: Option<DemoResult>,
    pub paper_numbers: ResultTable,
}

/// A finished run's results, in the page's language: whether the paper's
/// claim held, tables and plots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoResult {
    pub claim_held: bool,
    /// The claim, with this run's numbers.
    pub claim: String,
    pub tables: Vec<ResultTable>,
    pub plots: Vec<Plot>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ResultTable {
    pub caption: String,
    pub columns: Vec<String>,
    /// The first cell of each row is its header.
    pub rows: Vec<Vec<String>>,
    /// A note under the table (where the numbers come from).
    pub note: String,
}

/// A line chart; points may carry a range (drawn as a whisker).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plot {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<PlotSeries>,
    /// Points without lines, both axes on one scale (positions on a plane).
    #[serde(default)]
    pub scatter: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlotSeries {
    pub name: String,
    pub points: Vec<PlotPoint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlotPoint {
    pub x: f64,
    pub y: f64,
    /// A range around `y` (e.g. the 10th and 90th percentiles).
    pub range: Option<(f64, f64)>,
}
