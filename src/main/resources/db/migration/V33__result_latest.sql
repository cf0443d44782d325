-- Each item's current content hash, for change detection. It replaces the index result_by_item (job_id, item_key,
-- id): every stored result added an entry to that index at a random place, and H2 rewrites each index page a commit
-- touches, so a fan-out's results cost one page write each (four fifths of the writer's time with a few hundred
-- thousand results). A row here changes only when an item is new or its content changed.
create table result_latest (
    job_id       varchar(200)  not null,
    item_key     varchar(2000) not null,
    content_hash varchar(64)   not null,
    primary key (job_id, item_key)
);
insert into result_latest (job_id, item_key, content_hash)
select r.job_id, r.item_key, r.content_hash from result r
 where r.id = (select max(x.id) from result x where x.job_id = r.job_id and x.item_key = r.item_key);
drop index result_by_item;
