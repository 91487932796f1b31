-- One-time sign-in links for members ("e-mail me a link"). The e-mail carries
-- the token; this table keeps only its SHA-256, so a copy of the database
-- cannot be used to sign in. A link works once, for 15 minutes.
CREATE TABLE sign_in_links (
    token_hash  bytea PRIMARY KEY,
    email       text NOT NULL CONSTRAINT sign_in_links_email_format CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX sign_in_links_by_email ON sign_in_links (lower(email), created_at);
