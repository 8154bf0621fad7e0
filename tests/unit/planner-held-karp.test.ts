import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HELD_KARP_MAX_STOPS, heldKarp } from '../../src/lib/domain/planner/held-karp';
import { routeLength, type Matrix } from '../../src/lib/domain/planner/tour';

/** Every order of `items` (n! of them; fine for n ≤ 7). */
function* permutations(items: number[]): Generator<number[]> {
	if (items.length <= 1) yield items;
	else for (const [i, first] of items.entries()) for (const rest of permutations(items.filter((_, j) => j !== i))) yield [first, ...rest];
}

function bruteForce(m: Matrix, start: number, stops: number[], end: number): number {
	let best = Infinity;
	for (const order of permutations(stops)) best = Math.min(best, routeLength(m, [start, ...order, end]));
	return best;
}

// Integer costs keep every sum exact, so "same optimum" can be checked with toBe. Matrices are
// asymmetric and break the triangle inequality: Held–Karp must not rely on either.
const instance = fc.integer({ min: 1, max: 9 }).chain((n) =>
	fc.record({
		m: fc.array(fc.array(fc.nat(100), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
		start: fc.nat(n - 1),
		end: fc.nat(n - 1),
		stops: fc.shuffledSubarray([...Array(n).keys()], { maxLength: Math.min(n, 7) })
	})
);

describe('heldKarp', () => {
	it('finds the brute-force optimum on random instances (≤ 7 stops, open and closed)', () => {
		fc.assert(
			fc.property(instance, fc.boolean(), ({ m, start, end, stops }, closed) => {
				const to = closed ? start : end;
				const { route, length } = heldKarp(m, start, stops, to);
				expect(length).toBe(bruteForce(m, start, stops, to));
				expect(routeLength(m, route)).toBe(length);
				expect(route[0]).toBe(start);
				expect(route.at(-1)).toBe(to);
				expect(route.slice(1, -1).sort((a, b) => a - b)).toEqual([...stops].sort((a, b) => a - b));
			}),
			{ numRuns: 300 }
		);
	});

	it('is deterministic, ties included', () => {
		const flat = Array.from({ length: 6 }, () => Array(6).fill(1) as number[]);
		const first = heldKarp(flat, 0, [5, 3, 1, 2, 4]);
		expect(heldKarp(flat, 0, [5, 3, 1, 2, 4])).toEqual(first);
		expect(first.length).toBe(6);
	});

	it('handles no stop and one stop', () => {
		const m = [
			[0, 4, 7],
			[5, 0, 2],
			[9, 3, 0]
		];
		expect(heldKarp(m, 0, [])).toEqual({ route: [0, 0], length: 0 });
		expect(heldKarp(m, 0, [], 2)).toEqual({ route: [0, 2], length: 7 });
		expect(heldKarp(m, 0, [1])).toEqual({ route: [0, 1, 0], length: 9 });
		expect(heldKarp(m, 0, [1], 2)).toEqual({ route: [0, 1, 2], length: 6 });
	});

	it(`solves ${HELD_KARP_MAX_STOPS} stops and refuses more with a clear error`, () => {
		const n = HELD_KARP_MAX_STOPS + 2;
		const line = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => Math.abs(i - j)));
		const twelve = [...Array(HELD_KARP_MAX_STOPS).keys()].map((i) => i + 1);
		expect(heldKarp(line, 0, twelve).length).toBe(2 * HELD_KARP_MAX_STOPS);
		expect(() => heldKarp(line, 0, [...twelve, 13])).toThrow(/at most 12 stops.*got 13/);
	});

	it('rejects a malformed matrix', () => {
		expect(() => heldKarp([[0, 1], [1]], 0, [1])).toThrow(/row 1/);
		expect(() =>
			heldKarp(
				[
					[0, -1],
					[1, 0]
				],
				0,
				[1]
			)
		).toThrow(/≥ 0/);
		expect(() =>
			heldKarp(
				[
					[0, NaN],
					[1, 0]
				],
				0,
				[1]
			)
		).toThrow(/finite/);
		expect(() =>
			heldKarp(
				[
					[0, 1],
					[1, 0]
				],
				0,
				[2]
			)
		).toThrow(/no entry/);
	});
});
