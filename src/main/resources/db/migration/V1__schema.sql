-- Baton schema. Every row belongs to exactly one workspace; every query filters by it.

create table workspace (
    id          uuid primary key,
    slug        varchar(63)  not null unique,
    name        varchar(200) not null,
    created_at  timestamptz  not null
);

create table agent (
    id             uuid primary key,
    workspace_id   uuid         not null references workspace (id),
    username       varchar(64)  not null,
    display_name   varchar(200) not null,
    role           varchar(16)  not null check (role in ('OWNER', 'MANAGER', 'AGENT')),
    availability   varchar(16)  not null check (availability in ('ONLINE', 'BUSY', 'OFFLINE')),
    active         boolean      not null,
    password_hash  varchar(200) not null,
    created_at     timestamptz  not null
);
-- Usernames are unique and matched case-insensitively: "Bob" and "bob" are one account.
create unique index agent_username_idx on agent (workspace_id, lower(username));

-- One chat per customer and workspace: a later message reopens it instead of starting another.
create table chat (
    id               uuid primary key,
    workspace_id     uuid         not null references workspace (id),
    customer_phone   varchar(16)  not null,
    customer_name    varchar(200),
    status           varchar(16)  not null check (status in ('OPEN', 'REQUESTING', 'INTERVENED', 'RESOLVED')),
    holder_id        uuid         references agent (id),
    holder_username  varchar(64),
    version          bigint       not null,
    last_seq         bigint       not null,
    last_message_at  timestamptz,
    activity_at      timestamptz  not null,
    created_at       timestamptz  not null,
    unique (workspace_id, customer_phone),
    check ((status = 'INTERVENED') = (holder_id is not null))
);
create index chat_activity_idx on chat (workspace_id, activity_at desc, id desc);
create index chat_holder_idx on chat (holder_id) where holder_id is not null;

-- The per-chat timeline; seq is gap-free because it is taken from chat.last_seq under the chat's row lock.
create table timeline_entry (
    chat_id            uuid         not null references chat (id),
    seq                bigint       not null,
    workspace_id       uuid         not null,
    kind               varchar(16)  not null check (kind in ('INBOUND', 'OUTBOUND', 'NOTE', 'CUSTODY')),
    author_id          uuid,
    author_username    varchar(64),
    text               text,
    client_message_id  varchar(100),
    external_id        varchar(200),
    custody_action     varchar(16),
    from_agent_id      uuid,
    from_username      varchar(64),
    to_agent_id        uuid,
    to_username        varchar(64),
    created_at         timestamptz  not null,
    primary key (chat_id, seq)
);
create unique index timeline_client_message_idx on timeline_entry (chat_id, author_id, client_message_id)
    where client_message_id is not null;
create unique index timeline_external_id_idx on timeline_entry (workspace_id, external_id)
    where external_id is not null;
create index timeline_custody_idx on timeline_entry (chat_id, seq) where kind = 'CUSTODY';

create table channel_token (
    id            uuid primary key,
    workspace_id  uuid         not null references workspace (id),
    name          varchar(100) not null,
    token_hash    varchar(64)  not null unique,
    created_by    uuid         not null references agent (id),
    created_at    timestamptz  not null
);

create table monitor_session (
    id            uuid primary key,
    workspace_id  uuid        not null references workspace (id),
    chat_id       uuid        not null references chat (id),
    agent_id      uuid        not null references agent (id),
    started_at    timestamptz not null,
    ended_at      timestamptz
);
create index monitor_session_chat_idx on monitor_session (chat_id, started_at);

-- Outbox of real-time events: one row per transaction that has something to say, written in that
-- transaction and read by every instance after commit. The id comes from the sequence at insert
-- time, i.e. after the chat's row lock, so the rows of one chat have increasing ids in commit order.
-- deliveries: JSON array of {audience, agentId, frame}; frame is the exact text sent on the socket.
create table event (
    id            bigserial primary key,
    workspace_id  uuid        not null,
    chat_id       uuid,
    deliveries    text        not null,
    created_at    timestamptz not null default now()
);
create index event_created_idx on event (created_at);
