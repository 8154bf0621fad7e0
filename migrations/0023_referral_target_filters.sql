-- The coordinator map's top referral target per cell (src/lib/server/queries/hexes.ts
-- topTargetRows) under a target-group or team filter read every referral of the period from the
-- table, since the partial index of referrals with a known target (migrations 0014, 0020) lacked
-- those columns: 375 ms of a 463 ms map answer for 2 years and one group at 1,000,000 contacts on
-- PostgreSQL. With them the read stays index-only (75-92 ms), whatever the filter.
drop index contact_moment_referral_target;
create index contact_moment_referral_target on contact_moment (org_id, occurred_at)
  include (cell, contact_type, referral_target, record_key, target_groups, team_id) where referral_target is not null;
