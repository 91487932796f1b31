-- The content version of the public pages: the page cache
-- (backend/server/src/web/page_cache.rs) keeps a rendered page only under the
-- version it was rendered at. Every change to what a public page shows bumps
-- it in the same transaction, so the next request after the commit renders
-- afresh; a cached page is never newer or older than the database it came from.
CREATE TABLE site_version (
    -- One row: the table is a counter.
    only_row boolean PRIMARY KEY DEFAULT true CONSTRAINT site_version_one_row CHECK (only_row),
    version  bigint NOT NULL DEFAULT 0
);
INSERT INTO site_version DEFAULT VALUES;

CREATE FUNCTION bump_site_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE site_version SET version = version + 1;
    RETURN NULL;
END
$$;

-- Once per statement, not per row: a bulk change is one bump.
CREATE TRIGGER series_bump_site_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON series
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();
CREATE TRIGGER events_bump_site_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();
CREATE TRIGGER papers_bump_site_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON papers
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();
CREATE TRIGGER people_bump_site_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON people
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();
CREATE TRIGGER event_papers_bump_site_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON event_papers
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();
CREATE TRIGGER event_people_bump_site_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON event_people
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();
CREATE TRIGGER programme_items_bump_site_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON programme_items
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();
CREATE TRIGGER programme_item_speakers_bump_site_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON programme_item_speakers
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();
CREATE TRIGGER event_questions_bump_site_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON event_questions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();
CREATE TRIGGER event_demos_bump_site_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON event_demos
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();

-- Registrations change only their event's page (the seats left), and come in
-- bursts: a counter per event, bumped under the event's row lock that every
-- registration change takes anyway, keeps them from queueing on the one row
-- above. The page cache reads both for an event's page.
CREATE TABLE event_seat_versions (
    event_id bigint PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    version  bigint NOT NULL
);

CREATE FUNCTION bump_event_seat_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO event_seat_versions (event_id, version)
    VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.event_id ELSE NEW.event_id END, 1)
    ON CONFLICT (event_id) DO UPDATE SET version = event_seat_versions.version + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER registrations_bump_event_seat_version AFTER INSERT OR UPDATE OR DELETE ON registrations
    FOR EACH ROW EXECUTE FUNCTION bump_event_seat_version();
