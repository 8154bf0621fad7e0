-- Record keys for the cell-key method (src/lib/domain/privacy.ts, README "Small-count protection").
-- Every contact moment (and every signal) gets a random key in [0, 2^31) once, when it is stored:
-- the column default does it, so imports and quick log insert as before. An analyst's figure is
-- perturbed by the sum of its records' keys (mod 256), so the same records always get the same
-- noise. The keys never leave the server.
--
-- A volatile default is evaluated per row when the column is added, so existing rows get keys of
-- their own.
alter table contact_moment
  add column record_key integer not null default floor(random() * 2147483648)::integer
  check (record_key >= 0);
alter table signal
  add column record_key integer not null default floor(random() * 2147483648)::integer
  check (record_key >= 0);

-- The map's index-only scan of a period reads the keys too.
drop index contact_moment_period;
create index contact_moment_period on contact_moment (org_id, occurred_at)
  include (cell, contact_type, persons, referral, team_id, record_key);

-- The rollup carries the sums of the keys of its contacts, and of its referrals, modulo 2^30:
-- the cell key needs the sum modulo 256 only, and an integer column sums far faster than a
-- bigint one (whose sum is numeric), which the analyst's map query does for every row it reads.
alter table contact_rollup_month
  add column key_sum integer not null default 0 check (key_sum >= 0),
  add column referral_key_sum integer not null default 0 check (referral_key_sum >= 0);

update contact_rollup_month r
set key_sum = s.key_sum, referral_key_sum = s.referral_key_sum
from (
  select org_id, contact_month(occurred_at) as month, cell, contact_type,
         (sum(record_key::bigint) % 1073741824)::integer as key_sum,
         (coalesce(sum(record_key::bigint) filter (where referral), 0) % 1073741824)::integer as referral_key_sum
  from contact_moment
  group by 1, 2, 3, 4
) s
where r.org_id = s.org_id and r.month = s.month and r.cell = s.cell and r.contact_type = s.contact_type;

-- Months kept after retention deleted their contacts have no keys left: a random sum stands in
-- (a sum of unknown random keys is itself a random number), fixed from now on like any other.
update contact_rollup_month
set key_sum = floor(random() * 1073741824)::integer,
    referral_key_sum = case when referrals > 0 then floor(random() * 1073741824)::integer else 0 end
where key_sum = 0;

create or replace function contact_rollup_add() returns trigger language plpgsql as $$
begin
  insert into contact_rollup_month as r
    (org_id, month, cell, contact_type, contacts, persons, referrals, last_at, key_sum, referral_key_sum)
  select org_id, contact_month(occurred_at), cell, contact_type,
         count(*), sum(persons), count(*) filter (where referral), max(occurred_at),
         (sum(record_key::bigint) % 1073741824)::integer,
         (coalesce(sum(record_key::bigint) filter (where referral), 0) % 1073741824)::integer
  from new_rows
  group by 1, 2, 3, 4
  on conflict (org_id, month, cell, contact_type) do update set
    contacts = r.contacts + excluded.contacts,
    persons = r.persons + excluded.persons,
    referrals = r.referrals + excluded.referrals,
    last_at = greatest(r.last_at, excluded.last_at),
    key_sum = ((r.key_sum::bigint + excluded.key_sum) % 1073741824)::integer,
    referral_key_sum = ((r.referral_key_sum::bigint + excluded.referral_key_sum) % 1073741824)::integer;
  return null;
end $$;

create or replace function contact_rollup_rebuild() returns trigger language plpgsql as $$
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
    (org_id, month, cell, contact_type, contacts, persons, referrals, last_at, key_sum, referral_key_sum)
  select c.org_id, contact_month(c.occurred_at), c.cell, c.contact_type,
         count(*), sum(c.persons), count(*) filter (where c.referral), max(c.occurred_at),
         (sum(c.record_key::bigint) % 1073741824)::integer,
         (coalesce(sum(c.record_key::bigint) filter (where c.referral), 0) % 1073741824)::integer
  from contact_moment c
  join (select distinct org_id, month from touched_month) t
    on c.org_id = t.org_id
   and c.occurred_at >= (t.month::timestamp at time zone 'Europe/Brussels')
   and c.occurred_at < ((t.month + interval '1 month')::timestamp at time zone 'Europe/Brussels')
  group by 1, 2, 3, 4;
  return null;
end $$;
