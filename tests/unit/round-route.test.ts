import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gridDisk, latLngToCell } from 'h3-js';
import { cellCentre, walkingDistanceM } from '../../src/lib/domain/cells';
import {
	DEFAULT_DWELL_MINUTES,
	MAX_CANDIDATES,
	candidatesNear,
	orderRoute,
	proposeRoute,
	proposeRouteOrWhy,
	routeOf
} from '../../src/lib/domain/round-route';

// Sint-Pietersstation and zones around it at resolution 9 (centres ~350 m apart).
const station = latLngToCell(51.0357, 3.7101, 9);
const ring = (k: number) => gridDisk(station, k).filter((c) => !gridDisk(station, k - 1).includes(c));
const metresPerMinute = 4500 / 60;

describe('round route', () => {
	it('times a route leg by leg: walking metres (great circle × 1.3) at 4.5 km/h, plus dwell', () => {
		const [a, b] = ring(3);
		const r = routeOf(station, [
			{ cell: a!, dwellMinutes: 10 },
			{ cell: b!, dwellMinutes: 20 }
		]);
		const m = (x: string, y: string) => walkingDistanceM(cellCentre(x), cellCentre(y)) / metresPerMinute;
		expect(r.stops.map((s) => s.walkMinutes)).toEqual([m(station, a!), m(a!, b!)]);
		expect(r.returnMinutes).toBeCloseTo(m(b!, station), 12);
		expect(r.dwellMinutes).toBe(30);
		expect(r.totalMinutes).toBeCloseTo(m(station, a!) + m(a!, b!) + m(b!, station) + 30, 12);
		expect(routeOf(station, [])).toMatchObject({ stops: [], totalMinutes: 0 });
	});

	it('proposes only zones it can walk to and back within the budget, best first, at most 40', () => {
		const zones = gridDisk(station, 12).map((cell, i) => ({ cell, score: 5 + (i % 90) }));
		const near = candidatesNear(zones, station, 60);
		expect(near.length).toBeLessThanOrEqual(MAX_CANDIDATES);
		for (const z of near) {
			const minutes = walkingDistanceM(cellCentre(station), cellCentre(z.cell)) / metresPerMinute;
			expect(2 * minutes + DEFAULT_DWELL_MINUTES).toBeLessThanOrEqual(60);
		}
		for (let i = 1; i < near.length; i++) expect(near[i - 1]!.score).toBeGreaterThanOrEqual(near[i]!.score);
		// zones scoring under 5 are not proposed
		expect(candidatesNear([{ cell: station, score: 4 }], station, 60)).toEqual([]);
	});

	it('never plans over the budget, visits a zone once, ignores input order (property)', () => {
		const cells = gridDisk(station, 6);
		fc.assert(
			fc.property(
				fc.uniqueArray(fc.integer({ min: 0, max: cells.length - 1 }), { minLength: 1, maxLength: 14 }),
				fc.array(fc.integer({ min: 5, max: 100 }), { minLength: 14, maxLength: 14 }),
				fc.integer({ min: 20, max: 240 }),
				fc.boolean(),
				(idx, scores, budget, withStart) => {
					const candidates = idx.map((i, j) => ({ cell: cells[i]!, score: scores[j]! }));
					const route = proposeRoute(candidates, withStart ? station : null, budget);
					expect(route.totalMinutes).toBeLessThanOrEqual(budget + 1e-9);
					expect(new Set(route.stops.map((s) => s.cell)).size).toBe(route.stops.length);
					expect(route).toEqual(proposeRoute([...candidates].reverse(), withStart ? station : null, budget));
				}
			)
		);
	});

	it('orders the chosen zones into the shortest walk: a zigzag becomes a loop', () => {
		const r6 = ring(6);
		// every other zone of the ring, in a zigzag order
		const chosen = [0, 18, 6, 24, 12, 30].map((i) => ({ cell: r6[i]!, dwellMinutes: 15 }));
		const zigzag = routeOf(station, chosen);
		const ordered = orderRoute(chosen, station);
		expect(new Set(ordered.stops.map((s) => s.cell))).toEqual(new Set(chosen.map((s) => s.cell)));
		expect(ordered.walkingMinutes).toBeLessThan(zigzag.walkingMinutes * 0.7);
		// without a start the first chosen zone is the start
		expect(orderRoute(chosen, null).start).toBe(chosen[0]!.cell);
	});

	it('says a budget is too small for any zone, with the least budget that fits one, instead of an empty plan', () => {
		const zones = ring(4).map((cell, i) => ({ cell, score: 20 + i }));
		// ring 4 is ~1.4 km out: there and back takes ~50 min, more than 15 min + 15 min in the zone
		const nearest = Math.min(...zones.map((z) => routeOf(station, [{ cell: z.cell, dwellMinutes: 15 }]).totalMinutes));
		expect(nearest).toBeGreaterThan(30);
		expect(proposeRoute(candidatesNear(zones, station, 30), station, 30).stops).toEqual([]);
		const why = proposeRouteOrWhy(zones, station, 30);
		expect(why).toEqual({ ok: false, reason: 'budgetTooSmall', neededMinutes: expect.closeTo(nearest, 9) });
		// without a start the best zone is the start: only its minutes in the zone count
		expect(proposeRouteOrWhy(zones, null, 15, 60)).toEqual({ ok: false, reason: 'budgetTooSmall', neededMinutes: 60 });
		// nothing scoring: no zones, not a budget problem
		expect(proposeRouteOrWhy([{ cell: station, score: 1 }], station, 120)).toEqual({ ok: false, reason: 'noStops' });
		expect(proposeRouteOrWhy([], station, 120)).toEqual({ ok: false, reason: 'noStops' });
		// a budget that fits: the same route proposeRoute gives
		const fits = proposeRouteOrWhy(zones, station, 120);
		expect(fits).toEqual({ ok: true, route: proposeRoute(candidatesNear(zones, station, 120), station, 120) });
		expect(fits.ok && fits.route.stops.length).toBeGreaterThan(0);
	});
});
