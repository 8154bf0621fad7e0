// Area outlines simplified for a map zoom: what /api/areas sends. At a zoom, a pixel covers
// 360 / (256 · 2^zoom) degrees of longitude; detail finer than half a pixel cannot be seen, so
// Douglas–Peucker at that tolerance and coordinates rounded to a tenth of a pixel change nothing
// on screen while a 20,000-vertex outline shrinks to a few hundred positions at city zoom.
import { simplify } from '@turf/simplify';
import type { MultiPolygon, Polygon } from 'geojson';

/** Zooms are served in whole steps between these (a finer zoom gets the finest step). */
export const MIN_ZOOM_BUCKET = 8;
export const MAX_ZOOM_BUCKET = 16;
/** Without a zoom, the finest step: still simplified (about 0.6 m), never the stored outline. */
export const DEFAULT_ZOOM_BUCKET = MAX_ZOOM_BUCKET;

/** The whole zoom step a view at `zoom` asks for. */
export function zoomBucket(zoom: number | undefined): number {
	if (zoom === undefined || !Number.isFinite(zoom)) return DEFAULT_ZOOM_BUCKET;
	return Math.min(MAX_ZOOM_BUCKET, Math.max(MIN_ZOOM_BUCKET, Math.floor(zoom)));
}

/** Degrees of longitude per pixel at a zoom (256-pixel tiles). */
const pixelDegrees = (bucket: number) => 360 / (256 * 2 ** bucket);

/** The simplification tolerance (degrees) at a zoom step: half a pixel. */
export const toleranceFor = (bucket: number) => pixelDegrees(bucket) / 2;

/** Decimals that keep a tenth of a pixel at a zoom step. */
export const decimalsFor = (bucket: number) => Math.max(3, Math.ceil(-Math.log10(pixelDegrees(bucket) / 10)));

function roundRing(ring: number[][], factor: number): number[][] {
	const out: number[][] = [];
	for (const p of ring) {
		const q = [Math.round(p[0]! * factor) / factor, Math.round(p[1]! * factor) / factor];
		const last = out[out.length - 1];
		if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
	}
	return out;
}

/**
 * The outline simplified for a zoom step, coordinates rounded; a ring that would collapse below
 * four positions keeps its stored positions (a tiny area stays drawn).
 */
export function simplifyForZoom<G extends Polygon | MultiPolygon>(geometry: G, bucket: number): G {
	const simpler = simplify(geometry, { tolerance: toleranceFor(bucket), highQuality: false, mutate: false }) as G;
	const factor = 10 ** decimalsFor(bucket);
	const fix = (rings: number[][][], original: number[][][]) =>
		rings.map((ring, i) => {
			const r = roundRing(ring, factor);
			return r.length >= 4 ? r : original[i]!;
		});
	if (simpler.type === 'Polygon') return { ...simpler, coordinates: fix(simpler.coordinates, (geometry as Polygon).coordinates) };
	const originals = (geometry as MultiPolygon).coordinates;
	return { ...simpler, coordinates: (simpler as MultiPolygon).coordinates.map((rings, i) => fix(rings, originals[i]!)) };
}

/** Positions in a geometry (for tests and the bench). */
export function positionsIn(g: Polygon | MultiPolygon): number {
	return (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).reduce((n, rings) => n + rings.reduce((m, r) => m + r.length, 0), 0);
}
