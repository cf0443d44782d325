-- The run whose dead letters a retry run redoes (trigger_type 'retry'); null for every other run.
alter table job_run add column retry_of varchar(64);
