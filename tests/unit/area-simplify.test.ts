// Outlines for a zoom (domain/area-simplify.ts) and an area's cells in steps (domain/area-cells.ts).
import { describe, expect, it } from 'vitest';
import { polygonToCells } from 'h3-js';
import type { Polygon } from 'geojson';
import { decimalsFor, positionsIn, simplifyForZoom, toleranceFor, zoomBucket } from '../../src/lib/domain/area-simplify';
import { areaCells, areaCellsInSteps } from '../../src/lib/domain/area-cells';

/** A 1 km square whose edges wave by ~2 m: 4,000 positions. */
function wavy(): Polygon {
	const ring: number[][] = [];
	const [w, s, d] = [3.7, 51.05, 0.012];
	for (let i = 0; i < 4000; i++) {
		const t = (i % 1000) / 1000;
		const wave = 0.00002 * Math.sin(t * Math.PI * 60);
		const side = Math.floor(i / 1000);
		ring.push(
			side === 0
				? [w + t * d, s + wave]
				: side === 1
					? [w + d + wave, s + t * d]
					: side === 2
						? [w + d - t * d, s + d + wave]
						: [w + wave, s + d - t * d]
		);
	}
	ring.push(ring[0]!);
	return { type: 'Polygon', coordinates: [ring] };
}

describe('outlines per zoom', () => {
	it('serves whole zoom steps between 8 and 16, the finest without a zoom', () => {
		expect([zoomBucket(3), zoomBucket(11.7), zoomBucket(19), zoomBucket(undefined), zoomBucket(Number.NaN)]).toEqual([8, 11, 16, 16, 16]);
		expect(toleranceFor(12)).toBeCloseTo(360 / (256 * 4096) / 2);
		expect(decimalsFor(8)).toBe(4);
		expect(decimalsFor(16)).toBe(6);
	});

	it('keeps fewer positions at a lower zoom, and a ring never below four', () => {
		const g = wavy();
		const counts = [16, 13, 10].map((z) => positionsIn(simplifyForZoom(g, z)));
		expect(counts[0]!).toBeLessThan(positionsIn(g));
		expect(counts[1]!).toBeLessThan(counts[0]!);
		expect(counts[2]!).toBeLessThanOrEqual(counts[1]!);
		expect(counts[2]!).toBeGreaterThanOrEqual(4);
		const tiny: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[3.7, 51],
					[3.70001, 51],
					[3.70001, 51.00001],
					[3.7, 51]
				]
			]
		};
		expect(simplifyForZoom(tiny, 8).coordinates[0]!.length).toBeGreaterThanOrEqual(4);
	});
});

describe('area cells in steps', () => {
	it('are h3 polygonToCells, holes and all, with steps in between', () => {
		const g = wavy();
		const holed: Polygon = {
			type: 'Polygon',
			coordinates: [
				g.coordinates[0]!,
				[
					[3.704, 51.054],
					[3.704, 51.058],
					[3.708, 51.058],
					[3.708, 51.054],
					[3.704, 51.054]
				]
			]
		};
		for (const shape of [g, holed]) expect(areaCells(shape, 10).sort()).toEqual(polygonToCells(shape.coordinates, 10, true).sort());
		const it = areaCellsInSteps(g, 10, 10);
		let steps = 0;
		for (let s = it.next(); !s.done; s = it.next()) steps++;
		expect(steps).toBeGreaterThan(5);
	});
});
