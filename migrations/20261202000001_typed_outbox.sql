-- The outbox's kinds become a type of their own, like its channels and
-- states: a typo in a kind is an error at the INSERT, not a message that no
-- deliverer understands. 'tg_unpin' is new: cancelling an event whose
-- announcement the bot pinned unpins it.
CREATE TYPE notification_kind AS ENUM (
    'registration_confirmed', 'registration_waitlisted', 'registration_pending', 'registration_resent',
    'registration_promoted', 'registration_declined', 'registration_cancelled', 'reminder_day_before',
    'event_changed', 'event_cancelled', 'sign_in_link',
    'tg_announcement', 'tg_pin', 'tg_unpin', 'tg_reminder', 'tg_edit', 'tg_recording', 'tg_cancelled',
    'tg_personal_reminder'
);
ALTER TABLE notifications ALTER COLUMN kind TYPE notification_kind USING kind::notification_kind;

-- One retry policy for every channel: a failed attempt waits in retry_at,
-- and due_at keeps the moment the message was planned for (so a retried
-- message keeps its place in its recipient's order, and organisers see when
-- it was meant to go). E-mail used to move due_at instead.
COMMENT ON COLUMN notifications.retry_at IS 'after a failed or throttled attempt: not claimed again before this';

-- A reminder's offset (minutes before the start) travels in its payload on
-- every channel, so the one lateness rule can compare reminders; the
-- day-before e-mails planned before this had none.
UPDATE notifications SET payload = payload || '{"minutes": 1440}'
WHERE kind = 'reminder_day_before' AND NOT payload ? 'minutes';
