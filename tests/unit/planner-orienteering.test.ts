import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { latLngToCell } from 'h3-js';
import { heldKarp } from '../../src/lib/domain/planner/held-karp';
import { planOnMatrix } from '../../src/lib/domain/planner/orienteering';
import { planRound, type PlaceStop, type RoundProblem } from '../../src/lib/domain/planner/plan-round';
import { routeLength } from '../../src/lib/domain/planner/tour';
import { walkingMinutesMatrix, type LatLng } from '../../src/lib/domain/planner/walking';

// Points in central Ghent (about 2 × 2 km, legs up to ~40 min on foot), on a 1-metre-ish grid
// so that fast-check spreads them out instead of piling them on the corners.
const point = fc.record({
	lat: fc.integer({ min: 0, max: 2000 }).map((i) => 51.045 + i / 1e5),
	lng: fc.integer({ min: 0, max: 3000 }).map((i) => 3.71 + i / 1e5)
});

const stops = (maxLength: number) =>
	fc.uniqueArray(
		fc.record({
			id: fc.string({ minLength: 1, maxLength: 3 }),
			value: fc.double({ min: 0, max: 10, noNaN: true }),
			dwellMinutes: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.double({ min: 0, max: 30, noNaN: true })),
			at: point
		}),
		{ selector: (s) => s.id, maxLength }
	);

/** A random round; the budget starts from the start-to-end walk, which any plan must make. */
const round = (maxStops: number, end: fc.Arbitrary<LatLng | undefined> = fc.option(point, { nil: undefined })) =>
	fc
		.record({ start: point, end, stops: stops(maxStops), slack: fc.integer({ min: 0, max: 180 }) })
		.map(({ start, end, stops, slack }): RoundProblem<PlaceStop> => ({
			start,
			end,
			stops,
			budgetMinutes: walkingMinutesMatrix([start, end ?? start])[0]![1]! + slack
		}));

/** Walking minutes of a plan's stops in order, recomputed from scratch. */
function walkOf(problem: RoundProblem<PlaceStop>, chosen: readonly PlaceStop[]): number {
	const places = [problem.start, ...chosen.map((s) => s.at), problem.end ?? problem.start];
	return routeLength(
		walkingMinutesMatrix(places),
		places.map((_, i) => i)
	);
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const A: LatLng = { lat: 51.0546, lng: 3.7216 }; // Korenmarkt

describe('planRound: properties', () => {
	it('never exceeds the budget, visits each stop at most once and accounts for every minute', () => {
		fc.assert(
			fc.property(round(15), (problem) => {
				const plan = planRound(problem);
				expect(plan.totalMinutes).toBeLessThanOrEqual(problem.budgetMinutes);
				expect(new Set(plan.stops).size).toBe(plan.stops.length);
				// Chosen and left out split the input, as the caller's own objects.
				expect(new Set([...plan.stops, ...plan.leftOut.map((l) => l.stop)])).toEqual(new Set(problem.stops));
				expect(plan.stops.length + plan.leftOut.length).toBe(problem.stops.length);
				expect(plan.leftOut.every((l) => l.reason === 'budget')).toBe(true);
				expect(plan.totalMinutes).toBe(plan.walkingMinutes + plan.dwellMinutes);
				expect(plan.dwellMinutes).toBeCloseTo(sum(plan.stops.map((s) => s.dwellMinutes)), 9);
				expect(plan.totalValue).toBeCloseTo(sum(plan.stops.map((s) => s.value)), 9);
				expect(plan.walkingMinutes).toBeCloseTo(walkOf(problem, plan.stops), 9);
			})
		);
	});

	it('leaves out only stops that fit nowhere in the final route (time freed is used)', () => {
		fc.assert(
			fc.property(round(15), (problem) => {
				const plan = planRound(problem);
				for (const { stop } of plan.leftOut)
					for (let at = 0; at <= plan.stops.length; at++) {
						const tried = plan.stops.toSpliced(at, 0, stop);
						const minutes = walkOf(problem, tried) + sum(tried.map((s) => s.dwellMinutes));
						expect(minutes).toBeGreaterThan(problem.budgetMinutes - 1e-9);
					}
			})
		);
	});

	it('visits every stop when the budget is unlimited', () => {
		fc.assert(
			fc.property(round(15), (problem) => {
				const plan = planRound({ ...problem, budgetMinutes: Infinity });
				expect(plan.stops).toHaveLength(problem.stops.length);
				expect(plan.leftOut).toEqual([]);
			})
		);
	});

	it('is deterministic: the same input, in any order, gives the same plan', () => {
		const shuffled = round(12).chain((p) => fc.tuple(fc.constant(p), fc.shuffledSubarray([...p.stops], { minLength: p.stops.length })));
		fc.assert(
			fc.property(shuffled, ([problem, reordered]) => {
				const plan = planRound(problem);
				expect(planRound(problem)).toEqual(plan);
				expect(planRound({ ...problem, stops: reordered })).toEqual(plan);
			})
		);
	});

	/** Worst relative excess of the planner's walk over Held–Karp's for the same chosen stops. */
	function worstGap(rounds: fc.Arbitrary<RoundProblem<PlaceStop>>, bound: number): number {
		let worst = 0;
		fc.assert(
			fc.property(rounds, (problem) => {
				const plan = planRound(problem);
				const places = [problem.start, problem.end ?? problem.start, ...plan.stops.map((s) => s.at)];
				const optimum = heldKarp(
					walkingMinutesMatrix(places),
					0,
					plan.stops.map((_, i) => i + 2),
					1
				).length;
				const gap = optimum > 0 ? plan.walkingMinutes / optimum - 1 : 0;
				worst = Math.max(worst, gap);
				expect(gap).toBeLessThanOrEqual(bound);
			}),
			// A fixed seed, so the worst gap reported below is reproducible.
			{ numRuns: 1500, seed: 20260 }
		);
		return worst;
	}

	it('walks the chosen stops in the optimal order (≤ 12 stops are ordered exactly), round trips and open rounds alike', () => {
		// Before exact ordering: round trips up to 8 %, open rounds (start ≠ end, where 2-opt and
		// Or-opt between two far-apart fixed ends get stuck) up to 19.7 % over the optimum.
		const EPS = 1e-9;
		worstGap(round(8, fc.constant(undefined)), EPS);
		worstGap(
			round(8, fc.constant(undefined)).map((p) => ({ ...p, budgetMinutes: Infinity })),
			EPS
		);
		worstGap(
			round(8, point).map((p) => ({ ...p, budgetMinutes: Infinity })),
			EPS
		);
	});
});

describe('planRound: choices', () => {
	const near = { lat: 51.0555, lng: 3.7216 }; // ~100 m north of the start
	const far = { lat: 51.0646, lng: 3.7216 }; // ~1.1 km north

	it('takes the most value that fits, not the best value per added minute', () => {
		// Either fits alone (far: ~38.5 min there and back + 10; near: ~3.5 + 10), both do not (~58.5).
		// Near gives more per minute (4 / 13.5 min against 10 / 48.5 min), which a greedy planner
		// took; far alone is worth more, and the exact choice (issue 12) takes it.
		const plan = planRound({
			start: A,
			budgetMinutes: 50,
			stops: [
				{ id: 'far', value: 10, dwellMinutes: 10, at: far },
				{ id: 'near', value: 4, dwellMinutes: 10, at: near }
			]
		});
		expect(plan.stops.map((s) => s.id)).toEqual(['far']);
		expect(plan.leftOut.map((l) => l.stop.id)).toEqual(['near']);
		expect(plan.totalValue).toBe(10);
	});

	it('breaks ties by stop id', () => {
		const twin = { value: 5, dwellMinutes: 20, at: near };
		const plan = planRound({
			start: A,
			budgetMinutes: 30,
			stops: [
				{ id: 'b', ...twin },
				{ id: 'a', ...twin }
			]
		});
		expect(plan.stops.map((s) => s.id)).toEqual(['a']);
		expect(plan.leftOut.map((l) => l.stop.id)).toEqual(['b']);
	});

	it('inserts more stops into the time that 2-opt / Or-opt free', () => {
		// Found by a search: greedy insertion alone fits a, c, d and e; local search then shortens
		// the walk (103 of 120 min in all), and b (10 min dwell) fits into the time freed.
		const at = (lat: number, lng: number) => ({ lat, lng });
		const plan = planRound({
			start: at(51.06295, 3.72941),
			budgetMinutes: 120,
			stops: [
				{ id: 'a', value: 7, dwellMinutes: 1, at: at(51.06154, 3.73309) },
				{ id: 'b', value: 2, dwellMinutes: 10, at: at(51.05055, 3.72036) },
				{ id: 'c', value: 8, dwellMinutes: 11, at: at(51.04793, 3.72977) },
				{ id: 'd', value: 4, dwellMinutes: 16, at: at(51.05539, 3.72263) },
				{ id: 'e', value: 4, dwellMinutes: 9, at: at(51.05481, 3.72867) }
			]
		});
		expect(plan.stops.map((s) => s.id)).toEqual(['a', 'e', 'c', 'b', 'd']);
		expect(plan.totalValue).toBe(25);
		expect(plan.totalMinutes).toBeLessThanOrEqual(120);
	});

	it('ends where asked, and refuses a start-to-end walk that is over budget alone', () => {
		const stops = [{ id: 'x', value: 1, dwellMinutes: 5, at: near }];
		const plan = planRound({ start: A, end: far, budgetMinutes: 60, stops });
		expect(plan.stops.map((s) => s.id)).toEqual(['x']);
		expect(plan.walkingMinutes).toBeCloseTo(walkingMinutesMatrix([A, far])[0]![1]!, 9); // near lies on the way
		expect(() => planRound({ start: A, end: far, budgetMinutes: 10, stops: [] })).toThrow(/start to end alone/);
	});
});

describe('planRound: edge cases', () => {
	const stop = (id: string, at: LatLng | string, dwellMinutes = 10, value = 1) => ({ id, value, dwellMinutes, at });

	it('zero budget: nothing is visited, except a stop at the start that takes no time', () => {
		const stops = [stop('x', { lat: 51.06, lng: 3.72 }), stop('y', A, 1)];
		const plan = planRound({ start: A, budgetMinutes: 0, stops });
		expect(plan).toMatchObject({ stops: [], totalValue: 0, totalMinutes: 0 });
		expect(plan.leftOut.map((l) => [l.stop.id, l.reason])).toEqual([
			['x', 'budget'],
			['y', 'budget']
		]);
		const free = planRound({ start: A, budgetMinutes: 0, stops: [stop('here', A, 0)] });
		expect(free.stops.map((s) => s.id)).toEqual(['here']);
	});

	it('no stops: an empty plan, or just the walk to the end', () => {
		expect(planRound({ start: A, budgetMinutes: 120, stops: [] })).toEqual({
			stops: [],
			totalValue: 0,
			walkingMinutes: 0,
			dwellMinutes: 0,
			totalMinutes: 0,
			leftOut: []
		});
		const open = planRound({ start: A, end: { lat: 51.06, lng: 3.72 }, budgetMinutes: 120, stops: [] });
		expect(open.totalMinutes).toBeGreaterThan(0);
		expect(open.totalMinutes).toBe(open.walkingMinutes);
	});

	it('a stop whose dwell alone exceeds the budget is left out; the others still go', () => {
		const plan = planRound({ start: A, budgetMinutes: 60, stops: [stop('long', A, 61, 100), stop('short', A, 20)] });
		expect(plan.stops.map((s) => s.id)).toEqual(['short']);
		expect(plan.leftOut).toEqual([{ stop: expect.objectContaining({ id: 'long' }), reason: 'budget' }]);
	});

	it('duplicate locations: stops in one cell are all visited, with no walk between them', () => {
		const cell = latLngToCell(51.06, 3.72, 10);
		const plan = planRound({ start: A, budgetMinutes: 120, stops: [stop('c', cell), stop('a', cell), stop('b', cell)] });
		expect(plan.stops.map((s) => s.id)).toEqual(['a', 'b', 'c']);
		expect(plan.walkingMinutes).toBeCloseTo(2 * walkingMinutesMatrix([A, cell])[0]![1]!, 9);
		expect(plan.dwellMinutes).toBe(30);
	});

	it('rejects duplicate ids, bad values, dwell times and budgets, and unknown nodes', () => {
		const base = { start: A, budgetMinutes: 60 };
		expect(() => planRound({ ...base, stops: [stop('a', A), stop('a', A)] })).toThrow(/"a" occurs twice/);
		expect(() => planRound({ ...base, stops: [stop('a', A, 10, -1)] })).toThrow(/value must be ≥ 0/);
		expect(() => planRound({ ...base, stops: [stop('a', A, NaN)] })).toThrow(/dwell must be ≥ 0/);
		expect(() => planRound({ ...base, budgetMinutes: NaN, stops: [] })).toThrow(/budget/);
		expect(() => planRound({ ...base, budgetMinutes: -5, stops: [] })).toThrow(/budget/);
		const outside = [{ id: 'a', value: 1, dwellMinutes: 1, node: 2 }];
		const minutes = [
			[0, 1],
			[1, 0]
		];
		expect(() => planOnMatrix({ minutes, start: 0, budgetMinutes: 9, stops: outside })).toThrow(/Node 2 is not in the 2-node matrix/);
	});
});

describe('planOnMatrix', () => {
	it('plans on a precomputed matrix; stops may share a node', () => {
		const minutes = [
			[0, 10, 20],
			[10, 0, 15],
			[20, 15, 0]
		];
		const plan = planOnMatrix({
			minutes,
			start: 0,
			budgetMinutes: 50,
			stops: [
				{ id: 'p', value: 3, dwellMinutes: 0, node: 1 },
				{ id: 'q', value: 3, dwellMinutes: 0, node: 1 },
				{ id: 'r', value: 1, dwellMinutes: 0, node: 2 }
			]
		});
		expect(plan.stops.map((s) => s.id)).toEqual(['p', 'q', 'r']);
		expect(plan).toMatchObject({ walkingMinutes: 45, totalMinutes: 45, totalValue: 7, leftOut: [] });
	});
});
