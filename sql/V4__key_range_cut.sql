-- recon state schema, version 4: how a mapping with split_rows was cut into key ranges, so that
-- every worker of a sharded run (--shard) takes its ranges from the same cut. Stored by the
-- first run under --shard that found none (or none for the same split), kept until the split
-- changes or a run with --recut cuts again.

CREATE TABLE ${flyway:defaultSchema}.key_range_cut (
    sync_name varchar(255) NOT NULL PRIMARY KEY,
    split     varchar(100) NOT NULL,   -- rows=N or threads=N: what the cut was made for
    bounds    text         NOT NULL,   -- the ranges' inner bounds, ascending, comma-separated
    cut_at    timestamptz  NOT NULL
);
