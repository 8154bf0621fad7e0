-- A second rollup for the map at resolutions 7 to 9: contact moments per cell at resolution 9,
-- contact type and target group, per day and per month (issue 11, "ten million contacts").
--
-- contact_rollup_month (migration 0002) knows storage-resolution cells and contact types only: a
-- map filtered by a target group read every contact of the period, and every map read the days
-- at a period's edges (up to two part-months) from contact_moment. This table answers all of it:
--   - grain 'm': whole months; grain 'd': the days at the edges, so no map question at
--     resolution 9 or coarser without a team filter reads contact_moment;
--   - target_group 0: all contacts (each once); target_group g > 0: the contacts whose
--     target_groups hold g (a contact with two groups is in both, once each), so a filter by one
--     group equals the raw `target_groups && '{g}'` exactly. A filter by several groups at once
--     cannot be summed from these rows (a contact in two of them would count twice): it reads
--     contact_moment as before (src/lib/server/queries/hexes.ts);
--   - contact_type 0: all contact types (each contact once more, under its own type too), so
--     the unfiltered map and a target-group filter read one row per cell and period, not one
--     per type. Target-group rows have only this one (a filter by a group and a type together
--     reads contact_moment): a contact adds to (group 0, its type), (group 0, type 0) and
--     (each of its groups, type 0), per day and per month;
--   - cell: the stored cell's parent at resolution 9 (or the stored cell when it is coarser), so
--     the cells of a question at resolution 7 to 9 are h3_parent of these as of the stored ones.
-- It carries the cell-key sums (migration 0013) like contact_rollup_month, modulo 2^30, so the
-- analyst's published figures are computed from it unchanged. (Its sums of integer keys are
-- bigint, not numeric: sum(integer) is, and no sum of 2^31-bounded keys over a statement's rows
-- comes near 2^63.)
--
-- Retention (atlas.keep_rollup = 'on') keeps the month rows of target_group 0, as
-- contact_rollup_month keeps its months; day rows and target-group rows follow the contacts, so
-- a target-group filter answers as the raw contacts did.
create table contact_rollup_coarse (
  org_id integer not null references organisation on delete cascade,
  grain "char" not null check (grain in ('d', 'm')),
  period date not null,                -- the day, or the first day of the month (Europe/Brussels)
  target_group smallint not null,      -- 0: all contacts
  cell bigint not null,                -- resolution min(9, storage resolution)
  contact_type smallint not null,      -- 0: all types
  contacts integer not null,
  persons integer not null,
  referrals integer not null,
  last_at timestamptz not null,
  key_sum integer not null check (key_sum >= 0),
  referral_key_sum integer not null check (referral_key_sum >= 0),
  -- The map reads the key's ranges and the counts from the index alone (no heap visits, and a
  -- plan cheap enough to stay clear of JIT compilation).
  primary key (org_id, target_group, grain, period, contact_type, cell)
    include (contacts, persons, referrals, last_at, key_sum, referral_key_sum)
);

create function contact_day(at timestamptz) returns date
language sql immutable strict parallel safe
as $$ select (at at time zone 'Europe/Brussels')::date $$;

-- Not strict, so that it is inlined (a strict function with a CASE is called row by row).
create function coarse_cell(cell bigint) returns bigint
language sql immutable parallel safe
as $$ select case when h3_resolution(cell) > 9 then h3_parent(cell, 9) else cell end $$;

-- The (target_group, contact_type) rows a contact adds to (see above).
create function coarse_keys(contact_type smallint, target_groups smallint[])
returns table (grp smallint, ct smallint)
language sql immutable strict parallel safe rows 3 -- the planner's default of 1000 invites JIT
as $$
  select 0::smallint, contact_type
  union all select 0::smallint, 0::smallint
  union all select g, 0::smallint from (select distinct unnest(target_groups)) as u (g)
$$;

-- Inserts add to the day and month rows of every group of each new contact, and of group 0.
create function contact_rollup_coarse_add() returns trigger language plpgsql as $$
begin
  -- The new contacts by day first; the months are summed from those (far fewer) rows.
  with d as (
    select n.org_id, contact_day(n.occurred_at) as period, k.grp, coarse_cell(n.cell) as cell, k.ct,
           count(*)::integer as contacts, sum(n.persons)::integer as persons,
           (count(*) filter (where n.referral))::integer as referrals, max(n.occurred_at) as last_at,
           sum(n.record_key) as ks, coalesce(sum(n.record_key) filter (where n.referral), 0) as rks
    from new_rows n
    cross join lateral coarse_keys(n.contact_type, n.target_groups) as k (grp, ct)
    group by 1, 2, 3, 4, 5
  ), days as (
    insert into contact_rollup_coarse as r
      (org_id, grain, period, target_group, cell, contact_type, contacts, persons, referrals, last_at, key_sum, referral_key_sum)
    select org_id, 'd', period, grp, cell, ct, contacts, persons, referrals, last_at,
           (ks % 1073741824)::integer, (rks % 1073741824)::integer
    from d
    on conflict (org_id, target_group, grain, period, contact_type, cell) do update set
      contacts = r.contacts + excluded.contacts,
      persons = r.persons + excluded.persons,
      referrals = r.referrals + excluded.referrals,
      last_at = greatest(r.last_at, excluded.last_at),
      key_sum = ((r.key_sum::bigint + excluded.key_sum) % 1073741824)::integer,
      referral_key_sum = ((r.referral_key_sum::bigint + excluded.referral_key_sum) % 1073741824)::integer
  )
  insert into contact_rollup_coarse as r
    (org_id, grain, period, target_group, cell, contact_type, contacts, persons, referrals, last_at, key_sum, referral_key_sum)
  select org_id, 'm', date_trunc('month', period)::date, grp, cell, ct,
         sum(contacts)::integer, sum(persons)::integer, sum(referrals)::integer, max(last_at),
         (sum(ks) % 1073741824)::integer, (sum(rks) % 1073741824)::integer
  from d
  group by org_id, date_trunc('month', period)::date, grp, cell, ct
  on conflict (org_id, target_group, grain, period, contact_type, cell) do update set
    contacts = r.contacts + excluded.contacts,
    persons = r.persons + excluded.persons,
    referrals = r.referrals + excluded.referrals,
    last_at = greatest(r.last_at, excluded.last_at),
    key_sum = ((r.key_sum::bigint + excluded.key_sum) % 1073741824)::integer,
    referral_key_sum = ((r.referral_key_sum::bigint + excluded.referral_key_sum) % 1073741824)::integer;
  return null;
end $$;

-- Updates and deletes rebuild the days they touch from contact_moment, then those days' months
-- from the day rows. An update that changes none of the counted columns (a theme merge, a
-- referral target) touches nothing.
create function contact_rollup_coarse_rebuild() returns trigger language plpgsql as $$
declare
  keep boolean := tg_op = 'DELETE' and coalesce(current_setting('atlas.keep_rollup', true), '') = 'on';
begin
  if not exists (select 1 from old_rows) then
    return null;
  end if;
  create temporary table if not exists touched_day (org_id integer, day date) on commit drop;
  truncate touched_day;
  if tg_op = 'UPDATE' then
    insert into touched_day
    select distinct x.org_id, contact_day(x.occurred_at)
    from old_rows o join new_rows n on n.org_id = o.org_id and n.contact_id = o.contact_id,
      lateral (values (o.org_id, o.occurred_at), (n.org_id, n.occurred_at)) as x (org_id, occurred_at)
    where (o.occurred_at, o.cell, o.contact_type, o.target_groups, o.persons, o.referral, o.record_key)
      is distinct from (n.occurred_at, n.cell, n.contact_type, n.target_groups, n.persons, n.referral, n.record_key);
  else
    insert into touched_day select distinct org_id, contact_day(occurred_at) from old_rows;
  end if;
  if not exists (select 1 from touched_day) then
    return null;
  end if;

  delete from contact_rollup_coarse r using touched_day t
    where r.org_id = t.org_id and r.grain = 'd' and r.period = t.day;
  insert into contact_rollup_coarse
    (org_id, grain, period, target_group, cell, contact_type, contacts, persons, referrals, last_at, key_sum, referral_key_sum)
  select c.org_id, 'd', contact_day(c.occurred_at), k.grp, coarse_cell(c.cell), k.ct,
         count(*), sum(c.persons), count(*) filter (where c.referral), max(c.occurred_at),
         (sum(c.record_key) % 1073741824)::integer,
         (coalesce(sum(c.record_key) filter (where c.referral), 0) % 1073741824)::integer
  from contact_moment c
  join touched_day d
    on c.org_id = d.org_id
   and c.occurred_at >= (d.day::timestamp at time zone 'Europe/Brussels')
   and c.occurred_at < ((d.day + 1)::timestamp at time zone 'Europe/Brussels')
  cross join lateral coarse_keys(c.contact_type, c.target_groups) as k (grp, ct)
  group by 1, 2, 3, 4, 5, 6;

  -- The months of the touched days, from their day rows (retention keeps group 0's months).
  delete from contact_rollup_coarse r
    using (select distinct org_id, date_trunc('month', day)::date as month from touched_day) t
    where r.org_id = t.org_id and r.grain = 'm' and r.period = t.month and (not keep or r.target_group <> 0);
  insert into contact_rollup_coarse
    (org_id, grain, period, target_group, cell, contact_type, contacts, persons, referrals, last_at, key_sum, referral_key_sum)
  select r.org_id, 'm', t.month, r.target_group, r.cell, r.contact_type,
         sum(r.contacts), sum(r.persons), sum(r.referrals), max(r.last_at),
         (sum(r.key_sum) % 1073741824)::integer, (sum(r.referral_key_sum) % 1073741824)::integer
  from (select distinct org_id, date_trunc('month', day)::date as month from touched_day) t
  join contact_rollup_coarse r
    on r.org_id = t.org_id and r.grain = 'd'
   and r.period >= t.month and r.period < (t.month + interval '1 month')::date
  where not keep or r.target_group <> 0
  group by 1, 2, 3, 4, 5, 6;
  return null;
end $$;

create trigger contact_rollup_coarse_on_insert after insert on contact_moment
  referencing new table as new_rows for each statement execute function contact_rollup_coarse_add();
create trigger contact_rollup_coarse_on_update after update on contact_moment
  referencing old table as old_rows new table as new_rows for each statement execute function contact_rollup_coarse_rebuild();
create trigger contact_rollup_coarse_on_delete after delete on contact_moment
  referencing old table as old_rows for each statement execute function contact_rollup_coarse_rebuild();

-- Changes here change the organisation's map answers (the answer cache, migration 0010).
create trigger contact_rollup_coarse_version_on_insert after insert on contact_rollup_coarse
  referencing new table as changed_rows for each statement execute function org_data_changed();
create trigger contact_rollup_coarse_version_on_update after update on contact_rollup_coarse
  referencing new table as changed_rows for each statement execute function org_data_changed();
create trigger contact_rollup_coarse_version_on_delete after delete on contact_rollup_coarse
  referencing old table as changed_rows for each statement execute function org_data_changed();

-- Backfill: the day and month rows of the stored contacts, then the month rows that only
-- contact_rollup_month still has (months whose contacts retention deleted), as group 0.
insert into contact_rollup_coarse
  (org_id, grain, period, target_group, cell, contact_type, contacts, persons, referrals, last_at, key_sum, referral_key_sum)
select c.org_id, 'd', contact_day(c.occurred_at), k.grp, coarse_cell(c.cell), k.ct,
       count(*), sum(c.persons), count(*) filter (where c.referral), max(c.occurred_at),
       (sum(c.record_key) % 1073741824)::integer,
       (coalesce(sum(c.record_key) filter (where c.referral), 0) % 1073741824)::integer
from contact_moment c
cross join lateral coarse_keys(c.contact_type, c.target_groups) as k (grp, ct)
group by 1, 2, 3, 4, 5, 6;

insert into contact_rollup_coarse
  (org_id, grain, period, target_group, cell, contact_type, contacts, persons, referrals, last_at, key_sum, referral_key_sum)
select org_id, 'm', date_trunc('month', period)::date, target_group, cell, contact_type,
       sum(contacts), sum(persons), sum(referrals), max(last_at),
       (sum(key_sum) % 1073741824)::integer, (sum(referral_key_sum) % 1073741824)::integer
from contact_rollup_coarse where grain = 'd'
group by 1, 2, 3, 4, 5, 6;

insert into contact_rollup_coarse
  (org_id, grain, period, target_group, cell, contact_type, contacts, persons, referrals, last_at, key_sum, referral_key_sum)
select r.org_id, 'm', r.month, 0, coarse_cell(r.cell), ty.ct,
       sum(r.contacts), sum(r.persons), sum(r.referrals), max(r.last_at),
       (sum(r.key_sum) % 1073741824)::integer, (sum(r.referral_key_sum) % 1073741824)::integer
from contact_rollup_month r
cross join lateral (values (r.contact_type), (0::smallint)) as ty (ct)
where not exists (
  select 1 from contact_rollup_coarse x
  where x.org_id = r.org_id and x.target_group = 0 and x.grain = 'm' and x.period = r.month
)
group by 1, 2, 3, 4, 5, 6;
