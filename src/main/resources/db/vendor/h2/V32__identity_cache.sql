-- H2 hands out identity values from a cache of 32 and writes the sequence to its file (its own commit) each time
-- the cache runs out: at a few thousand results a second that was one extra file write per 32 rows. A larger cache
-- only skips values after a crash; ids stay increasing.
alter table result alter column id set cache 10000;
alter table dead_letter alter column id set cache 1000;
