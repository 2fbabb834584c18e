-- recon state schema, version 1: the history of sync runs and the rows each run failed to write.
-- Applied automatically (Flyway) into the schema named by `state.schema` (default: recon)
-- on each target connection.

CREATE TABLE ${flyway:defaultSchema}.run (
    id             bigserial   PRIMARY KEY,
    sync_name      text        NOT NULL,
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    status         text        NOT NULL
        CHECK (status IN ('running', 'converged', 'failed_rows', 'error', 'aborted')),
    strategy       text,
    planned_insert bigint,
    planned_update bigint,
    planned_delete bigint,
    inserted       bigint,
    updated        bigint,
    deleted        bigint,
    failed         bigint,
    error          text
);

CREATE INDEX run_by_sync ON ${flyway:defaultSchema}.run (sync_name, id DESC);

CREATE TABLE ${flyway:defaultSchema}.failed_row (
    run_id    bigint NOT NULL REFERENCES ${flyway:defaultSchema}.run (id) ON DELETE CASCADE,
    sync_name text   NOT NULL,
    row_key   jsonb  NOT NULL,   -- the target key values, as a JSON array of text
    operation text   NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
    sqlstate  text,
    message   text   NOT NULL
);

CREATE INDEX failed_row_by_run ON ${flyway:defaultSchema}.failed_row (run_id);
CREATE INDEX failed_row_by_key ON ${flyway:defaultSchema}.failed_row (sync_name, row_key);
