-- Uploaded data sets for the demos, who asked for a run, and demos attached to events.

-- A visitor's own `user,item,timestamp` file, kept once per content: the same
-- file uploaded twice is one data set, so identical runs on it share a result.
CREATE TABLE demo_datasets (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sha256        bytea NOT NULL CONSTRAINT demo_datasets_one_per_content UNIQUE,
    -- The file as uploaded (already checked: bounded size, parseable rows).
    csv           text NOT NULL,
    users         integer NOT NULL CHECK (users > 0),
    items         integer NOT NULL CHECK (items > 0),
    interactions  integer NOT NULL CHECK (interactions > 0),
    created_at    timestamptz NOT NULL
);

-- The visitor who asked for a run may stop it: the hash of a random token
-- kept in their browser's cookie (nothing that identifies them). NULL for
-- runs asked for before this column existed, and those cannot be stopped
-- by visitors (organisers still can).
ALTER TABLE demo_runs ADD COLUMN requested_by bytea;
-- Runs on an uploaded data set point at it; the data set outlives none of them.
ALTER TABLE demo_runs ADD COLUMN dataset_id bigint REFERENCES demo_datasets (id) ON DELETE RESTRICT;

-- Demos shown on an event's page and in its recording post: a demo's page,
-- or one particular run of it (`run_id`), in the organiser's order.
CREATE TABLE event_demos (
    event_id  bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    position  integer NOT NULL,
    -- A demo id from the registry in code (`ga-satf`, `calibrated-ranking`);
    -- checked by the application, since the registry is not a table.
    demo      text NOT NULL CONSTRAINT event_demos_demo_format CHECK (demo ~ '^[a-z0-9-]{1,40}$'),
    run_id    bigint REFERENCES demo_runs (id) ON DELETE SET NULL,
    PRIMARY KEY (event_id, position)
);
CREATE INDEX event_demos_by_demo ON event_demos (demo);
