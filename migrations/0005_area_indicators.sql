-- Numeric indicators per area (from an indicator CSV keyed by area code): density, share of
-- young people, number of social housing units… One row per area and indicator; the name is the
-- column header of the imported file. Population stays in area.population.
create table area_indicator (
  org_id integer not null,
  layer text not null,
  code text not null,
  indicator text not null check (length(indicator) between 1 and 100),
  value double precision not null,
  primary key (org_id, layer, code, indicator),
  foreign key (org_id, layer, code) references area (org_id, layer, code) on delete cascade
);
