//! The site's words (one instance per language in `ru.rs` and `en.rs`): every
//! label, heading and message a page shows, the names of the domain's
//! values, and what is wrong with a form field.

use crate::events::{EventFormat, EventKind, EventStatus, PersonRole, ProgrammeKind, RegistrationMode};
use crate::forms::Problem;
use crate::lang::Lang;
use crate::outbox::Why;
use crate::views::{ChannelProblem, DemoRunStatus, RegistrationSource, RegistrationStatus};

/// The site's words: pages, forms, their problems and failures.
pub struct Texts {
    pub site_name: &'static str,
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    pub nav_home: &'static str,
    pub nav_admin: &'static str,
    pub switch_language: &'static str,
    /// The language's own name, as a list of languages shows it.
    pub language_name: &'static str,
    /// Month names as a date says them ("17 июля 2023": the genitive in Russian).
    pub months: [&'static str; 12],
    /// Moscow time's short name.
    pub moscow_zone: &'static str,
    /// `/unsubscribe/{token}`, the reminder e-mail's one-click link.
    pub unsubscribe_title: &'static str,
    pub unsubscribe_question: &'static str,
    pub unsubscribe_button: &'static str,
    pub unsubscribed_title: &'static str,
    pub unsubscribed_text: &'static str,
    /// `/sign-in/{token}`, the member's e-mail link: it asks before it signs in.
    pub sign_in_link_title: &'static str,
    /// Followed by the account's address.
    pub sign_in_link_question: &'static str,
    pub sign_in_link_button: &'static str,
    pub sign_in_link_not_you: &'static str,
    pub sign_in_link_gone: &'static str,
    pub sign_in_link_ask_again: &'static str,
    pub sign_in_link_staff: &'static str,
    pub upcoming: &'static str,
    pub no_upcoming: &'static str,
    pub past: &'static str,
    pub all_series: &'static str,
    pub calendar_all: &'static str,
    pub calendar_series: &'static str,
    pub calendar_event: &'static str,
    /// Links that add the event in Google Calendar and Outlook on the web.
    pub calendar_google: &'static str,
    /// The link to a series' Atom feed.
    pub feed: &'static str,
    /// A paper's BibTeX entry, and a series' papers as one `.bib` file.
    pub cite: &'static str,
    pub download_bib: &'static str,
    pub reading_list_bib: &'static str,
    pub calendar_outlook: &'static str,
    pub download_ics: &'static str,
    pub meeting_number: &'static str,
    pub presenter: &'static str,
    pub presenters: &'static str,
    pub speakers: &'static str,
    pub hosts: &'static str,
    pub papers: &'static str,
    pub when: &'static str,
    pub ends: &'static str,
    pub your_time: &'static str,
    pub where_: &'static str,
    pub online_link: &'static str,
    pub join_online: &'static str,
    pub link_for_registered: &'static str,
    pub link_later: &'static str,
    pub programme: &'static str,
    pub time: &'static str,
    pub recording: &'static str,
    pub slides: &'static str,
    pub registration: &'static str,
    pub capacity: &'static str,
    pub cancelled_notice: &'static str,
    pub draft_notice: &'static str,
    pub events_of_person: &'static str,
    pub events_of_paper: &'static str,
    pub abstract_: &'static str,
    pub open_paper: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub back_home: &'static str,
    pub loading: &'static str,
    pub server_trouble: &'static str,
    // Organiser side.
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub dashboard: &'static str,
    pub new_session: &'static str,
    pub new_meetup: &'static str,
    pub new_series: &'static str,
    pub edit: &'static str,
    pub edit_event: &'static str,
    pub edit_series: &'static str,
    pub publish: &'static str,
    pub cancel_event: &'static str,
    pub mark_finished: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub fix_errors: &'static str,
    pub status: &'static str,
    pub view_page: &'static str,
    pub field_series: &'static str,
    pub field_kind: &'static str,
    pub field_number: &'static str,
    pub field_number_help: &'static str,
    pub field_title: &'static str,
    pub field_description: &'static str,
    pub field_description_help: &'static str,
    pub field_date: &'static str,
    pub field_start: &'static str,
    pub field_end: &'static str,
    pub field_time_zone: &'static str,
    pub field_time_zone_help: &'static str,
    pub field_format: &'static str,
    pub field_online_url: &'static str,
    pub field_link_visibility: &'static str,
    pub field_venue_name: &'static str,
    pub field_venue_address: &'static str,
    pub field_capacity: &'static str,
    pub field_capacity_help: &'static str,
    pub field_registration_mode: &'static str,
    pub field_recording_url: &'static str,
    pub field_recording_file_name: &'static str,
    pub field_recording_size_mb: &'static str,
    pub field_slides_url: &'static str,
    pub field_presenters: &'static str,
    pub field_presenters_help: &'static str,
    pub field_papers: &'static str,
    pub field_papers_help: &'static str,
    pub field_programme: &'static str,
    pub field_programme_help: &'static str,
    pub field_slug: &'static str,
    pub field_slug_help: &'static str,
    pub field_language: &'static str,
    pub link_everyone: &'static str,
    pub link_registered: &'static str,
    pub register_heading: &'static str,
    pub field_name: &'static str,
    pub register_button: &'static str,
    pub join_waitlist_button: &'static str,
    pub all_seats_taken: &'static str,
    pub all_seats_taken_approval: &'static str,
    pub apply_for_waitlist_button: &'static str,
    pub reg_pending_waitlist: &'static str,
    pub seats_left: &'static str,
    pub reg_confirmed: &'static str,
    pub reg_waitlisted: &'static str,
    pub reg_pending: &'static str,
    pub reg_already: &'static str,
    pub registration_closed_note: &'static str,
    pub ticket_title: &'static str,
    pub ticket_code: &'static str,
    pub your_status: &'static str,
    pub waitlist_position: &'static str,
    pub cancel_registration: &'static str,
    pub registration_cancelled_note: &'static str,
    pub event_cancelled_ticket: &'static str,
    pub event_cancelled_ticket_note: &'static str,
    pub join_button: &'static str,
    pub registrations: &'static str,
    pub door: &'static str,
    pub ticket_code_label: &'static str,
    pub check_in_button: &'static str,
    pub checked_in_count: &'static str,
    pub admitted: &'static str,
    pub already_checked_in: &'static str,
    pub not_admitted: &'static str,
    pub unknown_ticket: &'static str,
    pub ambiguous_ticket: &'static str,
    pub approve: &'static str,
    /// Approving a request while every seat is taken.
    pub approve_to_waitlist: &'static str,
    /// The roster's column: where a registration was made.
    pub source: &'static str,
    pub decline: &'static str,
    pub promote: &'static str,
    pub cancel_action: &'static str,
    pub export_csv: &'static str,
    pub registered_at: &'static str,
    pub no_registrations: &'static str,
    pub messages: &'static str,
    pub message_kind: &'static str,
    pub recipient: &'static str,
    pub due: &'static str,
    pub attempts: &'static str,
    pub last_error: &'static str,
    pub nav_my: &'static str,
    pub my_title: &'static str,
    pub my_intro: &'static str,
    pub send_link: &'static str,
    pub link_sent: &'static str,
    pub signed_in_as: &'static str,
    pub no_my_registrations: &'static str,
    pub open_ticket: &'static str,
    pub field_questions: &'static str,
    pub field_questions_help: &'static str,
    pub field_registration_deadline: &'static str,
    pub field_registration_deadline_help: &'static str,
    pub nav_demos: &'static str,
    pub demos_title: &'static str,
    pub demos_intro: &'static str,
    pub demo_open: &'static str,
    pub demo_about_seconds: &'static str,
    pub demo_parameters: &'static str,
    pub demo_run: &'static str,
    pub demo_progress: &'static str,
    pub demo_claim_held: &'static str,
    pub demo_claim_not_held: &'static str,
    pub demo_recent_runs: &'static str,
    pub demo_run_link: &'static str,
    pub demo_used_in: &'static str,
    pub demo_upload_title: &'static str,
    pub demo_upload_help: &'static str,
    pub demo_upload_button: &'static str,
    pub demo_cancel: &'static str,
    pub demo_download_data: &'static str,
    /// Why the platform ended a run (its memory or time limit, or it could not start).
    pub demo_stopped_worker_died: &'static str,
    pub demo_stopped_time_limit: &'static str,
    pub demo_stopped_could_not_start: &'static str,
    pub demo_elapsed: &'static str,
    pub demo_uploaded_rows: &'static str,
    pub demo_waiting: &'static str,
    pub demo_back: &'static str,
    pub event_demos: &'static str,
    pub field_demos: &'static str,
    pub help_demos: &'static str,
    pub actions: &'static str,
    pub send_now: &'static str,
    pub retry: &'static str,
    pub skip: &'static str,
    pub telegram_channel: &'static str,
    pub telegram_no_channel: &'static str,
    pub telegram_not_checked: &'static str,
    pub telegram_rights_ok: &'static str,
    pub telegram_previews: &'static str,
    pub field_telegram_chat: &'static str,
    pub help_telegram_chat: &'static str,
    pub field_reminder_minutes: &'static str,
    pub help_reminder_minutes: &'static str,
    pub help_event_reminder_minutes: &'static str,
    pub field_pin_announcement: &'static str,
    pub link_telegram: &'static str,
    pub link_telegram_help: &'static str,
    pub link_telegram_open: &'static str,
    /// How a demo's claim sentence ends: whether the paper's claim held in the run.
    pub claim_held: &'static str,
    pub claim_did_not_hold: &'static str,
    /// What the bot lacks in a channel.
    pub channel_problems: ChannelProblemWords,
    /// What a server function could not do (`frontend::failure::Failure`), and what to do.
    pub failures: FailureWords,
}

/// What the bot lacks in a channel, and what to do.
pub struct ChannelProblemWords {
    pub cannot_post: &'static str,
    pub cannot_pin: &'static str,
    pub not_administrator: &'static str,
    pub not_in_channel: &'static str,
    pub removed: &'static str,
    pub restricted: &'static str,
    pub chat_unknown: &'static str,
    pub token_refused: &'static str,
    pub check_failed: &'static str,
}

/// One sentence per failure a page can show.
pub struct FailureWords {
    pub sign_in_first: &'static str,
    pub organisers_only: &'static str,
    pub staff_only: &'static str,
    pub link_not_valid: &'static str,
    pub gone: &'static str,
    pub event_not_open: &'static str,
    pub status_change_does_not_fit: &'static str,
    pub registration_changed: &'static str,
    pub no_seat_free: &'static str,
    pub unknown_action: &'static str,
    pub no_such_demo: &'static str,
    pub no_such_run: &'static str,
    pub not_your_run: &'static str,
    pub unreachable: &'static str,
    /// Our fault: the apology.
    pub our_fault: &'static str,
}

impl Texts {
    /// What the bot lacks in a channel, and what to do about it.
    pub fn channel_problem(&self, problem: ChannelProblem) -> &'static str {
        let w = &self.channel_problems;
        match problem {
            ChannelProblem::CannotPost => w.cannot_post,
            ChannelProblem::CannotPin => w.cannot_pin,
            ChannelProblem::NotAdministrator => w.not_administrator,
            ChannelProblem::NotInChannel => w.not_in_channel,
            ChannelProblem::Removed => w.removed,
            ChannelProblem::Restricted => w.restricted,
            ChannelProblem::ChatUnknown => w.chat_unknown,
            ChannelProblem::TokenRefused => w.token_refused,
            ChannelProblem::CheckFailed => w.check_failed,
        }
    }

    fn ru(&self) -> bool {
        std::ptr::eq(self, &super::ru::RU.site)
    }

    pub fn event_kind(&self, kind: EventKind) -> &'static str {
        match (kind, self.ru()) {
            (EventKind::Session, true) => "Ридинг-группа",
            (EventKind::Session, false) => "Reading group",
            (EventKind::Meetup, true) => "Митап",
            (EventKind::Meetup, false) => "Meetup",
        }
    }

    pub fn format(&self, format: EventFormat) -> &'static str {
        match (format, self.ru()) {
            (EventFormat::Online, true) => "Онлайн",
            (EventFormat::Online, false) => "Online",
            (EventFormat::InPerson, true) => "Офлайн",
            (EventFormat::InPerson, false) => "In person",
            (EventFormat::Hybrid, true) => "Офлайн и онлайн",
            (EventFormat::Hybrid, false) => "Hybrid",
        }
    }

    pub fn status(&self, status: EventStatus) -> &'static str {
        match (status, self.ru()) {
            (EventStatus::Draft, true) => "Черновик",
            (EventStatus::Draft, false) => "Draft",
            (EventStatus::Scheduled, true) => "Запланировано",
            (EventStatus::Scheduled, false) => "Scheduled",
            (EventStatus::Cancelled, true) => "Отменено",
            (EventStatus::Cancelled, false) => "Cancelled",
            (EventStatus::Finished, true) => "Прошло",
            (EventStatus::Finished, false) => "Finished",
        }
    }

    pub fn registration_mode(&self, mode: RegistrationMode) -> &'static str {
        match (mode, self.ru()) {
            (RegistrationMode::None, true) => "Не нужна",
            (RegistrationMode::None, false) => "Not needed",
            (RegistrationMode::Open, true) => "Открыта",
            (RegistrationMode::Open, false) => "Open",
            (RegistrationMode::Required, true) => "Участие бесплатное, регистрация обязательна",
            (RegistrationMode::Required, false) => "Free, registration required",
            (RegistrationMode::Approval, true) => "По одобрению организаторов",
            (RegistrationMode::Approval, false) => "Subject to organisers' approval",
        }
    }

    pub fn programme_kind(&self, kind: ProgrammeKind) -> &'static str {
        match (kind, self.ru()) {
            (ProgrammeKind::Talk, true) => "Доклад",
            (ProgrammeKind::Talk, false) => "Talk",
            (ProgrammeKind::Break, true) => "Перерыв",
            (ProgrammeKind::Break, false) => "Break",
            (ProgrammeKind::Networking, true) => "Общение",
            (ProgrammeKind::Networking, false) => "Networking",
            (ProgrammeKind::Gathering, true) => "Сбор",
            (ProgrammeKind::Gathering, false) => "Gathering",
        }
    }

    pub fn registration_source(&self, source: RegistrationSource) -> &'static str {
        match (source, self.ru()) {
            (RegistrationSource::Web, true) => "сайт",
            (RegistrationSource::Web, false) => "website",
            (RegistrationSource::Telegram, _) => "Telegram",
        }
    }

    pub fn registration_status(&self, status: RegistrationStatus) -> &'static str {
        match (status, self.ru()) {
            (RegistrationStatus::Confirmed, true) => "Вы зарегистрированы",
            (RegistrationStatus::Confirmed, false) => "You are registered",
            (RegistrationStatus::Waitlisted, true) => "В листе ожидания",
            (RegistrationStatus::Waitlisted, false) => "On the waitlist",
            (RegistrationStatus::Pending, true) => "Ждёт одобрения организаторов",
            (RegistrationStatus::Pending, false) => "Waiting for the organisers' approval",
            (RegistrationStatus::Cancelled, true) => "Отменена",
            (RegistrationStatus::Cancelled, false) => "Cancelled",
            (RegistrationStatus::Declined, true) => "Отклонена организаторами",
            (RegistrationStatus::Declined, false) => "Declined by the organisers",
            (RegistrationStatus::CheckedIn, true) => "Вы отметились на входе",
            (RegistrationStatus::CheckedIn, false) => "Checked in",
        }
    }

    pub fn demo_status(&self, status: DemoRunStatus) -> &'static str {
        match (status, self.ru()) {
            (DemoRunStatus::Queued, true) => "в очереди",
            (DemoRunStatus::Queued, false) => "queued",
            (DemoRunStatus::Running, true) => "считается",
            (DemoRunStatus::Running, false) => "running",
            (DemoRunStatus::Done, true) => "готово",
            (DemoRunStatus::Done, false) => "done",
            (DemoRunStatus::Failed, true) => "ошибка",
            (DemoRunStatus::Failed, false) => "failed",
            (DemoRunStatus::Cancelled, true) => "остановлен",
            (DemoRunStatus::Cancelled, false) => "cancelled",
        }
    }

    /// Why a message ended unsent or was withdrawn, as the outbox's page says it.
    pub fn why(&self, why: Why) -> &'static str {
        let ru = self.ru();
        match why {
            Why::EventCancelled => {
                if ru {
                    "событие отменено"
                } else {
                    "the event was cancelled"
                }
            }
            Why::EventOver => {
                if ru {
                    "событие прошло"
                } else {
                    "the event is over"
                }
            }
            Why::EventGone => {
                if ru {
                    "события или регистрации больше нет"
                } else {
                    "the event or registration no longer exists"
                }
            }
            Why::EventNotScheduled => {
                if ru {
                    "событие больше не запланировано"
                } else {
                    "the event is no longer scheduled"
                }
            }
            Why::NoSeat => {
                if ru {
                    "у регистрации больше нет места"
                } else {
                    "the registration no longer holds a seat"
                }
            }
            Why::RemindersOff => {
                if ru {
                    "участник отключил напоминания"
                } else {
                    "the registrant turned reminders off"
                }
            }
            Why::LinkMissing => {
                if ru {
                    "в письме нет ссылки для входа"
                } else {
                    "the sign-in link is missing"
                }
            }
            Why::NotWanted => {
                if ru {
                    "серия больше не напоминает в это время"
                } else {
                    "the series no longer reminds at this time"
                }
            }
            Why::PassedWhenChanged => {
                if ru {
                    "время прошло, когда событие перенесли"
                } else {
                    "its moment had passed when the event moved"
                }
            }
            Why::EventStarted => {
                if ru {
                    "пропущено: событие уже началось"
                } else {
                    "missed: the event had started"
                }
            }
            Why::NearerReminderDue => {
                if ru {
                    "пропущено: подошло время более близкого напоминания"
                } else {
                    "missed: a nearer reminder was due as well"
                }
            }
            Why::SkippedByOrganiser => {
                if ru {
                    "пропущено организатором"
                } else {
                    "skipped by an organiser"
                }
            }
            Why::RecipientBlockedBot => {
                if ru {
                    "человек заблокировал бота"
                } else {
                    "the person blocked the bot"
                }
            }
            Why::NothingToPin => {
                if ru {
                    "нечего закреплять: анонса нет"
                } else {
                    "no announcement to pin"
                }
            }
            Why::NothingToUnpin => {
                if ru {
                    "нечего откреплять: анонса нет"
                } else {
                    "no announcement to unpin"
                }
            }
            Why::NothingToEdit => {
                if ru {
                    "нечего править: ещё ничего не опубликовано"
                } else {
                    "nothing posted yet to edit"
                }
            }
            Why::NotATelegramMessage => {
                if ru {
                    "это сообщение не для Telegram"
                } else {
                    "not a Telegram message"
                }
            }
            Why::GaveUp => {
                if ru {
                    "все попытки не удались"
                } else {
                    "every attempt failed"
                }
            }
        }
    }

    /// The outbox page's note on a message: why it ended unsent, then what
    /// the provider said ("все попытки не удались: 421 busy").
    pub fn notification_note(&self, why: Option<Why>, said: Option<&str>) -> String {
        match (why.map(|why| self.why(why)), said) {
            (Some(why), Some(said)) => format!("{why}: {said}"),
            (Some(why), None) => why.to_owned(),
            (None, said) => said.unwrap_or_default().to_owned(),
        }
    }

    pub fn person_role(&self, role: PersonRole) -> &'static str {
        match role {
            PersonRole::Presenter => self.presenter,
            PersonRole::Speaker => self.speakers,
            PersonRole::Host => self.hosts,
        }
    }

    /// "120 мест", "1 seat".
    pub fn seats(&self, n: i64) -> String {
        let lang = if self.ru() { Lang::Ru } else { Lang::En };
        super::count(lang, n, super::seats(lang))
    }

    /// What is wrong with a field, in words the organiser can act on.
    /// A field's limit, stated next to it: "до 1000 символов".
    pub fn at_most_chars(&self, max: usize) -> String {
        // After «до» the noun is genitive: «до 21 символа», «до 200 символов».
        let genitive = if max % 10 == 1 && max % 100 != 11 { "символа" } else { "символов" };
        if self.ru() { format!("До {max} {genitive}.") } else { format!("Up to {max} characters.") }
    }

    pub fn problem(&self, problem: &Problem) -> String {
        let ru = self.ru();
        let text = |ru_text: &str, en_text: &str| {
            if ru { ru_text.to_owned() } else { en_text.to_owned() }
        };
        match problem {
            Problem::Required => text("Заполните это поле.", "This field is required."),
            Problem::TooLong { max } => {
                if ru {
                    format!("Слишком длинно: не больше {max} символов.")
                } else {
                    format!("Too long: at most {max} characters.")
                }
            }
            Problem::NotANumber => text("Введите число.", "Enter a number."),
            Problem::NotBetween { min, max } => {
                if ru {
                    format!("Допустимо от {min} до {max}.")
                } else {
                    format!("Must be between {min} and {max}.")
                }
            }
            Problem::NotAbove { limit } => {
                if ru {
                    format!("Не больше, чем {limit}.")
                } else {
                    format!("Must not exceed {limit}.")
                }
            }
            Problem::NotMultipleOf { factor } => {
                if ru {
                    format!("Должно делиться на {factor}.")
                } else {
                    format!("Must be a multiple of {factor}.")
                }
            }
            Problem::CsvColumns => text(
                "Нужно три поля через запятую: user,item,timestamp.",
                "Expected three comma-separated fields: user,item,timestamp.",
            ),
            Problem::CsvNotANumber { column } => {
                if ru {
                    format!("поле {column} должно быть числом (user и item — целые ≥ 0).")
                } else {
                    format!("{column} must be a number (user and item: whole numbers ≥ 0).")
                }
            }
            Problem::FileTooLarge { max_mib } => {
                if ru {
                    format!("Файл больше {max_mib} МиБ.")
                } else {
                    format!("The file is larger than {max_mib} MiB.")
                }
            }
            Problem::TooManyRows { max } => {
                if ru {
                    format!("Больше {max} строк.")
                } else {
                    format!("More than {max} rows.")
                }
            }
            Problem::TooFewUsers { min } => {
                if ru {
                    format!("Нужно хотя бы {min} пользователей с тремя и более взаимодействиями.")
                } else {
                    format!("At least {min} users with three or more interactions are needed.")
                }
            }
            Problem::TooManyUsers { max } => {
                if ru {
                    format!("Больше {max} пользователей.")
                } else {
                    format!("More than {max} users.")
                }
            }
            Problem::UnknownDemo => text("Такого демо нет.", "There is no such demo."),
            Problem::OutOfRange { min, max } => {
                if ru {
                    format!("Допустимо от {min} до {max}.")
                } else {
                    format!("Must be between {min} and {max}.")
                }
            }
            Problem::BadDate => text("Дата в виде 2023-07-17.", "A date like 2023-07-17."),
            Problem::BadTime => text("Время в виде 15:00.", "A time like 15:00."),
            Problem::NonexistentLocalTime => text(
                "Такого времени нет в этом поясе (перевод часов). Выберите другое.",
                "That time does not exist in this zone (a clock change). Pick another.",
            ),
            Problem::UnknownTimeZone => {
                text("Неизвестный пояс. Пример: Europe/Moscow.", "Unknown time zone. Example: Europe/Moscow.")
            }
            Problem::EndNotAfterStart => {
                text("Окончание должно быть позже начала.", "The end must be after the start.")
            }
            Problem::BadUrl => text("Нужна ссылка, начинающаяся с https://", "Enter a link starting with https://"),
            Problem::BadEmail => text("Проверьте адрес почты.", "Check the e-mail address."),
            Problem::BadSlug => text(
                "Только строчная латиница, цифры и одиночные дефисы.",
                "Lower-case Latin letters, digits and single dashes only.",
            ),
            Problem::BadArxivId => text("arXiv id в виде 2212.05720.", "An arXiv id like 2212.05720."),
            Problem::BadDoi => text("DOI в виде 10.1234/abc.", "A DOI like 10.1234/abc."),
            Problem::BadTelegramHandle => {
                text("Ник Telegram: 5–32 латинских символа.", "A Telegram handle: 5–32 Latin characters.")
            }
            Problem::UnknownChoice => text("Выберите один из вариантов.", "Pick one of the options."),
            Problem::TooManyParts => text("Лишние части, разделённые «|».", "Too many parts separated by '|'."),
            Problem::Line { line, problem } => {
                let inner = self.problem(problem);
                if ru { format!("Строка {line}: {inner}") } else { format!("Line {line}: {inner}") }
            }
            Problem::NumberTaken => {
                text("Этот номер в серии уже занят.", "This number is already taken in the series.")
            }
            Problem::SlugTaken => text("Такой адрес уже у другой серии.", "Another series already has this address."),
            Problem::UnknownSeries => text("Выберите существующую серию.", "Pick an existing series."),
            Problem::WrongCredentials => text("Неверная почта или пароль.", "Wrong e-mail or password."),
            Problem::RegistrationNotOffered => {
                text("На это событие регистрация не нужна.", "This event does not take registrations.")
            }
            Problem::RegistrationClosed => text(
                "Регистрация закрыта: срок прошёл или событие уже началось.",
                "Registration is closed: the deadline has passed or the event has started.",
            ),
            Problem::EventCancelled => text("Событие отменено.", "The event is cancelled."),
            Problem::OverMemoryBudget { need_mib, budget_mib } => {
                if ru {
                    format!(
                        "Такому запуску нужно около {need_mib} МБ памяти, а одному запуску можно {budget_mib} МБ: уменьшите это значение."
                    )
                } else {
                    format!(
                        "This run would need about {need_mib} MB of memory and one run may use {budget_mib} MB: lower this value."
                    )
                }
            }
            Problem::OverTimeBudget { need_minutes, budget_minutes } => {
                if ru {
                    format!(
                        "Такой запуск займёт около {need_minutes} мин, а одному запуску можно {budget_minutes} мин: уменьшите это значение."
                    )
                } else {
                    format!(
                        "This run would take about {need_minutes} min and one run may take {budget_minutes} min: lower this value."
                    )
                }
            }
            Problem::QueueBusy { minutes } => {
                if ru {
                    format!(
                        "Сейчас очередь демо занята: попробуйте через {minutes} мин. Ваши уже запущенные прогоны продолжаются."
                    )
                } else {
                    format!(
                        "The demo queue is busy right now: try again in {minutes} min. Runs you started keep going."
                    )
                }
            }
            Problem::CapacityBelowSeatsTaken => text(
                "Мест уже занято больше: сначала отмените или переведите в лист ожидания лишние регистрации.",
                "More seats are already taken: cancel or waitlist registrations first.",
            ),
            Problem::DeadlineAfterEnd => text(
                "Срок регистрации должен быть не позже окончания события.",
                "The registration deadline must not be after the event ends.",
            ),
            Problem::TooManyRequests => text(
                "Слишком много запросов с вашего адреса. Попробуйте через несколько минут.",
                "Too many requests from your address. Please try again in a few minutes.",
            ),
            Problem::TooManyAttempts => text(
                "Слишком много неудачных попыток. Попробуйте через 15 минут.",
                "Too many failed attempts. Try again in 15 minutes.",
            ),
        }
    }
}
