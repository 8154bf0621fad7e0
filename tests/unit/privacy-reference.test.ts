// The publication rule's hot functions were rewritten for speed (no BigInt for a number's cell
// key, no allocation per figure in the guard and the splits). The published figures must not
// change: here each is checked, on random inputs, against the rule as written before (kept below
// verbatim as the reference, on the unchanged helpers lowsOf, addLows, maxLows and bounds).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	CELL_KEY_MODULUS,
	ROUNDING_BASE,
	ZERO_LOWS,
	addLows,
	bounds,
	cellKey,
	guardValue,
	lowestPublished,
	lowsOf,
	maxLows,
	publishColumns,
	publishColumnsAgainst,
	publishFigures,
	publishValue,
	splitOf,
	type Figures,
	type KeyedColumns,
	type Lows,
	type Measure,
	type PublishedFigures,
	type Split,
	type SplitBound
} from '../../src/lib/domain/privacy';

const MIX: Record<Measure, [number, number]> = { contacts: [1, 0], persons: [77, 151], visited: [45, 29], referrals: [1, 0], signals: [1, 0] };

const ref = {
	cellKey(keySum: number | bigint, measure: Measure = 'contacts'): number {
		const m = BigInt(CELL_KEY_MODULUS);
		const base = Number(((BigInt(keySum) % m) + m) % m);
		const [a, b] = MIX[measure];
		return (base * a + b) % CELL_KEY_MODULUS;
	},
	guardValue(p: number | null, k: number, splits: readonly SplitBound[]): number | null {
		if (p === 0) return 0;
		let v = p;
		const top = splits.reduce((m, s) => Math.max(m, s.max), 0);
		if (top > 0 && (v === null || v < top)) v = top;
		for (;;) {
			const hi = bounds(v, k).hi;
			if (!splits.some((s) => (s.overlapping ? hi === s.low : hi <= s.low))) return v;
			v = v === null ? lowestPublished(k) : v + ROUNDING_BASE;
		}
	},
	splitOf(parts: Iterable<PublishedFigures>, k: number, overlapping = false): Split {
		let low = ZERO_LOWS;
		let max = ZERO_LOWS;
		for (const p of parts) {
			low = addLows(low, lowsOf(p, k));
			max = maxLows(max, { contacts: p.contacts ?? 0, persons: p.persons ?? 0, referrals: p.referrals ?? 0 });
		}
		return { low, max, ...(overlapping ? { overlapping } : {}) };
	},
	publishFigures(f: Figures, k: number, parts: Lows | readonly Split[] = ZERO_LOWS): PublishedFigures {
		const splits: readonly Split[] = Array.isArray(parts) ? parts : [{ low: parts as Lows, max: ZERO_LOWS }];
		const bounds = (figure: keyof Lows): SplitBound[] => splits.map((s) => ({ low: s.low[figure], max: s.max[figure], overlapping: s.overlapping }));
		const one = (count: number, key: number, figure: keyof Lows) => ref.guardValue(publishValue(count, key, k), k, bounds(figure));
		const contacts = one(f.contacts, ref.cellKey(f.contactKey), 'contacts');
		if (contacts === null) return { contacts: null, persons: null, referrals: null };
		return {
			contacts,
			persons: one(f.persons, ref.cellKey(f.contactKey, 'persons'), 'persons'),
			referrals: one(f.referrals, ref.cellKey(f.referralKey, 'referrals'), 'referrals')
		};
	}
};

const kArb = fc.integer({ min: 3, max: 12 });
// published values as the rule gives them: 0, "< k" or a multiple of 5 (small ones most often)
const publishedArb = fc.oneof(
	fc.constant(0),
	fc.constant(null),
	fc.integer({ min: 1, max: 12 }).map((x) => x * 5)
);
const figuresArb = fc.record({ contacts: publishedArb, persons: publishedArb, referrals: publishedArb });
const splitArb = (k: number) =>
	fc.tuple(fc.array(figuresArb, { maxLength: 6 }), fc.boolean()).map(([parts, overlapping]) => splitOf(parts, k, overlapping));
const countArb = fc.integer({ min: 0, max: 60 });
const keyArb = fc.oneof(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: 0, max: 255 }));

describe('the rule, rewritten for speed, publishes what it did', () => {
	it('cellKey, for every measure, on numbers and bigints', () => {
		fc.assert(
			fc.property(keyArb, fc.constantFrom<Measure>('contacts', 'persons', 'visited', 'referrals', 'signals'), (key, measure) => {
				expect(cellKey(key, measure)).toBe(ref.cellKey(key, measure));
				expect(cellKey(BigInt(key) * 3n ** 30n, measure)).toBe(ref.cellKey(BigInt(key) * 3n ** 30n, measure));
			}),
			{ numRuns: 2000 }
		);
	});

	it('splitOf', () => {
		fc.assert(
			fc.property(kArb, fc.array(figuresArb, { maxLength: 12 }), fc.boolean(), (k, parts, overlapping) => {
				expect(splitOf(parts, k, overlapping)).toEqual(ref.splitOf(parts, k, overlapping));
			}),
			{ numRuns: 2000 }
		);
	});

	it('guardValue', () => {
		const boundArb = fc.record({
			low: fc.integer({ min: 0, max: 80 }),
			max: fc.integer({ min: 0, max: 16 }).map((x) => x * 5),
			overlapping: fc.boolean()
		});
		fc.assert(
			fc.property(kArb, publishedArb, fc.array(boundArb, { maxLength: 5 }), (k, p, splits) => {
				expect(guardValue(p, k, splits)).toBe(ref.guardValue(p, k, splits));
			}),
			{ numRuns: 4000 }
		);
	});

	it('publishFigures, against lows or against splits', () => {
		fc.assert(
			fc.property(
				kArb.chain((k) =>
					fc.tuple(
						fc.constant(k),
						fc.record({ contacts: countArb, persons: countArb, referrals: countArb, contactKey: keyArb, referralKey: keyArb }),
						fc.oneof(fc.array(splitArb(k), { maxLength: 4 }), fc.record({ contacts: countArb, persons: countArb, referrals: countArb }))
					)
				),
				([k, f, parts]) => {
					expect(publishFigures(f, k, parts)).toEqual(ref.publishFigures(f, k, parts));
				}
			),
			{ numRuns: 4000 }
		);
	});

	it('publishColumnsAgainst the published types is publishColumns against the types', () => {
		const column = (n: number, seed: number): KeyedColumns => {
			const at = (i: number, m: number) => ((i + 1) * 7919 * (seed + 3)) % m;
			const cells = Array.from({ length: n }, (_, i) => `c${(i * (seed % 3 === 0 ? 2 : 1)) % 40}`);
			const unique = [...new Set(cells)];
			return {
				cells: unique,
				contacts: unique.map((_, i) => at(i, 9)),
				persons: unique.map((_, i) => at(i, 9) + at(i, 3)),
				referrals: unique.map((_, i) => at(i, 4)),
				daysSinceLast: unique.map((_, i) => at(i, 90)),
				contactKeys: unique.map((_, i) => at(i, 256)),
				referralKeys: unique.map((_, i) => at(i, 253))
			};
		};
		for (let seed = 0; seed < 50; seed++) {
			const all = column(30, seed);
			const types = [column(20, seed + 1), column(12, seed + 2), column(30, seed + 5)];
			expect(
				publishColumnsAgainst(
					all,
					5,
					types.map((t) => publishColumns(t, 5))
				)
			).toEqual(publishColumns(all, 5, types));
		}
	});
});
