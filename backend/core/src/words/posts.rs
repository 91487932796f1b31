//! The channel's posts' words (Telegram HTML is added around them).

pub struct PostWords {
    pub join_link: &'static str,
    pub link_for_registered: &'static str,
    pub details: &'static str,
    pub cancelled_mark: &'static str,
    pub presenter: &'static str,
    pub programme: &'static str,
    pub free_registration_required: &'static str,
    pub register: &'static str,
    pub waiting_for_you: &'static str,
    pub reminder_lead: &'static str,
    pub starts: &'static str,
    pub recording: &'static str,
    pub watch_recording: &'static str,
    pub demo: &'static str,
    pub cancelled_lead: &'static str,
    pub cancelled_tail: &'static str,
}
