-- Routing (issue 13): capacity, teams, the queue, auto-assignment and the no-reply timer.
-- Expand-only: every change keeps the previous release's statements valid.

-- An agent's own limit of held chats; null = the workspace's default applies.
alter table agent add column max_chats integer check (max_chats >= 0);

-- Per workspace; a workspace without a row routes MANUAL with no default limit and no timeout.
create table routing_settings (
    workspace_id        uuid        primary key references workspace (id),
    mode                varchar(16) not null check (mode in ('MANUAL', 'ROUND_ROBIN', 'LEAST_LOADED')),
    default_max_chats   integer     check (default_max_chats >= 0),
    no_reply_timeout_s  bigint      check (no_reply_timeout_s > 0)
);

-- One row per agent, locked FOR UPDATE by every transaction that makes the agent a holder (Capacity):
-- those transactions queue up per agent, so each counts the chats the agent holds after the previous
-- one committed. A separate row, because the agent row is key-share-locked by every chat update that
-- references it. last_assigned_at orders round robin.
create table agent_load (
    agent_id          uuid primary key references agent (id),
    workspace_id      uuid not null,
    last_assigned_at  timestamptz
);
insert into agent_load (agent_id, workspace_id) select id, workspace_id from agent;

create table team (
    id            uuid primary key,
    workspace_id  uuid         not null references workspace (id),
    name          varchar(100) not null,
    created_at    timestamptz  not null
);
create unique index team_name_idx on team (workspace_id, lower(name));

create table team_member (
    team_id   uuid not null references team (id),
    agent_id  uuid not null references agent (id),
    primary key (team_id, agent_id)
);
create index team_member_agent_idx on team_member (agent_id);

-- A chat's team (null = any agent); queued_at: when it last entered REQUESTING, the queue's order.
alter table chat add column team_id uuid references team (id);
alter table chat add column queued_at timestamptz;
update chat set queued_at = activity_at where status = 'REQUESTING';
create index chat_queue_idx on chat (workspace_id, queued_at, id) where status = 'REQUESTING';

-- The team a channel's new chats join.
alter table channel add column default_team_id uuid references team (id);

-- Why the system made a custody change without an actor (ASSIGN: the routing mode; REQUEUE: NO_REPLY).
alter table timeline_entry add column reason varchar(32);

-- The no-reply timer of a held chat: armed when someone becomes its holder and at each customer
-- message while held, cancelled by the holder's reply and by any custody change. version is the chat's
-- version when armed: a timer whose chat has changed custody since is stale and never fires. A firing
-- locks the chat, re-checks it and deletes the row in the transaction that requeues it: exactly once.
create table chat_timer (
    chat_id       uuid        primary key references chat (id),
    workspace_id  uuid        not null,
    version       bigint      not null,
    due_at        timestamptz not null
);
create index chat_timer_due_idx on chat_timer (due_at);
