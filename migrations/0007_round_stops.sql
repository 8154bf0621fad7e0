-- A street round's route: the zones it visits, in walking order, from its starting point and back.
-- Zones are cells at the organisation's planning resolution; the start is a service location's
-- cell (a public place) or none (the round starts at its first zone).
alter table street_round add column start_cell bigint;
alter table street_round add column start_label text check (start_label is null or length(start_label) <= 200);

create table street_round_stop (
  org_id integer not null,
  round_id integer not null,
  seq smallint not null check (seq between 1 and 100),
  cell bigint not null,
  -- minutes spent in the zone, and walking from the previous stop (or the start)
  dwell_minutes smallint not null check (dwell_minutes between 0 and 240),
  walk_minutes real not null check (walk_minutes >= 0),
  -- the underserved score when the stop was planned, and why (the reasons as shown then)
  score smallint check (score between 0 and 100),
  reasons jsonb not null default '[]',
  primary key (org_id, round_id, seq),
  unique (org_id, round_id, cell),
  foreign key (org_id, round_id) references street_round (org_id, round_id) on delete cascade
);
