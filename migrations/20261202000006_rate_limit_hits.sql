-- Hits on the limits per client address (registrations, demo runs), shared by
-- every server process. Rows older than a day are removed by the cleanup job.
CREATE TABLE rate_limit_hits (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    limit_name text NOT NULL,
    key        text NOT NULL,
    at         timestamptz NOT NULL
);
CREATE INDEX rate_limit_hits_by_key ON rate_limit_hits (limit_name, key, at);
CREATE INDEX rate_limit_hits_by_time ON rate_limit_hits (at);
