import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cellToParent, getResolution, greatCircleDistance, latLngToCell } from 'h3-js';
import {
	bigIntResolution,
	bigIntToCell,
	distanceM,
	cellToBigInt,
	packCell,
	parentBits,
	resolutionForZoom,
	unpackCell
} from '../../src/lib/domain/cells';

// Cells anywhere on Earth, at any child resolution, with any coarser parent resolution.
const cellAndParentRes = fc
	.record({
		lat: fc.double({ min: -89.9, max: 89.9, noNaN: true }),
		lng: fc.double({ min: -180, max: 179.999, noNaN: true }),
		res: fc.integer({ min: 0, max: 15 })
	})
	.chain(({ lat, lng, res }) => fc.record({ cell: fc.constant(latLngToCell(lat, lng, res)), parentRes: fc.integer({ min: 0, max: res }) }));

describe('bigint cells', () => {
	it('round-trips hex ids through a signed-bigint-safe value', () => {
		fc.assert(
			fc.property(cellAndParentRes, ({ cell }) => {
				const b = cellToBigInt(cell);
				expect(b).toBeLessThan(2n ** 63n); // fits a PostgreSQL bigint
				expect(bigIntToCell(b)).toBe(cell);
				expect(bigIntResolution(b)).toBe(getResolution(cell));
			})
		);
	});

	it('parentBits equals h3-js cellToParent for every cell and coarser resolution', () => {
		fc.assert(
			fc.property(cellAndParentRes, ({ cell, parentRes }) => {
				expect(bigIntToCell(parentBits(cellToBigInt(cell), parentRes))).toBe(cellToParent(cell, parentRes));
			}),
			{ numRuns: 2000 }
		);
	});

	it('parent of a Ghent station cell, a fixed known value', () => {
		const cell = latLngToCell(51.0357, 3.7108, 10); // Gent-Sint-Pieters
		expect(bigIntToCell(parentBits(cellToBigInt(cell), 7))).toBe(cellToParent(cell, 7));
	});
});

describe('packed cells on the wire', () => {
	it('unpack(pack(cell)) is the cell, and packs are short', () => {
		fc.assert(
			fc.property(cellAndParentRes, ({ cell }) => {
				const res = getResolution(cell);
				const packed = packCell(cell);
				expect(unpackCell(packed, res)).toBe(cell);
				expect(packed.length).toBeLessThanOrEqual(15 - 2 - Math.floor((3 * (15 - res)) / 4));
			})
		);
	});

	it('packs map resolutions to 7..10 characters', () => {
		for (const res of [7, 8, 9, 10]) expect(packCell(latLngToCell(51.05, 3.72, res))).toHaveLength(res);
	});
});

describe('resolutionForZoom', () => {
	it('is monotone in zoom and stays within the bounds', () => {
		fc.assert(
			fc.property(fc.double({ min: 0, max: 22, noNaN: true }), fc.double({ min: 0, max: 22, noNaN: true }), (a, b) => {
				const [lo, hi] = a < b ? [a, b] : [b, a];
				expect(resolutionForZoom(lo)).toBeLessThanOrEqual(resolutionForZoom(hi));
				expect(resolutionForZoom(hi)).toBeLessThanOrEqual(10);
				expect(resolutionForZoom(lo)).toBeGreaterThanOrEqual(7);
			})
		);
	});

	it('respects a lower maximum such as a policy resolution', () => {
		expect(resolutionForZoom(18, 8)).toBe(8);
	});
});

describe('distanceM', () => {
	it('agrees with h3-js greatCircleDistance to a millimetre over a kilometre (property)', () => {
		const point = fc.record({ lat: fc.double({ min: -85, max: 85, noNaN: true }), lng: fc.double({ min: -180, max: 180, noNaN: true }) });
		fc.assert(
			fc.property(point, point, (a, b) => {
				const ours = distanceM(a, b);
				expect(ours).toBeGreaterThanOrEqual(0);
				expect(ours).toBeLessThanOrEqual(Math.PI * 6_371_007.2);
				// h3-js answers NaN for some nearly antipodal pairs (the rounding distanceM clamps)
				const h3 = greatCircleDistance([a.lat, a.lng], [b.lat, b.lng], 'm');
				if (Number.isFinite(h3)) expect(Math.abs(ours - h3)).toBeLessThanOrEqual(1e-6 * Math.max(h3, 1000));
			})
		);
		expect(distanceM({ lat: 51.0543, lng: 3.7208 }, { lat: 51.0543, lng: 3.7208 })).toBe(0);
		// the counterexample a run found: finite, half the globe
		const far = distanceM({ lat: -84.99999986513315, lng: -179.99999011685554 }, { lat: 84.99999998502119, lng: 0 });
		expect(far).toBeGreaterThan(19_000_000);
		expect(far).toBeLessThanOrEqual(Math.PI * 6_371_007.2);
	});
});
