-- Warm transfer: a chat offered to an agent, who accepts or declines; unanswered offers expire.
-- Expand-only: the previous release never reads these.

-- status: PENDING until exactly one of ACCEPTED, DECLINED, EXPIRED, CANCELLED. Every change of an
-- offer is made under its chat's row lock (like every custody change), so it is serialised with them.
-- expires_at is the durable timer: any replica's sweeper fires it, restarts included.
create table chat_offer (
    id             uuid primary key,
    workspace_id   uuid         not null references workspace (id),
    chat_id        uuid         not null references chat (id),
    from_agent_id  uuid         not null references agent (id),
    from_username  varchar(64)  not null,
    to_agent_id    uuid         not null references agent (id),
    to_username    varchar(64)  not null,
    note           text,
    status         varchar(16)  not null check (status in ('PENDING', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'CANCELLED')),
    -- why it ended: the decline reason, or for a cancellation the custody change that cancelled it
    reason         text,
    created_at     timestamptz  not null,
    expires_at     timestamptz  not null,
    ended_at       timestamptz,
    ended_by       uuid         references agent (id),
    check ((status = 'PENDING') = (ended_at is null))
);
-- At most one pending offer per chat, whatever the code above it does.
create unique index chat_offer_pending_idx on chat_offer (chat_id) where status = 'PENDING';
-- The sweeper's question: which pending offers are due.
create index chat_offer_due_idx on chat_offer (expires_at) where status = 'PENDING';
create index chat_offer_chat_idx on chat_offer (chat_id, created_at desc);
create index chat_offer_to_idx on chat_offer (to_agent_id, created_at desc);
create index chat_offer_from_idx on chat_offer (from_agent_id, created_at desc);

-- A TRANSFER made by accepting an offer names the offer in the custody ledger.
alter table timeline_entry add column offer_id uuid references chat_offer (id);
