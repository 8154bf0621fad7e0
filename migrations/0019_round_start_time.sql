-- When a street round sets off (local Brussels time of its day), so a worker's Vandaag page can
-- say "Start 19:00 at …" beside the duo and the place. Optional: rounds planned before this, or
-- without a set time, show no time.
alter table street_round add column start_time time;
