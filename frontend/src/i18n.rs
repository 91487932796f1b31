//! Every string the UI shows, in Russian and English. One struct per
//! language, so a missing translation is a compile error, not a blank.

use leptos::prelude::*;
use paperclub_core::events::{EventFormat, EventKind, EventStatus, PersonRole, ProgrammeKind, RegistrationMode};
use paperclub_core::forms::Problem;
use paperclub_core::lang::Lang;
use paperclub_core::views::{DemoRunStatus, RegistrationStatus};

use crate::failure::Failure;

pub struct Texts {
    pub site_name: &'static str,
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    pub nav_home: &'static str,
    pub nav_admin: &'static str,
    pub switch_language: &'static str,
    pub upcoming: &'static str,
    pub no_upcoming: &'static str,
    pub past: &'static str,
    pub all_series: &'static str,
    pub calendar_all: &'static str,
    pub calendar_series: &'static str,
    pub calendar_event: &'static str,
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
}

pub static RU: Texts = Texts {
    site_name: "paperclub",
    tagline: "Ридинг-группы и митапы ML-команды",
    skip_to_content: "К содержимому",
    nav_home: "События",
    nav_admin: "Организаторам",
    switch_language: "English",
    upcoming: "Скоро",
    no_upcoming: "Новых встреч пока не запланировано — следите за каналом.",
    past: "Прошедшие",
    all_series: "Серии",
    calendar_all: "Календарь всех событий",
    calendar_series: "Календарь серии",
    calendar_event: "Добавить в календарь",
    download_ics: "Скачать .ics",
    meeting_number: "Встреча №",
    presenter: "Ведущий",
    presenters: "Ведущие",
    speakers: "Докладчики",
    hosts: "Ведущие",
    papers: "Статьи",
    when: "Когда",
    ends: "Окончание",
    your_time: "по вашему времени",
    where_: "Где",
    online_link: "Ссылка на встречу",
    join_online: "Подключиться",
    link_for_registered: "Ссылка доступна зарегистрированным участникам.",
    link_later: "Ссылку опубликуем перед началом.",
    programme: "Программа",
    time: "Время",
    recording: "Запись",
    slides: "Слайды",
    registration: "Регистрация",
    capacity: "Мест",
    cancelled_notice: "Событие отменено.",
    draft_notice: "Черновик: видят только организаторы.",
    events_of_person: "Выступления",
    events_of_paper: "Где обсуждали",
    abstract_: "Аннотация",
    open_paper: "Открыть статью",
    not_found_title: "Страница не найдена",
    not_found_text: "Такой страницы нет. Возможно, событие ещё не опубликовано или адрес набран с ошибкой.",
    back_home: "Ко всем событиям",
    loading: "Загрузка…",
    server_trouble: "Что-то пошло не так на нашей стороне. Попробуйте обновить страницу через минуту.",
    sign_in: "Войти",
    sign_out: "Выйти",
    email: "Эл. почта",
    password: "Пароль",
    dashboard: "Панель организатора",
    new_session: "Новая встреча ридинг-группы",
    new_meetup: "Новый митап",
    new_series: "Новая серия",
    edit: "Изменить",
    edit_event: "Изменить событие",
    edit_series: "Изменить серию",
    publish: "Опубликовать",
    cancel_event: "Отменить событие",
    mark_finished: "Отметить прошедшим",
    save: "Сохранить",
    saved: "Сохранено.",
    fix_errors: "Исправьте отмеченные поля — ничего не сохранено.",
    status: "Статус",
    view_page: "Открыть страницу",
    field_series: "Серия",
    field_kind: "Тип",
    field_number: "Номер в серии",
    field_number_help: "Пусто — следующий по порядку.",
    field_title: "Название",
    field_description: "Описание",
    field_description_help: "Markdown: **жирный**, [ссылка](https://…), списки.",
    field_date: "Дата",
    field_start: "Начало",
    field_end: "Окончание",
    field_time_zone: "Часовой пояс",
    field_time_zone_help: "IANA, например Europe/Moscow. Пусто — пояс серии.",
    field_format: "Формат",
    field_online_url: "Ссылка (Zoom и т. п.)",
    field_link_visibility: "Кому видна ссылка",
    field_venue_name: "Место",
    field_venue_address: "Адрес",
    field_capacity: "Мест",
    field_capacity_help: "Пусто — без ограничения.",
    field_registration_mode: "Регистрация",
    field_recording_url: "Ссылка на запись",
    field_recording_file_name: "Файл записи",
    field_recording_size_mb: "Размер записи, МБ",
    field_slides_url: "Ссылка на слайды",
    field_presenters: "Ведущие",
    field_presenters_help: "По одному в строке: Имя, роль, команда или компания.",
    field_papers: "Статьи",
    field_papers_help: "По одной в строке: Название | Авторы через запятую | год | arXiv id, DOI или ссылка.",
    field_programme: "Программа",
    field_programme_help: "По пункту в строке: 17:30-18:10 | talk, break, networking или gathering | Название | Имя, роль, компания; Имя, роль, компания",
    field_slug: "Адрес серии",
    field_slug_help: "Латиница, цифры и дефисы: reading-group.",
    field_language: "Язык",
    link_everyone: "Всем",
    link_registered: "Только зарегистрированным",
    register_heading: "Регистрация",
    field_name: "Имя и фамилия",
    register_button: "Зарегистрироваться",
    join_waitlist_button: "Встать в лист ожидания",
    all_seats_taken: "Все места заняты — можно встать в лист ожидания: если место освободится, мы напишем.",
    seats_left: "Свободных мест:",
    reg_confirmed: "Готово, вы зарегистрированы! Письмо с билетом и ссылкой для отмены уже в пути.",
    reg_waitlisted: "Все места заняты, вы в листе ожидания. Ваш номер в очереди:",
    reg_pending: "Заявка отправлена. Организаторы рассмотрят её и напишут вам.",
    reg_already: "Этот адрес уже зарегистрирован. Мы отправили письмо с билетом ещё раз.",
    registration_closed_note: "Регистрация закрыта.",
    ticket_title: "Ваша регистрация",
    ticket_code: "Код билета",
    your_status: "Статус",
    waitlist_position: "Номер в листе ожидания",
    cancel_registration: "Отменить регистрацию",
    registration_cancelled_note: "Регистрация отменена. Передумаете — зарегистрируйтесь снова на странице события.",
    join_button: "Подключиться к встрече",
    registrations: "Регистрации",
    door: "Вход",
    ticket_code_label: "Код билета (QR или 8 символов)",
    check_in_button: "Отметить",
    checked_in_count: "Пришли",
    admitted: "Добро пожаловать:",
    already_checked_in: "Билет уже использован:",
    not_admitted: "Этот билет не даёт входа:",
    unknown_ticket: "Такого билета на это событие нет. Проверьте код.",
    ambiguous_ticket: "Этот код подходит к нескольким билетам: отсканируйте QR или введите больше символов.",
    approve: "Одобрить",
    decline: "Отклонить",
    promote: "Дать место",
    cancel_action: "Отменить",
    export_csv: "Скачать CSV",
    registered_at: "Зарегистрирован",
    no_registrations: "Регистраций пока нет.",
    messages: "Сообщения",
    message_kind: "Что",
    recipient: "Кому",
    due: "Когда",
    attempts: "Попыток",
    last_error: "Последняя ошибка",
    nav_my: "Мои регистрации",
    my_title: "Мои регистрации",
    my_intro: "Введите адрес, с которым регистрировались: пришлём ссылку для входа. Пароль не нужен.",
    send_link: "Прислать ссылку",
    link_sent: "Если этот адрес верный, письмо со ссылкой уже в пути. Ссылка действует 15 минут.",
    signed_in_as: "Вы вошли как",
    no_my_registrations: "С этим адресом регистраций пока нет.",
    open_ticket: "Билет и отмена",
    field_questions: "Вопросы при регистрации",
    field_questions_help: "По одному в строке: text | Вопрос | required; choice | Вопрос | вариант; вариант; checkbox | Согласие | required",
    field_registration_deadline: "Регистрация до",
    field_registration_deadline_help: "Время события. Пусто — до начала.",
    nav_demos: "Демо",
    demos_title: "Демо моделей",
    demos_intro: "Модели, которые мы обсуждали, — на нашем сервере, на Rust. Каждое демо проверяет утверждение статьи на данных, которые оно генерирует (или на ваших), и показывает числа авторов рядом с нашими.",
    demo_open: "Открыть демо",
    demo_about_seconds: "Запуск с параметрами по умолчанию, секунд:",
    demo_parameters: "Параметры",
    demo_run: "Запустить",
    demo_progress: "Выполнение",
    demo_claim_held: "Утверждение статьи подтвердилось в этом запуске",
    demo_claim_not_held: "В этом запуске утверждение статьи не подтвердилось",
    demo_recent_runs: "Последние запуски",
    demo_run_link: "Запуск",
    demo_used_in: "Обсуждали на встречах",
    demo_upload_title: "Свои данные",
    demo_upload_help: "CSV со строками user,item,timestamp (заголовок можно оставить): id — целые ≥ 0, товары до 9999, до 1,2 млн строк и 6100 пользователей, файл до 24 МиБ. Последний товар каждого пользователя отложим для проверки. Параметры генератора выше при этом не нужны, остальные — используются.",
    demo_upload_button: "Загрузить и запустить",
    demo_cancel: "Остановить",
    demo_download_data: "Скачать данные запуска (CSV)",
    demo_elapsed: "Время счёта, с",
    demo_uploaded_rows: "Загруженный набор, строк:",
    demo_waiting: "Страница обновляется сама, пока запуск не закончится. Его адрес можно отправить — результат сохранится.",
    demo_back: "Все демо",
    event_demos: "Демо",
    field_demos: "Демо",
    help_demos: "По одному на строку: id демо (ga-satf) или конкретный запуск (ga-satf #12 или адрес /demos/runs/12).",
    actions: "Действия",
    send_now: "Отправить сейчас",
    retry: "Повторить",
    skip: "Пропустить",
    telegram_channel: "Канал Telegram",
    telegram_no_channel: "У серии нет канала Telegram: посты не планируются. Канал задаётся в настройках серии.",
    telegram_not_checked: "права бота ещё не проверялись (проверка — при запуске бота).",
    telegram_rights_ok: "бот может публиковать и закреплять.",
    telegram_previews: "Посты в канале — как они будут выглядеть",
    field_telegram_chat: "Канал Telegram",
    help_telegram_chat: "@имя канала или числовой id (-100…). Бот должен быть администратором с правами «Публикация» и «Редактирование». Пусто — без Telegram.",
    field_reminder_minutes: "Напоминания, минут до начала",
    help_reminder_minutes: "Через запятую: 1440, 15, 2 — за день, за 15 и за 2 минуты (пусто — так и будет).",
    help_event_reminder_minutes: "Свои для этого события, через запятую (1440, 15, 2). Пусто — как у серии.",
    field_pin_announcement: "Закрепить анонс в канале",
    link_telegram: "Связать Telegram",
    link_telegram_help: "Откройте ссылку в Telegram и нажмите «Старт»: бот узнает вас, и вы сможете записываться и получать напоминания прямо в чате. Ссылка действует 15 минут.",
    link_telegram_open: "Открыть бота",
};

pub static EN: Texts = Texts {
    site_name: "paperclub",
    tagline: "Reading groups and meetups of an ML team",
    skip_to_content: "Skip to content",
    nav_home: "Events",
    nav_admin: "Organisers",
    switch_language: "Русский",
    upcoming: "Upcoming",
    no_upcoming: "Nothing is scheduled yet — watch the channel.",
    past: "Past",
    all_series: "Series",
    calendar_all: "Calendar of all events",
    calendar_series: "Series calendar",
    calendar_event: "Add to calendar",
    download_ics: "Download .ics",
    meeting_number: "Meeting #",
    presenter: "Presenter",
    presenters: "Presenters",
    speakers: "Speakers",
    hosts: "Hosts",
    papers: "Papers",
    when: "When",
    ends: "Ends",
    your_time: "your time",
    where_: "Where",
    online_link: "Meeting link",
    join_online: "Join",
    link_for_registered: "The link is for registered participants.",
    link_later: "The link will be posted before the start.",
    programme: "Programme",
    time: "Time",
    recording: "Recording",
    slides: "Slides",
    registration: "Registration",
    capacity: "Seats",
    cancelled_notice: "This event is cancelled.",
    draft_notice: "Draft: only organisers can see it.",
    events_of_person: "Talks",
    events_of_paper: "Discussed at",
    abstract_: "Abstract",
    open_paper: "Open the paper",
    not_found_title: "Page not found",
    not_found_text: "There is no such page. The event may not be published yet, or the address has a typo.",
    back_home: "All events",
    loading: "Loading…",
    server_trouble: "Something went wrong on our side. Please reload the page in a minute.",
    sign_in: "Sign in",
    sign_out: "Sign out",
    email: "E-mail",
    password: "Password",
    dashboard: "Organiser dashboard",
    new_session: "New reading-group session",
    new_meetup: "New meetup",
    new_series: "New series",
    edit: "Edit",
    edit_event: "Edit event",
    edit_series: "Edit series",
    publish: "Publish",
    cancel_event: "Cancel event",
    mark_finished: "Mark as finished",
    save: "Save",
    saved: "Saved.",
    fix_errors: "Please fix the marked fields — nothing was saved.",
    status: "Status",
    view_page: "Open the page",
    field_series: "Series",
    field_kind: "Kind",
    field_number: "Number in the series",
    field_number_help: "Empty: the next one.",
    field_title: "Title",
    field_description: "Description",
    field_description_help: "Markdown: **bold**, [link](https://…), lists.",
    field_date: "Date",
    field_start: "Starts",
    field_end: "Ends",
    field_time_zone: "Time zone",
    field_time_zone_help: "IANA id, e.g. Europe/Moscow. Empty: the series' zone.",
    field_format: "Format",
    field_online_url: "Online link (Zoom etc.)",
    field_link_visibility: "Who sees the link",
    field_venue_name: "Venue",
    field_venue_address: "Address",
    field_capacity: "Seats",
    field_capacity_help: "Empty: unlimited.",
    field_registration_mode: "Registration",
    field_recording_url: "Recording link",
    field_recording_file_name: "Recording file",
    field_recording_size_mb: "Recording size, MB",
    field_slides_url: "Slides link",
    field_presenters: "Presenters",
    field_presenters_help: "One per line: Name, role, team or company.",
    field_papers: "Papers",
    field_papers_help: "One per line: Title | Authors, comma-separated | year | arXiv id, DOI or URL.",
    field_programme: "Programme",
    field_programme_help: "One item per line: 17:30-18:10 | talk, break, networking or gathering | Title | Name, role, company; Name, role, company",
    field_slug: "Series address",
    field_slug_help: "Latin letters, digits and dashes: reading-group.",
    field_language: "Language",
    link_everyone: "Everyone",
    link_registered: "Registered people only",
    register_heading: "Registration",
    field_name: "Full name",
    register_button: "Register",
    join_waitlist_button: "Join the waitlist",
    all_seats_taken: "All seats are taken. Join the waitlist: if a seat opens up, we will write to you.",
    seats_left: "Seats left:",
    reg_confirmed: "Done, you are registered! An e-mail with your ticket and a cancel link is on its way.",
    reg_waitlisted: "All seats are taken; you are on the waitlist. Your position:",
    reg_pending: "Request sent. The organisers will review it and write to you.",
    reg_already: "This address is already registered. We have sent your ticket e-mail again.",
    registration_closed_note: "Registration is closed.",
    ticket_title: "Your registration",
    ticket_code: "Ticket code",
    your_status: "Status",
    waitlist_position: "Position on the waitlist",
    cancel_registration: "Cancel my registration",
    registration_cancelled_note: "Your registration is cancelled. Changed your mind? Register again on the event page.",
    join_button: "Join the meeting",
    registrations: "Registrations",
    door: "Door",
    ticket_code_label: "Ticket code (QR or 8 characters)",
    check_in_button: "Check in",
    checked_in_count: "Checked in",
    admitted: "Welcome:",
    already_checked_in: "This ticket was already used:",
    not_admitted: "This ticket does not admit:",
    unknown_ticket: "No ticket of this event has this code. Check it.",
    ambiguous_ticket: "This code matches several tickets: scan the QR code or type more characters.",
    approve: "Approve",
    decline: "Decline",
    promote: "Give a seat",
    cancel_action: "Cancel",
    export_csv: "Download CSV",
    registered_at: "Registered",
    no_registrations: "No registrations yet.",
    messages: "Messages",
    message_kind: "What",
    recipient: "To",
    due: "Due",
    attempts: "Attempts",
    last_error: "Last error",
    nav_my: "My registrations",
    my_title: "My registrations",
    my_intro: "Enter the address you registered with: we will send a sign-in link. No password needed.",
    send_link: "Send me a link",
    link_sent: "If the address is right, an e-mail with the link is on its way. The link works for 15 minutes.",
    signed_in_as: "Signed in as",
    no_my_registrations: "No registrations with this address yet.",
    open_ticket: "Ticket and cancel",
    field_questions: "Registration questions",
    field_questions_help: "One per line: text | Question | required; choice | Question | option; option; checkbox | Consent | required",
    field_registration_deadline: "Registration until",
    field_registration_deadline_help: "In the event's zone. Empty: until the start.",
    nav_demos: "Demos",
    demos_title: "Model demos",
    demos_intro: "The models we discussed, running on our server, in Rust. Each demo checks a paper's claim on data it generates (or on yours) and shows the authors' numbers beside ours.",
    demo_open: "Open the demo",
    demo_about_seconds: "A run with the defaults takes, in seconds:",
    demo_parameters: "Parameters",
    demo_run: "Run",
    demo_progress: "Progress",
    demo_claim_held: "The paper's claim held in this run",
    demo_claim_not_held: "The paper's claim did not hold in this run",
    demo_recent_runs: "Latest runs",
    demo_run_link: "Run",
    demo_used_in: "Discussed at",
    demo_upload_title: "Your own data",
    demo_upload_help: "A CSV of user,item,timestamp lines (a header is fine): ids are whole numbers ≥ 0, items up to 9999, up to 1.2 million rows and 6,100 users, at most 24 MiB. Every user's last item is held out for the test. The generator's parameters above are then not used; the others are.",
    demo_upload_button: "Upload and run",
    demo_cancel: "Stop",
    demo_download_data: "Download the run's data (CSV)",
    demo_elapsed: "Compute time, s",
    demo_uploaded_rows: "Uploaded data set, rows:",
    demo_waiting: "This page refreshes itself until the run is over. Its address can be shared: the result is kept.",
    demo_back: "All demos",
    event_demos: "Demos",
    field_demos: "Demos",
    help_demos: "One per line: a demo id (ga-satf) or a particular run (ga-satf #12, or its address /demos/runs/12).",
    actions: "Actions",
    send_now: "Send now",
    retry: "Retry",
    skip: "Skip",
    telegram_channel: "Telegram channel",
    telegram_no_channel: "The series has no Telegram channel: no posts are planned. Set one in the series settings.",
    telegram_not_checked: "the bot's rights have not been checked yet (it checks when it starts).",
    telegram_rights_ok: "the bot can post and pin.",
    telegram_previews: "Channel posts, as they will look",
    field_telegram_chat: "Telegram channel",
    help_telegram_chat: "@channel name or numeric id (-100…). The bot must be an administrator allowed to post and edit messages. Empty: no Telegram.",
    field_reminder_minutes: "Reminders, minutes before the start",
    help_reminder_minutes: "Comma-separated: 1440, 15, 2 — a day, 15 and 2 minutes before (empty means exactly that).",
    help_event_reminder_minutes: "This event's own, comma-separated (1440, 15, 2). Empty: the series'.",
    field_pin_announcement: "Pin the announcement in the channel",
    link_telegram: "Link Telegram",
    link_telegram_help: "Open the link in Telegram and press Start: the bot will know you, and you can register and get reminders right in the chat. The link works for 15 minutes.",
    link_telegram_open: "Open the bot",
};

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Ru => &RU,
        Lang::En => &EN,
    }
}

/// The current reader's language, provided by the app at its root.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

pub fn use_texts() -> &'static Texts {
    texts(use_lang())
}

impl Texts {
    fn ru(&self) -> bool {
        std::ptr::eq(self, &RU)
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

    pub fn person_role(&self, role: PersonRole) -> &'static str {
        match role {
            PersonRole::Presenter => self.presenter,
            PersonRole::Speaker => self.speakers,
            PersonRole::Host => self.hosts,
        }
    }

    /// What could not be done, and what to do about it.
    pub fn failure(&self, failure: &Failure) -> &'static str {
        let ru = self.ru();
        let t = |ru_text: &'static str, en_text: &'static str| if ru { ru_text } else { en_text };
        match failure {
            Failure::SignInFirst => t(
                "Сначала войдите: откройте страницу «Мои регистрации» и попросите ссылку для входа.",
                "Sign in first: open your registrations page and ask for a sign-in link.",
            ),
            Failure::OrganisersOnly => t(
                "Эта страница — для организаторов. Войдите с аккаунтом организатора.",
                "This page is for organisers. Sign in with an organiser account.",
            ),
            Failure::StaffOnly => t(
                "Эта страница — для организаторов и тех, кто встречает на входе. Войдите с таким аккаунтом.",
                "This page is for organisers and check-in staff. Sign in with such an account.",
            ),
            Failure::LinkNotValid => t(
                "Эта ссылка не действует. Откройте ссылку из письма ещё раз.",
                "This link is not valid. Open the link from your e-mail again.",
            ),
            Failure::Gone => t("Этого больше нет: обновите страницу.", "This no longer exists: reload the page."),
            Failure::EventNotOpen => {
                t("На это событие сейчас не записывают.", "This event is not open for registration.")
            }
            Failure::StatusChangeDoesNotFit => t(
                "Это не подходит к нынешнему статусу события; обновите панель, чтобы его увидеть.",
                "This change does not fit the event's current status; reload the dashboard to see it.",
            ),
            Failure::RosterActionDoesNotFit => t(
                "Это не подходит к нынешнему статусу регистрации; обновите страницу, чтобы его увидеть.",
                "This action does not fit the registration's current status; reload the page to see it.",
            ),
            Failure::NoSeatFree => t(
                "Свободных мест нет: увеличьте вместимость или сначала отмените чью-то регистрацию.",
                "No seat is free: raise the capacity or cancel someone first.",
            ),
            Failure::UnknownAction => t(
                "Неизвестное действие: обновите страницу и попробуйте ещё раз.",
                "Unknown action: reload the page and try again.",
            ),
            Failure::NoSuchDemo => t("Такого демо нет.", "There is no such demo."),
            Failure::NoSuchRun => t("Такого запуска нет.", "There is no such run."),
            Failure::NotYourRun => t(
                "Остановить запуск может только тот, кто его начал, или организатор.",
                "Only the visitor who started this run, or one of the organisers, can stop it.",
            ),
            Failure::OurFault => self.server_trouble,
            Failure::Unreachable => t(
                "Сервер не ответил. Проверьте соединение и попробуйте ещё раз.",
                "The server did not answer. Check your connection and try again.",
            ),
        }
    }

    /// "120 мест", "1 seat".
    pub fn seats(&self, n: i64) -> String {
        let lang = if self.ru() { Lang::Ru } else { Lang::En };
        paperclub_core::words::count(lang, n, paperclub_core::words::seats(lang))
    }

    /// What is wrong with a field, in words the organiser can act on.
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
