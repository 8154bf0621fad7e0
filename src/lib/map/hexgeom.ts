// Hexagon polygons from cell ids, built once per cell and cached per resolution.
import { cellToBoundary } from 'h3-js';
import type { Feature, FeatureCollection, Polygon } from 'geojson';

export type HexFeature = Feature<Polygon, { cell: string }>;

const cache = new Map<number, Map<string, HexFeature>>();

export function hexFeature(cell: string, res: number): HexFeature {
	let byCell = cache.get(res);
	if (!byCell) cache.set(res, (byCell = new Map()));
	let f = byCell.get(cell);
	if (!f) {
		// formatAsGeoJson = true: [lng, lat] pairs in a closed loop.
		f = { type: 'Feature', properties: { cell }, geometry: { type: 'Polygon', coordinates: [cellToBoundary(cell, true)] } };
		byCell.set(cell, f);
	}
	return f;
}

export function hexCollection(cells: Iterable<string>, res: number): FeatureCollection<Polygon, { cell: string }> {
	const features: HexFeature[] = [];
	for (const cell of cells) features.push(hexFeature(cell, res));
	return { type: 'FeatureCollection', features };
}
