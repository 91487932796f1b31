-- A registration's secret links (ticket, join, unsubscribe, cancel) are no
-- longer stored: each message about a registration carries a token minted for
-- it, and only the token's SHA-256 is kept here, like sessions' and sign-in
-- links'. A registration may have many; any of them opens it. Tokens minted
-- for the member's own page expire after a day; mailed ones do not (people
-- open old e-mails), until the registration is deleted.
CREATE TABLE registration_tokens (
    digest          bytea PRIMARY KEY,
    registration_id bigint NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz
);
CREATE INDEX registration_tokens_by_registration ON registration_tokens (registration_id);

-- Staff type the ticket's short code at the door when a QR code cannot be
-- scanned: eight hex characters, unique enough within one event. It opens
-- nothing by itself (check-in needs a staff session).
ALTER TABLE registrations ADD COLUMN door_code text;
UPDATE registrations SET door_code = left(token, 8);
ALTER TABLE registrations ALTER COLUMN door_code SET NOT NULL,
    ADD CONSTRAINT registrations_door_code_format CHECK (door_code ~ '^[0-9a-f]{8}$');
CREATE INDEX registrations_by_door_code ON registrations (event_id, door_code);

-- The tokens already sent keep working.
INSERT INTO registration_tokens (digest, registration_id, created_at)
SELECT sha256(convert_to(token, 'UTF8')), id, created_at FROM registrations;
ALTER TABLE registrations DROP COLUMN token;
