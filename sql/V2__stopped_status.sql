-- recon state schema, version 2: a run ended early on request (SIGTERM, SIGINT, `recon serve`
-- shutting down) is recorded as 'stopped', with what it committed before stopping.

ALTER TABLE ${flyway:defaultSchema}.run DROP CONSTRAINT run_status_check;
ALTER TABLE ${flyway:defaultSchema}.run ADD CONSTRAINT run_status_check
    CHECK (status IN ('running', 'converged', 'failed_rows', 'error', 'aborted', 'stopped'));
