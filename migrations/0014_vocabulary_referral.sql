-- The organisation's own vocabulary (settings → vocabulary) and referrals that say to whom.
--
-- A referral (toeleiding) was a yes/no. It now may name a referral target: an entry of the new
-- vocabulary kind 'referral_target', by default the organisation's service categories. Contacts
-- stored before keep their meaning: referral = true with referral_target null is "a referral,
-- target unknown". The boolean stays the one truth the rollup counts.
alter table vocabulary drop constraint vocabulary_kind_check;
alter table vocabulary add constraint vocabulary_kind_check
  check (kind in ('contact_type', 'target_group', 'theme', 'service_category', 'referral_target'));

-- A merged entry stays (retired) so its id is never handed out again: a contact queued offline on
-- a phone may still name it, and is then stored under the entry it was merged into.
alter table vocabulary add column merged_into smallint;

-- Each organisation's referral targets start as a copy of its service categories.
insert into vocabulary (org_id, kind, id, code, label_nl, label_en, sort, active)
select org_id, 'referral_target', id, code, label_nl, label_en, sort, active
from vocabulary where kind = 'service_category'
on conflict do nothing;

alter table contact_moment add column referral_target smallint;
alter table contact_moment add constraint contact_moment_referral_target_check
  check (referral_target is null or referral);

-- The per-target split of referrals (hex panel, underserved reasons) reads contact_moment, not
-- the rollup: a target in the rollup key would multiply its rows for every contact, while only
-- referrals with a known target are ever read. This partial index holds just those rows, so the
-- split costs in proportion to them (index-only for the unfiltered map question).
create index contact_moment_referral_target on contact_moment (org_id, occurred_at)
  include (cell, contact_type, referral_target) where referral_target is not null;
