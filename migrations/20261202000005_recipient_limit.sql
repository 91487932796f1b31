-- Messages a visitor can make paperclub send to an address are counted per
-- recipient over the last hour (outbox::recipient_limit).
CREATE INDEX notifications_by_recipient ON notifications (lower(recipient), due_at);
