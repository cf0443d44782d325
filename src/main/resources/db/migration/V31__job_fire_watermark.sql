-- The latest scheduled fire time each job has been run (or deliberately skipped) for. Catch-up after downtime,
-- resume or reload counts the cron's fires after it; a scheduled fire at or before it is not run again.
create table job_fire_watermark (
    job_id       varchar(200) not null primary key,
    last_fire_at timestamp with time zone not null,
    updated_at   timestamp with time zone not null
);
create index result_by_job_fetched on result (job_id, fetched_at);
create index dead_letter_by_job_failed on dead_letter (job_id, failed_at);
