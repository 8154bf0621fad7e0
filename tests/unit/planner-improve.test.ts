import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { improveRoute } from '../../src/lib/domain/planner/improve';
import { nearestNeighbourRoute } from '../../src/lib/domain/planner/nearest';
import { orOpt } from '../../src/lib/domain/planner/or-opt';
import { routeLength, type Matrix } from '../../src/lib/domain/planner/tour';
import { twoOpt } from '../../src/lib/domain/planner/two-opt';

const coordinate = fc.double({ min: 0, max: 1000, noNaN: true });
const euclid = (points: [number, number][]): Matrix => points.map(([x1, y1]) => points.map(([x2, y2]) => Math.hypot(x1 - x2, y1 - y2)));

// A route over random matrices of two kinds: float distances between points (symmetric, metric)
// and arbitrary integer costs (asymmetric, no triangle inequality), which 2-opt must price right.
const routeCase = fc.integer({ min: 2, max: 14 }).chain((n) =>
	fc.record({
		m: fc.oneof(
			fc.array(fc.tuple(coordinate, coordinate), { minLength: n, maxLength: n }).map(euclid),
			fc.array(fc.array(fc.nat(100), { minLength: n, maxLength: n }), { minLength: n, maxLength: n })
		),
		route: fc.array(fc.nat(n - 1), { minLength: 2, maxLength: 16 })
	})
);

const sorted = (route: readonly number[]) => [...route].sort((a, b) => a - b);

describe('2-opt and Or-opt', () => {
	it('never lengthen a route, keep its ends and visit the same nodes', () => {
		fc.assert(
			fc.property(routeCase, ({ m, route }) => {
				const before = routeLength(m, route);
				for (const improve of [twoOpt, orOpt, improveRoute]) {
					const after = improve(m, route);
					expect(routeLength(m, after)).toBeLessThanOrEqual(before);
					expect(after[0]).toBe(route[0]);
					expect(after.at(-1)).toBe(route.at(-1));
					expect(sorted(after)).toEqual(sorted(route));
				}
			}),
			{ numRuns: 400 }
		);
	});

	it('improveRoute stops at a local optimum of both moves, and does not change the input', () => {
		fc.assert(
			fc.property(routeCase, ({ m, route }) => {
				const copy = [...route];
				const best = improveRoute(m, route);
				expect(route).toEqual(copy);
				expect(twoOpt(m, best)).toEqual(best);
				expect(orOpt(m, best)).toEqual(best);
			}),
			{ numRuns: 200 }
		);
	});

	it('2-opt uncrosses a square walked corner to corner', () => {
		const square = euclid([
			[0, 0],
			[1, 0],
			[1, 1],
			[0, 1]
		]);
		const crossed = [0, 2, 1, 3, 0];
		expect(routeLength(square, crossed)).toBeCloseTo(2 + 2 * Math.SQRT2);
		expect(routeLength(square, twoOpt(square, crossed))).toBeCloseTo(4);
	});

	it('Or-opt moves a run of stops to where it belongs, reversed if that is shorter', () => {
		const line = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => Math.abs(i - j)));
		// Points on a line, an open walk from 0 to 4: stop 1, visited late, belongs right after 0.
		expect(orOpt(line(5), [0, 2, 3, 1, 4])).toEqual([0, 1, 2, 3, 4]);
		// Walked 3, 2, 1 outwards: the first of the best moves (gain 4) takes the run 3, 2 and
		// puts it back turned round, after 1, which is the optimum 10 at once.
		const m = line(6);
		const route = [0, 3, 2, 1, 4, 5, 0];
		expect(routeLength(m, route)).toBe(14);
		expect(orOpt(m, route)).toEqual([0, 1, 2, 3, 4, 5, 0]);
	});

	it('nearest neighbour walks to the closest stop next, ties to the first listed', () => {
		const line = Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => Math.abs(i - j)));
		expect(nearestNeighbourRoute(line, 2, [0, 4, 1, 3])).toEqual([2, 1, 0, 3, 4, 2]);
		expect(nearestNeighbourRoute(line, 0, [], 4)).toEqual([0, 4]);
	});
});
