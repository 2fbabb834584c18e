-- recon state schema on a MariaDB or MySQL target, version 1: the history of sync runs and the
-- rows each run failed to write. Applied automatically (Flyway) into the database named by
-- `state.schema` (default: recon) on each MariaDB or MySQL target's server. Times are UTC.

CREATE TABLE ${flyway:defaultSchema}.run (
    id             bigint       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    sync_name      varchar(255) NOT NULL,
    started_at     datetime(6)  NOT NULL,
    finished_at    datetime(6),
    status         varchar(20)  NOT NULL
        CHECK (status IN ('running', 'converged', 'failed_rows', 'error', 'aborted')),
    strategy       varchar(40),
    planned_insert bigint,
    planned_update bigint,
    planned_delete bigint,
    inserted       bigint,
    updated        bigint,
    deleted        bigint,
    failed         bigint,
    error          text,
    KEY run_by_sync (sync_name, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE ${flyway:defaultSchema}.failed_row (
    run_id    bigint       NOT NULL,
    sync_name varchar(255) NOT NULL,
    row_key   text         NOT NULL,   -- the target key values, as a JSON array of text
    operation varchar(10)  NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
    `sqlstate` varchar(10),
    message   text         NOT NULL,
    KEY failed_row_by_run (run_id),
    KEY failed_row_by_key (sync_name, row_key(200)),
    CONSTRAINT failed_row_run FOREIGN KEY (run_id) REFERENCES ${flyway:defaultSchema}.run (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
