-- What the bot lacks in a channel becomes a code that the dashboard words in
-- the organiser's language, instead of an English sentence stored once.
-- Stored sentences are dropped: the rights are checked again at every start.
CREATE TYPE channel_problem AS ENUM (
    'cannot_post', 'cannot_pin', 'not_administrator', 'not_in_channel', 'removed', 'restricted',
    'chat_unknown', 'token_refused', 'check_failed'
);
ALTER TABLE telegram_chat_rights ALTER COLUMN problem TYPE channel_problem USING NULL;
COMMENT ON COLUMN telegram_chat_rights.problem IS 'what the bot lacks in the channel, worded by the site';
