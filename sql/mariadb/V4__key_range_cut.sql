-- recon state schema on a MariaDB or MySQL target, version 4: how a mapping with split_rows was
-- cut into key ranges, so that every worker of a sharded run (--shard) takes the same ranges.

CREATE TABLE ${flyway:defaultSchema}.key_range_cut (
    sync_name varchar(255) NOT NULL PRIMARY KEY,
    split     varchar(100) NOT NULL,
    bounds    longtext     NOT NULL,
    cut_at    datetime(6)  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
