// What an analyst may ask: one ended calendar quarter, their policy resolution, the whole
// organisation, at most one filter value. Anything else would let overlapping answers be set
// against each other to recover counts below k.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analystQueryRefusal, analystRes, defaultAnalystQuarter } from '../../src/lib/domain/analyst-query';
import { addDays, endedQuarters, quarter, quarterOf, wholeQuarter } from '../../src/lib/domain/calendar';
import type { HexQuery } from '../../src/lib/domain/hex-query';

const ORG = { storageRes: 10, planningRes: 9, policyRes: 8 };
const TODAY = '2026-11-29';
const q3: HexQuery = { res: 8, from: '2026-07-01', to: '2026-09-30', types: null, groups: null, teams: null, bbox: null };

describe('calendar quarters', () => {
	it('knows where quarters begin and end, leap years included', () => {
		expect(quarter(2024, 1)).toMatchObject({ from: '2024-01-01', to: '2024-03-31' });
		expect(quarter(2026, 2)).toMatchObject({ from: '2026-04-01', to: '2026-06-30' });
		expect(quarter(2026, 4)).toMatchObject({ from: '2026-10-01', to: '2026-12-31' });
		expect(quarterOf('2026-11-29')).toMatchObject({ year: 2026, q: 4 });
		expect(quarterOf('2026-01-01')).toMatchObject({ year: 2026, q: 1 });
	});

	it('lists the quarters that have ended, newest first, across a year boundary', () => {
		expect(endedQuarters('2026-11-29', 5).map((x) => `${x.year}Q${x.q}`)).toEqual(['2026Q3', '2026Q2', '2026Q1', '2025Q4', '2025Q3']);
		// on the first day of a quarter the one before has just ended
		expect(endedQuarters('2026-10-01', 1)[0]).toMatchObject({ year: 2026, q: 3 });
		expect(defaultAnalystQuarter('2026-01-15')).toMatchObject({ year: 2025, q: 4 });
	});

	it('quarters tile the calendar: consecutive, never overlapping, each a whole quarter (property)', () => {
		fc.assert(
			fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }), (d) => {
				const today = d.toISOString().slice(0, 10);
				const qs = endedQuarters(today, 6);
				expect(qs[0]!.to < today).toBe(true);
				expect(addDays(qs[0]!.to, 1) === quarterOf(today).from).toBe(true);
				for (let i = 1; i < qs.length; i++) expect(addDays(qs[i]!.to, 1)).toBe(qs[i - 1]!.from);
				for (const x of qs) expect(wholeQuarter(x.from, x.to)).toEqual(x);
			})
		);
	});
});

describe('analyst questions', () => {
	it('allows one ended quarter at the policy resolution, with no filter or one value', () => {
		expect(analystRes(ORG)).toBe(8);
		expect(analystQueryRefusal(q3, ORG, TODAY)).toBeNull();
		expect(analystQueryRefusal({ ...q3, types: [2] }, ORG, TODAY)).toBeNull();
		expect(analystQueryRefusal({ ...q3, groups: [5] }, ORG, TODAY)).toBeNull();
	});

	it('refuses overlapping windows, open quarters, other resolutions, a bbox and unions of filter values, naming the parameter', () => {
		const refused = (q: Partial<HexQuery>) => analystQueryRefusal({ ...q3, ...q }, ORG, TODAY)?.param;
		expect(refused({ from: '2026-07-02' })).toBe('from'); // a window shifted by one day
		expect(refused({ from: '2026-06-01', to: '2026-09-30' })).toBe('from'); // four months
		expect(refused({ from: '2026-01-01', to: '2026-12-31' })).toBe('from'); // a year holds quarters
		expect(refused({ from: '2026-10-01', to: '2026-12-31' })).toBe('to'); // has not ended
		expect(refused({ res: 7 })).toBe('res'); // a parent against its children
		expect(refused({ bbox: [3.7, 51, 3.8, 51.1] })).toBe('bbox');
		expect(refused({ types: [1, 2] })).toBe('types');
		expect(refused({ groups: [1, 2] })).toBe('groups');
		expect(refused({ types: [1], groups: [2] })).toBe('groups');
		expect(analystQueryRefusal({ ...q3, from: '2026-07-02' }, ORG, TODAY)?.message).toContain('from=2026-07-01&to=2026-09-30');
	});
});
