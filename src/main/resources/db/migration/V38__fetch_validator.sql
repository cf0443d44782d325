-- What a caravan:fetch step remembers of an item's reply to make its next GET conditional: the ETag and
-- Last-Modified the site sent with the content whose hash is content_hash, for the URL it came from. A row counts
-- only while result_latest has the same hash for the item and the step asks the same URL, so a result stored since
-- by another step, or a changed URL, makes the next GET unconditional again (nothing is deleted for it).
create table fetch_validator (
    job_id        varchar(200)  not null,
    item_key      varchar(2000) not null,
    content_hash  varchar(64)   not null,
    url           varchar(2000) not null,
    etag          varchar(1000),
    last_modified varchar(100),
    primary key (job_id, item_key)
);
