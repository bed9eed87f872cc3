-- Whether the chat has a PENDING offer, kept under the chat's row lock by every offer change: a
-- custody change reads it from the chat row it has locked anyway instead of querying chat_offer.
alter table chat add column offer_pending boolean not null default false;
update chat set offer_pending = true where id in (select chat_id from chat_offer where status = 'PENDING');
