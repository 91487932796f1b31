-- Demo runs: a queue of model runs with their progress and results.
CREATE TYPE demo_run_status AS ENUM ('queued', 'running', 'done', 'failed', 'cancelled');

CREATE TABLE demo_runs (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    demo             text NOT NULL,
    -- The parameters as checked and completed with defaults (keys sorted).
    params           jsonb NOT NULL,
    -- demo + params + code version: identical runs share one result.
    params_key       text NOT NULL,
    code_version     text NOT NULL,
    status           demo_run_status NOT NULL DEFAULT 'queued',
    progress         real NOT NULL DEFAULT 0 CONSTRAINT demo_runs_progress_fraction CHECK (progress BETWEEN 0 AND 1),
    -- A running run belongs to its worker until then; a crashed worker's run is queued again after it.
    lease_until      timestamptz,
    cancel_requested boolean NOT NULL DEFAULT false,
    result           jsonb,
    error            text,
    created_at       timestamptz NOT NULL,
    started_at       timestamptz,
    finished_at      timestamptz
);
-- At most one live or finished run per identical request: the next visitor gets the stored result.
CREATE UNIQUE INDEX demo_runs_one_per_key ON demo_runs (params_key) WHERE status IN ('queued', 'running', 'done');
CREATE INDEX demo_runs_queue ON demo_runs (created_at) WHERE status = 'queued';
