-- Each claim of a run counts an attempt. A run whose worker died (killed by
-- its memory limit, or the machine went down) is claimed again once its lease
-- runs out, but not for ever: after two attempts it is failed with the reason.
ALTER TABLE demo_runs ADD COLUMN attempts integer NOT NULL DEFAULT 0;

-- Why the platform (not the demo itself) ended a run; the run page words it.
CREATE TYPE demo_run_stop AS ENUM ('worker_died', 'time_limit', 'could_not_start');
ALTER TABLE demo_runs ADD COLUMN stopped_because demo_run_stop;
