// The map's numbers on hand-computed cases: class breaks, legend rows (with the analysts' step of
// 5), totals and suppressed cells ("< k"), the underserved and hotspots summaries, and the
// feature-state class of each drawn cell.
import { describe, expect, it } from 'vitest';
import { packCell } from '../../src/lib/domain/cells';
import type { HexColumns, HotspotColumns, UnderservedColumns } from '../../src/lib/api/map';
import { MAGMA, VIRIDIS } from '../../src/lib/map/colour';
import {
	classBreaks,
	classOf,
	contactTotal,
	edgeMetres,
	hexRecords,
	hexStats,
	hotspotStats,
	legendClasses,
	legendStep,
	niceNumber,
	NO_CLASS,
	rangeText,
	reachClasses,
	scoreClasses,
	spotClasses,
	SUPPRESSED_CLASS,
	underservedStats
} from '../../src/lib/map/stats';

// Six resolution-8 cells in Amsterdam; the answers carry them packed.
const [A, B, C, D, E, F] = ['881969c9b7fffff', '881969c9b9fffff', '8819695351fffff', '8819695357fffff', '8819695315fffff', '881969506dfffff'];

function hexes(cells: string[], contacts: (number | null)[], extra: Partial<HexColumns> = {}): HexColumns {
	return {
		res: 8,
		from: '2026-01-01',
		to: '2026-03-31',
		cells: cells.map(packCell),
		contacts,
		persons: contacts,
		referrals: contacts.map((c) => (c === null ? null : 0)),
		daysSinceLast: contacts.map((c) => (c === null ? null : 7)),
		...extra
	};
}

const range = (l: { from: number; to: number }[]) => l.map((c) => [c.from, c.to]);

describe('niceNumber', () => {
	it('keeps counts up to 20 and rounds larger ones to a readable step', () => {
		expect([0, 7, 12, 20].map(niceNumber)).toEqual([0, 7, 12, 20]);
		// 21: steps of 10 → 20 (1 away) beats 25 (4 away); 137 → 150; 2380 → 2500; 40 exact.
		expect([21, 137, 2380, 40].map(niceNumber)).toEqual([20, 150, 2500, 40]);
	});
});

describe('classBreaks', () => {
	it('has no classes without a positive value', () => {
		expect(classBreaks([])).toEqual([]);
		expect(classBreaks([0, -3, NaN])).toEqual([]);
	});

	it('gives one class for a single value and for all-equal values', () => {
		expect(classBreaks([7])).toEqual([7]);
		expect(classBreaks([4, 4, 4, 4])).toEqual([4]);
	});

	it('takes the sixths of the sorted values as lower bounds', () => {
		// 1..12: positions 2, 4, 6, 8, 10 → 3, 5, 7, 9, 11.
		expect(classBreaks([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0])).toEqual([1, 3, 5, 7, 9, 11]);
		expect(classBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 3)).toEqual([1, 5, 9]);
	});

	it('rounds to nice numbers, drops repeats and never passes the maximum', () => {
		// Five values: positions 0, 1, 2, 3, 4 → 1 (repeat), 2, 40, 137 → 150, 2380 → 2500 > max.
		expect(classBreaks([2380, 137, 40, 2, 1])).toEqual([1, 2, 40, 150]);
	});
});

describe('classOf', () => {
	it('finds the highest break at or below the value; zero, negative and NaN are not drawn', () => {
		const breaks = [1, 3, 5];
		expect([1, 2, 3, 4, 5, 100].map((v) => classOf(v, breaks))).toEqual([0, 0, 1, 1, 2, 2]);
		expect([0, -2, NaN].map((v) => classOf(v, breaks))).toEqual([NO_CLASS, NO_CLASS, NO_CLASS]);
		expect(classOf(5, [])).toBe(NO_CLASS);
	});
});

describe('legend rows', () => {
	it('steps by 1 for exact counts and by 5 for analysts', () => {
		expect(legendStep(null)).toBe(1);
		expect(legendStep(3)).toBe(5);
		expect(legendStep(10)).toBe(5);
	});

	it('ends each class just below the next; the top class at the maximum', () => {
		const rows = legendClasses([1, 3, 5], 8);
		expect(range(rows)).toEqual([
			[1, 2],
			[3, 4],
			[5, 8]
		]);
		// Three classes over the six viridis steps: the first, the fourth (2.5 rounds up), the last.
		expect(rows.map((r) => r.colour)).toEqual([VIRIDIS[0], VIRIDIS[3], VIRIDIS[5]]);
	});

	it('with the analysts step, promises no value that cannot occur', () => {
		// Exact: 5–9, 10–24, 25–45. Rounded to 5: "5", "10–20", "25–45".
		expect(range(legendClasses([5, 10, 25], 45))).toEqual([
			[5, 9],
			[10, 24],
			[25, 45]
		]);
		expect(range(legendClasses([5, 10, 25], 45, 5))).toEqual([
			[5, 5],
			[10, 20],
			[25, 45]
		]);
		// A break between multiples: 10 is below 12, so the first class reaches 10.
		expect(range(legendClasses([5, 12], 30, 5))).toEqual([
			[5, 10],
			[12, 30]
		]);
	});

	it('has one row from the value to itself for a single value', () => {
		expect(legendClasses([7], 7)).toEqual([{ from: 7, to: 7, colour: VIRIDIS[3] }]);
	});
});

describe('hexStats: exact counts', () => {
	it('leaves out empty cells, sums the rest without server totals and sorts most first', () => {
		const s = hexStats(hexes([A, B, C, D], [3, 0, 12, 1]));
		expect(s.records.map((r) => [r.cell, r.contacts])).toEqual([
			[C, 12],
			[A, 3],
			[D, 1]
		]);
		expect([s.count, s.suppressed, s.sum, s.k]).toEqual([3, 0, 16, null]);
		// Sorted 1, 3, 12: positions 0, 1, 1, 2, 2 → 1, 3, 12.
		expect(s.breaks).toEqual([1, 3, 12]);
		expect(range(s.legend)).toEqual([
			[1, 2],
			[3, 11],
			[12, 12]
		]);
		expect([s.res, s.from, s.to]).toEqual([8, '2026-01-01', '2026-03-31']);
	});

	it("takes the server's total over a sum of the cells", () => {
		expect(hexStats(hexes([A, B], [3, 4], { totals: { contacts: 9, persons: 5, referrals: 0 } })).sum).toBe(9);
	});

	it('reads a missing entry of a column as 0', () => {
		const [r] = hexRecords(hexes([A], [3], { persons: [], referrals: [], daysSinceLast: [] }));
		expect(r).toEqual({ cell: A, contacts: 3, persons: 0, referrals: 0, daysSinceLast: 0 });
	});

	it('has one class for a single cell and for equal counts', () => {
		const one = hexStats(hexes([A], [7]));
		expect([one.breaks, one.legend, one.sum]).toEqual([[7], [{ from: 7, to: 7, colour: VIRIDIS[3] }], 7]);
		const equal = hexStats(hexes([A, B, C], [4, 4, 4]));
		expect([equal.breaks, range(equal.legend), equal.sum, equal.count]).toEqual([[4], [[4, 4]], 12, 3]);
	});

	it('is empty for an empty answer', () => {
		const s = hexStats(hexes([], []));
		expect([s.breaks, s.legend, s.count, s.suppressed, s.sum, s.records]).toEqual([[], [], 0, 0, 0, []]);
	});
});

describe('hexStats: analysts', () => {
	const answer = hexes([A, B, C, D, E, F], [null, 10, 5, 0, null, 25], { k: 5, totals: { contacts: 40, persons: 30, referrals: 0 } });

	it('keeps suppressed cells as null, counts them, and classes only the shown counts', () => {
		const s = hexStats(answer);
		expect([s.count, s.suppressed, s.sum, s.k]).toEqual([5, 2, 40, 5]);
		// Suppressed cells come last, by cell id (E's …5315… before A's …c9b7…); a null never
		// becomes a number.
		expect(s.records.map((r) => [r.cell, r.contacts, r.persons])).toEqual([
			[F, 25, 25],
			[B, 10, 10],
			[C, 5, 5],
			[E, null, null],
			[A, null, null]
		]);
		expect(s.breaks).toEqual([5, 10, 25]);
		// The analysts' step: "5", "10–20", "25" (not 5–9, 10–24).
		expect(range(s.legend)).toEqual([
			[5, 5],
			[10, 20],
			[25, 25]
		]);
	});

	it('draws suppressed cells in their own class', () => {
		const records = hexRecords(answer);
		const classes = reachClasses(records, hexStats(answer, records).breaks);
		expect([...classes]).toEqual([
			[A, SUPPRESSED_CLASS],
			[B, 1],
			[C, 0],
			[E, SUPPRESSED_CLASS],
			[F, 2]
		]);
	});

	it('shows a total below k as null, never as a sum of the shown cells', () => {
		const s = hexStats(hexes([A, B], [null, 5], { k: 5, totals: { contacts: null, persons: null, referrals: null } }));
		expect(s.sum).toBeNull();
		expect(contactTotal({ totals: { contacts: null, persons: null, referrals: null } }, s.records)).toBeNull();
	});

	it('has no classes when every cell is suppressed', () => {
		const s = hexStats(hexes([A, B], [null, null], { k: 5, totals: { contacts: null, persons: null, referrals: null } }));
		expect([s.breaks, s.legend, s.count, s.suppressed, s.sum]).toEqual([[], [], 2, 2, null]);
	});
});

describe('underserved and hot spot summaries', () => {
	it('lists only drawn zones and classes the scores in the fixed score classes', () => {
		const data: UnderservedColumns = {
			res: 8,
			from: '2026-01-01',
			to: '2026-03-31',
			populationLayer: 'district',
			published: { k: 5 },
			zoneCount: 40,
			cells: [A, B, C].map(packCell),
			scores: [47, 5, 80],
			top: [
				{ cell: packCell(C), score: 80, reasons: [] },
				{ cell: packCell(A), score: 47, reasons: [] },
				{ cell: packCell(D), score: 3, reasons: [] }
			]
		};
		const s = underservedStats(data);
		expect([s.count, s.zoneCount, s.k, s.populationLayer]).toEqual([3, 40, 5, 'district']);
		expect(s.top.map((z) => [z.cell, z.score])).toEqual([
			[C, 80],
			[A, 47]
		]);
		expect(range(s.legend)).toEqual([
			[5, 19],
			[20, 39],
			[40, 59],
			[60, 79],
			[80, 100]
		]);
		expect(s.legend.map((c) => c.colour)).toEqual([...MAGMA]);
		expect([...scoreClasses(s.scores)]).toEqual([
			[A, 2],
			[B, 0],
			[C, 4]
		]);
		expect(underservedStats({ ...data, published: null }).k).toBeNull();
	});

	it('keeps the Gi* code of each cell and colours it by its place from cold to hot', () => {
		const data: HotspotColumns = {
			res: 8,
			from: '2026-01-01',
			to: '2026-03-31',
			published: null,
			cells: [A, B, C].map(packCell),
			classes: [3, -1, -3],
			counts: { hot: 1, cold: 2 }
		};
		const s = hotspotStats(data);
		expect([...s.classes]).toEqual([
			[A, 3],
			[B, -1],
			[C, -3]
		]);
		expect([s.k, s.counts]).toEqual([null, { hot: 1, cold: 2 }]);
		// Codes −3, −2, −1, 1, 2, 3 → colours 0 … 5.
		expect([...spotClasses(s.classes)]).toEqual([
			[A, 5],
			[B, 2],
			[C, 0]
		]);
	});
});

describe("the legend's figures", () => {
	it('rounds the average edge to tens of metres', () => {
		// H3: 1406.5 m, 531.4 m and 200.8 m.
		expect([7, 8, 9].map(edgeMetres)).toEqual([1410, 530, 200]);
	});

	it('writes a one-value class as the value, else as a range', () => {
		expect(rangeText(5, 5)).toBe('5');
		expect(rangeText(10, 20)).toBe('10–20');
		const nl = new Intl.NumberFormat('nl-NL');
		expect(rangeText(1000, 2500, nl.format)).toBe('1.000–2.500');
	});
});
