-- The report's referrals by target category (issue 10) are published by the cell-key rule, so
-- the per-target split reads the referrals' record keys too. The partial index of referrals with
-- a known target (migration 0014) carries them now, so that read stays index-only.
drop index contact_moment_referral_target;
create index contact_moment_referral_target on contact_moment (org_id, occurred_at)
  include (cell, contact_type, referral_target, record_key) where referral_target is not null;
