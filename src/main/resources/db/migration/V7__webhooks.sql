-- Outbound webhooks: endpoints per workspace and one delivery row per (endpoint, message).
-- Expand-only: every change keeps the previous release's statements valid.

-- secret / previous_secret are AES-GCM ciphertexts (channel/SecretBox) bound to the row id and field.
-- During a rotation the previous secret keeps signing until previous_secret_until.
-- events: the subscribed event types, comma-separated.
create table webhook_endpoint (
    id                    uuid          primary key,
    workspace_id          uuid          not null references workspace (id),
    url                   varchar(2000) not null,
    description           varchar(200),
    events                varchar(1000) not null,
    secret                bytea         not null,
    previous_secret       bytea,
    previous_secret_until timestamptz,
    active                boolean       not null,
    disabled_reason       varchar(200),
    created_at            timestamptz   not null,
    updated_at            timestamptz   not null
);
create index webhook_endpoint_workspace_idx on webhook_endpoint (workspace_id, created_at);

-- Written by the "webhooks" event consumer in the transaction that advances its position.
-- status: PENDING (next attempt at due_at), SENDING (claimed; the claim's lease ends at due_at),
-- DELIVERED, FAILED (every attempt failed, or the endpoint answered 410; replayable).
-- message_id is the webhook-id, the same on every attempt; (endpoint_id, message_id) unique, so an
-- event can never become two deliveries to one endpoint.
create table webhook_delivery (
    id                uuid         primary key,
    endpoint_id       uuid         not null references webhook_endpoint (id) on delete cascade,
    workspace_id      uuid         not null,
    message_id        varchar(64)  not null,
    event_type        varchar(64)  not null,
    body              text         not null,
    status            varchar(16)  not null check (status in ('PENDING', 'SENDING', 'DELIVERED', 'FAILED')),
    attempts          int          not null default 0,
    due_at            timestamptz,
    last_attempt_at   timestamptz,
    response_status   int,
    last_error        varchar(500),
    created_at        timestamptz  not null,
    delivered_at      timestamptz,
    unique (endpoint_id, message_id)
);
create index webhook_delivery_due_idx on webhook_delivery (due_at) where status in ('PENDING', 'SENDING');
create index webhook_delivery_log_idx on webhook_delivery (endpoint_id, created_at desc, id desc);
