// The areas of a layer as planning-resolution cells, for the coverage report and for the
// analysts' published figures by area (queries/published.ts): the cells stored at import
// (area_cell) where they are at that resolution, else computed; kept per organisation, layer,
// resolutions and data version. An analyst-resolution cell belongs to the area its
// centre's planning-resolution cell lies in.
import { cellToCenterChild, cellToLatLng, cellToParent } from 'h3-js';
import type { AreaGeometry } from '../../domain/analysis/population';
import { unpackCell } from '../../domain/cells';
import { areaCells } from '../../domain/analysis/population';
import { parentCount, pointsNear } from '../../domain/reports/areas';
import { storedLayerCells } from '../area-cells';
import { SERVICE_NEAR_M } from '../../domain/reports/row';
import type { Sql } from '../db';
import { perDatabase } from '../per-database';

export interface LayerCells {
	codes: string[];
	names: string[];
	population: (number | null)[];
	/** Cells per area at the planning resolution. */
	cells: number[];
	/** Planning-resolution cell (h3 text) → index of its area. */
	areaOf: Map<string, number>;
	/** Per area: cells at the zone resolution it spans (the gap ranking's zone count). */
	zoneCells: number[];
	/** Per area: service locations in it or within SERVICE_NEAR_M. */
	services: number[];
	totalServices: number;
}

/** Per database handle (see per-database.ts). */
const layerCaches = perDatabase<{ version: string; value: LayerCells }>();
const LAYER_CACHE_MAX = 64;

/** The layer's areas as cells, computed once per organisation, layer, resolutions and data version. */
export async function layerCells(sql: Sql, orgId: number, layer: string, res: number, zoneRes: number, version: string): Promise<LayerCells> {
	const key = `${orgId}:${layer}:${res}:${zoneRes}`;
	const layerCache = layerCaches(sql);
	const hit = layerCache.get(key);
	if (hit?.version === version) return hit.value;
	const [areas, services, stored] = await Promise.all([
		sql`select code, name, population, geometry from area where org_id = ${orgId} and layer = ${layer} order by name, code`,
		sql`select to_hex(cell) as cell from service_location where org_id = ${orgId}`,
		storedLayerCells(sql, orgId, layer, res)
	]);
	const points = services.map((s) => {
		const [lat, lng] = cellToLatLng(s.cell as string);
		return { lat, lng };
	});
	const value: LayerCells = {
		codes: [],
		names: [],
		population: [],
		cells: [],
		areaOf: new Map(),
		zoneCells: [],
		services: [],
		totalServices: points.length
	};
	areas.forEach((a, i) => {
		const geometry = a.geometry as AreaGeometry;
		const cells = stored?.get(a.code as string) ?? [...areaCells(geometry, res)];
		for (const c of cells) if (!value.areaOf.has(c)) value.areaOf.set(c, i);
		value.codes.push(a.code as string);
		value.names.push(a.name as string);
		value.population.push((a.population as number | null) ?? null);
		value.cells.push(cells.length);
		value.zoneCells.push(parentCount(cells, zoneRes));
		value.services.push(pointsNear(points, geometry, SERVICE_NEAR_M));
	});
	if (layerCache.size >= LAYER_CACHE_MAX) layerCache.delete(layerCache.keys().next().value!);
	layerCache.set(key, { version, value });
	return value;
}
/**
 * The area code of a packed cell of an analyst's map at `mapRes`, as the report assigns it (its
 * centre's planning-resolution cell), so the trend and the report group the same cells.
 */
export function areaCodeOf(layer: LayerCells, mapRes: number, res: number): (packed: string) => string | null {
	return (packed) => {
		const i = layer.areaOf.get(toRes(unpackCell(packed, mapRes), mapRes, res));
		return i === undefined ? null : layer.codes[i]!;
	};
}

/** A cell at resolution `from` as a cell at `to`: its centre child (finer) or its parent (coarser). */
export function toRes(cell: string, from: number, to: number): string {
	if (from === to) return cell;
	return from < to ? cellToCenterChild(cell, to) : cellToParent(cell, to);
}
