// Areas (districts, sectors, drawn zones) as GeoJSON.
import type { Sql } from '../db';

export async function areaLayers(sql: Sql, orgId: number): Promise<string[]> {
	const rows = await sql`select distinct layer from area where org_id = ${orgId} order by layer`;
	return rows.map((r) => r.layer as string);
}

export async function areaFeatures(sql: Sql, orgId: number, layer: string) {
	const rows = await sql`
		select code, name, population, geometry from area
		where org_id = ${orgId} and layer = ${layer}
		order by code`;
	return {
		type: 'FeatureCollection' as const,
		features: rows.map((r) => ({
			type: 'Feature' as const,
			geometry: r.geometry as { type: string; coordinates: unknown },
			properties: { code: r.code as string, name: r.name as string, population: r.population as number | null }
		}))
	};
}

/** The geometries of areas named `layer:code`, by that key (my-zones draws its zones' outlines). */
export async function areaGeometries(sql: Sql, orgId: number, keys: readonly string[]): Promise<Map<string, unknown>> {
	const geometries = new Map<string, unknown>();
	if (!keys.length) return geometries;
	const rows = await sql`
		select layer, code, geometry from area
		where org_id = ${orgId} and (layer || ':' || code) = any(${keys as string[]}::text[])`;
	for (const r of rows) geometries.set(`${r.layer as string}:${r.code as string}`, r.geometry);
	return geometries;
}
