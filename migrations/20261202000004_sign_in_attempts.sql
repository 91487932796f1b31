-- Sign-in attempts are recorded before the password is checked, so guesses
-- sent at once all count; a success deletes its own row, so the table keeps
-- holding failures (and attempts still in flight), as its name says.
CREATE INDEX sign_in_failures_by_email_and_addr ON sign_in_failures (lower(email), client_addr, at);

-- Addresses an account signed in from with the right password. The slower
-- limit on failures per account (from anywhere) does not apply to them: a
-- stranger's guesses from elsewhere cannot lock the organiser out.
CREATE TABLE sign_in_known_addresses (
    account_id      bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    client_addr     text NOT NULL,
    last_success_at timestamptz NOT NULL,
    PRIMARY KEY (account_id, client_addr)
);
