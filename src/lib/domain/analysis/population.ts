// Residents per cell from areas with a population (statistical sectors, districts): each area's
// population is shared evenly over the cells whose centre lies in it. An area too small to hold
// a cell centre at this resolution gives its population to the cell of its first vertex, so no
// resident is lost. There is no address data: within an area people are assumed spread evenly.
import { latLngToCell, polygonToCells } from 'h3-js';

/** A GeoJSON Polygon or MultiPolygon, [lng, lat] positions. */
export type AreaGeometry = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

export interface PopulatedArea {
	population: number;
	geometry: AreaGeometry;
}

function polygons(g: AreaGeometry): number[][][][] {
	return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/**
 * The cells at `res` whose centre lies in the area; an area too small to hold a centre gets the
 * cell of its first vertex. Areas that do not overlap share no cell.
 */
export function areaCells(geometry: AreaGeometry, res: number): Set<string> {
	const cells = new Set<string>();
	for (const rings of polygons(geometry)) {
		for (const cell of polygonToCells(rings, res, true)) cells.add(cell);
	}
	if (cells.size === 0) {
		const [lng, lat] = polygons(geometry)[0]![0]![0]!;
		cells.add(latLngToCell(lat!, lng!, res));
	}
	return cells;
}

/** Residents per cell at `res` (fractions kept: a sum over cells gives back the areas' total). */
export function populationByCell(areas: readonly PopulatedArea[], res: number): Map<string, number> {
	const out = new Map<string, number>();
	for (const area of areas) {
		if (!(area.population > 0)) continue;
		const cells = areaCells(area.geometry, res);
		const share = area.population / cells.size;
		for (const cell of cells) out.set(cell, (out.get(cell) ?? 0) + share);
	}
	return out;
}
