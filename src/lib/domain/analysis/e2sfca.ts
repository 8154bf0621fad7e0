// Service access by the enhanced two-step floating catchment area method (E2SFCA; Luo & Qi 2009).
// Pure and deterministic: the underserved score will weigh a cell's need against this accessibility.
import { gridDisk } from 'h3-js';
import { assertCellsOfOneResolution, cellCentre, distanceM, memoByCell, walkingDistanceM, WALKING_DETOUR_FACTOR } from '../cells';

export interface DemandPoint<L> {
	id: string;
	location: L;
	/** Need at this point, e.g. signals or population; >= 0. */
	demand: number;
}

export interface SupplyPoint<L> {
	id: string;
	location: L;
	/** Service capacity, e.g. beds or opening hours a week; >= 0. */
	capacity: number;
}

/** A known distance between one consumer and one provider; pairs not listed are out of reach. */
export interface DistancePair {
	demandId: string;
	supplyId: string;
	distance: number;
}

/** Distance decay W(d): 1 at d = 0, falling towards 0; must not be negative. */
export type Decay = (distance: number) => number;

export interface E2sfcaOptions {
	/** Default: Gaussian with σ = 1 distance unit, W(d) = exp(-d²/2). */
	decay?: Decay;
	/** Largest distance (inclusive) a consumer travels; default none: every pair counts. */
	cutoff?: number;
}

export interface E2sfcaResult {
	/** A_i per demand id: supply per unit of demand within reach, decayed by distance. */
	accessibility: Map<string, number>;
	/** R_j per supply id: capacity over the decayed demand it serves (0 when nobody is in reach). */
	ratio: Map<string, number>;
}

/** Weights below this count as no reach (for a Gaussian: beyond about 7.4 σ). */
export const MIN_WEIGHT = 1e-12;

/** Gaussian decay W(d) = exp(-d² / (2σ²)), in the distance unit of σ. */
export function gaussianDecay(sigma: number): Decay {
	if (!(sigma > 0)) throw new RangeError(`σ must be positive, got ${sigma}`);
	return (d) => Math.exp(-(d * d) / (2 * sigma * sigma));
}

/**
 * E2SFCA over every consumer–provider pair, with a distance function.
 *
 *   Step 1, per provider j:  R_j = S_j / Σ_{k : d_kj ≤ cutoff} D_k · W(d_kj)
 *   Step 2, per consumer i:  A_i = Σ_{j : d_ij ≤ cutoff} R_j · W(d_ij)
 *
 * Costs n·m distance calls; for many H3 cells use {@link e2sfcaCells}, which prunes by the cutoff.
 */
export function e2sfca<L>(
	demand: readonly DemandPoint<L>[],
	supply: readonly SupplyPoint<L>[],
	options: E2sfcaOptions & { distance: (a: L, b: L) => number }
): E2sfcaResult {
	const pairs: DistancePair[] = [];
	for (const s of supply) {
		for (const d of demand) pairs.push({ demandId: d.id, supplyId: s.id, distance: options.distance(d.location, s.location) });
	}
	return e2sfcaFromPairs(demand, supply, pairs, options);
}

/**
 * E2SFCA with precomputed distances (the formula of {@link e2sfca}). Only the listed pairs can
 * reach each other; a distance of Infinity is out of reach too. Sums run in the pairs' order,
 * so the same input always gives the same bits.
 */
export function e2sfcaFromPairs(
	demand: readonly DemandPoint<unknown>[],
	supply: readonly SupplyPoint<unknown>[],
	pairs: Iterable<DistancePair>,
	options: E2sfcaOptions = {}
): E2sfcaResult {
	const decay = options.decay ?? gaussianDecay(1);
	const cutoff = options.cutoff ?? Infinity;
	const demandById = indexById(demand, (p) => p.demand, 'demand');
	const supplyById = indexById(supply, (p) => p.capacity, 'capacity');

	const links: { demand: DemandPoint<unknown>; supplyId: string; weight: number }[] = [];
	const reachedDemand = new Map(supply.map((s) => [s.id, 0]));
	for (const { demandId, supplyId, distance } of pairs) {
		const d = demandById.get(demandId);
		if (!d || !supplyById.has(supplyId)) throw new RangeError(`unknown pair ${demandId} → ${supplyId}`);
		if (Number.isNaN(distance) || distance < 0) throw new RangeError(`bad distance ${distance} for ${demandId} → ${supplyId}`);
		if (distance === Infinity || distance > cutoff) continue;
		const weight = decay(distance);
		// The decay's far tail counts as out of reach: a provider reached only at W ≈ 1e-300 would
		// get R = S / (D·W), overflowing to Infinity (found by the scaling property test).
		if (!(weight >= MIN_WEIGHT)) continue;
		links.push({ demand: d, supplyId, weight });
		reachedDemand.set(supplyId, reachedDemand.get(supplyId)! + d.demand * weight);
	}

	// A provider nobody reaches (or only zero demand reaches) serves no one: R_j = 0, not S/0.
	const ratio = new Map(supply.map((s) => [s.id, reachedDemand.get(s.id)! > 0 ? s.capacity / reachedDemand.get(s.id)! : 0]));
	const accessibility = new Map(demand.map((d) => [d.id, 0]));
	for (const { demand: d, supplyId, weight } of links) {
		accessibility.set(d.id, accessibility.get(d.id)! + ratio.get(supplyId)! * weight);
	}
	return { accessibility, ratio };
}

// Ids key the results, so a repeat would silently merge two points; amounts must be finite, >= 0.
function indexById<P extends { id: string }>(points: readonly P[], amount: (p: P) => number, what: string): Map<string, P> {
	const byId = new Map<string, P>();
	for (const p of points) {
		if (byId.has(p.id)) throw new RangeError(`duplicate id ${p.id}`);
		const a = amount(p);
		if (!Number.isFinite(a) || a < 0) throw new RangeError(`${what} of ${p.id} must be a finite number >= 0, got ${a}`);
		byId.set(p.id, p);
	}
	return byId;
}

/*
 * H3 cells. There is no street network, so walking distance is the great-circle distance between
 * cell centres times a detour factor.
 */

/** σ of the Gaussian decay on walking metres: at 600 m W ≈ 0.61, at 1.2 km ≈ 0.14. */
export const DEFAULT_WALKING_SIGMA_M = 600;

export interface CellE2sfcaOptions {
	/** Largest walking distance in metres; when given, only cells near each provider are visited. */
	cutoffM?: number;
	/** σ of W(d) = exp(-d²/(2σ²)) in walking metres; ignored when `decay` is given. */
	sigmaM?: number;
	decay?: Decay;
	detourFactor?: number;
}

/** Walking metres between two cell centres (see walkingDistanceM in cells.ts). */
export function cellWalkingM(a: string, b: string, detourFactor = WALKING_DETOUR_FACTOR): number {
	return walkingDistanceM(cellCentre(a), cellCentre(b), detourFactor);
}

/**
 * E2SFCA on H3 cells of one resolution (formula in {@link e2sfca}), distances in walking metres.
 * Demand and capacity are keyed by cell; sum the services of one cell before calling. With a
 * cutoff only cells within a gridDisk around each provider are measured, instead of all pairs.
 * `centres` may hold cells' centres already known (others are computed).
 */
export function e2sfcaCells(
	demandByCell: ReadonlyMap<string, number>,
	capacityByCell: ReadonlyMap<string, number>,
	options: CellE2sfcaOptions = {},
	centres?: ReadonlyMap<string, { lat: number; lng: number }>
): E2sfcaResult {
	// e2sfcaFromPairs over walkingPairs, fused: the same pairs in the same order (so the same sums,
	// bit for bit), without an object per pair and per link (res 10: ~50,000 of each a scoring).
	const cutoffM = options.cutoffM ?? Infinity;
	const demandCells = [...demandByCell.keys()];
	const supplyCells = [...capacityByCell.keys()];
	const amounts = Float64Array.from(demandByCell.values());
	const capacities = Float64Array.from(capacityByCell.values());
	const indexOf = new Map(demandCells.map((cell, i) => [cell, i]));
	const decay = options.decay ?? gaussianDecay(options.sigmaM ?? DEFAULT_WALKING_SIGMA_M);
	const linkDemand: number[] = [];
	const linkSupply: number[] = [];
	const linkWeight: number[] = [];
	const reached = new Float64Array(supplyCells.length);
	eachPairInReach(
		indexOf,
		supplyCells,
		cutoffM,
		options.detourFactor,
		centres,
		() => {
			checkAmounts(demandCells, amounts, 'demand');
			checkAmounts(supplyCells, capacities, 'capacity');
		},
		(i, j, distance) => {
			if (distance === Infinity) return;
			const weight = decay(distance);
			// the decay's far tail counts as out of reach (see e2sfcaFromPairs)
			if (!(weight >= MIN_WEIGHT)) return;
			linkDemand.push(i);
			linkSupply.push(j);
			linkWeight.push(weight);
			reached[j] = reached[j]! + amounts[i]! * weight;
		}
	);
	const ratios = capacities.map((c, j) => (reached[j]! > 0 ? c / reached[j]! : 0));
	const access = new Float64Array(demandCells.length);
	for (let l = 0; l < linkDemand.length; l++) {
		const i = linkDemand[l]!;
		access[i] = access[i]! + ratios[linkSupply[l]!]! * linkWeight[l]!;
	}
	return {
		accessibility: new Map(demandCells.map((cell, i) => [cell, access[i]!])),
		ratio: new Map(supplyCells.map((cell, j) => [cell, ratios[j]!]))
	};
}

function checkAmounts(ids: readonly string[], amounts: Float64Array, what: string): void {
	amounts.forEach((a, i) => {
		if (!Number.isFinite(a) || a < 0) throw new RangeError(`${what} of ${ids[i]} must be a finite number >= 0, got ${a}`);
	});
}

/**
 * Every demand–supply pair of cells (one resolution) at most `cutoffM` walking metres apart, with
 * that distance. With a finite cutoff only the demand cells in a gridDisk around each supply cell
 * are measured, so the cost grows with the cells in reach rather than with n·m.
 */
export function walkingPairs(
	demandCells: readonly string[],
	supplyCells: readonly string[],
	cutoffM = Infinity,
	detourFactor = WALKING_DETOUR_FACTOR
): DistancePair[] {
	const demand = [...new Set(demandCells)];
	const supply = [...new Set(supplyCells)];
	const pairs: DistancePair[] = [];
	const indexOf = new Map(demand.map((cell, i) => [cell, i]));
	eachPairInReach(
		indexOf,
		supply,
		cutoffM,
		detourFactor,
		undefined,
		() => {},
		(i, j, distance) => {
			pairs.push({ demandId: demand[i]!, supplyId: supply[j]!, distance });
		}
	);
	return pairs;
}

/**
 * Calls `visit` with each pair (demand index, supply index, walking metres) within `cutoffM`, per
 * supply cell in order and its demand cells in gridDisk order. `checked` runs after the cells'
 * validation, before any distance.
 */
function eachPairInReach(
	demandIndex: ReadonlyMap<string, number>,
	supplyCells: readonly string[],
	cutoffM: number,
	detourFactor = WALKING_DETOUR_FACTOR,
	centres: ReadonlyMap<string, { lat: number; lng: number }> | undefined,
	checked: () => void,
	visit: (demand: number, supply: number, distance: number) => void
): void {
	if (!(detourFactor >= 1 && detourFactor < Infinity)) throw new RangeError(`detour factor must be >= 1, got ${detourFactor}`);
	if (!(cutoffM >= 0)) throw new RangeError(`cutoff must be >= 0 metres, got ${cutoffM}`);
	assertCellsOfOneResolution([...demandIndex.keys(), ...supplyCells]);
	checked();
	const centreOf = (cell: string) => centres?.get(cell) ?? keptCentre(cell);
	const demandCentres = [...demandIndex.keys()].map(centreOf);
	supplyCells.forEach((supplyCell, j) => {
		const at = centreOf(supplyCell);
		for (const i of candidateCells(supplyCell, cutoffM / detourFactor, demandIndex)) {
			const distance = walkingDistanceM(demandCentres[i]!, at, detourFactor);
			if (distance <= cutoffM) visit(i, j, distance);
		}
	});
}

// The indexes of the demand cells that may lie within `radiusM` great-circle metres of `origin`:
// a gridDisk when it is smaller than the demand itself, else all of it. The caller still measures
// every candidate.
function candidateCells(origin: string, radiusM: number, demandIndex: ReadonlyMap<string, number>): Iterable<number> {
	if (radiusM === Infinity) return demandIndex.values();
	const k = gridRadiusCovering(origin, radiusM);
	// A disk of radius k holds 3k² + 3k + 1 cells.
	if (3 * k * k + 3 * k + 1 >= demandIndex.size) return demandIndex.values();
	const found: number[] = [];
	for (const cell of keptDisk(origin, k)) {
		const i = demandIndex.get(cell);
		if (i !== undefined) found.push(i);
	}
	return found;
}

// Services stay where they are between scorings, and their disks are large (res 10, 2.4 km:
// ~1,500 cells each), so the disks and cell centres are kept (see memoByCell). At most
// MAX_DISKS disks (~15 MB at res 10); then they are made afresh.
const MAX_DISKS = 256;
const keptCentre = memoByCell(cellCentre);
const disks = new Map<string, readonly string[]>();
function keptDisk(origin: string, k: number): readonly string[] {
	const key = `${origin}:${k}`;
	let disk = disks.get(key);
	if (!disk) {
		if (disks.size >= MAX_DISKS) disks.clear();
		disk = gridDisk(origin, k);
		disks.set(key, disk);
	}
	return disk;
}

/**
 * A gridDisk radius around `origin` that holds every cell whose centre is within `radiusM`.
 * On a hex lattice with centre spacing s, a cell k steps away is at least k·s·√3/2 away (the
 * apothem of ring k), so k = ⌈2r / (√3·s)⌉ is enough. s is measured at the origin; H3 cells
 * change size slowly over a city, and 10 % slack plus one ring cover that change.
 */
function gridRadiusCovering(origin: string, radiusM: number): number {
	const centre = cellCentre(origin);
	const neighbours = gridDisk(origin, 1).filter((cell) => cell !== origin);
	const spacing = Math.min(...neighbours.map((cell) => distanceM(centre, cellCentre(cell))));
	return Math.ceil((1.1 * 2 * radiusM) / (Math.sqrt(3) * spacing)) + 1;
}
