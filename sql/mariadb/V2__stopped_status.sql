-- recon state schema on a MariaDB or MySQL target, version 2: a run ended early on request
-- (SIGTERM, SIGINT, `recon serve` shutting down) is recorded as 'stopped'.

ALTER TABLE ${flyway:defaultSchema}.run MODIFY status varchar(20) NOT NULL
    CHECK (status IN ('running', 'converged', 'failed_rows', 'error', 'aborted', 'stopped'));
