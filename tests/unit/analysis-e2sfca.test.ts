import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getHexagonEdgeLengthAvg, gridDisk, latLngToCell } from 'h3-js';
import {
	DEFAULT_WALKING_SIGMA_M,
	e2sfca,
	e2sfcaCells,
	e2sfcaFromPairs,
	gaussianDecay,
	MIN_WEIGHT,
	cellWalkingM,
	walkingPairs,
	type DemandPoint,
	type E2sfcaOptions,
	type SupplyPoint
} from '../../src/lib/domain/analysis/e2sfca';
import { cellCentre, distanceM } from '../../src/lib/domain/cells';

type Point = [x: number, y: number];
const euclidean = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

const consumer = (id: string, location: Point, demand: number): DemandPoint<Point> => ({ id, location, demand });
const provider = (id: string, location: Point, capacity: number): SupplyPoint<Point> => ({ id, location, capacity });

// The reference case of docs/ARCHITECTURE.md ("The analyses and their reference cases").
const consumers = [consumer('c0', [0, 0], 100), consumer('c1', [1, 0], 100), consumer('c2', [2, 0], 100)];
const providers = [provider('p0', [0, 0], 10), provider('p2', [2, 0], 10)];
const referenceDecay = (d: number) => Math.exp(-(d * d) / 2);

describe('e2sfca reference case', () => {
	it('gives accessibility 0.065179, 0.069641, 0.065179', () => {
		const { accessibility } = e2sfca(consumers, providers, { distance: euclidean, decay: referenceDecay });
		expect(accessibility.get('c0')).toBeCloseTo(0.065179, 6);
		expect(accessibility.get('c1')).toBeCloseTo(0.069641, 6);
		expect(accessibility.get('c2')).toBeCloseTo(0.065179, 6);
	});

	it('gives R_j = 10 / (100 · (1 + e^-0.5 + e^-2)) for both providers', () => {
		const { ratio } = e2sfca(consumers, providers, { distance: euclidean, decay: referenceDecay });
		const expected = 10 / (100 * (1 + Math.exp(-0.5) + Math.exp(-2)));
		expect(ratio.get('p0')).toBeCloseTo(expected, 12);
		expect(ratio.get('p2')).toBeCloseTo(expected, 12);
	});

	it('uses exp(-d²/2), a Gaussian with σ = 1, by default', () => {
		const byDefault = e2sfca(consumers, providers, { distance: euclidean });
		const explicit = e2sfca(consumers, providers, { distance: euclidean, decay: referenceDecay });
		expect(byDefault).toEqual(explicit);
	});

	it('gives the same from precomputed distances', () => {
		const pairs = providers.flatMap((p) => consumers.map((c) => ({ demandId: c.id, supplyId: p.id, distance: euclidean(c.location, p.location) })));
		const fromPairs = e2sfcaFromPairs(consumers, providers, pairs);
		expect(fromPairs).toEqual(e2sfca(consumers, providers, { distance: euclidean }));
	});
});

describe('e2sfca catchments and edge cases', () => {
	it('counts only pairs within the cutoff (inclusive), in both steps', () => {
		// Cutoff 1: p0 serves c0 and c1, p2 serves c1 and c2.
		const { accessibility, ratio } = e2sfca(consumers, providers, { distance: euclidean, cutoff: 1 });
		const r = 10 / (100 * (1 + Math.exp(-0.5)));
		expect(ratio.get('p0')).toBeCloseTo(r, 12);
		expect(accessibility.get('c0')).toBeCloseTo(r, 12);
		expect(accessibility.get('c1')).toBeCloseTo(2 * r * Math.exp(-0.5), 12);
	});

	it('gives a provider nobody reaches R = 0, and takes nothing from others', () => {
		const far = provider('far', [100, 0], 50);
		const { accessibility, ratio } = e2sfca(consumers, [...providers, far], { distance: euclidean, cutoff: 3 });
		expect(ratio.get('far')).toBe(0);
		const without = e2sfca(consumers, providers, { distance: euclidean, cutoff: 3 });
		expect(accessibility).toEqual(without.accessibility);
	});

	it('gives R = 0 where only zero demand is in reach, not a division by zero', () => {
		const idle = consumers.map((c) => ({ ...c, demand: 0 }));
		const { accessibility, ratio } = e2sfca(idle, providers, { distance: euclidean });
		expect([...ratio.values()]).toEqual([0, 0]);
		expect([...accessibility.values()]).toEqual([0, 0, 0]);
	});

	it('a consumer with zero demand still gets the accessibility of its place', () => {
		const withIdle = [...consumers, consumer('idle', [1, 0], 0)];
		const { accessibility } = e2sfca(withIdle, providers, { distance: euclidean });
		expect(accessibility.get('idle')).toBe(accessibility.get('c1'));
	});

	it('handles empty inputs', () => {
		expect(e2sfca([], [], { distance: euclidean })).toEqual({ accessibility: new Map(), ratio: new Map() });
		expect([...e2sfca(consumers, [], { distance: euclidean }).accessibility.values()]).toEqual([0, 0, 0]);
		expect([...e2sfca([], providers, { distance: euclidean }).ratio.values()]).toEqual([0, 0]);
	});

	it('counts the far tail of the decay (W below MIN_WEIGHT) as out of reach, so no ratio overflows', () => {
		// Found by the scaling property: σ = 0.1 at distance 3.73 gives W ≈ 1e-302, R ≈ 3e305, and
		// ×1000 capacity made R Infinity.
		const demand: DemandPoint<Point>[] = [{ id: 'a', location: [0, 0], demand: 0.1 }];
		const supply: SupplyPoint<Point>[] = [{ id: 's', location: [0, 3.7277172420576017], capacity: 323.3 * 1000 }];
		const { accessibility, ratio } = e2sfca(demand, supply, { distance: euclidean, decay: gaussianDecay(0.1) });
		expect(ratio.get('s')).toBe(0);
		expect(accessibility.get('a')).toBe(0);
		expect(gaussianDecay(0.1)(3.7277172420576017)).toBeLessThan(MIN_WEIGHT);
	});

	it('treats an infinite precomputed distance as out of reach', () => {
		const pairs = [
			{ demandId: 'c0', supplyId: 'p0', distance: 0 },
			{ demandId: 'c1', supplyId: 'p0', distance: Infinity }
		];
		const { accessibility } = e2sfcaFromPairs(consumers, providers, pairs);
		expect(accessibility.get('c0')).toBeCloseTo(10 / 100, 12);
		expect(accessibility.get('c1')).toBe(0);
	});

	it('rejects bad input instead of returning nonsense', () => {
		const distance = euclidean;
		expect(() => e2sfca([consumer('a', [0, 0], -1)], providers, { distance })).toThrow(RangeError);
		expect(() => e2sfca(consumers, [provider('p', [0, 0], NaN)], { distance })).toThrow(RangeError);
		expect(() => e2sfca([...consumers, consumers[0]!], providers, { distance })).toThrow(/duplicate/);
		expect(() => e2sfca(consumers, providers, { distance: () => NaN })).toThrow(/distance/);
		expect(() => e2sfcaFromPairs(consumers, providers, [{ demandId: 'x', supplyId: 'p0', distance: 1 }])).toThrow(/unknown/);
		expect(() => gaussianDecay(0)).toThrow(RangeError);
	});
});

// Up to 12 consumers and 6 providers on a 10 × 10 plane.
const coordinate = fc.double({ min: 0, max: 10, noNaN: true });
const location = fc.tuple(coordinate, coordinate);
// Counts and capacities to one decimal: subnormal amounts would only test floating-point underflow.
const amount = fc.integer({ min: 0, max: 10_000 }).map((n) => n / 10);
const scenario = fc.record({
	demand: fc.array(fc.record({ location, amount }), { minLength: 1, maxLength: 12 }),
	supply: fc.array(fc.record({ location, amount }), { minLength: 1, maxLength: 6 }),
	cutoff: fc.option(fc.double({ min: 0, max: 15, noNaN: true }), { nil: undefined }),
	sigma: fc.double({ min: 0.1, max: 5, noNaN: true })
});
type Placed = { location: Point; amount: number };
const toPoints = ({ demand, supply }: { demand: Placed[]; supply: Placed[] }) => ({
	demand: demand.map((d, i) => consumer(`c${i}`, d.location, d.amount)),
	supply: supply.map((s, j) => provider(`p${j}`, s.location, s.amount))
});

const sum = (xs: Iterable<number>) => [...xs].reduce((a, b) => a + b, 0);

describe('e2sfca properties', () => {
	it('with W = 1 and everyone in reach, Σ D_i·A_i = Σ S_j (all supply is shared out)', () => {
		fc.assert(
			fc.property(scenario, (s) => {
				const { demand, supply } = toPoints(s);
				fc.pre(sum(demand.map((d) => d.demand)) > 0);
				const { accessibility } = e2sfca(demand, supply, { distance: euclidean, decay: () => 1 });
				const served = sum(demand.map((d) => d.demand * accessibility.get(d.id)!));
				expect(served).toBeCloseTo(sum(supply.map((p) => p.capacity)), 6);
			})
		);
	});

	it('for any decay and cutoff, Σ D_i·A_i is the supply of the providers someone with demand reaches', () => {
		fc.assert(
			fc.property(scenario, (s) => {
				const { demand, supply } = toPoints(s);
				const decay = gaussianDecay(s.sigma);
				const { accessibility, ratio } = e2sfca(demand, supply, { distance: euclidean, decay, cutoff: s.cutoff });
				const served = sum(demand.map((d) => d.demand * accessibility.get(d.id)!));
				const shared = sum(supply.filter((p) => ratio.get(p.id)! > 0).map((p) => p.capacity));
				expect(Math.abs(served - shared)).toBeLessThanOrEqual(1e-9 * Math.max(1, shared));
			})
		);
	});

	it('accessibility is never negative nor NaN', () => {
		fc.assert(
			fc.property(scenario, (s) => {
				const { demand, supply } = toPoints(s);
				const { accessibility } = e2sfca(demand, supply, { distance: euclidean, decay: gaussianDecay(s.sigma), cutoff: s.cutoff });
				for (const a of accessibility.values()) expect(a).toBeGreaterThanOrEqual(0);
			})
		);
	});

	it('scaling every capacity by c scales every accessibility by c', () => {
		fc.assert(
			fc.property(scenario, fc.double({ min: 0.001, max: 1000, noNaN: true }), (s, c) => {
				const { demand, supply } = toPoints(s);
				const options = { distance: euclidean, decay: gaussianDecay(s.sigma), cutoff: s.cutoff };
				const base = e2sfca(demand, supply, options).accessibility;
				const scaled = e2sfca(
					demand,
					supply.map((p) => ({ ...p, capacity: c * p.capacity })),
					options
				).accessibility;
				for (const [id, a] of base) expect(Math.abs(scaled.get(id)! - c * a)).toBeLessThanOrEqual(1e-9 * c * a);
			})
		);
	});
});

// Ghent: Korenmarkt, at the resolutions the map offers.
const GHENT = { lat: 51.0543, lng: 3.7208 };
const ghentCell = (res: number, dLat = 0, dLng = 0) => latLngToCell(GHENT.lat + dLat, GHENT.lng + dLng, res);
// 1 to maxLength offsets from Korenmarkt in degrees, up to ±dLat and ±dLng.
const offsets = (dLat: number, dLng: number, maxLength: number) =>
	fc.array(fc.tuple(fc.double({ min: -dLat, max: dLat, noNaN: true }), fc.double({ min: -dLng, max: dLng, noNaN: true })), {
		minLength: 1,
		maxLength
	});
// Plain E2SFCA over every pair of cells, to check e2sfcaCells against.
const allPairsOnCells = (demand: Map<string, number>, supply: Map<string, number>, options: E2sfcaOptions) =>
	e2sfca(
		[...demand].map(([id, d]) => ({ id, location: id, demand: d })),
		[...supply].map(([id, s]) => ({ id, location: id, capacity: s })),
		{ distance: cellWalkingM, ...options }
	);

describe('e2sfcaCells (H3 cells, walking metres)', () => {
	it('walking distance is the great-circle distance of the centres × 1.3', () => {
		const a = ghentCell(9);
		const b = ghentCell(9, 0.01, 0.01);
		const straight = distanceM(cellCentre(a), cellCentre(b));
		expect(cellWalkingM(a, b)).toBeCloseTo(straight * 1.3, 9);
		expect(cellWalkingM(a, b, 1.5)).toBeCloseTo(straight * 1.5, 9);
	});

	it('equals plain E2SFCA with walking distances and a Gaussian of σ = 600 m', () => {
		const demand = new Map(gridDisk(ghentCell(9), 3).map((cell, i) => [cell, 1 + (i % 5)]));
		const supply = new Map([
			[ghentCell(9), 20],
			[ghentCell(9, 0.004, -0.003), 5]
		]);
		const cells = e2sfcaCells(demand, supply);
		const plain = allPairsOnCells(demand, supply, { decay: gaussianDecay(DEFAULT_WALKING_SIGMA_M) });
		for (const [id, a] of plain.accessibility) expect(cells.accessibility.get(id)).toBeCloseTo(a, 12);
	});

	it('walkingPairs finds exactly the pairs within the cutoff that measuring all pairs finds', () => {
		// 2,791 demand cells around Korenmarkt and cutoffs up to ~20 cell spacings, so the gridDisk
		// (not the fallback to all cells) is used, and is wide: a too small radius would show.
		const setup = fc.record({
			res: fc.integer({ min: 7, max: 10 }),
			reach: fc.double({ min: 0, max: 1, noNaN: true }),
			supply: offsets(0.01, 0.015, 3)
		});
		fc.assert(
			fc.property(setup, ({ res, reach, supply }) => {
				const demandCells = gridDisk(ghentCell(res), 30);
				const supplyCells = supply.map(([dLat, dLng]) => ghentCell(res, dLat, dLng));
				const cutoffM = reach * 20 * Math.sqrt(3) * getHexagonEdgeLengthAvg(res, 'm') * 1.3;
				const key = (p: { demandId: string; supplyId: string }) => `${p.demandId}>${p.supplyId}`;
				const found = walkingPairs(demandCells, supplyCells, cutoffM).map(key).sort();
				const expected = supplyCells
					.flatMap((s) => demandCells.filter((d) => cellWalkingM(d, s) <= cutoffM).map((d) => key({ demandId: d, supplyId: s })))
					.sort();
				expect(found).toEqual([...new Set(expected)]);
			}),
			{ numRuns: 100 }
		);
	});

	it('with a cutoff, visiting only nearby cells gives what all pairs give', () => {
		// A dense block of demand cells, so that the gridDisk is smaller than the demand and is used.
		const setup = fc.record({
			res: fc.integer({ min: 8, max: 10 }),
			cutoffM: fc.double({ min: 0, max: 1500, noNaN: true }),
			sigmaM: fc.double({ min: 100, max: 1200, noNaN: true }),
			providers: offsets(0.02, 0.03, 5)
		});
		fc.assert(
			fc.property(setup, ({ res, cutoffM, sigmaM, providers }) => {
				const demand = new Map(gridDisk(ghentCell(res), 24 - 6 * (10 - res)).map((cell, i) => [cell, 1 + (i % 7)]));
				const supply = new Map(providers.map(([dLat, dLng], j) => [ghentCell(res, dLat, dLng), 3 + j]));
				const pruned = e2sfcaCells(demand, supply, { cutoffM, sigmaM });
				const allPairs = allPairsOnCells(demand, supply, { decay: gaussianDecay(sigmaM), cutoff: cutoffM });
				for (const [id, a] of allPairs.accessibility) {
					const b = pruned.accessibility.get(id)!;
					expect(b > 0).toBe(a > 0); // same catchments, not merely similar numbers
					expect(Math.abs(b - a)).toBeLessThanOrEqual(1e-9 * a);
				}
			}),
			{ numRuns: 60 }
		);
	});

	it('runs on a city: 10,000 demand cells and 200 services with a 1 km cutoff', () => {
		// A smoke test with room for a slow machine (here ~0.2 s; measuring all pairs takes ~1.6 s).
		const demandCells = gridDisk(ghentCell(10), 57); // 9,919 cells
		const demand = new Map(demandCells.map((cell, i) => [cell, i % 3]));
		const supply = new Map(demandCells.filter((_, i) => i % 50 === 0).map((cell) => [cell, 10]));
		const started = performance.now();
		const { accessibility } = e2sfcaCells(demand, supply, { cutoffM: 1000 });
		expect(accessibility.size).toBe(demand.size);
		expect(performance.now() - started).toBeLessThan(5_000);
	});

	it('rejects cells of mixed resolutions and non-cells', () => {
		expect(() => e2sfcaCells(new Map([[ghentCell(9), 1]]), new Map([[ghentCell(10), 1]]), { cutoffM: 500 })).toThrow(/resolution/);
		expect(() => e2sfcaCells(new Map([['not-a-cell', 1]]), new Map())).toThrow(RangeError);
	});
});
