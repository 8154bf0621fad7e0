import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cellArea, cellToCenterChild, cellToChildren, cellToParent, gridDisk, latLngToCell } from 'h3-js';
import { UNDERSERVED, scoreZones, type ZoneInput } from '../../src/lib/domain/analysis/underserved';
import { populationByCell } from '../../src/lib/domain/analysis/population';
import { square } from '../helpers/square';
import { cellCentre, walkingDistanceM } from '../../src/lib/domain/cells';

// Korenmarkt, Ghent, and cells around it at resolution 9 (~0.1 km²).
const centre = latLngToCell(51.0543, 3.7208, 9);
const zone = (cell: string, z: Partial<ZoneInput> = {}): ZoneInput => ({
	cell,
	openSignals: 0,
	population: 0,
	contacts: 0,
	daysSinceLast: null,
	...z
});

describe('underserved score', () => {
	it('scores a lone zone by hand: 2 open signals, never visited, no services → 50', () => {
		const [z] = scoreZones([zone(centre, { openSignals: 2 })], []);
		// need: s = 1 − 2^(−2/2) = 0.5; gap: t = 1 (no visit), r = 1 (no access) → 0.65 + 0.35
		expect(z!.need).toBeCloseTo(0.5, 12);
		expect(z!.gap).toBeCloseTo(1, 12);
		expect(z!.score).toBe(50);
		// without the signals 0 (−50); visited today 0.5 · 0.35 (−32.5); services at hand 0.5 · 0.65 (−17.5)
		expect(z!.reasons).toEqual([
			{ kind: 'signals', points: 50, count: 2 },
			{ kind: 'noVisit', points: 33, days: null },
			{ kind: 'services', points: 18, accessRatio: 0, nearestM: null, category: null }
		]);
	});

	it('follows each curve at its half-point', () => {
		const km2 = cellArea(centre, 'km2');
		const [dense] = scoreZones([zone(centre, { population: UNDERSERVED.DENSITY_HALF * km2 })], []);
		expect(dense!.need).toBeCloseTo(UNDERSERVED.POPULATION_WEIGHT / 2, 9);
		const [busy] = scoreZones([zone(centre, { contacts: UNDERSERVED.DEMAND_HALF * km2, daysSinceLast: 45 })], []);
		expect(busy!.need).toBeCloseTo(UNDERSERVED.DEMAND_WEIGHT / 2, 9);
		// 45 of 90 days: t = 0.5
		expect(busy!.gap).toBeCloseTo(UNDERSERVED.STALE_WEIGHT * 0.5 + UNDERSERVED.REMOTE_WEIGHT, 12);
		const [six] = scoreZones([zone(centre, { openSignals: 6 })], []);
		expect(six!.need).toBeCloseTo(0.875, 12);
		// several sources of need add up, never past 1
		const [all] = scoreZones([zone(centre, { openSignals: 2, population: UNDERSERVED.DENSITY_HALF * km2 })], []);
		expect(all!.need).toBeCloseTo(1 - 0.5 * (1 - UNDERSERVED.POPULATION_WEIGHT / 2), 12);
	});

	it('a zone visited yesterday next to a shelter drops, one far from it does not', () => {
		const far = gridDisk(centre, 12).find((c) => !gridDisk(centre, 11).includes(c))!; // ~2.1 km away
		const people = 500;
		const zones = [
			zone(centre, { openSignals: 3, population: people, daysSinceLast: 1 }),
			zone(far, { openSignals: 3, population: people, daysSinceLast: 1 })
		];
		const shelter = { cell: cellToChildren(centre, 12)[0]!, category: 1, capacity: 40 };
		const [first, second] = scoreZones(zones, [shelter]);
		expect(first!.cell).toBe(far);
		expect(second!.cell).toBe(centre);
		expect(first!.score).toBeGreaterThan(second!.score);
		const services = first!.reasons.find((r) => r.kind === 'services');
		expect(services).toMatchObject({ category: 1 });
		if (services?.kind !== 'services') throw new Error('no services reason');
		// 12 rings of res-9 cells (~350 m apart) in walking metres (× 1.3)
		expect(services.nearestM).toBeGreaterThan(4000);
		expect(services.nearestM).toBeLessThan(6500);
		expect(services.accessRatio).toBeLessThan(0.01);
	});

	it('measures access against the mean over residents, even where most zones have no service in reach', () => {
		// one zone at a shelter and four ~5 km away (beyond the 2.4 km cutoff), 100 residents each:
		// the median access is 0, the mean over residents is a fifth of the near zone's
		const far = gridDisk(centre, 16)
			.filter((c) => !gridDisk(centre, 15).includes(c))
			.slice(0, 4);
		const zones = [centre, ...far].map((cell) => zone(cell, { population: 100, openSignals: 4 }));
		const shelter = { cell: cellToChildren(centre, 12)[0]!, category: 1, capacity: 40 };
		const byCell = new Map(scoreZones(zones, [shelter]).map((z) => [z.cell, z]));
		const ratio = (cell: string) => {
			const r = byCell.get(cell)!.reasons.find((x) => x.kind === 'services');
			return r?.kind === 'services' ? r.accessRatio : 1; // no reason: access is no factor
		};
		expect(ratio(centre)).toBeCloseTo(5, 9);
		for (const cell of far) expect(ratio(cell)).toBe(0);
	});

	it("measures a coarse zone's access on its res-9 cells: a service in the next zone is in reach", () => {
		// res 7 (~1.4 km edge): centres ~2.2 km apart, 2.9 km walking, beyond the 2.4 km cutoff
		const here = cellToParent(centre, 7);
		const next = gridDisk(here, 1).find((c) => c !== here)!;
		const service = { cell: cellToChildren(cellToCenterChild(next, 9), 12)[0]!, category: 1, capacity: 40 };
		const zones = [here, next].map((cell) => zone(cell, { population: 5000, openSignals: 2 }));
		const scored = new Map(scoreZones(zones, [service]).map((z) => [z.cell, z]));
		const access = (cell: string) => {
			const r = scored.get(cell)!.reasons.find((x) => x.kind === 'services');
			return r?.kind === 'services' ? r.accessRatio : null;
		};
		expect(access(here)).toBeGreaterThan(0.001); // measured between res-7 centres: exactly 0
		expect(access(here)!).toBeLessThan(1);
	});

	it('still ranks access by distance when no area has residents', () => {
		// E2SFCA without demand would give every zone 0; every cell then weighs alike
		const far = gridDisk(centre, 16)
			.filter((c) => !gridDisk(centre, 15).includes(c))
			.slice(0, 3);
		const zones = [centre, ...far].map((cell) => zone(cell, { openSignals: 4 }));
		const shelter = { cell: cellToChildren(centre, 12)[0]!, category: 1, capacity: 40 };
		const scored = new Map(scoreZones(zones, [shelter]).map((z) => [z.cell, z]));
		const access = (cell: string) => {
			const r = scored.get(cell)!.reasons.find((x) => x.kind === 'services');
			return r?.kind === 'services' ? r.accessRatio : Infinity; // no reason: access is no factor
		};
		expect(access(centre)).toBeGreaterThan(1);
		for (const cell of far) expect(access(cell)).toBe(0);
		expect(scored.get(centre)!.score).toBeLessThan(scored.get(far[0]!)!.score);
	});

	it('takes past contacts per year, so a month and a year with the same pace score alike', () => {
		const km2 = cellArea(centre, 'km2');
		const year = scoreZones([zone(centre, { contacts: 120 * km2, daysSinceLast: 100 })], [], { periodDays: 365 })[0]!;
		const month = scoreZones([zone(centre, { contacts: (120 * km2 * 30) / 365, daysSinceLast: 100 })], [], { periodDays: 30 })[0]!;
		expect(month.need).toBeCloseTo(year.need, 12);
		// the default period is a year
		expect(scoreZones([zone(centre, { contacts: 120 * km2, daysSinceLast: 100 })], [])[0]!.need).toBeCloseTo(year.need, 12);
	});

	it('counts a service of unknown capacity as the median known one', () => {
		const zones = gridDisk(centre, 3).map((c, i) => zone(c, { population: 100 + i, openSignals: i % 3 }));
		const near = cellToChildren(centre, 12)[0]!;
		const known = [
			{ cell: near, category: 1, capacity: 10 },
			{ cell: near, category: 2, capacity: 30 }
		];
		const a = scoreZones(zones, [...known, { cell: near, category: 3, capacity: null }]);
		const b = scoreZones(zones, [...known, { cell: near, category: 3, capacity: 20 }]);
		expect(a).toEqual(b);
	});

	it('zones without need score 0 and give no reasons', () => {
		const [z] = scoreZones([zone(centre)], []);
		expect(z).toMatchObject({ score: 0, need: 0, reasons: [] });
	});

	it('refuses zones of two resolutions', () => {
		expect(() => scoreZones([zone(centre), zone(latLngToCell(51.0543, 3.7208, 8))], [])).toThrow(RangeError);
	});

	const zonesArb = fc.uniqueArray(fc.integer({ min: 0, max: 36 }), { minLength: 1, maxLength: 20 }).chain((idx) =>
		fc.tuple(
			...idx.map((i) =>
				fc.record({
					cell: fc.constant(gridDisk(centre, 3)[i]!),
					openSignals: fc.nat(12),
					population: fc.nat(3000),
					contacts: fc.nat(400),
					daysSinceLast: fc.option(fc.nat(400))
				})
			)
		)
	);
	const servicesArb = fc.array(
		fc.record({
			cell: fc.integer({ min: 0, max: 36 }).map((i) => cellToChildren(gridDisk(centre, 3)[i]!, 11)[0]!),
			category: fc.integer({ min: 1, max: 6 }),
			capacity: fc.option(fc.integer({ min: 1, max: 80 }))
		}),
		{ maxLength: 6 }
	);

	it('keeps scores in 0..100, sorted, and independent of input order (property)', () => {
		fc.assert(
			fc.property(zonesArb, servicesArb, fc.integer(), (zones, services, seed) => {
				const out = scoreZones(zones, services);
				expect(out).toHaveLength(zones.length);
				for (const z of out) {
					expect(z.score).toBeGreaterThanOrEqual(0);
					expect(z.score).toBeLessThanOrEqual(100);
					expect(z.need).toBeGreaterThanOrEqual(0);
					expect(z.need).toBeLessThanOrEqual(1);
					for (const r of z.reasons) expect(r.points).toBeLessThanOrEqual(z.score + 1);
				}
				for (let i = 1; i < out.length; i++) expect(out[i - 1]!.score).toBeGreaterThanOrEqual(out[i]!.score);
				const shuffled = [...zones].sort((a, b) => ((a.cell.charCodeAt(14) * seed) % 7) - ((b.cell.charCodeAt(14) * seed) % 7));
				expect(scoreZones(shuffled, [...services].reverse())).toEqual(out);
			})
		);
	});

	it('names the nearest service as a plain scan over every service would, first among equals (property)', () => {
		// services spread over ~20 km, so many are pruned by latitude and several share a cell
		const spread = gridDisk(latLngToCell(51.0543, 3.7208, 7), 6);
		const far = fc.array(
			fc.record({
				cell: fc.integer({ min: 0, max: spread.length - 1 }).map((i) => cellToCenterChild(spread[i]!, 9)),
				category: fc.integer({ min: 1, max: 6 }),
				capacity: fc.option(fc.integer({ min: 1, max: 80 }))
			}),
			{ minLength: 1, maxLength: 25 }
		);
		fc.assert(
			fc.property(zonesArb, far, (zones, services) => {
				const sorted = [...services].sort(
					(a, b) => (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0) || a.category - b.category || (a.capacity ?? -1) - (b.capacity ?? -1)
				);
				for (const z of scoreZones(zones, services)) {
					const reason = z.reasons.find((r) => r.kind === 'services');
					if (!reason || reason.kind !== 'services') continue;
					let best: { m: number; category: number } | null = null;
					for (const s of sorted) {
						const m = walkingDistanceM(cellCentre(z.cell), cellCentre(s.cell));
						if (!best || m < best.m) best = { m, category: s.category };
					}
					expect(reason.nearestM).toBe(Math.round(best!.m));
					expect(reason.category).toBe(best!.category);
				}
			})
		);
	});

	it('never lowers a zone for more signals or a longer time without a visit (property)', () => {
		fc.assert(
			fc.property(zonesArb, servicesArb, fc.nat(5), fc.nat(60), (zones, services, more, later) => {
				const before = new Map(scoreZones(zones, services).map((z) => [z.cell, z]));
				const bumped = zones.map((z, i) =>
					i === 0 ? { ...z, openSignals: z.openSignals + more, daysSinceLast: z.daysSinceLast === null ? null : z.daysSinceLast + later } : z
				);
				const after = scoreZones(bumped, services).find((z) => z.cell === zones[0]!.cell)!;
				const was = before.get(zones[0]!.cell)!;
				expect(after.need).toBeGreaterThanOrEqual(was.need - 1e-12);
				expect(after.gap).toBeGreaterThanOrEqual(was.gap - 1e-12);
			})
		);
	});
});

describe('population by cell', () => {
	it('shares each area evenly over its cells and loses no resident', () => {
		const areas = [
			{ population: 1200, geometry: square(3.71, 51.05, 0.01) },
			{ population: 300, geometry: square(3.73, 51.05, 0.0001) }, // smaller than a cell
			{ population: 0, geometry: square(3.75, 51.05, 0.01) }
		];
		const byCell = populationByCell(areas, 9);
		const total = [...byCell.values()].reduce((a, b) => a + b, 0);
		expect(total).toBeCloseTo(1500, 9);
		expect(byCell.get(latLngToCell(51.05, 3.73, 9))).toBeCloseTo(300, 9);
		const big = [...byCell].filter(([c]) => c !== latLngToCell(51.05, 3.73, 9));
		expect(new Set(big.map(([, n]) => n.toFixed(9))).size).toBe(1);
		expect(big.length).toBeGreaterThan(5);
	});

	it('reads MultiPolygons', () => {
		const a = square(3.71, 51.05, 0.01);
		const b = square(3.74, 51.05, 0.01);
		const byCell = populationByCell([{ population: 1000, geometry: { type: 'MultiPolygon', coordinates: [a.coordinates, b.coordinates] } }], 9);
		expect([...byCell.values()].reduce((x, y) => x + y, 0)).toBeCloseTo(1000, 9);
		expect(byCell.has(latLngToCell(51.055, 3.715, 9))).toBe(true);
		expect(byCell.has(latLngToCell(51.055, 3.745, 9))).toBe(true);
	});
});
