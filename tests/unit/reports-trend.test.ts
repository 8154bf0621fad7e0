// The trend's periods per role and the shaping of counts into series, on hand-made cases.
import { describe, expect, it } from 'vitest';
import { lastMonths, monthEnd, monthStart, shapeTrend, trendPeriods } from '../../src/lib/domain/reports-trend';
import { publishCount } from '../../src/lib/domain/privacy';

describe('trend periods', () => {
	it('gives analysts the last 8 ended quarters, oldest first', () => {
		const p = trendPeriods('2026-05-14', 'quarter', true);
		expect(p.map((x) => x.key)).toEqual(['2024-Q2', '2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1']);
		expect(p[7]).toEqual({ key: '2026-Q1', from: '2026-01-01', to: '2026-03-31', partial: false });
		expect(p.every((x) => !x.partial)).toBe(true);
	});

	it('gives coordinators the current quarter too, marked partial', () => {
		const p = trendPeriods('2026-05-14', 'quarter', false);
		expect(p.map((x) => x.key)).toEqual(['2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2']);
		expect(p.map((x) => x.partial)).toEqual([false, false, false, false, false, false, false, true]);
		// on the last day of a quarter it has not ended yet either
		expect(trendPeriods('2026-06-30', 'quarter', false)[7]).toMatchObject({ key: '2026-Q2', partial: true });
	});

	it('gives 24 months up to the current one, across year ends and leap Februaries', () => {
		const p = lastMonths('2024-03-31', 24);
		expect(p).toHaveLength(24);
		expect(p[0]).toEqual({ key: '2022-04', from: '2022-04-01', to: '2022-04-30', partial: false });
		expect(p.find((x) => x.key === '2024-02')).toEqual({ key: '2024-02', from: '2024-02-01', to: '2024-02-29', partial: false });
		expect(p[23]).toEqual({ key: '2024-03', from: '2024-03-01', to: '2024-03-31', partial: true });
		expect(trendPeriods('2024-03-31', 'month', false)).toEqual(p);
		for (let i = 1; i < p.length; i++) expect(p[i]!.from > p[i - 1]!.to).toBe(true);
	});

	it('steps months back over any number of years', () => {
		expect(monthStart('2026-01-15', 1)).toBe('2025-12-01');
		expect(monthStart('2026-01-15', 13)).toBe('2024-12-01');
		expect(monthStart('2026-12-31')).toBe('2026-12-01');
		expect(monthEnd('2025-02-01')).toBe('2025-02-28');
		expect(monthEnd('2025-12-01')).toBe('2025-12-31');
	});
});

describe('shapeTrend', () => {
	const periods = trendPeriods('2026-05-14', 'quarter', true).slice(-3); // 2025-Q3, 2025-Q4, 2026-Q1

	it('puts each count in its period and series, zeros where there is none', () => {
		const s = shapeTrend(
			periods,
			[1, 2, 3],
			[
				{ period: '2025-07-01', id: 1, contacts: 12 },
				{ period: '2026-01-01', id: 1, contacts: 3 },
				{ period: '2025-10-01', id: 2, contacts: 7 },
				// an id beyond the vocabulary (retired type) still shows, after the others
				{ period: '2025-10-01', id: 9, contacts: 1 },
				// a period outside the trend is left out
				{ period: '2025-04-01', id: 1, contacts: 100 }
			],
			[
				{ period: '2025-07-01', contacts: 12 },
				{ period: '2025-10-01', contacts: 8 },
				{ period: '2026-01-01', contacts: 3 }
			]
		);
		expect(s).toEqual({
			series: [
				{ id: 1, values: [12, 0, 3] },
				{ id: 2, values: [0, 7, 0] },
				{ id: 3, values: [0, 0, 0] },
				{ id: 9, values: [0, 1, 0] }
			],
			totals: [12, 8, 3]
		});
	});

	it('publishes every figure for analysts from the true counts, totals included', () => {
		const k = 5;
		const s = shapeTrend(
			periods,
			[1, 2],
			[
				{ period: '2025-07-01', id: 1, contacts: 12 },
				{ period: '2025-07-01', id: 2, contacts: 3 },
				{ period: '2025-10-01', id: 2, contacts: 2 },
				{ period: '2025-10-01', id: 1, contacts: 2 }
			],
			[
				{ period: '2025-07-01', contacts: 15 },
				{ period: '2025-10-01', contacts: 4 }
			],
			(n) => publishCount(n, k)
		);
		expect(s.series).toEqual([
			{ id: 1, values: [10, null, 0] },
			{ id: 2, values: [null, null, 0] }
		]);
		// 15 published as 15, not as the sum of published values (10 + "< 5"); 4 is below k
		expect(s.totals).toEqual([15, null, 0]);
		for (const v of [...s.series.flatMap((x) => x.values), ...s.totals]) if (v !== null) expect(v === 0 || (v >= k && v % 5 === 0)).toBe(true);
	});
});
