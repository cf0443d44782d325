-- The runs of every job newest first (caravan runs) without sorting the whole table.
create index job_run_by_start on job_run (started_at);
