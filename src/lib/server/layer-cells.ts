// The cells of every area of a layer, for queries per area (trends): the cells stored at import
// (area_cell) where they are at that resolution, else computed with h3 polygonToCells; once per
// (organisation, layer, resolution, data version) and kept in this
// process (per database handle), never per request. Every write to an organisation's areas changes its data version
// (migrations/0010_data_version.sql), so a kept answer is never stale.
import { areaCells, type AreaGeometry } from '../domain/analysis/population';
import { cellToBigInt } from '../domain/cells';
import type { Sql } from './db';
import { perDatabase } from './per-database';
import { storedLayerCells } from './area-cells';

/** An area and its cells, as the decimal text of the bigint cell ids (for `::bigint[]`). */
export interface AreaCells {
	code: string;
	name: string;
	cells: string[];
}

/** Layers kept at once; a layer of 500 sectors at res 9 holds about 60k ids. */
const MAX_ENTRIES = 32;

/** Per database handle (see per-database.ts). */
const caches = perDatabase<Promise<Map<string, AreaCells>>>();

/** Computations so far (for tests: a second request for the same version computes nothing). */
export const areaCellStats = { computations: 0 };

/**
 * The areas of `layer`, by code, with their cells at `res`. `version` is the organisation's data
 * version as the session read it.
 */
export function layerCells(sql: Sql, orgId: number, layer: string, res: number, version: string): Promise<Map<string, AreaCells>> {
	const prefix = JSON.stringify([orgId, layer, res]);
	const key = `${prefix}@${version}`;
	const cache = caches(sql);
	let hit = cache.get(key);
	if (hit) {
		cache.delete(key); // most recently used last
		cache.set(key, hit);
		return hit;
	}
	// an older version of the same layer is of no use any more
	for (const k of cache.keys()) if (k.startsWith(prefix + '@')) cache.delete(k);
	hit = computeLayerCells(sql, orgId, layer, res);
	cache.set(key, hit);
	hit.catch(() => cache.delete(key));
	while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
	return hit;
}

async function computeLayerCells(sql: Sql, orgId: number, layer: string, res: number): Promise<Map<string, AreaCells>> {
	areaCellStats.computations++;
	const [rows, stored] = await Promise.all([
		sql`select code, name, geometry from area where org_id = ${orgId} and layer = ${layer} order by code`,
		storedLayerCells(sql, orgId, layer, res)
	]);
	const out = new Map<string, AreaCells>();
	for (const r of rows) {
		const h3 = stored?.get(r.code as string) ?? areaCells(r.geometry as AreaGeometry, res);
		const cells = [...h3].map((c) => cellToBigInt(c).toString());
		out.set(r.code as string, { code: r.code as string, name: r.name as string, cells });
	}
	return out;
}
