// Areas and the services near them, for the coverage report. An area's cells (at the planning
// resolution, whose centre lies in it; see area-cells.ts) are stored at import; here are the
// counts and distances the report derives. Pure.
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { cellToParent } from 'h3-js';
import type { AreaGeometry } from '../analysis/population';

function polygons(g: AreaGeometry): number[][][][] {
	return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/** How many distinct cells at the coarser `res` the cells fall in. */
export function parentCount(cells: readonly string[], res: number): number {
	return new Set(cells.map((c) => cellToParent(c, res))).size;
}

const EARTH_M = 6_371_008.8;

/**
 * Metres from a point to the nearest edge of the rings (0 inside the geometry). Edges are
 * measured on a local flat projection: over a few kilometres the error is well under 1 %.
 */
export function distanceToAreaM(point: { lat: number; lng: number }, geometry: AreaGeometry): number {
	if (booleanPointInPolygon([point.lng, point.lat], geometry)) return 0;
	const kx = (Math.PI / 180) * EARTH_M * Math.cos((point.lat * Math.PI) / 180);
	const ky = (Math.PI / 180) * EARTH_M;
	let best = Infinity;
	for (const rings of polygons(geometry)) {
		for (const ring of rings) {
			for (let i = 1; i < ring.length; i++) {
				const ax = (ring[i - 1]![0]! - point.lng) * kx;
				const ay = (ring[i - 1]![1]! - point.lat) * ky;
				const bx = (ring[i]![0]! - point.lng) * kx;
				const by = (ring[i]![1]! - point.lat) * ky;
				const dx = bx - ax;
				const dy = by - ay;
				const len2 = dx * dx + dy * dy;
				const t = len2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
				best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
			}
		}
	}
	return best;
}

/** How many of the points lie in the area or within `metres` of it. */
export function pointsNear(points: readonly { lat: number; lng: number }[], geometry: AreaGeometry, metres: number): number {
	return points.filter((p) => distanceToAreaM(p, geometry) <= metres).length;
}
