// Areas (districts, sectors, drawn zones) as GeoJSON, simplified for the zoom they are drawn at
// (domain/area-simplify.ts): no answer carries a stored outline of thousands of positions.
import type { MultiPolygon, Polygon } from 'geojson';
import type { Sql } from '../db';
import { DEFAULT_ZOOM_BUCKET, positionsIn, simplifyForZoom } from '../../domain/area-simplify';

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Outlines simplified in steps of ~5,000 stored positions, the event loop free between them. */
async function simplifiedInSteps(geometries: (Polygon | MultiPolygon)[], bucket: number): Promise<(Polygon | MultiPolygon)[]> {
	const out: (Polygon | MultiPolygon)[] = [];
	let since = 0;
	for (const g of geometries) {
		out.push(simplifyForZoom(g, bucket));
		since += positionsIn(g);
		if (since > 5000) {
			since = 0;
			await nextTick();
		}
	}
	return out;
}

export async function areaLayers(sql: Sql, orgId: number): Promise<string[]> {
	const rows = await sql`select distinct layer from area where org_id = ${orgId} order by layer`;
	return rows.map((r) => r.layer as string);
}

/** One layer's areas, their outlines simplified for the zoom step `bucket`. */
export async function areaFeatures(sql: Sql, orgId: number, layer: string, bucket = DEFAULT_ZOOM_BUCKET) {
	const rows = await sql`
		select code, name, population, geometry from area
		where org_id = ${orgId} and layer = ${layer}
		order by code`;
	const outlines = await simplifiedInSteps(
		rows.map((r) => r.geometry as Polygon | MultiPolygon),
		bucket
	);
	return {
		type: 'FeatureCollection' as const,
		features: rows.map((r, i) => ({
			type: 'Feature' as const,
			geometry: outlines[i]!,
			properties: { code: r.code as string, name: r.name as string, population: r.population as number | null }
		}))
	};
}

/**
 * The outlines of areas named `layer:code`, by that key, simplified for the zoom step `bucket`
 * (my-zones draws its zones' outlines at street zoom).
 */
export async function areaGeometries(sql: Sql, orgId: number, keys: readonly string[], bucket = DEFAULT_ZOOM_BUCKET): Promise<Map<string, unknown>> {
	const geometries = new Map<string, unknown>();
	if (!keys.length) return geometries;
	const rows = await sql`
		select layer, code, geometry from area
		where org_id = ${orgId} and (layer || ':' || code) = any(${keys as string[]}::text[])`;
	const outlines = await simplifiedInSteps(
		rows.map((r) => r.geometry as Polygon | MultiPolygon),
		bucket
	);
	rows.forEach((r, i) => geometries.set(`${r.layer as string}:${r.code as string}`, outlines[i]));
	return geometries;
}
