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

-- Once per statement, not per row: a bulk change is one bump. Registrations
-- count because pages show the seats left.
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
CREATE TRIGGER registrations_bump_site_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON registrations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();
