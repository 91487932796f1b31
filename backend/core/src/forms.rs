//! What a form can get wrong, as codes both sides understand: the server says
//! which field has which problem, the page says it in the reader's language.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// Externally tagged (serde's default): the browser reads it without buffering.
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    NotANumber,
    OutOfRange {
        min: i64,
        max: i64,
    },
    BadDate,
    BadTime,
    /// The local time does not exist in the zone (a DST gap).
    NonexistentLocalTime,
    UnknownTimeZone,
    EndNotAfterStart,
    BadUrl,
    BadEmail,
    BadSlug,
    BadArxivId,
    BadDoi,
    BadTelegramHandle,
    UnknownChoice,
    /// A line of a list (people, papers, programme) has more parts than it should.
    TooManyParts,
    /// Line `line` (from 1) of a list field has `problem`.
    Line {
        line: usize,
        problem: Box<Problem>,
    },
    NumberTaken,
    SlugTaken,
    UnknownSeries,
    WrongCredentials,
    TooManyAttempts,
    /// The event does not take registrations.
    RegistrationNotOffered,
    /// The registration deadline has passed, or the event has started.
    RegistrationClosed,
    EventCancelled,
    /// Too many requests from one address in a short time.
    TooManyRequests,
    /// A registration deadline after the event's end.
    DeadlineAfterEnd,
    /// A capacity below the seats already taken.
    CapacityBelowSeatsTaken,
    /// A demo's parameters would need more memory than one run may use:
    /// `need_mib` predicted, `budget_mib` allowed.
    OverMemoryBudget {
        need_mib: u64,
        budget_mib: u64,
    },
    /// A demo's parameters would take longer than one run may:
    /// about `need_minutes` predicted, `budget_minutes` allowed.
    OverTimeBudget {
        need_minutes: u64,
        budget_minutes: u64,
    },
    /// The demo queue is full (for this visitor or for everyone); come back
    /// in about `minutes`.
    QueueBusy {
        minutes: u32,
    },
    /// A number outside its bounds, shown as written (decimals allowed).
    NotBetween {
        min: String,
        max: String,
    },
    /// A number larger than another parameter allows, e.g. "max_length (80)".
    NotAbove {
        limit: String,
    },
    /// A whole number that must divide evenly, e.g. by "2 × heads (16)".
    NotMultipleOf {
        factor: String,
    },
    /// An uploaded file's line is not `user,item,timestamp`.
    CsvColumns,
    /// An uploaded file's `column` (user, item or timestamp) is not a number.
    CsvNotANumber {
        column: String,
    },
    FileTooLarge {
        max_mib: usize,
    },
    TooManyRows {
        max: usize,
    },
    /// Fewer than `min` users with at least three interactions.
    TooFewUsers {
        min: usize,
    },
    TooManyUsers {
        max: usize,
    },
    /// No demo by that name, or it takes no uploads.
    UnknownDemo,
}

/// Problems by field name (the form input's `name`). `_form` is the form as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub BTreeMap<String, Problem>);

impl FieldErrors {
    pub const FORM: &'static str = "_form";

    pub fn new() -> Self {
        Self::default()
    }
    pub fn single(field: &str, problem: Problem) -> Self {
        let mut errors = Self::new();
        errors.add(field, problem);
        errors
    }
    /// Keeps the first problem per field: it is the one the user should fix first.
    pub fn add(&mut self, field: &str, problem: Problem) {
        self.0.entry(field.to_owned()).or_insert(problem);
    }
    pub fn get(&self, field: &str) -> Option<&Problem> {
        self.0.get(field)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Records the outcome of parsing one field and hands back the value, if any.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, Problem>) -> Option<T> {
        parsed.map_err(|problem| self.add(field, problem)).ok()
    }
}

/// What a form post answers when it cannot be saved: the problems and the
/// values as typed, so the form can be shown again, filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    pub errors: FieldErrors,
    pub values: BTreeMap<String, String>,
}

/// The organiser's event form, as posted. Every field is the raw text typed;
/// `events::authoring::EventDraft::parse` turns it into a checked draft.
///
/// People, papers and the programme are written one per line, the way the
/// channel's own posts list them, so a whole meetup programme can be pasted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventForm {
    pub series_id: String,
    pub kind: String,
    pub number: String,
    pub title: String,
    pub description: String,
    pub date: String,
    pub start_time: String,
    pub end_time: String,
    pub time_zone: String,
    pub format: String,
    pub online_url: String,
    pub link_visibility: String,
    pub venue_name: String,
    pub venue_address: String,
    pub capacity: String,
    pub registration_mode: String,
    /// `2027-02-12T18:00` (an HTML datetime-local input), in the event's zone; empty: until the start.
    pub registration_deadline: String,
    pub recording_url: String,
    pub recording_file_name: String,
    pub recording_size_mb: String,
    pub slides_url: String,
    /// "Name, role, affiliation" per line.
    pub presenters: String,
    /// "Title | Author One, Author Two | year | arXiv id, DOI or URL" per line.
    pub papers: String,
    /// "17:30-18:10 | talk | Title | Name, role, affiliation; Name, role, affiliation" per line.
    pub programme: String,
    /// Extra registration questions: "text | Label | required", "choice | Label | A; B", "checkbox | Label".
    pub questions: String,
    /// Demos shown on the page: "ga-satf", or a run: "ga-satf #12", per line.
    pub demos: String,
    /// "on": pin the announcement in the channel.
    pub pin_announcement: String,
    /// This event's own reminder offsets in minutes ("1440, 15, 2"); empty: the series'.
    pub reminder_minutes: String,
}

impl EventForm {
    /// The values keyed by field name, to show a rejected form again.
    pub fn values(&self) -> BTreeMap<String, String> {
        let pairs = [
            ("series_id", &self.series_id),
            ("kind", &self.kind),
            ("number", &self.number),
            ("title", &self.title),
            ("description", &self.description),
            ("date", &self.date),
            ("start_time", &self.start_time),
            ("end_time", &self.end_time),
            ("time_zone", &self.time_zone),
            ("format", &self.format),
            ("online_url", &self.online_url),
            ("link_visibility", &self.link_visibility),
            ("venue_name", &self.venue_name),
            ("venue_address", &self.venue_address),
            ("capacity", &self.capacity),
            ("registration_mode", &self.registration_mode),
            ("registration_deadline", &self.registration_deadline),
            ("recording_url", &self.recording_url),
            ("recording_file_name", &self.recording_file_name),
            ("recording_size_mb", &self.recording_size_mb),
            ("slides_url", &self.slides_url),
            ("presenters", &self.presenters),
            ("papers", &self.papers),
            ("programme", &self.programme),
            ("questions", &self.questions),
            ("demos", &self.demos),
            ("pin_announcement", &self.pin_announcement),
            ("reminder_minutes", &self.reminder_minutes),
        ];
        pairs.into_iter().map(|(k, v)| (k.to_owned(), v.clone())).collect()
    }
}

/// The organiser's series form, as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SeriesForm {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub time_zone: String,
    pub language: String,
    /// The Telegram channel its posts go to: "@username" or a numeric id; empty: none.
    pub telegram_chat: String,
    /// Reminders before each event, in minutes: "1440, 15, 2".
    pub reminder_minutes: String,
}

impl SeriesForm {
    pub fn values(&self) -> BTreeMap<String, String> {
        [
            ("slug", &self.slug),
            ("title", &self.title),
            ("description", &self.description),
            ("time_zone", &self.time_zone),
            ("language", &self.language),
            ("telegram_chat", &self.telegram_chat),
            ("reminder_minutes", &self.reminder_minutes),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect()
    }
}
