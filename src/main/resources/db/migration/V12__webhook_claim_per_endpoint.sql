-- The sender claims due deliveries endpoint by endpoint (at most max-in-flight each), so a claim reads
-- a few index entries per endpoint instead of ranking every due row: a dead receiver's backlog no
-- longer makes every claim slower for the healthy ones. The old index on due_at alone is not used any more.
create index webhook_delivery_endpoint_due_idx on webhook_delivery (endpoint_id, due_at) where status in ('PENDING', 'SENDING');
drop index webhook_delivery_due_idx;
