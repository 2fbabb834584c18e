-- recon state schema on a MariaDB or MySQL target, version 3: how many changes a sync left
-- alone because their target row changed after recon read it (another writer).

ALTER TABLE ${flyway:defaultSchema}.run ADD COLUMN changed_meanwhile bigint;
