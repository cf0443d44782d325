-- True from a run's end until the runs of the jobs chained after it (the after option) are scheduled: set in the
-- statement that ends the run, so that a daemon that stops in between schedules them when it starts again.
alter table job_run add column chain_pending boolean default false not null;
create index job_run_chain_pending on job_run (chain_pending, node_id);
