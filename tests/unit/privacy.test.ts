import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	CELL_KEY_MODULUS,
	NOISE_BOUND,
	PTABLE,
	bounds,
	cellKey,
	lowestPublished,
	noiseFor,
	preimage,
	publishAreaTotals,
	publishColumns,
	publishCount,
	publishDays,
	publishReason,
	publishTotal,
	publishValue,
	publishZoneInput,
	guardValue,
	splitOf,
	type Bounds,
	type KeyedColumns,
	type PublishedColumns
} from '../../src/lib/domain/privacy';
import { pinnedRemainder, pinnedSmall } from '../helpers/privacy-attack';
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
		.array(
			fc.record({
				c: fc.integer({ min: 1, max: 60 }),
				extra: fc.nat({ max: 20 }),
				ref: fc.nat({ max: 10 }),
				days: fc.nat({ max: 400 }),
				key: fc.nat({ max: CELL_KEY_MODULUS - 1 }),
				rkey: fc.nat({ max: CELL_KEY_MODULUS - 1 })
			}),
			{ maxLength: 40 }
		)
		.map((rows): KeyedColumns => ({
			cells: rows.map((_, i) => `c${i}`),
			contacts: rows.map((r) => r.c),
			persons: rows.map((r) => r.c + r.extra),
			referrals: rows.map((r) => Math.min(r.c, r.ref)),
			daysSinceLast: rows.map((r) => r.days),
			contactKeys: rows.map((r) => r.key),
			referralKeys: rows.map((r) => r.rkey)
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
				// a second cell is suppressed when a shown one has a count "< k" can stand for
				const candidate = cols.contacts.some((c, i) => out.contacts[i] !== null && c <= bounds(null, k).hi);
				if (cols.cells.length > 1 && candidate) expect(suppressed).not.toBe(1);
				if (suppressed === 1 && cols.cells.length > 1) expect(candidate).toBe(false);
				out.contacts.forEach((v, i) => {
					if (v === null) expect([out.persons[i], out.referrals[i], out.daysSinceLast[i]]).toEqual([null, null, null]);
					if (cols.contacts[i]! < k) expect(v).toBeNull();
				});
			})
		);
	});

	it('publishes totals from the true counts and their own key sum, not from published cells', () => {
		// key 64..127 has noise -1, 128..191 noise 0 (see PTABLE)
		const out = publishColumns(
			{
				cells: ['a', 'b', 'c'],
				contacts: [6, 6, 6],
				persons: [6, 6, 6],
				referrals: [0, 0, 0],
				daysSinceLast: [1, 2, 3],
				contactKeys: [128, 128, 128],
				referralKeys: [0, 0, 0]
			},
			5
		);
		expect(out.contacts).toEqual([5, 5, 5]);
		// the total's key is (3 * 128) mod 256 = 128: noise 0, so 18 -> 20 (not 5 + 5 + 5 = 15)
		expect(out.totals.contacts).toBe(20);
		expect(out.totals.referrals).toBe(0);
	});

	it('shows days since the last visit in whole weeks', () => {
		expect([0, 6, 7, 64].map(publishDays)).toEqual([0, 0, 7, 63]);
	});
});

describe('publishZoneInput / publishReason', () => {
	const zone = { cell: '891fa4ac6b7ffff', openSignals: 3, population: 900, contacts: 12, daysSinceLast: 10, recentContacts: 3 };
	const published = { contacts: 10, recentContacts: null, daysSinceLast: null, openSignals: 3, signalKey: 0, referrals: null };

	it('takes the hex map’s published counts (a suppressed one as k/2) and withholds a last visit among fewer than k recent contacts', () => {
		expect(publishZoneInput(zone, published, 5)).toEqual({
			...zone,
			openSignals: 2.5,
			contacts: 10,
			daysSinceLast: null,
			recentContacts: undefined,
			visitWithheld: true
		});
		// k or more recent contacts: the published days (whole weeks)
		expect(publishZoneInput(zone, { ...published, recentContacts: 5, daysSinceLast: 7 }, 5).daysSinceLast).toBe(7);
		// none recent: nothing to withhold (the hex map shows the same absence)
		expect(publishZoneInput({ ...zone, recentContacts: 0, daysSinceLast: null }, { ...published, recentContacts: 0 }, 5).daysSinceLast).toBeNull();
		// signals go through the same rule: 7 with key 128 (noise 0) -> 5
		expect(publishZoneInput(zone, { ...published, openSignals: 7, signalKey: 128 }, 5).openSignals).toBe(5);
	});

	it('scores a withheld last visit half-way and says it is withheld, never a number of days', () => {
		const [z] = scoreZones([publishZoneInput(zone, published, 5)], []);
		const v = z!.reasons.find((r) => r.kind === 'noVisit');
		expect(v).toMatchObject({ days: null, withheld: true });
		const [half] = scoreZones([{ ...zone, recentContacts: undefined, daysSinceLast: 45, openSignals: 2.5, contacts: 10 }], []);
		expect(z!.gap).toBeCloseTo(half!.gap, 12);
		expect(publishReason({ kind: 'noVisit', points: 12, days: 42 }, 5)).toEqual({ kind: 'noVisit', points: 12, days: 42 });
		expect(publishReason({ kind: 'signals', points: 9, count: 2.5 }, 5)).toEqual({ kind: 'signals', points: 9, count: null });
		expect(publishReason({ kind: 'demand', points: 4, contacts: 10 }, 5)).toEqual({ kind: 'demand', points: 4, contacts: 10 });
	});
});

describe('the cell-key rule (publishValue, ptable)', () => {
	const key = fc.nat({ max: CELL_KEY_MODULUS - 1 });

	it('the ptable covers every cell key once, has mean 0 and stays within ±NOISE_BOUND', () => {
		expect(PTABLE.reduce((s, r) => s + r.keys, 0)).toBe(CELL_KEY_MODULUS);
		expect(PTABLE.reduce((s, r) => s + r.noise * r.keys, 0)).toBe(0);
		for (let key = 0; key < CELL_KEY_MODULUS; key++) expect(Math.abs(noiseFor(key))).toBeLessThanOrEqual(NOISE_BOUND);
		// every noise value is reachable, and zero noise too (so no answer is narrower than before)
		expect(new Set(Array.from({ length: CELL_KEY_MODULUS }, (_, key) => noiseFor(key)))).toEqual(new Set([-2, -1, 0, 1, 2]));
	});

	it('cell keys add up: a figure’s key is the sum of its parts’ keys', () => {
		fc.assert(
			fc.property(fc.array(fc.nat({ max: 2 ** 31 - 1 }), { maxLength: 50 }), (recordKeys) => {
				const whole = cellKey(recordKeys.reduce((s, x) => s + BigInt(x), 0n));
				const parts = recordKeys.reduce((s, x) => s + cellKey(x), 0) % CELL_KEY_MODULUS;
				expect(whole).toBe(parts);
			})
		);
	});

	it('zero stays zero, 1..k-1 is suppressed, and nothing from 1 to k-1 is ever published', () => {
		fc.assert(
			fc.property(k, fc.nat({ max: 5_000 }), key, (k, c, key) => {
				const p = publishValue(c, key, k);
				if (c === 0) expect(p).toBe(0);
				if (c >= 1 && c < k) expect(p).toBeNull();
				if (p !== null && p !== 0) expect(p >= k && p % 5 === 0).toBe(true);
			}),
			{ numRuns: 3000 }
		);
	});

	it('the same cell (the same records) always gets the same value', () => {
		fc.assert(
			fc.property(k, fc.nat({ max: 500 }), fc.array(fc.nat({ max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 20 }), (k, c, recordKeys) => {
				const sum = recordKeys.reduce((s, x) => s + x, 0);
				const shuffled = [...recordKeys].reverse().reduce((s, x) => s + x, 0);
				expect(publishValue(c, cellKey(sum), k)).toBe(publishValue(c, cellKey(shuffled), k));
			})
		);
	});

	it('the noise is unbiased for counts of k + 2 and more: the mean over all keys is the count', () => {
		for (const c of [7, 8, 23, 100]) {
			let total = 0;
			for (let key = 0; key < CELL_KEY_MODULUS; key++) total += c + noiseFor(key);
			expect(total / CELL_KEY_MODULUS).toBe(c);
		}
	});

	it('bounds() is exactly the set of counts some key publishes as that value', () => {
		for (const kk of [3, 5, 6, 10, 11]) {
			const seen = new Map<number | null, Bounds>();
			for (let c = 0; c <= 200; c++) {
				for (let key = 0; key < CELL_KEY_MODULUS; key += 16) {
					const p = publishValue(c, key, kk);
					const b = seen.get(p);
					seen.set(p, b ? { lo: Math.min(b.lo, c), hi: Math.max(b.hi, c) } : { lo: c, hi: c });
				}
			}
			for (const [p, b] of seen) if (p === null || p < 190) expect(bounds(p, kk), `k=${kk} p=${p}`).toEqual(b);
		}
	});

	it('is at least as strong as suppression and rounding alone: each answer stands for every count it did before', () => {
		fc.assert(
			fc.property(k, fc.nat({ max: 2_000 }), (k, c) => {
				const before = publishCount(c, k);
				// a key with zero noise publishes what the old rule did, so an observer cannot rule out any count the old answer allowed
				const zeroKey = Array.from({ length: CELL_KEY_MODULUS }, (_, key) => key).find((key) => noiseFor(key) === 0)!;
				expect(publishValue(c, zeroKey, k)).toBe(before);
				const old = preimage(before, k, c + 20);
				const now = bounds(before, k);
				expect(now.lo).toBeLessThanOrEqual(Math.min(...old));
				expect(now.hi).toBeGreaterThanOrEqual(Math.max(...old));
			})
		);
	});
});

describe('totals against their parts (publishTotal, publishColumns with byType)', () => {
	const key = fc.nat({ max: CELL_KEY_MODULUS - 1 });
	/** A total split into parts (types of a cell, cells of an area), each with its own key. */
	const split = fc.array(fc.record({ c: fc.integer({ min: 1, max: 12 }), key }), { minLength: 1, maxLength: 8 });

	it('the README corner: a "< 5" cell with four "< 5" types of one contact each is no longer pinned', () => {
		// before: the cell "< 5" (1..4) and four types "< 5" (each >= 1) pinned every type to 1
		expect(pinnedSmall(publishCount(4, 5), [null, null, null, null], 5)).toEqual([]);
		// now "< 5" also stands for 5 and 6, so four parts of at least 1 leave each 1..3
		for (let ck = 0; ck < CELL_KEY_MODULUS; ck++) expect(pinnedSmall(publishTotal(4, ck, 5, 4), [null, null, null, null], 5)).toEqual([]);
		// six types of one contact, the cell drawn to "< 5" by its noise: raised to 5 by the guard
		const ck = 0; // noise -2: 6 -> 4 -> "< 5"
		expect(publishValue(6, ck, 5)).toBeNull();
		expect(publishTotal(6, ck, 5, 6)).toBe(5);
		expect(pinnedSmall(5, Array(6).fill(null), 5)).toEqual([]);
		// without the guard the observer would have pinned all six (so the attack does bite)
		expect(pinnedSmall(publishValue(6, ck, 5), Array(6).fill(null), 5)).toEqual([1, 1, 1, 1, 1, 1]);
	});

	it('no total set against its parts pins a part from 1 to k-1, whatever the keys', () => {
		fc.assert(
			fc.property(k, split, key, (k, parts, totalKey) => {
				const published = parts.map((p) => publishValue(p.c, p.key, k));
				const low = published.reduce<number>((s, p) => s + bounds(p, k).lo, 0);
				const total = publishTotal(
					parts.reduce((s, p) => s + p.c, 0),
					totalKey,
					k,
					low
				);
				expect(pinnedSmall(total, published, k)).toEqual([]);
				for (const p of published) expect(pinnedRemainder(total, p, k)).toBeNull();
			}),
			{ numRuns: 20_000 }
		);
	});

	/** Cells of a response, each with contacts of a few types; keys per type. */
	const table = fc.array(
		fc.array(fc.record({ type: fc.integer({ min: 1, max: 6 }), c: fc.integer({ min: 1, max: 9 }), key, rkey: key, ref: fc.nat({ max: 3 }) }), {
			minLength: 1,
			maxLength: 6
		}),
		{ minLength: 1, maxLength: 8 }
	);
	const columnsOf = (cells: { type: number; c: number; key: number; rkey: number; ref: number }[][], only?: number): KeyedColumns => {
		const out: KeyedColumns = { cells: [], contacts: [], persons: [], referrals: [], daysSinceLast: [], contactKeys: [], referralKeys: [] };
		cells.forEach((parts, i) => {
			const mine = parts.filter((p) => only === undefined || p.type === only);
			if (!mine.length) return;
			out.cells.push(`c${i}`);
			out.contacts.push(mine.reduce((s, p) => s + p.c, 0));
			out.persons.push(mine.reduce((s, p) => s + p.c, 0));
			out.referrals.push(mine.reduce((s, p) => s + Math.min(p.ref, p.c), 0));
			out.daysSinceLast.push(0);
			out.contactKeys.push(mine.reduce((s, p) => s + p.key, 0) % CELL_KEY_MODULUS);
			out.referralKeys.push(mine.reduce((s, p) => s + p.rkey, 0) % CELL_KEY_MODULUS);
		});
		return out;
	};
	/** Merge the same type within a cell, as the database does. */
	const tidy = (cells: { type: number; c: number; key: number; rkey: number; ref: number }[][]) =>
		cells.map((parts) => {
			const byType = new Map<number, { type: number; c: number; key: number; rkey: number; ref: number }>();
			for (const p of parts) {
				const m = byType.get(p.type);
				if (m) byType.set(p.type, { type: p.type, c: m.c + p.c, key: (m.key + p.key) % 256, rkey: (m.rkey + p.rkey) % 256, ref: m.ref + p.ref });
				else byType.set(p.type, { ...p });
			}
			return [...byType.values()];
		});

	it('a response pins nothing: cell against its types, total against cells, total against type totals', () => {
		fc.assert(
			fc.property(k, table, (k, raw) => {
				const cells = tidy(raw);
				const types = [...new Set(cells.flat().map((p) => p.type))];
				const byType = types.map((t) => columnsOf(cells, t));
				const all = publishColumns(columnsOf(cells), k, byType);
				const typed = byType.map((cols) => publishColumns(cols, k));
				// each type answer is the same as asked on its own
				// total against cells, for each measure
				// (a suppressed cell's persons are 1 or more, its referrals 0 or more, both at most
				// what its contacts may be times 500 or once)
				const hi = bounds(null, k).hi;
				const known = (p: PublishedColumns, m: 'contacts' | 'persons' | 'referrals') =>
					p[m].map((v, i) => (p.contacts[i] !== null ? v : m === 'persons' ? { lo: 1, hi: 500 * hi } : m === 'referrals' ? { lo: 0, hi } : v));
				for (const m of ['contacts', 'persons', 'referrals'] as const) {
					expect(pinnedSmall(all.totals[m], known(all, m), k), m).toEqual([]);
					for (const t of typed) expect(pinnedSmall(t.totals[m], known(t, m), k), m).toEqual([]);
				}
				// total against the type totals
				expect(
					pinnedSmall(
						all.totals.contacts,
						typed.map((t) => t.totals.contacts),
						k
					)
				).toEqual([]);
				// each cell against its per-type figures (a missing type is a published 0)
				all.cells.forEach((cell, i) => {
					const parts = typed.map((t) => {
						const j = t.cells.indexOf(cell);
						return j < 0 ? 0 : t.contacts[j]!;
					});
					expect(pinnedSmall(all.contacts[i]!, parts, k), cell).toEqual([]);
				});
			}),
			{ numRuns: 3000 }
		);
	});

	it('an area set against its cells pins nothing (publishAreaTotals)', () => {
		fc.assert(
			fc.property(k, table, fc.array(fc.nat({ max: 2 }), { minLength: 8, maxLength: 8 }), (k, raw, areaOfCell) => {
				const cols = columnsOf(tidy(raw));
				const published = publishColumns(cols, k);
				const areaOf = (cell: string) => `a${areaOfCell[Number(cell.slice(1))]}`;
				const areas = publishAreaTotals(cols, published, k, areaOf);
				for (const [area, figures] of areas) {
					const inside = published.cells.map((c, i) => (areaOf(c) === area ? i : -1)).filter((i) => i >= 0);
					expect(
						pinnedSmall(
							figures.contacts,
							inside.map((i) => published.contacts[i]!),
							k
						)
					).toEqual([]);
				}
			}),
			{ numRuns: 3000 }
		);
	});
	it('guardValue: never below a published part, never in 1..k-1, upper end above every partition’s lows', () => {
		const published = (k: number) =>
			fc.oneof(
				fc.constant(null),
				fc.constant(0),
				fc.nat({ max: 40 }).map((n) => lowestPublished(k) + 5 * n)
			);
		fc.assert(
			fc.property(
				k.chain((k) =>
					fc.tuple(
						fc.constant(k),
						published(k),
						fc.array(fc.record({ low: fc.nat({ max: 300 }), max: published(k).map((v) => v ?? 0), overlapping: fc.boolean() }), { maxLength: 4 })
					)
				),
				([k, p, splits]) => {
					const v = guardValue(p, k, splits);
					if (p === 0) {
						expect(v).toBe(0);
						return;
					}
					if (v !== null) {
						expect(v).toBeGreaterThanOrEqual(lowestPublished(k));
						expect(v % 5).toBe(0);
						if (p !== null) expect(v).toBeGreaterThanOrEqual(p);
					}
					for (const s of splits) {
						if (s.max > 0) expect(v !== null && v >= s.max).toBe(true);
						const hi = bounds(v, k).hi;
						if (s.overlapping) expect(hi).not.toBe(s.low);
						else expect(hi).toBeGreaterThan(s.low);
					}
				}
			),
			{ numRuns: 20_000 }
		);
	});

	it('a total guarded against the areas of two layers: shown beside a shown area, never below it, pins nothing', () => {
		const layer = fc.array(fc.nat({ max: 3 }), { minLength: 8, maxLength: 8 });
		fc.assert(
			fc.property(k, table, layer, layer, (k, raw, first, second) => {
				const cells = tidy(raw);
				const cols = columnsOf(cells);
				const types = [...new Set(cells.flat().map((p) => p.type))].map((t) => columnsOf(cells, t));
				const pre = publishColumns(cols, k, types);
				const layers = [first, second].map((of) => publishAreaTotals(cols, pre, k, (cell) => `a${of[Number(cell.slice(1))]}`));
				const all = publishColumns(
					cols,
					k,
					types,
					layers.map((a) => splitOf(a.values(), k))
				);
				// the cells do not change with the totals' guard
				expect(all.contacts).toEqual(pre.contacts);
				const hi = bounds(null, k).hi;
				for (const areas of layers) {
					for (const m of ['contacts', 'persons', 'referrals'] as const) {
						const values = [...areas.values()];
						const shown = values.map((a) => a[m]).filter((v): v is number => v !== null && v > 0);
						if (shown.length) {
							expect(all.totals[m], m).not.toBeNull();
							expect(all.totals[m]!, m).toBeGreaterThanOrEqual(Math.max(...shown));
						}
						const parts = values.map((a) =>
							a.contacts !== null ? a[m] : m === 'persons' ? { lo: 1, hi: 500 * hi } : m === 'referrals' ? { lo: 0, hi } : a[m]
						);
						expect(pinnedSmall(all.totals[m], parts, k), m).toEqual([]);
					}
				}
			}),
			{ numRuns: 5000 }
		);
	});
});
