import { describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { cellCentre, distanceM } from '../../src/lib/domain/cells';
import { assertMatrix, leg, legSums, routeLength } from '../../src/lib/domain/planner/tour';
import { metresToMinutes, walkingMinutesMatrix } from '../../src/lib/domain/planner/walking';

const STATION = { lat: 51.0357, lng: 3.7108 }; // Gent-Sint-Pieters
const KORENMARKT = { lat: 51.0546, lng: 3.7216 };

describe('routes on a matrix', () => {
	const m = [
		[0, 2, 9],
		[3, 0, 4],
		[7, 5, 0]
	];

	it('sums the legs in order, asymmetric costs included', () => {
		expect(routeLength(m, [0, 1, 2, 0])).toBe(2 + 4 + 7);
		expect(routeLength(m, [0, 2, 1, 0])).toBe(9 + 5 + 3);
		expect(routeLength(m, [1])).toBe(0);
		expect(routeLength(m, [])).toBe(0);
	});

	it('prices a stretch both ways from the running sums', () => {
		const { forward, backward } = legSums(m, [0, 1, 2]);
		expect(forward).toEqual([0, 2, 6]);
		expect(backward).toEqual([0, 3, 8]);
	});

	it('refuses nodes the matrix lacks and malformed matrices', () => {
		expect(() => leg(m, 0, 3)).toThrow(/no entry for 0 → 3/);
		expect(() => routeLength(m, [0, -1])).toThrow(/no entry/);
		expect(() => assertMatrix([[0, 1]])).toThrow(/row 0 has 2 entries, expected 1/);
		expect(() => assertMatrix([[Infinity]])).toThrow(/finite/);
		expect(() => assertMatrix([])).not.toThrow();
	});
});

describe('walking minutes', () => {
	it('is great-circle distance (h3-js) × 1.3 at 4.5 km/h by default', () => {
		const [row] = walkingMinutesMatrix([STATION, KORENMARKT]);
		const metres = distanceM(STATION, KORENMARKT);
		expect(metres).toBeGreaterThan(2100); // about 2.2 km as the crow flies
		expect(metres).toBeLessThan(2400);
		expect(row![1]).toBeCloseTo((metres * 1.3) / 75, 12); // 4.5 km/h = 75 m a minute
		expect(metresToMinutes(4500)).toBe(60);
	});

	it('takes the pace and detour factor as options', () => {
		const [row] = walkingMinutesMatrix([STATION, KORENMARKT], { walkingKmh: 3, detourFactor: 1 });
		expect(row![1]).toBeCloseTo(distanceM(STATION, KORENMARKT) / 50, 12);
	});

	it('is symmetric with a zero diagonal, and reads H3 cells as their centres', () => {
		const cell = latLngToCell(KORENMARKT.lat, KORENMARKT.lng, 10);
		const m = walkingMinutesMatrix([STATION, cell, KORENMARKT]);
		for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(m[i]![j]).toBe(m[j]![i]);
		expect(m.map((row, i) => row[i])).toEqual([0, 0, 0]);
		expect(m[0]![1]).toBe(metresToMinutes(distanceM(STATION, cellCentre(cell)) * 1.3));
		expect(m[1]![2]).toBeLessThan(1); // a res-10 cell's centre is within ~70 m of the point
	});

	it('rejects a bad cell, pace or detour factor', () => {
		expect(() => walkingMinutesMatrix(['not-a-cell'])).toThrow(/not an H3 cell/);
		expect(() => walkingMinutesMatrix([STATION], { walkingKmh: 0 })).toThrow(/positive/);
		expect(() => walkingMinutesMatrix([STATION], { detourFactor: 0.8 })).toThrow(/≥ 1/);
	});
});
