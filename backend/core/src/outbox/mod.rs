//! The durable outbox: every e-mail and Telegram message the platform
//! promised to send is a row of `notifications`, planned in the transaction
//! of the change that causes it (`plan`), claimed by a worker with
//! `FOR UPDATE SKIP LOCKED` and a lease, handed to the channel's
//! `Deliverer`, and ended with a typed outcome (`delivery`): sent, dropped
//! (no longer true or useful), not yet, throttled, or retried with one
//! backoff policy (`retry`). Organisers see and nudge the rows (`organiser`);
//! one loop per process drives it (`worker`).
//!
//! The vocabulary below compiles for the browser too: the organiser's page
//! shows channels, kinds and states.

#[cfg(feature = "server")]
pub mod delivery;
#[cfg(feature = "server")]
pub mod organiser;
#[cfg(feature = "server")]
pub mod plan;
#[cfg(feature = "server")]
pub mod recipient_limit;
#[cfg(feature = "server")]
pub mod retry;
#[cfg(feature = "server")]
pub mod worker;

db_enum!(
    /// Where a message goes.
    Channel as "notification_channel" { Email = "email", Telegram = "telegram" }
);

db_enum!(
    /// Where a message is in its life. `pending`: waiting for its moment (and
    /// `retry_at`, after a failed attempt); `sending`: claimed by a worker until
    /// `lease_until`; then `sent`, `failed` (for good, with the reason),
    /// `cancelled` (withdrawn) or `missed` (a reminder whose words were no
    /// longer true when it could go out).
    State as "notification_state" {
        Pending = "pending", Sending = "sending", Sent = "sent", Failed = "failed",
        Cancelled = "cancelled", Missed = "missed"
    }
);

db_enum!(
    /// What a message is. E-mail kinds are about a registration (or carry a
    /// sign-in link); `tg_*` kinds are the channel's posts and personal DMs.
    Kind as "notification_kind" {
        RegistrationConfirmed = "registration_confirmed",
        RegistrationWaitlisted = "registration_waitlisted",
        RegistrationPending = "registration_pending",
        RegistrationResent = "registration_resent",
        RegistrationPromoted = "registration_promoted",
        RegistrationDeclined = "registration_declined",
        RegistrationCancelled = "registration_cancelled",
        ReminderDayBefore = "reminder_day_before",
        EventChanged = "event_changed",
        EventCancelled = "event_cancelled",
        SignInLink = "sign_in_link",
        TgAnnouncement = "tg_announcement",
        TgPin = "tg_pin",
        TgUnpin = "tg_unpin",
        TgReminder = "tg_reminder",
        TgEdit = "tg_edit",
        TgRecording = "tg_recording",
        TgCancelled = "tg_cancelled",
        TgPersonalReminder = "tg_personal_reminder",
    }
);

db_enum!(
    /// Why a message ended without being sent, or was withdrawn; the
    /// dashboard words it. What an outside system said stays in `last_error`.
    Why as "notification_why" {
        EventCancelled = "event_cancelled",
        EventOver = "event_over",
        EventGone = "event_gone",
        EventNotScheduled = "event_not_scheduled",
        NoSeat = "no_seat",
        RemindersOff = "reminders_off",
        LinkMissing = "link_missing",
        NotWanted = "not_wanted",
        PassedWhenChanged = "passed_when_changed",
        EventStarted = "event_started",
        NearerReminderDue = "nearer_reminder_due",
        SkippedByOrganiser = "skipped_by_organiser",
        RecipientBlockedBot = "recipient_blocked_bot",
        NothingToPin = "nothing_to_pin",
        NothingToUnpin = "nothing_to_unpin",
        NothingToEdit = "nothing_to_edit",
        NotATelegramMessage = "not_a_telegram_message",
        GaveUp = "gave_up",
    }
);

impl Kind {
    /// The channel a message of this kind goes through.
    pub fn channel(self) -> Channel {
        if self.code().starts_with("tg_") { Channel::Telegram } else { Channel::Email }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_knows_its_channel_and_parses_back() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.code()), Some(*kind));
        }
        assert_eq!(Kind::TgPin.channel(), Channel::Telegram);
        assert_eq!(Kind::SignInLink.channel(), Channel::Email);
        assert_eq!(State::parse("missed"), Some(State::Missed));
    }
}
