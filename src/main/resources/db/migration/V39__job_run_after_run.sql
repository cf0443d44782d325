-- For a run of trigger type 'after' (a job chained with the after option): the run whose end triggered it.
alter table job_run add column after_run varchar(64);
