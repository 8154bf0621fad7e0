-- A data version per organisation, for the server's cache of map answers (src/lib/server/
-- answer-cache.ts): every statement that changes an organisation's contacts, rollup, areas,
-- area indicators, services, vocabularies or signals records its transaction here, in the same
-- transaction, through statement-level triggers (one row per organisation and statement, so bulk
-- imports stay fast). The version is the sum of `weight` over an organisation's rows: each
-- committed writing transaction adds one, whatever order transactions commit in, so an answer
-- cached under a version can never be served after a later write.
--
-- Rows are keyed by transaction, never updated by writers: two transactions writing the same
-- organisation (an import running for a minute and a quick-logged contact) never wait on each
-- other here. compact_data_version folds committed rows into one row (xid 0) with their summed
-- weight, which leaves the version unchanged. No foreign key: deleting an organisation cascades
-- into these triggers.
create table org_data_change (
  org_id integer not null,
  xid bigint not null,            -- the writing transaction (pg_current_xact_id); 0: the folded rows
  weight bigint not null default 1,
  primary key (org_id, xid)
);

create function org_data_changed() returns trigger language plpgsql as $$
begin
  insert into org_data_change (org_id, xid)
  select distinct org_id, pg_current_xact_id()::text::bigint from changed_rows
  on conflict (org_id, xid) do nothing;
  return null;
end $$;

create function compact_data_version(org integer) returns void language sql as $$
  with gone as (delete from org_data_change where org_id = org and xid <> 0 returning weight)
  insert into org_data_change (org_id, xid, weight)
  select org, 0, sum(weight) from gone having count(*) > 0
  on conflict (org_id, xid) do update set weight = org_data_change.weight + excluded.weight
$$;

-- Transition tables allow one event per trigger, hence three per table.
do $$
declare t text;
begin
  foreach t in array array['contact_moment', 'contact_rollup_month', 'area', 'area_indicator', 'service_location', 'signal', 'vocabulary'] loop
    execute format('create trigger %I after insert on %I referencing new table as changed_rows for each statement execute function org_data_changed()', t || '_version_on_insert', t);
    execute format('create trigger %I after update on %I referencing new table as changed_rows for each statement execute function org_data_changed()', t || '_version_on_update', t);
    execute format('create trigger %I after delete on %I referencing old table as changed_rows for each statement execute function org_data_changed()', t || '_version_on_delete', t);
  end loop;
end $$;
