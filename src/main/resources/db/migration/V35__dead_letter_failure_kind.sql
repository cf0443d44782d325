-- Why each item failed for good: transient, permanent, refused, cut_off or not_retried (caravan.store.DeadLetterKind).
-- An automatic retry redoes transient and cut_off ones only. Earlier rows get the kind their error and status tell;
-- a connection error and an error in a job's own step read alike, so those stay null (and are retried, as before).
alter table dead_letter add column failure_kind varchar(16);
update dead_letter set failure_kind = case
    when error like 'not retried: no item with this key came up%' then 'not_retried'
    when error like 'PermanentFailure: the run %: this request was not sent' then 'cut_off'
    when error like 'PermanentFailure: %' then 'refused'
    when http_status in (408, 429) or http_status >= 500 then 'transient'
    when http_status is not null then 'permanent'
    end;
