-- The event table as a commit-ordered log (issue 11).
--
-- txid: the inserting transaction's id (64-bit, never wraps), filled in by the default inside that
-- transaction. A reader keeps the snapshot of its previous read, P; an event is new to it exactly
-- when its transaction is not visible in P (pg_visible_in_snapshot) but is visible now. Whether an
-- id or a transaction commits late no longer matters: nothing is given up after a timeout.
-- Rows written before this migration get the migration's own xid; they are final for every reader
-- that starts after it.
alter table event add column txid xid8 not null default pg_current_xact_id();
create index event_txid_idx on event (txid);

-- Durable progress of the consumers that must not depend on one process's memory (webhook
-- deliveries, channel sends, routing): position is the snapshot up to which the consumer has
-- finished. A replica claims a consumer's next batch by locking its row (FOR UPDATE SKIP LOCKED),
-- handles the events committed after position and stores the new snapshot in the same transaction.
-- Retention never deletes an event whose transaction is not yet visible in every position here.
create table event_consumer (
    name        text        primary key,
    position    pg_snapshot not null default pg_current_snapshot(),
    updated_at  timestamptz not null default now()
);
