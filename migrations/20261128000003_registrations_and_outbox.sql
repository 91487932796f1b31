-- Registrations and the notification outbox.

CREATE TYPE registration_status AS ENUM ('confirmed', 'waitlisted', 'pending', 'cancelled', 'declined', 'checked_in');
CREATE TYPE registration_source AS ENUM ('web', 'telegram');

-- Seats taken, kept on the event row by the trigger below. Registration
-- locks the event row (SELECT ... FOR UPDATE) before deciding confirmed or
-- waitlisted, so this count is exact; the CHECK is the database's own
-- guarantee that no bug, however concurrent, gives out more seats than the
-- capacity.
ALTER TABLE events ADD COLUMN seats_taken integer NOT NULL DEFAULT 0
    CONSTRAINT events_seats_taken_not_negative CHECK (seats_taken >= 0);
ALTER TABLE events ADD CONSTRAINT events_seats_within_capacity CHECK (capacity IS NULL OR seats_taken <= capacity);

-- One person's registration for one event.
CREATE TABLE registrations (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name            text NOT NULL CONSTRAINT registrations_name_length CHECK (length(name) BETWEEN 1 AND 200),
    -- Trimmed and lower-cased by the application (values::Email).
    email           text NOT NULL CONSTRAINT registrations_email_format CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
    status          registration_status NOT NULL,
    -- Waitlist order: a growing number taken when someone joins the waitlist;
    -- positions (1, 2, 3, ...) are this order's ranks, so leaving or being
    -- promoted never leaves a gap and never needs renumbering.
    waitlist_order  bigint,
    -- The secret in the ticket, join and cancel links: 64 hex characters.
    token           text NOT NULL CONSTRAINT registrations_token_unique UNIQUE
                         CONSTRAINT registrations_token_format CHECK (token ~ '^[0-9a-f]{64}$'),
    source          registration_source NOT NULL DEFAULT 'web',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    cancelled_at    timestamptz,
    checked_in_at   timestamptz,
    CONSTRAINT registrations_waitlist_order_only_when_waitlisted
        CHECK ((status = 'waitlisted') = (waitlist_order IS NOT NULL))
);
-- Registering twice with the same e-mail is one registration.
CREATE UNIQUE INDEX registrations_one_per_email ON registrations (event_id, lower(email));
CREATE INDEX registrations_waitlist ON registrations (event_id, waitlist_order) WHERE status = 'waitlisted';
CREATE SEQUENCE registrations_waitlist_order;

-- Keeps events.seats_taken equal to the number of confirmed and checked-in
-- registrations. A seat is held by 'confirmed' and 'checked_in' only.
CREATE FUNCTION registrations_count_seats() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    before_holds boolean := TG_OP <> 'INSERT' AND OLD.status IN ('confirmed', 'checked_in');
    after_holds  boolean := TG_OP <> 'DELETE' AND NEW.status IN ('confirmed', 'checked_in');
BEGIN
    IF before_holds AND NOT after_holds THEN
        UPDATE events SET seats_taken = seats_taken - 1 WHERE id = OLD.event_id;
    ELSIF after_holds AND NOT before_holds THEN
        UPDATE events SET seats_taken = seats_taken + 1 WHERE id = NEW.event_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER registrations_count_seats
    AFTER INSERT OR UPDATE OF status OR DELETE ON registrations
    FOR EACH ROW EXECUTE FUNCTION registrations_count_seats();

CREATE TYPE notification_channel AS ENUM ('email', 'telegram');
-- pending: waiting for its moment; sending: claimed by a worker until
-- lease_until; sent / failed (permanently, with the reason) / cancelled.
CREATE TYPE notification_state AS ENUM ('pending', 'sending', 'sent', 'failed', 'cancelled');

-- The outbox: every e-mail and Telegram message the platform promised to
-- send, written in the same transaction as the change that causes it, so a
-- crash can never keep the change and lose the message (or the reverse).
CREATE TABLE notifications (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel         notification_channel NOT NULL,
    -- What it is: 'registration_confirmed', 'waitlisted', 'promoted', ...
    kind            text NOT NULL,
    event_id        bigint REFERENCES events (id) ON DELETE CASCADE,
    registration_id bigint REFERENCES registrations (id) ON DELETE CASCADE,
    -- An e-mail address or a Telegram chat id.
    recipient       text NOT NULL,
    -- Planned once: re-planning the same message hits this key, not a second row.
    dedupe_key      text NOT NULL CONSTRAINT notifications_dedupe_key_unique UNIQUE,
    -- Everything needed to render it at send time.
    payload         jsonb NOT NULL DEFAULT '{}',
    due_at          timestamptz NOT NULL,
    state           notification_state NOT NULL DEFAULT 'pending',
    attempts        integer NOT NULL DEFAULT 0,
    lease_until     timestamptz,
    last_error      text,
    -- The provider's answer: the SMTP reply, or Telegram's message id.
    provider_reply  text,
    sent_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
-- The worker's question: what is due (or whose lease ran out)?
CREATE INDEX notifications_due ON notifications (due_at) WHERE state IN ('pending', 'sending');
CREATE INDEX notifications_by_event ON notifications (event_id, created_at);

-- Wakes the delivery workers (LISTEN outbox) as soon as something is
-- planned, instead of waiting for their next poll. Once per statement.
CREATE FUNCTION notifications_wake_workers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox', '');
    RETURN NULL;
END $$;
CREATE TRIGGER notifications_wake_workers
    AFTER INSERT ON notifications FOR EACH STATEMENT EXECUTE FUNCTION notifications_wake_workers();
