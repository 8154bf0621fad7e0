// Where a polygon's rings cross themselves or each other: "bow-ties" from hand digitising, holes
// drawn over the edge. For such shapes the area sums and the map's fill are wrong, so the import
// never keeps them as they are: areas.ts repairs what can be repaired unambiguously (with a
// warning) and refuses the rest. Loops of a tiny share of the polygon's area are cut off
// (removeSmallLoops): coordinates rounded to 5 decimals (~1 m) leave them in real layers (4 of
// Ghent's 254 statistical sectors), and they change nothing that matters. Works on the positions
// as given (before conversion), so a reported point can be found in the user's GIS.
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Position } from 'geojson';

export type RingProblem =
	| {
			kind: 'crossing';
			ring: number;
			other: number;
			at: Position;
			/** `share`: the smaller part's share of the ring's area when a ring meets itself, else 1. */
			share: number;
			/** A ring meeting itself: the indices in the ring of the two segments' first positions (in ring order). */
			segments?: [number, number];
	  }
	| { kind: 'hole_outside'; ring: number };

/**
 * Below this share of the POLYGON's area (outer ring less holes), a loop or spike is a rounding
 * artefact and is cut off, in whichever ring it is. Ghent's rounding loops are below 2e-5 of
 * their sector; a figure-eight drawn on purpose is far above.
 */
export const SMALL_LOOP = 0.001;
const MAX_REPORTED = 50;

interface Segment {
	ring: number;
	/** Index of the segment's first position in the ring. */
	i: number;
	/** Index among the ring's non-degenerate segments (for adjacency). */
	k: number;
	/** How many non-degenerate segments the ring has. */
	m: number;
	a: Position;
	b: Position;
	minX: number;
	maxX: number;
	minY: number;
	maxY: number;
}

/** Twice the signed area of p, q, r; 0 within rounding noise of the inputs. */
function orient(p: Position, q: Position, r: Position): number {
	const ux = q[0]! - p[0]!,
		uy = q[1]! - p[1]!,
		vx = r[0]! - p[0]!,
		vy = r[1]! - p[1]!;
	const d = ux * vy - uy * vx;
	const tol = 1e-12 * (Math.abs(ux) + Math.abs(uy)) * (Math.abs(vx) + Math.abs(vy));
	return Math.abs(d) <= tol ? 0 : d;
}

const same = (p: Position, q: Position) => p[0] === q[0] && p[1] === q[1];

function onSegment(p: Position, s: Segment): boolean {
	return p[0]! >= s.minX && p[0]! <= s.maxX && p[1]! >= s.minY && p[1]! <= s.maxY && orient(s.a, s.b, p) === 0;
}

/**
 * How two segments meet: 'cross' (interiors cross at one point), 'overlap' (collinear over a
 * length), 'touch' (an end on the other segment), or null. `at` is a point where they meet.
 */
function meet(s: Segment, t: Segment): { how: 'cross' | 'overlap' | 'touch'; at: Position } | null {
	const d1 = orient(s.a, s.b, t.a),
		d2 = orient(s.a, s.b, t.b);
	const d3 = orient(t.a, t.b, s.a),
		d4 = orient(t.a, t.b, s.b);
	if (d1 * d2 < 0 && d3 * d4 < 0) {
		const f = d3 / (d3 - d4);
		return { how: 'cross', at: [s.a[0]! + f * (s.b[0]! - s.a[0]!), s.a[1]! + f * (s.b[1]! - s.a[1]!)] };
	}
	const ends = [t.a, t.b].filter((p) => onSegment(p, s)).concat([s.a, s.b].filter((p) => onSegment(p, t)));
	if (ends.length === 0) return null;
	const distinct = ends.filter((p, i) => ends.findIndex((q) => same(p, q)) === i);
	return { how: d1 === 0 && d2 === 0 && distinct.length > 1 ? 'overlap' : 'touch', at: ends[0]! };
}

/** Consecutive segments of one ring that fold back on each other (a spike: A → B → A). */
function foldsBack(s: Segment, t: Segment): Position | null {
	const shared = same(s.b, t.a) ? s.b : s.a;
	const u = same(s.a, shared) ? s.b : s.a;
	const v = same(t.a, shared) ? t.b : t.a;
	const ux = u[0]! - shared[0]!,
		uy = u[1]! - shared[1]!,
		vx = v[0]! - shared[0]!,
		vy = v[1]! - shared[1]!;
	return orient(shared, u, v) === 0 && ux * vx + uy * vy > 0 ? shared : null;
}

function segmentsOf(rings: Position[][]): Segment[] {
	const out: Segment[] = [];
	rings.forEach((ring, r) => {
		const first = out.length;
		for (let i = 0; i + 1 < ring.length; i++) {
			const a = ring[i]!,
				b = ring[i + 1]!;
			if (same(a, b)) continue; // repeated positions are common in exports and harmless
			out.push({
				ring: r,
				i,
				k: out.length - first,
				m: 0,
				a,
				b,
				minX: Math.min(a[0]!, b[0]!),
				maxX: Math.max(a[0]!, b[0]!),
				minY: Math.min(a[1]!, b[1]!),
				maxY: Math.max(a[1]!, b[1]!)
			});
		}
		for (let i = first; i < out.length; i++) out[i]!.m = out.length - first;
	});
	return out;
}

/** Twice the absolute area of a closed path (shoelace). */
export function pathArea(path: Position[]): number {
	let a = 0;
	for (let i = 0, j = path.length - 1; i < path.length; j = i++) a += (path[j]![0]! - path[i]![0]!) * (path[j]![1]! + path[i]![1]!);
	return Math.abs(a);
}

/** Where segments p and q (p first) of one ring meet at `at`: the smaller loop's share of the area. */
function loopShare(ring: Position[], p: Segment, q: Segment, at: Position): number {
	const loop = pathArea([at, ...ring.slice(p.i + 1, q.i + 1)]);
	const rest = pathArea([at, ...ring.slice(q.i + 1, ring.length - 1), ...ring.slice(0, p.i + 1)]);
	const total = loop + rest;
	return total === 0 ? 0 : Math.min(loop, rest) / total;
}

/**
 * The problems of one polygon's closed rings (outer ring first, then holes), at most a few
 * dozen. A ring may not meet itself anywhere but at its consecutive positions; rings may touch
 * each other at points (valid in the OGC model) but not cross or share an edge; a hole lies
 * inside the outer ring. Segments are swept in x order, so typical rings cost about n log n.
 */
export function ringProblems(rings: Position[][]): RingProblem[] {
	const out: RingProblem[] = [];
	const segs = segmentsOf(rings).sort((s, t) => s.minX - t.minX);
	for (let i = 0; i < segs.length && out.length < MAX_REPORTED; i++) {
		const s = segs[i]!;
		for (let j = i + 1; j < segs.length && segs[j]!.minX <= s.maxX; j++) {
			const t = segs[j]!;
			if (t.minY > s.maxY || t.maxY < s.minY) continue;
			const [p, q] = s.ring < t.ring || (s.ring === t.ring && s.k < t.k) ? [s, t] : [t, s];
			if (p.ring === q.ring && (q.k - p.k === 1 || (p.k === 0 && q.k === p.m - 1))) {
				// neighbours share a position; they meet elsewhere only if the ring turns right back
				const at = foldsBack(p, q);
				if (at) out.push({ kind: 'crossing', ring: p.ring, other: p.ring, at, share: 0, segments: [p.i, q.i] });
				continue;
			}
			const m = meet(p, q);
			if (!m) continue;
			if (p.ring === q.ring)
				out.push({ kind: 'crossing', ring: p.ring, other: p.ring, at: m.at, share: loopShare(rings[p.ring]!, p, q, m.at), segments: [p.i, q.i] });
			else if (m.how !== 'touch') out.push({ kind: 'crossing', ring: q.ring, other: p.ring, at: m.at, share: 1 });
		}
	}
	if (out.some((c) => c.kind === 'crossing' && c.ring !== c.other)) return out; // inside/outside is moot then
	const edge = segs.filter((s) => s.ring === 0);
	for (let r = 1; r < rings.length; r++) {
		const probe = rings[r]!.find((p) => !edge.some((s) => onSegment(p, s)));
		if (probe && !booleanPointInPolygon(probe, { type: 'Polygon', coordinates: [rings[0]!] })) out.push({ kind: 'hole_outside', ring: r });
	}
	return out;
}

/** Twice the area of a polygon: its outer ring less its holes (never below 0). */
export function polygonArea(rings: Position[][]): number {
	return Math.max(
		0,
		rings.reduce((sum, ring, r) => sum + (r === 0 ? 1 : -1) * pathArea(ring), 0)
	);
}

/** The ring without consecutive repeated positions, closed again. */
export function tidy(ring: Position[]): Position[] {
	const out = ring.filter((p, i) => i === 0 || !same(p, ring[i - 1]!));
	if (out.length > 1 && same(out[0]!, out[out.length - 1]!)) out.pop();
	return [...out, out[0]!];
}

export interface RemovedLoop {
	ring: number;
	at: Position;
	/** Twice its area, in the positions' units. */
	area: number;
}

/**
 * Cuts off the loops and spikes where a ring meets itself whose smaller part is under SMALL_LOOP
 * of the polygon's area: one rule for the outer ring and the holes alike. Crossings between
 * rings and larger loops stay (for the caller to repair or refuse). The polygon's area is taken
 * once, before any cut.
 */
export function removeSmallLoops(rings: Position[][]): { rings: Position[][]; removed: RemovedLoop[] } {
	const limit = polygonArea(rings) * SMALL_LOOP;
	const out = rings.map(tidy);
	const removed: RemovedLoop[] = [];
	for (let round = 0; round < 1000; round++) {
		let found: { ring: number; at: Position; next: Position[]; area: number } | undefined;
		for (const p of ringProblems(out)) {
			if (p.kind !== 'crossing' || !p.segments) continue;
			const cut = cutAt(out[p.ring]!, p.segments, p.at);
			if (cut.area <= limit) {
				found = { ring: p.ring, at: p.at, ...cut };
				break;
			}
		}
		if (!found) break;
		const next = tidy(found.next);
		if (next.length < 4) break; // nothing sensible is left: the caller refuses the ring as it is
		out[found.ring] = next;
		removed.push({ ring: found.ring, at: found.at, area: found.area });
	}
	// nothing cut: the rings as given (repeated positions and all), so a stored area stays the same
	return removed.length > 0 ? { rings: out, removed } : { rings, removed };
}

/** A ring cut where its segments i and j (i < j) meet at `at`: the larger part kept, and twice the smaller part's area. */
function cutAt(ring: Position[], [i, j]: [number, number], at: Position): { next: Position[]; area: number } {
	const n = ring.length;
	if (j - i === 1 || (i === 0 && j === n - 2)) {
		// a spike folding back on its neighbour: drop the tip
		const open = ring.slice(0, n - 1);
		open.splice(j - i === 1 ? j : 0, 1);
		return { next: [...open, open[0]!], area: 0 };
	}
	const loop = [at, ...ring.slice(i + 1, j + 1), at];
	const rest = [at, ...ring.slice(j + 1, n - 1), ...ring.slice(0, i + 1), at];
	const [a, b] = [pathArea(loop), pathArea(rest)];
	return a <= b ? { next: rest, area: a } : { next: loop, area: b };
}

/** Whether `hole` is the outer ring again: the same positions in the same cycle, from any start, either way round. */
export function repeatsRing(hole: Position[], outer: Position[]): boolean {
	const a = tidy(hole).slice(0, -1);
	const b = tidy(outer).slice(0, -1);
	if (a.length !== b.length || a.length === 0) return false;
	const start = b.findIndex((p) => same(p, a[0]!));
	if (start < 0) return false;
	const n = a.length;
	const forward = a.every((p, k) => same(p, b[(start + k) % n]!));
	return forward || a.every((p, k) => same(p, b[(start - k + n) % n]!));
}
