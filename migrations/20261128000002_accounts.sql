-- Accounts, sign-in sessions and the sign-in rate limit.

CREATE TYPE account_role AS ENUM ('organiser', 'checkin', 'member');

CREATE TABLE accounts (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Stored trimmed and lower-cased by the application; the unique index on
    -- lower() makes "Ana@x" and "ana@x" one account whatever writes the row.
    email          text NOT NULL CONSTRAINT accounts_email_format CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
    display_name   text NOT NULL CONSTRAINT accounts_display_name_length CHECK (length(display_name) BETWEEN 1 AND 200),
    role           account_role NOT NULL,
    -- An argon2id PHC string. NULL for members who only sign in by e-mail link.
    password_hash  text,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_email_unique ON accounts (lower(email));

-- Server-side sessions: the cookie carries a random token, the table only its
-- SHA-256, so a leaked database does not hand out live sessions.
CREATE TABLE account_sessions (
    token_hash  bytea PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    -- A one-shot message for the next page this session renders (a form's
    -- errors and values after a post without JavaScript: post, redirect, show).
    flash       jsonb
);
CREATE INDEX account_sessions_by_expiry ON account_sessions (expires_at);

-- Failed sign-ins, counted per e-mail and per client address over a window.
-- Kept in the database so several server processes share one limit.
CREATE TABLE sign_in_failures (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email       text NOT NULL,
    client_addr text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_by_email ON sign_in_failures (lower(email), at);
CREATE INDEX sign_in_failures_by_addr ON sign_in_failures (client_addr, at);
