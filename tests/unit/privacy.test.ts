import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lowestPublished, preimage, publishColumns, publishCount, publishDays, publishReason, publishZoneInput } from '../../src/lib/domain/privacy';
import { scoreZones } from '../../src/lib/domain/analysis/underserved';

// k >= 3: with k = 2, "< 2" would mean exactly 1 (the schema enforces it).
const k = fc.integer({ min: 3, max: 20 });

describe('publishCount', () => {
	it('examples for k = 5', () => {
		expect([0, 1, 4, 5, 6, 7, 8, 12, 13, 98].map((c) => publishCount(c, 5))).toEqual([0, null, null, 5, 5, 5, 10, 10, 15, 100]);
	});

	it('never publishes a count from 1 to k-1, nor anything below k but 0', () => {
		fc.assert(
			fc.property(k, fc.nat({ max: 10_000 }), (k, c) => {
				const p = publishCount(c, k);
				if (c >= 1 && c < k) expect(p).toBeNull();
				if (p !== null && p !== 0) expect(p).toBeGreaterThanOrEqual(k);
			})
		);
	});

	it('every non-zero published value stands for at least two true counts', () => {
		fc.assert(
			fc.property(k, fc.integer({ min: 1, max: 2_000 }), (k, c) => {
				const p = publishCount(c, k);
				expect(preimage(p, k, c + 20).length).toBeGreaterThanOrEqual(2);
			})
		);
	});

	it('differencing two responses never pins a small count down exactly', () => {
		// Two periods (or filters) A within B for one cell: the attacker sees both published
		// values and knows 0 <= cB - cA. No value in 1..k-1 may be the only possible difference.
		fc.assert(
			fc.property(k, fc.nat({ max: 300 }), fc.nat({ max: 40 }), (k, cA, d) => {
				const cB = cA + d;
				const limit = cB + 30;
				const sa = preimage(publishCount(cA, k), k, limit);
				const sb = preimage(publishCount(cB, k), k, limit);
				const diffs = new Set<number>();
				for (const a of sa) for (const b of sb) if (b >= a) diffs.add(b - a);
				if (diffs.size === 1) {
					const [only] = diffs;
					expect(only === 0 || only! >= k).toBe(true);
				}
			}),
			{ numRuns: 5000 }
		);
	});

	it('the lowest published value is the first multiple of 5 at or above k', () => {
		expect([2, 5, 6, 10, 11].map(lowestPublished)).toEqual([5, 5, 10, 10, 15]);
	});
});

describe('publishColumns', () => {
	const columns = fc
		.array(fc.record({ c: fc.integer({ min: 1, max: 60 }), extra: fc.nat({ max: 20 }), ref: fc.nat({ max: 10 }), days: fc.nat({ max: 400 }) }), {
			maxLength: 40
		})
		.map((rows) => ({
			cells: rows.map((_, i) => `c${i}`),
			contacts: rows.map((r) => r.c),
			persons: rows.map((r) => r.c + r.extra),
			referrals: rows.map((r) => Math.min(r.c, r.ref)),
			daysSinceLast: rows.map((r) => r.days)
		}));

	it('no figure of an analyst response is a count from 1 to k-1', () => {
		fc.assert(
			fc.property(columns, k, (cols, k) => {
				const out = publishColumns(cols, k);
				const all = [...out.contacts, ...out.persons, ...out.referrals, ...Object.values(out.totals)];
				for (const v of all) if (v !== null) expect(v === 0 || v >= k).toBe(true);
			})
		);
	});

	it('suppresses whole small cells, and never exactly one cell (complementary suppression)', () => {
		fc.assert(
			fc.property(columns, k, (cols, k) => {
				const out = publishColumns(cols, k);
				const suppressed = out.contacts.filter((v) => v === null).length;
				if (cols.cells.length > 1) expect(suppressed).not.toBe(1);
				out.contacts.forEach((v, i) => {
					if (v === null) expect([out.persons[i], out.referrals[i], out.daysSinceLast[i]]).toEqual([null, null, null]);
					if (cols.contacts[i]! < k) expect(v).toBeNull();
				});
			})
		);
	});

	it('publishes totals from the true counts, not from rounded cells', () => {
		const out = publishColumns(
			{ cells: ['a', 'b', 'c'], contacts: [6, 6, 6], persons: [6, 6, 6], referrals: [0, 0, 0], daysSinceLast: [1, 2, 3] },
			5
		);
		expect(out.contacts).toEqual([5, 5, 5]);
		expect(out.totals.contacts).toBe(20); // 18, not 5+5+5 = 15
	});

	it('shows days since the last visit in whole weeks', () => {
		expect([0, 6, 7, 64].map(publishDays)).toEqual([0, 0, 7, 63]);
	});
});

describe('publishZoneInput / publishReason', () => {
	const zone = { cell: '891fa4ac6b7ffff', openSignals: 3, population: 900, contacts: 12, daysSinceLast: 10, recentContacts: 3 };

	it('publishes counts (a suppressed one as k/2) and withholds a last visit among fewer than k recent contacts', () => {
		expect(publishZoneInput(zone, 5)).toEqual({
			...zone,
			openSignals: 2.5,
			contacts: 10,
			daysSinceLast: null,
			recentContacts: undefined,
			visitWithheld: true
		});
		// k or more recent contacts: the days in whole weeks
		expect(publishZoneInput({ ...zone, recentContacts: 7 }, 5).daysSinceLast).toBe(7);
		// none recent: nothing to withhold (the hex map shows the same absence)
		expect(publishZoneInput({ ...zone, recentContacts: 0, daysSinceLast: null }, 5).daysSinceLast).toBeNull();
	});

	it('scores a withheld last visit half-way and says it is withheld, never a number of days', () => {
		const [z] = scoreZones([publishZoneInput(zone, 5)], []);
		const v = z!.reasons.find((r) => r.kind === 'noVisit');
		expect(v).toMatchObject({ days: null, withheld: true });
		const [half] = scoreZones([{ ...zone, recentContacts: undefined, daysSinceLast: 45, openSignals: 2.5, contacts: 10 }], []);
		expect(z!.gap).toBeCloseTo(half!.gap, 12);
		expect(publishReason({ kind: 'noVisit', points: 12, days: 42 }, 5)).toEqual({ kind: 'noVisit', points: 12, days: 42 });
		expect(publishReason({ kind: 'signals', points: 9, count: 2.5 }, 5)).toEqual({ kind: 'signals', points: 9, count: null });
		expect(publishReason({ kind: 'demand', points: 4, contacts: 10 }, 5)).toEqual({ kind: 'demand', points: 4, contacts: 10 });
	});
});
