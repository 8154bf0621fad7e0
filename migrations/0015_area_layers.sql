-- Area layers of any name: the organisation chooses which imported layer is its district layer
-- (names, outlines, zone names, signals' district, reports) and which carries population. Null:
-- not chosen; the app then takes the coarsest layer and the most populated one (area-layers.ts).
alter table organisation add column district_layer text check (district_layer is null or length(district_layer) between 1 and 100);
alter table organisation add column population_layer text check (population_layer is null or length(population_layer) between 1 and 100);

-- Organisations made before this choice existed keep what the app read until now.
update organisation o set district_layer = 'district'
where exists (select 1 from area a where a.org_id = o.org_id and a.layer = 'district');
update organisation o set population_layer = 'sector'
where exists (select 1 from area a where a.org_id = o.org_id and a.layer = 'sector' and a.population > 0);

-- Each area's cells (H3, stored as bigint) at the organisation's planning resolution when the area
-- was imported: the cells whose centre lies in the area, or the cell of its first vertex when none
-- does. Computed once, off the request path (server/area-cells.ts), so a zone of a
-- 1,000,000-vertex area is never rebuilt on a request. A zone given as an area reads its cells
-- here; other features (reports, signals) join it to go from an area to its cells.
create table area_cell (
  org_id integer not null,
  layer text not null,
  code text not null,
  cell bigint not null,
  primary key (org_id, layer, code, cell),
  foreign key (org_id, layer, code) references area (org_id, layer, code) on delete cascade
);
-- From a cell to the areas it lies in (a signal's district, a contact's area).
create index area_cell_cell on area_cell (org_id, cell);

-- A new organisation's first-hour checklist (/welcome): its coordinators land there after
-- signing in while the organisation has no contacts, until one of them dismisses it.
alter table organisation add column welcome_dismissed_at timestamptz;
