// An area's cells at a resolution, in steps: the cells whose centre lies in the area (as h3's
// polygonToCells), or the cell of its first vertex when none does, so a zone is never empty.
// A generator that yields after every `stepCells` candidates lets the server give the event loop
// back between steps: a 20,000-vertex polygon over thousands of cells would otherwise hold it
// for seconds. Candidates are the cells of the polygon's bbox; each centre is tested against
// edges bucketed by latitude band, so a test reads a few edges rather than all of them.
import { POLYGON_TO_CELLS_FLAGS, cellToLatLng, latLngToCell, polygonToCellsExperimental } from 'h3-js';
import type { AreaGeometry } from './analysis/population';

type Ring = number[][];

/** Edges of a polygon's rings (outer and holes) by latitude band: even-odd ray casting over them. */
class BandedEdges {
	private readonly bands: number[][] = [];
	private readonly south: number;
	private readonly height: number;
	private readonly count: number;
	private readonly xs: Float64Array;

	constructor(rings: readonly Ring[], south: number, north: number) {
		const edges = rings.reduce((n, r) => n + Math.max(0, r.length - 1), 0);
		this.count = Math.max(1, Math.min(4096, Math.ceil(edges / 8)));
		this.south = south;
		this.height = Math.max(north - south, 1e-12) / this.count;
		// four numbers an edge: x1 y1 x2 y2
		this.xs = new Float64Array(edges * 4);
		for (let b = 0; b < this.count; b++) this.bands.push([]);
		let e = 0;
		for (const ring of rings) {
			for (let i = 0; i + 1 < ring.length; i++, e++) {
				const [x1, y1] = ring[i]!;
				const [x2, y2] = ring[i + 1]!;
				this.xs.set([x1!, y1!, x2!, y2!], e * 4);
				const lo = this.band(Math.min(y1!, y2!));
				const hi = this.band(Math.max(y1!, y2!));
				for (let b = lo; b <= hi; b++) this.bands[b]!.push(e);
			}
		}
	}

	private band(y: number): number {
		return Math.min(this.count - 1, Math.max(0, Math.floor((y - this.south) / this.height)));
	}

	contains(x: number, y: number): boolean {
		let inside = false;
		for (const e of this.bands[this.band(y)]!) {
			const x1 = this.xs[e * 4]!;
			const y1 = this.xs[e * 4 + 1]!;
			const x2 = this.xs[e * 4 + 2]!;
			const y2 = this.xs[e * 4 + 3]!;
			if (y1 > y !== y2 > y && x < ((x2 - x1) * (y - y1)) / (y2 - y1) + x1) inside = !inside;
		}
		return inside;
	}
}

const polygonsOf = (g: AreaGeometry): number[][][][] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

/**
 * The area's cells at `res` (h3 ids), yielding after each `stepCells` candidate cells; the
 * generator's return value is the list. Drive it with `for (;;) { const s = it.next(); … }`.
 */
export function* areaCellsInSteps(geometry: AreaGeometry, res: number, stepCells = 1000): Generator<void, string[], void> {
	const out = new Set<string>();
	for (const rings of polygonsOf(geometry)) {
		const outer = rings[0];
		if (!outer?.length) continue;
		let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
		for (const [x, y] of outer) {
			w = Math.min(w, x!);
			e = Math.max(e, x!);
			s = Math.min(s, y!);
			n = Math.max(n, y!);
		}
		// every cell that touches the bbox: its centre may lie inside it
		const box = [
			[s, w],
			[s, e],
			[n, e],
			[n, w],
			[s, w]
		];
		const candidates = polygonToCellsExperimental(box, res, POLYGON_TO_CELLS_FLAGS.containmentOverlapping);
		yield;
		const edges = new BandedEdges(rings, s, n);
		for (let i = 0; i < candidates.length; i++) {
			const cell = candidates[i]!;
			const [lat, lng] = cellToLatLng(cell);
			if (lat >= s && lat <= n && lng >= w && lng <= e && edges.contains(lng, lat)) out.add(cell);
			if ((i + 1) % stepCells === 0) yield;
		}
	}
	if (out.size === 0) {
		const first = polygonsOf(geometry)[0]?.[0]?.[0];
		if (first) out.add(latLngToCell(first[1]!, first[0]!, res));
	}
	return [...out];
}

/** The same, at once (tests, small areas). */
export function areaCells(geometry: AreaGeometry, res: number): string[] {
	const it = areaCellsInSteps(geometry, res, Number.MAX_SAFE_INTEGER);
	for (;;) {
		const step = it.next();
		if (step.done) return step.value;
	}
}
