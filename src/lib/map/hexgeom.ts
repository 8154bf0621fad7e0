// Hexagon polygons from cell ids, built once per cell and cached per resolution (the small maps'
// hex layers and the atlas map's selected and hovered outlines; its cells are a HexMesh).
import { cellToBoundary, getHexagonEdgeLengthAvg } from 'h3-js';
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
