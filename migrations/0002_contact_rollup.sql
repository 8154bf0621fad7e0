-- Monthly rollup of contact moments per stored cell and contact type. A map query over whole
-- months reads this table, so its cost follows cells, not contacts; the part-months at a
-- period's edges are read from contact_moment. Target groups and teams are not in the key: their
-- combinations multiply the rows until the rollup is nearly as large as the contacts (measured:
-- 769k rollup rows for 1M contacts), so queries filtering on them read contact_moment. It also
-- keeps the monthly history for trends after retention has deleted old contact moments.
create table contact_rollup_month (
  org_id integer not null references organisation on delete cascade,
  month date not null,                 -- first day of the month, in Europe/Brussels
  cell bigint not null,                -- storage-resolution cell
  contact_type smallint not null,
  contacts integer not null,
  persons integer not null,
  referrals integer not null,
  last_at timestamptz not null,
  primary key (org_id, month, cell, contact_type)
);

create function contact_month(at timestamptz) returns date
language sql immutable strict parallel safe
as $$ select date_trunc('month', at at time zone 'Europe/Brussels')::date $$;

-- Inserts add to the rollup (one statement-level pass over all new rows, so bulk loads stay fast).
create function contact_rollup_add() returns trigger language plpgsql as $$
begin
  insert into contact_rollup_month as r
    (org_id, month, cell, contact_type, contacts, persons, referrals, last_at)
  select org_id, contact_month(occurred_at), cell, contact_type,
         count(*), sum(persons), count(*) filter (where referral), max(occurred_at)
  from new_rows
  group by 1, 2, 3, 4
  on conflict (org_id, month, cell, contact_type) do update set
    contacts = r.contacts + excluded.contacts,
    persons = r.persons + excluded.persons,
    referrals = r.referrals + excluded.referrals,
    last_at = greatest(r.last_at, excluded.last_at);
  return null;
end $$;

-- Updates and deletes rebuild the months they touch from contact_moment. Retention sets
-- atlas.keep_rollup = 'on' for its delete, so the history of deleted months stays.
create function contact_rollup_rebuild() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and coalesce(current_setting('atlas.keep_rollup', true), '') = 'on' then
    return null;
  end if;
  -- Statement triggers fire even when no row changed (an import's UPDATE of changed rows often
  -- touches none); without this the rebuild below would still plan a scan of contact_moment.
  if not exists (select 1 from old_rows) then
    return null;
  end if;
  create temporary table if not exists touched_month (org_id integer, month date) on commit drop;
  truncate touched_month;
  insert into touched_month select distinct org_id, contact_month(occurred_at) from old_rows;
  if tg_op = 'UPDATE' then
    insert into touched_month select distinct org_id, contact_month(occurred_at) from new_rows;
  end if;
  delete from contact_rollup_month r using (select distinct org_id, month from touched_month) t
    where r.org_id = t.org_id and r.month = t.month;
  insert into contact_rollup_month
    (org_id, month, cell, contact_type, contacts, persons, referrals, last_at)
  select c.org_id, contact_month(c.occurred_at), c.cell, c.contact_type,
         count(*), sum(c.persons), count(*) filter (where c.referral), max(c.occurred_at)
  from contact_moment c
  join (select distinct org_id, month from touched_month) t
    on c.org_id = t.org_id
   and c.occurred_at >= (t.month::timestamp at time zone 'Europe/Brussels')
   and c.occurred_at < ((t.month + interval '1 month')::timestamp at time zone 'Europe/Brussels')
  group by 1, 2, 3, 4;
  return null;
end $$;

create trigger contact_rollup_on_insert after insert on contact_moment
  referencing new table as new_rows for each statement execute function contact_rollup_add();
create trigger contact_rollup_on_update after update on contact_moment
  referencing old table as old_rows new table as new_rows for each statement execute function contact_rollup_rebuild();
create trigger contact_rollup_on_delete after delete on contact_moment
  referencing old table as old_rows for each statement execute function contact_rollup_rebuild();
