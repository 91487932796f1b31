-- The Telegram side: which channel a series posts to, when reminders go out,
-- the bot's own posts (so later edits and pins find them), what the bot may
-- do in each channel, and the people who talk to the bot privately.

-- The channel a series' posts go to: "@username" or a numeric chat id
-- ("-100..."). NULL: the series is not announced in Telegram.
ALTER TABLE series ADD COLUMN telegram_chat text
    CONSTRAINT series_telegram_chat_format CHECK (telegram_chat ~ '^(@[A-Za-z][A-Za-z0-9_]{4,31}|-?[0-9]{1,20})$');
-- Reminder offsets in minutes before the start (the channel's habit: a day,
-- 15 minutes, 2 minutes). An event may have its own; NULL takes the series'.
ALTER TABLE series ADD COLUMN reminder_minutes integer[] NOT NULL DEFAULT '{1440,15,2}'
    CONSTRAINT series_reminder_minutes_valid CHECK (array_length(reminder_minutes, 1) IS NULL OR (0 < ALL (reminder_minutes) AND 20160 >= ALL (reminder_minutes)));
ALTER TABLE events ADD COLUMN reminder_minutes integer[]
    CONSTRAINT events_reminder_minutes_valid CHECK (reminder_minutes IS NULL OR array_length(reminder_minutes, 1) IS NULL OR (0 < ALL (reminder_minutes) AND 20160 >= ALL (reminder_minutes)));
-- Pin the announcement in the channel (meetups usually are).
ALTER TABLE events ADD COLUMN pin_announcement boolean NOT NULL DEFAULT false;

-- The bot's posts in channels. One per event, kind and chat: an edit finds
-- the message here. `text_sha256` is what was last sent, so an edit that
-- changes nothing is not sent (Telegram answers "message is not modified").
CREATE TABLE telegram_posts (
    event_id     bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- 'announcement', 'recording', 'cancelled', or 'reminder:<minutes>'
    kind         text NOT NULL,
    chat         text NOT NULL,
    message_id   bigint NOT NULL,
    text_sha256  bytea NOT NULL,
    posted_at    timestamptz NOT NULL,
    edited_at    timestamptz,
    PRIMARY KEY (event_id, kind, chat)
);

-- What the bot may do in each channel, as last checked (at start and when
-- its membership changes). The dashboard says which right is missing.
CREATE TABLE telegram_chat_rights (
    chat         text PRIMARY KEY,
    checked_at   timestamptz NOT NULL,
    can_post     boolean NOT NULL,
    can_pin      boolean NOT NULL,
    -- In plain language, for organisers: what is wrong and what to do.
    problem      text
);

-- People who started the bot in a private chat.
CREATE TABLE telegram_users (
    telegram_user_id  bigint PRIMARY KEY,
    chat_id           bigint NOT NULL,
    username          text,
    first_name        text NOT NULL DEFAULT '',
    language          language_code NOT NULL DEFAULT 'ru',
    -- The site account this Telegram account is linked to (by a one-time token).
    account_id        bigint REFERENCES accounts (id) ON DELETE SET NULL,
    -- The user blocked the bot: nothing more is sent until they write again.
    blocked_at        timestamptz,
    -- Personal reminders by DM, minutes before the start (empty: none).
    reminder_minutes  integer[] NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL
);
CREATE UNIQUE INDEX telegram_users_one_per_account ON telegram_users (account_id) WHERE account_id IS NOT NULL;

-- One-time tokens that link a Telegram account to a site account: made on
-- the site, carried by a deep link (t.me/<bot>?start=link_<token>), stored hashed.
CREATE TABLE telegram_link_tokens (
    token_hash   bytea PRIMARY KEY,
    account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);

-- Only one process consumes updates (long polling or webhook) at a time:
-- it holds this advisory lock key for as long as it polls.
COMMENT ON TABLE telegram_users IS 'advisory lock 7242 guards the single update consumer';

-- A Telegram post waiting to be tried again (after a 429 or a network error)
-- keeps its `due_at`, which orders a chat's posts; it is not claimed before
-- `retry_at`, and the chat's later posts wait behind it.
ALTER TABLE notifications ADD COLUMN retry_at timestamptz;

-- A reminder whose moment passed while the platform was down, for an event
-- that had already started by the time it could be sent: never sent late.
ALTER TYPE notification_state ADD VALUE IF NOT EXISTS 'missed';
