-- The demo's two tables: a warehouse's source_order and an application's destination_order,
-- named and typed differently, with a few inserts, updates and deletes between them, in their
-- own schema (recon demo --url re-creates them there, and touches nothing else).
CREATE SCHEMA IF NOT EXISTS recon_demo;
DROP TABLE IF EXISTS recon_demo.source_order, recon_demo.destination_order;
CREATE TABLE recon_demo.source_order (
    reference      text PRIMARY KEY,
    status         text NOT NULL,
    price          numeric(10, 3) NOT NULL,
    item_count     integer NOT NULL,
    customer_email text,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE recon_demo.destination_order (
    code            varchar(32) PRIMARY KEY,
    total_price     numeric(12, 2) NOT NULL,
    number_of_items integer NOT NULL,
    email           text
);

INSERT INTO recon_demo.source_order (reference, status, price, item_count, customer_email) VALUES
    ('ORD-1001', 'paid',    19.900, 1, 'ada@example.com'),
    ('ORD-1002', 'paid',    45.000, 3, 'Grace@Example.com'),
    ('ORD-1003', 'shipped', 12.500, 2, 'linus@example.com'),
    ('ORD-1004', 'paid',    99.990, 5, 'ken@example.com'),
    ('ORD-1005', 'paid',     7.250, 1, NULL),
    ('ORD-1006', 'shipped', 64.000, 4, 'barbara@example.com'),
    ('ORD-1007', 'draft',    5.000, 1, 'draft@example.com'),
    ('ORD-1008', 'paid',    30.000, 2, 'edsger@example.com');

INSERT INTO recon_demo.destination_order (code, total_price, number_of_items, email) VALUES
    ('ORD-1001', 19.90, 1, 'ada@example.com'),      -- equal: 19.900 is 19.90 in numeric(12,2)
    ('ORD-1002', 45.00, 3, 'grace@example.com'),    -- equal: the mapping lower()s the email
    ('ORD-1003', 12.00, 2, 'linus@example.com'),    -- price changed upstream
    ('ORD-1004', 99.99, 4, 'ken@example.com'),      -- a write-back that failed last night
    ('ORD-1005',  7.25, 1, 'old@example.com'),      -- email removed upstream (now NULL)
    ('ORD-1007',  5.00, 1, 'draft@example.com'),    -- a draft: filtered out of the source
    ('ORD-0999', 15.00, 1, 'gone@example.com');     -- deleted upstream
-- ORD-1006 and ORD-1008 are missing: the watermark job skipped them.
