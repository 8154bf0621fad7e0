// Route search on a flat matrix, fast enough to run thousands of times per plan: 2-opt and
// Or-opt to a joint local optimum, and iterated local search (ILS) on top: kick the route with a
// double bridge (the 3-opt move local search cannot undo), repair it, keep it if not longer. The
// planner orders rounds of more than 12 stops with it (Held–Karp below), and the orienteering
// search polishes every candidate round with it. Same conventions as tour.ts: a route is
// [start, ...stops, end], both ends fixed; moves are priced in both directions, so asymmetric
// matrices are handled exactly.
import { mulberry32, randomInt, type Rng } from './random';
import { assertMatrix, MIN_GAIN, type Matrix } from './tour';

/** A square matrix as one Float64Array, row after row: cost a → b is d[a * n + b]. */
export interface FlatMatrix {
	n: number;
	d: Float64Array;
}

export function flatten(m: Matrix): FlatMatrix {
	assertMatrix(m);
	const n = m.length;
	const d = new Float64Array(n * n);
	for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = m[i]![j]!;
	return { n, d };
}

/** The route's cost, summed leg by leg from the start: the same float as routeLength. */
export function pathCost(f: FlatMatrix, r: readonly number[]): number {
	const { n, d } = f;
	let total = 0;
	for (let i = 1; i < r.length; i++) total += d[r[i - 1]! * n + r[i]!]!;
	return total;
}

/** Moves a local search may make per stop before it gives up (a guard; never reached in tests). */
const MAX_PASSES = 200;

/**
 * 2-opt (reverse a stretch) and Or-opt (move a run of 1–3 stops, as is or turned round) with
 * first improvement, until neither finds a gain. Returns a new route, never longer than the input.
 */
export function localSearch(f: FlatMatrix, route: readonly number[]): number[] {
	const r = [...route];
	const L = r.length;
	if (L < 4) return r;
	const { n, d } = f;
	const fwd = new Float64Array(L);
	const bwd = new Float64Array(L);
	const sums = () => {
		for (let t = 1; t < L; t++) {
			fwd[t] = fwd[t - 1]! + d[r[t - 1]! * n + r[t]!]!;
			bwd[t] = bwd[t - 1]! + d[r[t]! * n + r[t - 1]!]!;
		}
	};
	sums();
	for (let pass = 0; pass < MAX_PASSES; pass++) {
		let improved = false;
		for (let i = 1; i < L - 2; i++) {
			for (let j = i + 1; j < L - 1; j++) {
				const a = r[i - 1]!,
					b = r[i]!,
					c = r[j]!,
					e = r[j + 1]!;
				const before = d[a * n + b]! + (fwd[j]! - fwd[i]!) + d[c * n + e]!;
				const after = d[a * n + c]! + (bwd[j]! - bwd[i]!) + d[b * n + e]!;
				if (before - after > MIN_GAIN) {
					reverse(r, i, j);
					sums();
					improved = true;
				}
			}
		}
		for (let i = 1; i < L - 1; i++) {
			for (let j = i; j < Math.min(i + 3, L - 1); j++) {
				const first = r[i]!,
					last = r[j]!,
					prev = r[i - 1]!,
					next = r[j + 1]!;
				const removed = d[prev * n + first]! + d[last * n + next]! - d[prev * n + next]!;
				if (removed <= MIN_GAIN) continue; // nothing to win by moving the run anywhere
				const turn = bwd[j]! - bwd[i]! - (fwd[j]! - fwd[i]!);
				for (let k = 0; k < L - 1; k++) {
					if (k >= i - 1 && k <= j) continue;
					const x = r[k]!,
						y = r[k + 1]!;
					const opened = d[x * n + y]!;
					const asIs = removed - (d[x * n + first]! + d[last * n + y]! - opened);
					const turned = i === j ? -Infinity : removed - (d[x * n + last]! + d[first * n + y]! - opened + turn);
					if (asIs > MIN_GAIN || turned > MIN_GAIN) {
						moveRun(r, i, j, k, turned > asIs);
						sums();
						improved = true;
						break;
					}
				}
			}
		}
		if (!improved) break;
	}
	// Judged on the recomputed cost, so float noise in the moves' gains never lengthens a route.
	return pathCost(f, r) <= pathCost(f, route) ? r : [...route];
}

function reverse(r: number[], i: number, j: number): void {
	for (; i < j; i++, j--) [r[i], r[j]] = [r[j]!, r[i]!];
}

/** Moves r[i..j] (turned round if asked) to between r[k] and r[k + 1]; k lies outside i-1..j. */
function moveRun(r: number[], i: number, j: number, k: number, turned: boolean): void {
	const run = r.splice(i, j - i + 1);
	if (turned) run.reverse();
	const at = k < i ? k + 1 : k - run.length + 1;
	r.splice(at, 0, ...run);
}

/**
 * A double bridge: the stops split into A B C D (A holds the start, D the end) become A C B D.
 * B and C are short (≤ 10 stops each), so the kick stays local and repairs cheaply.
 */
export function doubleBridge(r: readonly number[], rng: Rng): number[] {
	const inner = r.length - 2;
	if (inner < 3) return [...r];
	const maxRun = Math.max(1, Math.min(10, Math.floor(inner / 3)));
	const lb = 1 + randomInt(rng, maxRun);
	const lc = 1 + randomInt(rng, maxRun);
	const p1 = 1 + randomInt(rng, inner - lb - lc + 1);
	const p2 = p1 + lb;
	const p3 = p2 + lc;
	return [...r.slice(0, p1), ...r.slice(p2, p3), ...r.slice(p1, p2), ...r.slice(p3)];
}

export interface TourSearchOptions {
	/** Kicks to try; default {@link defaultTourIterations}. */
	iterations?: number;
	/** Seed of the kicks; the same seed gives the same route. */
	seed?: number;
}

/**
 * Kicks per ordering: enough for about 1 % from the best known at 40 and 60 stops (see
 * scripts/bench-planner.ts) while ordering 60 stops stays within ~50 ms; fewer for long routes,
 * whose local search costs more per kick.
 */
export function defaultTourIterations(stops: number): number {
	if (stops <= 3) return 0;
	return Math.max(20, Math.min(300, Math.round(12000 / stops)));
}

/**
 * Iterated local search from `route`: returns the shortest route found, never longer than the
 * input. Deterministic for a given seed.
 */
export function searchTour(f: FlatMatrix, route: readonly number[], options: TourSearchOptions = {}): number[] {
	let current = localSearch(f, route);
	let currentCost = pathCost(f, current);
	let best = current;
	let bestCost = currentCost;
	const iterations = options.iterations ?? defaultTourIterations(route.length - 2);
	const rng = mulberry32(options.seed ?? 1);
	for (let it = 0; it < iterations && route.length > 5; it++) {
		const candidate = localSearch(f, doubleBridge(current, rng));
		const cost = pathCost(f, candidate);
		// Not longer: accepting equal routes lets the search drift across plateaus.
		if (cost <= currentCost) [current, currentCost] = [candidate, cost];
		if (cost < bestCost) [best, bestCost] = [candidate, cost];
	}
	return best;
}
