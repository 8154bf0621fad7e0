import { describe, expect, it } from 'vitest';
import { heldKarp } from '../../src/lib/domain/planner/held-karp';
import { improveRoute } from '../../src/lib/domain/planner/improve';
import { nearestNeighbourRoute } from '../../src/lib/domain/planner/nearest';
import { planOnMatrix } from '../../src/lib/domain/planner/orienteering';
import { routeLength } from '../../src/lib/domain/planner/tour';

// Google OR-Tools guide, "Traveling Salesperson Problem": 13 US cities (miles), depot 0 = New York.
// https://developers.google.com/optimization/routing/tsp — its optimal round trip is 7293.
const OR_TOOLS_13 = [
	[0, 2451, 713, 1018, 1631, 1374, 2408, 213, 2571, 875, 1420, 2145, 1972],
	[2451, 0, 1745, 1524, 831, 1240, 959, 2596, 403, 1589, 1374, 357, 579],
	[713, 1745, 0, 355, 920, 803, 1737, 851, 1858, 262, 940, 1453, 1260],
	[1018, 1524, 355, 0, 700, 862, 1395, 1123, 1584, 466, 1056, 1280, 987],
	[1631, 831, 920, 700, 0, 663, 1021, 1769, 949, 796, 879, 586, 371],
	[1374, 1240, 803, 862, 663, 0, 1681, 1551, 1765, 547, 225, 887, 999],
	[2408, 959, 1737, 1395, 1021, 1681, 0, 2493, 678, 1724, 1891, 1114, 701],
	[213, 2596, 851, 1123, 1769, 1551, 2493, 0, 2699, 1038, 1605, 2300, 2099],
	[2571, 403, 1858, 1584, 949, 1765, 678, 2699, 0, 1744, 1645, 653, 600],
	[875, 1589, 262, 466, 796, 547, 1724, 1038, 1744, 0, 679, 1272, 1162],
	[1420, 1374, 940, 1056, 879, 225, 1891, 1605, 1645, 679, 0, 1017, 1200],
	[2145, 357, 1453, 1280, 586, 887, 1114, 2300, 653, 1272, 1017, 0, 504],
	[1972, 579, 1260, 987, 371, 999, 701, 2099, 600, 1162, 1200, 504, 0]
];
const DEPOT = 0;
const CITIES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const OPTIMUM = 7293;
// The guide's solution: New York, Boston, Chicago, Minneapolis, Denver, Salt Lake City, Seattle,
// San Francisco, Los Angeles, Phoenix, Houston, Dallas, St. Louis, New York.
const GUIDE_ROUTE = [0, 7, 2, 3, 4, 12, 6, 8, 1, 11, 10, 5, 9, 0];
// The cities as planner stops, all worth the same and with no dwell: the planner then only routes.
const CITY_STOPS = CITIES.map((node) => ({ id: String(node).padStart(2, '0'), value: 1, dwellMinutes: 0, node }));

describe('OR-Tools 13-city reference', () => {
	it('the matrix is the guide’s: symmetric, and its published route is 7293 long', () => {
		for (const [i, row] of OR_TOOLS_13.entries()) for (const [j, d] of row.entries()) expect(d).toBe(OR_TOOLS_13[j]![i]);
		expect(routeLength(OR_TOOLS_13, GUIDE_ROUTE)).toBe(OPTIMUM);
	});

	it('Held–Karp finds the optimum 7293 exactly (depot + 12 stops)', () => {
		const { route, length } = heldKarp(OR_TOOLS_13, DEPOT, CITIES);
		expect(length).toBe(OPTIMUM);
		expect(routeLength(OR_TOOLS_13, route)).toBe(OPTIMUM);
		expect([...route].sort((a, b) => a - b)).toEqual([0, 0, ...CITIES]);
		// The matrix is symmetric, so the optimum is the guide's route or the same walked backwards.
		expect([GUIDE_ROUTE, [...GUIDE_ROUTE].reverse()]).toContainEqual(route);
	});

	it('2-opt + Or-opt from a nearest-neighbour start gets within 3 % (in fact to 7293)', () => {
		const start = nearestNeighbourRoute(OR_TOOLS_13, DEPOT, CITIES);
		expect(routeLength(OR_TOOLS_13, start)).toBe(8131); // 11.5 % over the optimum
		const improved = improveRoute(OR_TOOLS_13, start);
		const length = routeLength(OR_TOOLS_13, improved);
		expect(length).toBeLessThanOrEqual(OPTIMUM * 1.03);
		// Today's figure: the local search reaches the optimum itself, as the guide's route.
		expect(length).toBe(OPTIMUM);
		expect(improved).toEqual(GUIDE_ROUTE);
	});

	it('local search also repairs a far worse start: the cities in index order (18703)', () => {
		const byIndex = [DEPOT, ...CITIES, DEPOT];
		expect(routeLength(OR_TOOLS_13, byIndex)).toBe(18703);
		expect(routeLength(OR_TOOLS_13, improveRoute(OR_TOOLS_13, byIndex))).toBeLessThanOrEqual(OPTIMUM * 1.03);
	});

	it('the planner on this matrix, with no budget limit, visits all 12 cities on the optimal route', () => {
		const plan = planOnMatrix({ minutes: OR_TOOLS_13, start: DEPOT, stops: CITY_STOPS, budgetMinutes: Infinity });
		expect(plan.stops).toHaveLength(12);
		expect(plan.walkingMinutes).toBe(OPTIMUM);
	});

	it('the planner within a budget of 5000 (miles as minutes) visits as many cities as possible', () => {
		const plan = planOnMatrix({ minutes: OR_TOOLS_13, start: DEPOT, stops: CITY_STOPS, budgetMinutes: 5000 });
		// The exact answer by enumeration: every subset of cities, each toured by Held–Karp.
		let most = 0;
		let shortest = Infinity;
		for (let mask = 0; mask < 1 << CITIES.length; mask++) {
			const subset = CITIES.filter((_, i) => mask & (1 << i));
			if (subset.length < most) continue;
			const { length } = heldKarp(OR_TOOLS_13, DEPOT, subset);
			if (length > 5000) continue;
			if (subset.length > most) [most, shortest] = [subset.length, length];
			else shortest = Math.min(shortest, length);
		}
		expect([most, shortest]).toEqual([7, 4561]);
		expect(plan.stops).toHaveLength(most);
		expect(plan.totalMinutes).toBe(shortest);
		expect(plan.leftOut.map((l) => l.reason)).toEqual(Array(5).fill('budget'));
	});
});
