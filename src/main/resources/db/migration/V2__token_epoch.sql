-- Every token carries its agent's token_epoch at issue and is accepted only while the two are equal.
-- A deactivation or role change increments it, which ends every token issued before, for good:
-- reactivating the agent does not bring them back. The default keeps the column compatible with
-- the previous release while its pods still run (they never read or write it).
alter table agent add column token_epoch integer not null default 0;
