-- recon state schema, version 3: how many changes a sync left alone because their target row
-- changed after recon read it (another writer); they are compared again by the next run.

ALTER TABLE ${flyway:defaultSchema}.run ADD COLUMN changed_meanwhile bigint;
