-- The coordinator map's top referral target per cell (src/lib/server/queries/hexes.ts
-- topTargetRows) under a target-group or team filter read every referral of the period from the
-- table, since the partial index of referrals with a known target (migrations 0014, 0020) lacked
-- those columns. At 1,000,000 contacts on PostgreSQL, 2 years and one group: 375-398 ms of a
-- 400-460 ms map answer (124-181 ms with the table cached); with them the read stays index-only,
-- 63-92 ms (30-44 ms cached). PGlite: 198-344 ms, now 64-67 ms.
drop index contact_moment_referral_target;
create index contact_moment_referral_target on contact_moment (org_id, occurred_at)
  include (cell, contact_type, referral_target, record_key, target_groups, team_id) where referral_target is not null;

-- The rollups' write cost (issue 11, point 3): an import's first PostgreSQL run went from about
-- 47,000 to 22,000 rows/s when contact_rollup_coarse came (migration 0018). Of its trigger's
-- time, a quarter was the foreign key to organisation, checked row by row for each of the seven
-- or so rollup rows a contact adds to (149,880 checks, 2.0 s of 7.8 s for 100,000 contacts),
-- and its grouping spilled to disk at the default work_mem of 4 MB. The rollups are written only
-- by the triggers on contact_moment (whose own key guards the organisation) and by code that
-- rewrites an organisation's existing rows, so the rollups' keys go; an organisation's deletion
-- still removes its rollup rows, through a trigger. Each statement's grouping gets the memory
-- of 100,000 contacts (an import's merge chunk, src/lib/server/imports/contacts.ts).
alter table contact_rollup_coarse drop constraint contact_rollup_coarse_org_id_fkey;
alter table contact_rollup_month drop constraint contact_rollup_month_org_id_fkey;

create function organisation_rollups_gone() returns trigger language plpgsql as $$
begin
  delete from contact_rollup_coarse where org_id = old.org_id;
  delete from contact_rollup_month where org_id = old.org_id;
  return old;
end $$;

create trigger organisation_rollups_gone before delete on organisation
  for each row execute function organisation_rollups_gone();

alter function contact_rollup_coarse_add() set work_mem = '64MB';
