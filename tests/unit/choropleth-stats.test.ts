// The report choropleth's numbers on hand-computed cases: quantile breaks that keep fractions
// (coverage shares, per 1,000) apart where classBreaks rounds them to integers, each value's
// class, the legend rows, and nulls as "< k" or unknown.
import { describe, expect, it } from 'vitest';
import { VIRIDIS } from '../../src/lib/map/colour';
import {
	choropleth,
	classBreaks,
	fractionBreaks,
	fractionClassOf,
	fractionLegend,
	NO_CLASS,
	SUPPRESSED_CLASS,
	UNKNOWN_CLASS
} from '../../src/lib/map/stats';

const coverage = [0, 0.1, 0.125, 0.25, 0.5, 0.75, 1];

describe('fractionBreaks', () => {
	it('keeps coverage shares apart (classBreaks would round them to 0 and 1)', () => {
		// 7 values, 6 classes: quantile i at index floor(7i/6) = 1, 2, 3, 4, 5
		expect(fractionBreaks(coverage, 3)).toEqual([0, 0.1, 0.125, 0.25, 0.5, 0.75]);
		expect(classBreaks(coverage)).toEqual([0.1, 1]);
	});

	it('floors per 1,000 to one decimal and drops repeated breaks', () => {
		// 4 values, 4 classes: 2.35 → 2.3 (first), index 1 → 2.3 again (dropped), 4.44 → 4.4, 9.9
		expect(fractionBreaks([9.9, 2.35, 4.44, 2.35], 1, 4)).toEqual([2.3, 4.4, 9.9]);
		expect(fractionBreaks([], 2)).toEqual([]);
		expect(fractionBreaks([0.3, 0.3], 1)).toEqual([0.3]);
	});

	it('puts each value in the class of the last break at or below it', () => {
		const b = [0, 0.1, 0.125, 0.25, 0.5, 0.75];
		expect([0, 0.099, 0.1, 0.3, 0.75, 1].map((v) => fractionClassOf(v, b))).toEqual([0, 0, 1, 3, 5, 5]);
		expect(fractionClassOf(0.5, [])).toBe(NO_CLASS);
		// the floored break keeps the value it came from in its class
		expect(fractionClassOf(2.35, [2.3, 4.4, 9.9])).toBe(0);
		expect(fractionClassOf(4.44, [2.3, 4.4, 9.9])).toBe(1);
	});

	it('writes legend rows from each break to just below the next, the top to the maximum', () => {
		expect(fractionLegend([0, 0.1, 0.25], 1, 3, ['a', 'b', 'c'])).toEqual([
			{ from: 0, to: 0.099, colour: 'a' },
			{ from: 0.1, to: 0.249, colour: 'b' },
			{ from: 0.25, to: 1, colour: 'c' }
		]);
		expect(fractionLegend([5, 10], 40, 0, ['a', 'b'])).toEqual([
			{ from: 5, to: 9, colour: 'a' },
			{ from: 10, to: 40, colour: 'b' }
		]);
	});
});

describe('choropleth', () => {
	it('classes an analyst’s counts, a suppressed count as "< k"', () => {
		const c = choropleth([10, null, 20], 0, SUPPRESSED_CLASS);
		expect(c.breaks).toEqual([10, 20]);
		expect(c.classes).toEqual([0, SUPPRESSED_CLASS, 1]);
		expect(c.legend).toEqual([
			{ from: 10, to: 19, colour: VIRIDIS[0] },
			{ from: 20, to: 20, colour: VIRIDIS[5] }
		]);
	});

	it('steps an analyst’s legend by 5: counts are published as multiples of it', () => {
		expect(choropleth([0, 10, 25, 40], 0, SUPPRESSED_CLASS, 5).legend.map((r) => [r.from, r.to])).toEqual([
			[0, 5],
			[10, 20],
			[25, 35],
			[40, 40]
		]);
	});

	it('marks an unknown figure (no residents) and draws nothing when nothing is known', () => {
		expect(choropleth([null, 4.2], 1, UNKNOWN_CLASS).classes).toEqual([UNKNOWN_CLASS, 0]);
		expect(choropleth([null, null], 1, UNKNOWN_CLASS)).toEqual({ breaks: [], legend: [], classes: [UNKNOWN_CLASS, UNKNOWN_CLASS] });
	});
});
