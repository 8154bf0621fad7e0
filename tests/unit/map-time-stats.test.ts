// The map over time: one colour scale over all months, and the change per cell between two
// periods in diverging classes, on hand-computed cases.
import { describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { packCell } from '../../src/lib/domain/cells';
import type { HexColumns } from '../../src/lib/api/map';
import { CHANGE_COLOURS } from '../../src/lib/map/colour';
import { classBreaks, reachClasses } from '../../src/lib/map/stats';
import { changeClass, changeClasses, changeStats, monthScale, monthStats, NO_CHANGE_CLASS } from '../../src/lib/map/time-stats';

const RES = 9;
const cells = [latLngToCell(51.05, 3.72, RES), latLngToCell(51.06, 3.73, RES), latLngToCell(51.04, 3.7, RES), latLngToCell(51.03, 3.75, RES)];

function columns(from: string, to: string, counts: [cell: string, contacts: number][]): HexColumns {
	return {
		res: RES,
		from,
		to,
		cells: counts.map(([c]) => packCell(c)),
		contacts: counts.map(([, n]) => n),
		persons: counts.map(([, n]) => n),
		referrals: counts.map(() => 0),
		daysSinceLast: counts.map(() => 3),
		totals: { contacts: counts.reduce((s, [, n]) => s + n, 0), persons: 0, referrals: 0 }
	};
}

describe('month scale', () => {
	const jan = columns('2026-01-01', '2026-01-31', [
		[cells[0]!, 2],
		[cells[1]!, 40]
	]);
	const feb = columns('2026-02-01', '2026-02-28', [
		[cells[0]!, 9],
		[cells[2]!, 1]
	]);

	it('pools every cell of every month into one set of breaks', () => {
		const scale = monthScale([jan, feb]);
		expect(scale).toEqual({ breaks: classBreaks([2, 40, 9, 1]), max: 40 });
	});

	it('draws each month on that scale, not on breaks of its own, with its own total', () => {
		const scale = monthScale([jan, feb]);
		const s = monthStats(feb, scale);
		expect(s.breaks).toEqual(scale.breaks);
		expect(s.legend[s.legend.length - 1]!.to).toBe(40);
		expect([s.sum, s.count, s.from]).toEqual([10, 2, '2026-02-01']);
		// 9 in February falls in the same class as 9 would in January
		const own = classBreaks([9, 1]);
		expect(own).not.toEqual(scale.breaks);
		expect(reachClasses(s.records, s.breaks).get(cells[0]!)).toBe(
			reachClasses(monthStats(columns('x', 'y', [[cells[3]!, 9]]), scale).records, scale.breaks).get(cells[3]!)
		);
	});
});

describe('change between two periods', () => {
	const a = columns('2025-10-01', '2025-12-31', [
		[cells[0]!, 10],
		[cells[1]!, 3],
		[cells[2]!, 5]
	]);
	const b = columns('2026-01-01', '2026-03-31', [
		[cells[0]!, 4],
		[cells[1]!, 3],
		[cells[3]!, 20]
	]);

	it('gives every cell of either period its counts and the difference', () => {
		const s = changeStats(a, b);
		expect([...s.cells.values()].sort((x, y) => x.cell.localeCompare(y.cell))).toEqual(
			[
				{ cell: cells[0]!, a: 10, b: 4, change: -6 },
				{ cell: cells[1]!, a: 3, b: 3, change: 0 },
				{ cell: cells[2]!, a: 5, b: 0, change: -5 },
				{ cell: cells[3]!, a: 0, b: 20, change: 20 }
			].sort((x, y) => x.cell.localeCompare(y.cell))
		);
		expect(s.totals).toEqual({ a: 18, b: 27 });
		expect(s.counts).toEqual({ up: 1, down: 2, same: 1 });
		expect(s.top.map((c) => c.change)).toEqual([20, -6, -5]);
		expect(s.a).toEqual({ from: '2025-10-01', to: '2025-12-31' });
	});

	it('classes changes symmetrically around "no change", larger changes darker', () => {
		const s = changeStats(a, b);
		// |changes| 6, 5, 20 → breaks from their quantiles
		expect(s.breaks).toEqual(classBreaks([6, 0, 5, 20], 3));
		const cls = changeClasses(s);
		expect(cls.get(cells[1]!)).toBe(NO_CHANGE_CLASS);
		expect(cls.get(cells[3]!)).toBeGreaterThan(NO_CHANGE_CLASS);
		expect(cls.get(cells[0]!)).toBeLessThan(NO_CHANGE_CLASS);
		expect(cls.get(cells[0]!)!).toBeLessThanOrEqual(cls.get(cells[2]!)!); // −6 at least as dark as −5
		for (const c of cls.values()) expect(CHANGE_COLOURS[c]).toBeDefined();
		expect(changeClass(7, [1, 5, 20])).toBe(NO_CHANGE_CLASS + 2);
		expect(changeClass(-7, [1, 5, 20])).toBe(NO_CHANGE_CLASS - 2);
		expect(changeClass(-25, [1, 5, 20])).toBe(0);
		expect(changeClass(25, [1, 5, 20])).toBe(CHANGE_COLOURS.length - 1);
		expect(changeClass(0, [1, 5, 20])).toBe(NO_CHANGE_CLASS);
	});

	it('has a legend from the largest fall to the largest rise, "no change" in the middle', () => {
		const s = changeStats(a, b);
		const mid = s.legend.findIndex((l) => l.cls === NO_CHANGE_CLASS);
		expect(s.legend[mid]).toMatchObject({ from: 0, to: 0, colour: CHANGE_COLOURS[NO_CHANGE_CLASS] });
		expect(s.legend.length).toBe(2 * s.breaks.length + 1);
		expect(s.legend[0]!.from).toBe(-20);
		expect(s.legend[s.legend.length - 1]!.to).toBe(20);
		for (let i = 1; i < s.legend.length; i++) expect(s.legend[i]!.from).toBeGreaterThan(s.legend[i - 1]!.to - 1);
	});

	it('refuses periods at different resolutions', () => {
		expect(() => changeStats(a, { ...b, res: 8 })).toThrow(/resolution/);
	});
});
