-- Every agent has its load row from its first moment, however it is created: a custody change locks
-- the agent and its load row in one statement (routing.Capacity#lockAgent).
create function agent_load_row() returns trigger language plpgsql as $$
begin
    insert into agent_load (agent_id, workspace_id) values (new.id, new.workspace_id) on conflict (agent_id) do nothing;
    return new;
end
$$;
create trigger agent_load_row after insert on agent for each row execute function agent_load_row();
insert into agent_load (agent_id, workspace_id) select id, workspace_id from agent on conflict (agent_id) do nothing;

-- Two foreign keys checked by every custody change (a SELECT ... FOR KEY SHARE each) that guard
-- nothing the writers do not already: agents and chats are never deleted, a new holder is
-- share-locked and the chat row-locked by the transaction that writes them.
alter table chat drop constraint chat_holder_id_fkey;
alter table timeline_entry drop constraint timeline_entry_chat_id_fkey;
