-- The parameters a run was triggered with (caravan trigger JOB --param NAME=VALUE), as a JSON object, configured
-- secrets masked; null for a run without any. A retry run of a run with parameters gets the same ones.
alter table job_run add column params text;
