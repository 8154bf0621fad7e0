-- The organisation's area as its real boundary (a municipality's GeoJSON Polygon/MultiPolygon,
-- WGS84, from `npm run user:create -- --boundary`): "outside the area" then means outside the
-- municipality, not just outside its bbox. Null: the bbox alone is the area, as before.
alter table organisation add column boundary jsonb;
