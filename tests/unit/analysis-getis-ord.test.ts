import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { areNeighborCells, gridDisk, gridDistance, latLngToCell } from 'h3-js';
import { classifySpot, getisOrdGiStar } from '../../src/lib/domain/analysis/getis-ord';

// Korenmarkt, Ghent.
const centre = latLngToCell(51.0543, 3.7208, 9);
const disk = (k: number) => gridDisk(centre, k);

/**
 * Gi* written out from the textbook, apart from the module: neighbours by gridDistance (not
 * gridDisk) and S by the mean of squares (not by deviations).
 */
function textbookGiStar(values: Map<string, number>, k: number): Map<string, number> {
	const cells = [...values.keys()];
	const n = cells.length;
	const xs = cells.map((c) => values.get(c)!);
	const mean = xs.reduce((a, b) => a + b, 0) / n;
	const s = Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / n - mean * mean);
	return new Map(
		cells.map((i) => {
			const w = cells.map((j) => (gridDistance(i, j) <= k ? 1 : 0));
			const sumW = w.reduce((a: number, b) => a + b, 0);
			const sumW2 = w.reduce((a: number, b) => a + b * b, 0);
			const sumWX = w.reduce((a: number, wj, j) => a + wj * xs[j]!, 0);
			return [i, (sumWX - mean * sumW) / (s * Math.sqrt((n * sumW2 - sumW * sumW) / (n - 1)))];
		})
	);
}

describe('getisOrdGiStar by hand', () => {
	it('one cell and its ring: centre 6, one ring cell 12, the rest 0', () => {
		// n = 7, Σx = 18, X̄ = 18/7, Σx² = 180, S = √(180/7 − (18/7)²) = √936 / 7.
		// A ring cell's neighbourhood (k = 1, itself included, within the 7) is itself, the centre
		// and its two ring neighbours: Σw = Σw² = 4, so the denominator is S·√((7·4 − 16)/6) = S·√2.
		//   the 12 and its two ring neighbours: Σwx = 18 → (18 − 4·18/7) / (S·√2) = 54 / √1872
		//   the three other ring cells:         Σwx = 6  → (6 − 4·18/7) / (S·√2)  = −30 / √1872
		// The centre's neighbourhood is all 7 cells: numerator and denominator are 0, so z = 0.
		const [hot, ...rest] = disk(1).filter((c) => c !== centre);
		const values = new Map(disk(1).map((c) => [c, c === centre ? 6 : c === hot ? 12 : 0]));
		const z = getisOrdGiStar(values);
		expect(z.get(centre)).toBe(0);
		expect(z.get(hot!)).toBeCloseTo(54 / Math.sqrt(1872), 12); // 1.248076
		for (const cell of rest) {
			const expected = areNeighborCells(cell, hot!) ? 54 / Math.sqrt(1872) : -30 / Math.sqrt(1872);
			expect(z.get(cell)).toBeCloseTo(expected, 12);
		}
		expect(rest.filter((c) => areNeighborCells(c, hot!))).toHaveLength(2);
	});

	it('matches the textbook formula on 37 cells with distinct values, for k = 1 and 2', () => {
		const values = new Map(disk(3).map((c, i) => [c, (i * 7) % 11]));
		for (const k of [1, 2]) {
			const expected = textbookGiStar(values, k);
			const z = getisOrdGiStar(values, { k });
			for (const [cell, e] of expected) expect(z.get(cell)).toBeCloseTo(e, 10);
		}
	});

	it('k = 0 is the plain z-score of each value', () => {
		const values = new Map(disk(1).map((c, i) => [c, i]));
		const z = getisOrdGiStar(values, { k: 0 });
		const s = Math.sqrt([0, 1, 2, 3, 4, 5, 6].reduce((a, x) => a + (x - 3) ** 2, 0) / 7); // X̄ = 3
		disk(1).forEach((c, i) => expect(z.get(c)).toBeCloseTo((i - 3) / s, 12));
	});
});

describe('getisOrdGiStar fields', () => {
	it('a uniform field gives z = 0 everywhere (S = 0, no division by zero)', () => {
		for (const v of [0, 5, 0.1, 1 / 3, -2.7]) {
			const z = getisOrdGiStar(new Map(disk(3).map((c) => [c, v])));
			expect([...z.values()].every((x) => x === 0)).toBe(true);
		}
	});

	it('a single high cell in a flat field is a hot spot, and cells beyond its ring are not', () => {
		const values = new Map(disk(5).map((c) => [c, c === centre ? 100 : 1]));
		const z = getisOrdGiStar(values);
		expect(classifySpot(z.get(centre)!)).toEqual({ kind: 'hot', confidence: 99 });
		for (const [cell, zi] of z) {
			// The ring shares the peak (its neighbourhood holds it): hot too. Beyond it: no spot.
			if (gridDistance(centre, cell) >= 2) expect(classifySpot(zi)).toBeNull();
			else expect(classifySpot(zi)?.kind).toBe('hot');
		}
	});

	it('cells of the study area without a value count as 0', () => {
		const sparse = new Map([
			[centre, 9],
			[disk(1)[3]!, 4]
		]);
		const explicit = new Map(disk(2).map((c) => [c, sparse.get(c) ?? 0]));
		expect(getisOrdGiStar(sparse, { studyArea: disk(2) })).toEqual(getisOrdGiStar(explicit));
	});

	it('without a study area, only the cells given take part: edge cells have fewer neighbours', () => {
		const values = new Map(disk(2).map((c, i) => [c, i % 4]));
		const z = getisOrdGiStar(values);
		expect([...z.keys()].sort()).toEqual(disk(2).sort());
		for (const [cell, e] of textbookGiStar(values, 1)) expect(z.get(cell)).toBeCloseTo(e, 10);
	});

	it('degenerate inputs give 0s or an error, never NaN', () => {
		expect(getisOrdGiStar(new Map())).toEqual(new Map());
		expect(getisOrdGiStar(new Map([[centre, 3]]))).toEqual(new Map([[centre, 0]]));
		expect(() => getisOrdGiStar(new Map([[centre, 1]]), { studyArea: [disk(1)[1]!] })).toThrow(/outside/);
		expect(() => getisOrdGiStar(new Map([[centre, NaN]]))).toThrow(RangeError);
		expect(() => getisOrdGiStar(new Map([[centre, 1]]), { k: 1.5 })).toThrow(RangeError);
		const mixed = new Map([
			[centre, 1],
			[latLngToCell(51.0543, 3.7208, 8), 2]
		]);
		expect(() => getisOrdGiStar(mixed)).toThrow(/resolution/);
	});
});

// Integer values on the 37 cells around Korenmarkt.
const field = fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 37, maxLength: 37 });
const toValues = (xs: number[]) => new Map(disk(3).map((c, i) => [c, xs[i]!]));
const closeTo = (a: Map<string, number>, b: Map<string, number>) => {
	for (const [cell, z] of a) expect(Math.abs(z - b.get(cell)!)).toBeLessThanOrEqual(1e-9);
};

describe('getisOrdGiStar properties', () => {
	it('negating every value negates every z', () => {
		fc.assert(
			fc.property(field, fc.integer({ min: 1, max: 2 }), (xs, k) => {
				const z = getisOrdGiStar(toValues(xs), { k });
				const negated = getisOrdGiStar(toValues(xs.map((x) => -x)), { k });
				closeTo(negated, new Map([...z].map(([c, zi]) => [c, -zi])));
			})
		);
	});

	it('z is the same after adding a constant to every value', () => {
		fc.assert(
			fc.property(field, fc.double({ min: -1000, max: 1000, noNaN: true }), (xs, shift) => {
				closeTo(getisOrdGiStar(toValues(xs.map((x) => x + shift))), getisOrdGiStar(toValues(xs)));
			})
		);
	});

	it('z is the same after multiplying every value by a positive constant', () => {
		fc.assert(
			fc.property(field, fc.double({ min: 0.001, max: 1000, noNaN: true }), (xs, factor) => {
				closeTo(getisOrdGiStar(toValues(xs.map((x) => x * factor))), getisOrdGiStar(toValues(xs)));
			})
		);
	});
});

describe('classifySpot', () => {
	it('uses |z| ≥ 1.645, 1.96 and 2.576 for 90, 95 and 99 %', () => {
		expect(classifySpot(0)).toBeNull();
		expect(classifySpot(1.644)).toBeNull();
		expect(classifySpot(-1.644)).toBeNull();
		expect(classifySpot(1.645)).toEqual({ kind: 'hot', confidence: 90 });
		expect(classifySpot(1.96)).toEqual({ kind: 'hot', confidence: 95 });
		expect(classifySpot(2.575)).toEqual({ kind: 'hot', confidence: 95 });
		expect(classifySpot(2.576)).toEqual({ kind: 'hot', confidence: 99 });
		expect(classifySpot(-1.7)).toEqual({ kind: 'cold', confidence: 90 });
		expect(classifySpot(-2)).toEqual({ kind: 'cold', confidence: 95 });
		expect(classifySpot(-10)).toEqual({ kind: 'cold', confidence: 99 });
		expect(classifySpot(NaN)).toBeNull();
	});
});
