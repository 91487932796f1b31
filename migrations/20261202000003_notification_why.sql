-- Why a message ended without being sent, or was withdrawn: a code the
-- dashboard words in the organiser's language, so the outbox never stores
-- our own explanations as English text. `last_error` keeps only what an
-- outside system said (the SMTP server's or the Bot API's own words), which
-- is what a person diagnosing a failure needs verbatim.
CREATE TYPE notification_why AS ENUM (
    'event_cancelled',        -- the event was cancelled
    'event_over',             -- the event is over
    'event_gone',             -- the event or the registration no longer exists
    'event_not_scheduled',    -- the event is no longer scheduled (a draft again)
    'no_seat',                -- the registration no longer holds a seat
    'reminders_off',          -- the registrant turned reminders off
    'link_missing',           -- a sign-in message without its link
    'not_wanted',             -- the series no longer wants a reminder at this offset
    'passed_when_changed',    -- its moment had passed when the event moved
    'event_started',          -- came due only after the start
    'nearer_reminder_due',    -- a nearer reminder was due as well
    'skipped_by_organiser',
    'recipient_blocked_bot',
    'nothing_to_pin',
    'nothing_to_unpin',
    'nothing_to_edit',
    'not_a_telegram_message',
    'gave_up'                 -- every retry failed; `last_error` says the last failure
);

ALTER TABLE notifications ADD COLUMN why notification_why;

-- Rows ended before this migration keep their English `last_error`.
