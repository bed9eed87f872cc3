-- WhatsApp Cloud API channels, their webhook receipts and the outbound send queue.
-- Expand-only: every change keeps the previous release's statements valid.

-- accessToken and appSecret are AES-GCM ciphertexts (nonce || ciphertext || tag), bound to the row id and field.
create table channel (
    id                   uuid primary key,
    workspace_id         uuid         not null references workspace (id),
    type                 varchar(32)  not null check (type in ('WHATSAPP_CLOUD')),
    name                 varchar(100) not null,
    phone_number_id      varchar(32)  not null,
    business_account_id  varchar(32),
    graph_api_version    varchar(16),
    access_token         bytea        not null,
    app_secret           bytea        not null,
    verify_token         varchar(64)  not null,
    active               boolean      not null,
    -- The next free send slot of this phone number: senders on every replica reserve slots here (pacing).
    pace_at              timestamptz  not null,
    created_at           timestamptz  not null,
    unique (workspace_id, phone_number_id)
);

-- A WhatsApp customer is keyed by Meta's business-scoped user id when present, else by phone; chats of the
-- generic API channel keep customer_key null and stay keyed by phone. The phone may be withheld by Meta.
alter table chat add column customer_key varchar(64);
alter table chat alter column customer_phone drop not null;
create unique index chat_customer_key_idx on chat (workspace_id, customer_key) where customer_key is not null;
-- The channel replies go out on (the one the latest WhatsApp message came in on), and the 24-hour window.
alter table chat add column channel_id uuid references channel (id);
alter table chat add column window_expires_at timestamptz;

-- content: structured parts of a message as JSON (media, reply, location, contacts, reaction, template,
-- unsupported); reply_to: the wamid a customer message answers; delivery_*: an OUTBOUND entry's delivery.
alter table timeline_entry add column content text;
alter table timeline_entry add column reply_to varchar(200);
alter table timeline_entry add column delivery_status varchar(16)
    check (delivery_status in ('PENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED'));
alter table timeline_entry add column delivery_error text;

-- Every verified webhook body, stored before Meta gets its 200 and processed afterwards (claimed with a lease).
create table whatsapp_receipt (
    id            bigserial primary key,
    channel_id    uuid        not null references channel (id),
    body          bytea       not null,
    received_at   timestamptz not null default now(),
    lease_until   timestamptz,
    attempts      int         not null default 0,
    processed_at  timestamptz,
    error         text
);
create index whatsapp_receipt_pending_idx on whatsapp_receipt (id) where processed_at is null;

-- One send job per OUTBOUND entry on a WhatsApp chat, written in the reply's transaction.
-- status: PENDING (due at next_attempt_at), SENDING (claimed until lease_until), SENT, FAILED.
create table channel_send (
    chat_id          uuid         not null,
    seq              bigint       not null,
    workspace_id     uuid         not null,
    channel_id       uuid         not null references channel (id),
    status           varchar(16)  not null check (status in ('PENDING', 'SENDING', 'SENT', 'FAILED')),
    attempts         int          not null default 0,
    next_attempt_at  timestamptz  not null,
    lease_until      timestamptz,
    wamid            varchar(200),
    last_error       text,
    created_at       timestamptz  not null,
    sent_at          timestamptz,
    primary key (chat_id, seq),
    foreign key (chat_id, seq) references timeline_entry (chat_id, seq)
);
create index channel_send_due_idx on channel_send (next_attempt_at) where status = 'PENDING';
create index channel_send_lease_idx on channel_send (lease_until) where status = 'SENDING';
create unique index channel_send_wamid_idx on channel_send (wamid) where wamid is not null;
