// Hexagon polygons from cell ids, built once per cell and cached per resolution, and the
// feature-state class per cell updated by difference.
import { cellToBoundary, getHexagonEdgeLengthAvg } from 'h3-js';
import type { Map as MapLibreMap } from 'maplibre-gl';
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

/**
 * What to tell MapLibre when the drawn classes go from `before` to `next`: the cells whose class
 * is new or differs (every cell of `next` when `all`, e.g. for a new palette), and the cells no
 * longer drawn. Unchanged cells are left alone, so MapLibre rewrites only the changed cells'
 * paint vertices.
 */
export function classChanges(
	before: ReadonlyMap<string, number>,
	next: ReadonlyMap<string, number>,
	all: boolean
): { set: [cell: string, cls: number][]; gone: string[] } {
	const set: [string, number][] = [];
	for (const [cell, cls] of next) if (all || before.get(cell) !== cls) set.push([cell, cls]);
	const gone: string[] = [];
	for (const cell of before.keys()) if (!next.has(cell)) gone.push(cell);
	return { set, gone };
}

/**
 * Applies classChanges to a source's feature-state: `cls`, the class, and `colour`, its fill
 * (transparent when `colours` has none); both are removed from cells no longer drawn. Returns
 * the classes now set.
 */
export function updateClasses(
	map: MapLibreMap,
	source: string,
	before: ReadonlyMap<string, number>,
	next: ReadonlyMap<string, number>,
	colours: ReadonlyMap<number, string>,
	all: boolean
): ReadonlyMap<string, number> {
	const { set, gone } = classChanges(before, next, all);
	for (const [cell, cls] of set) map.setFeatureState({ source, id: cell }, { cls, colour: colours.get(cls) ?? null });
	for (const cell of gone) {
		map.removeFeatureState({ source, id: cell }, 'cls');
		map.removeFeatureState({ source, id: cell }, 'colour');
	}
	return new Map(next);
}

/**
 * The zoom from which a cell's edge at `res` is at least `px` pixels long at latitude `lat`
 * (512-pixel tiles). Below it the white grid between cells is only noise, yet drawing its lines
 * costs a third of a frame on software GL at 10,000 cells.
 */
export function gridMinZoom(res: number, lat: number, px = 4): number {
	const metresPerPixelAtZoom0 = (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / 512;
	return Math.log2((px * metresPerPixelAtZoom0) / getHexagonEdgeLengthAvg(res, 'm'));
}

/** The outlines of the selected and the hovered cell (a layer of their own, drawn at every zoom). */
export function focusCollection(selected: string | null, hover: string | null, res: number): FeatureCollection<Polygon, { selected: boolean }> {
	const features: Feature<Polygon, { selected: boolean }>[] = [];
	if (res > 0 && hover && hover !== selected)
		features.push({ type: 'Feature', properties: { selected: false }, geometry: hexFeature(hover, res).geometry });
	if (res > 0 && selected) features.push({ type: 'Feature', properties: { selected: true }, geometry: hexFeature(selected, res).geometry });
	return { type: 'FeatureCollection', features };
}
