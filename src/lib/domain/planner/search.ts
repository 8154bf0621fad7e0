// Choosing the stops: orienteering (one round) and team orienteering (several duos, disjoint
// stops), maximising the total value within each round's time budget. Exact for small sets of
// candidates: dynamic programming over subsets with the exact (Held–Karp) walk of every subset,
// then, for several duos, over disjoint subsets. Beyond that an iterated local search: greedy
// insertion by value per added minute, 2-opt / Or-opt, swaps of a visited stop for a better one
// left out, and kicks that remove a few stops and reinsert with noise; seeded, so deterministic.
//
// Layout: every duo ("crew") has its own matrix (its own start, end and pace): node 0 = start,
// node 1 = end, node 2 + k = candidate k. Candidates are shared; stop k's value and dwell are
// the same for every crew. Times are in minutes; a round's total is its walk (summed leg by leg
// from the start) plus its dwell (summed in candidate order), the figures the plan reports, so
// "fits" here and "≤ budget" in the plan are the same float comparison.
import { heldKarp, HELD_KARP_MAX_STOPS } from './held-karp';
import { localSearch, pathCost, searchTour, type FlatMatrix } from './fast-tour';
import { mulberry32, randomInt, type Rng } from './random';
import { MIN_GAIN } from './tour';

export interface Crew {
	f: FlatMatrix;
	budget: number;
}

export interface Pool {
	value: readonly number[];
	dwell: readonly number[];
}

/** Up to this many candidates one round is chosen exactly (2^15 subsets: tens of ms at worst). */
export const EXACT_MAX_CANDIDATES = 15;
/** Up to this many candidates several duos are planned exactly (3^12 subset pairs per duo). */
export const TEAM_EXACT_MAX_CANDIDATES = 12;

export interface SearchOptions {
	/** Solve exactly up to this many candidates (at most the constants above, the default); -1 forces the local search. */
	exactUpTo?: number;
	/** Iterations of the local search; default {@link defaultIterations}. */
	iterations?: number;
	seed?: number;
}

/** Kicks of the orienteering search: a few tens of ms for 40 candidates, or 60 and 3 duos (bench). */
export function defaultIterations(candidates: number, crews: number): number {
	return Math.max(60, Math.round(10000 / Math.max(1, candidates) / Math.sqrt(crews)));
}

const sortedDwell = (pool: Pool, route: readonly number[]) => {
	// Dwell in candidate order, as the plan sums it, so the float is the same.
	const inner = route.slice(1, -1).sort((a, b) => a - b);
	let total = 0;
	for (const node of inner) total += pool.dwell[node - 2]!;
	return total;
};

/** A round's minutes as the plan reports them: walk + dwell. */
export function roundMinutes(crew: Crew, pool: Pool, route: readonly number[]): number {
	return pathCost(crew.f, route) + sortedDwell(pool, route);
}

/**
 * The chosen routes, one per crew (node indices in that crew's layout), maximising the total
 * value, then the number of stops, then (exact solver) the least time. A crew whose start-to-end
 * walk alone is over its budget gets [0, 1] regardless; callers check that first.
 */
export function chooseRoutes(crews: readonly Crew[], pool: Pool, options: SearchOptions = {}): number[][] {
	const n = pool.value.length;
	if (n === 0) return crews.map(() => [0, 1]);
	// Capped: memory and time double with every candidate beyond.
	const most = crews.length === 1 ? EXACT_MAX_CANDIDATES : TEAM_EXACT_MAX_CANDIDATES;
	const limit = Math.min(options.exactUpTo ?? most, most);
	if (n <= limit) return crews.length === 1 ? [exactSingle(crews[0]!, pool)] : exactTeam(crews, pool);
	return iteratedLocalSearch(crews, pool, options);
}

// ————————————————————————————————————————— exact —————————————————————————————————————————

interface SubsetTours {
	/** Walk + dwell of the best route through exactly the subset, or Infinity if over budget. */
	total: Float64Array;
	route(mask: number): number[];
}

/**
 * Held–Karp over every subset of the candidates at once: the cheapest walk from the start through
 * each subset to the end. Partial walks already over budget are dropped (costs are ≥ 0, so no
 * extension can fit), which keeps tight budgets fast. Loops in the order of heldKarp, so ties
 * resolve the same way and a subset's route is heldKarp's.
 */
function subsetTours(crew: Crew, pool: Pool): SubsetTours {
	const { n: size, d } = crew.f;
	const n = pool.value.length;
	const full = 1 << n;
	const budget = crew.budget;
	const dwellOf = new Float64Array(full);
	for (let mask = 1; mask < full; mask++) {
		const high = 31 - Math.clz32(mask);
		dwellOf[mask] = dwellOf[mask & ~(1 << high)]! + pool.dwell[high]!;
	}
	const cost = new Float64Array(full * n).fill(Infinity);
	const prev = new Int8Array(full * n).fill(-1);
	for (let j = 0; j < n; j++) {
		const walk = d[j + 2]!;
		if (walk + dwellOf[1 << j]! <= budget) cost[(1 << j) * n + j] = walk;
	}
	for (let mask = 1; mask < full; mask++) {
		for (let j = 0; j < n; j++) {
			const here = cost[mask * n + j]!;
			if (here === Infinity) continue;
			const row = (j + 2) * size + 2;
			for (let k = 0; k < n; k++) {
				if (mask & (1 << k)) continue;
				const next = mask | (1 << k);
				const via = here + d[row + k]!;
				const at = next * n + k;
				if (via < cost[at]! && via + dwellOf[next]! <= budget) {
					cost[at] = via;
					prev[at] = j;
				}
			}
		}
	}
	const total = new Float64Array(full).fill(Infinity);
	const last = new Int8Array(full).fill(-1);
	const direct = d[1]!;
	if (direct <= budget) total[0] = direct;
	for (let mask = 1; mask < full; mask++) {
		let best = Infinity;
		for (let j = 0; j < n; j++) {
			const walk = cost[mask * n + j]! + d[(j + 2) * size + 1]!;
			if (walk < best) [best, last[mask]] = [walk, j];
		}
		if (best + dwellOf[mask]! <= budget) total[mask] = best + dwellOf[mask]!;
	}
	return {
		total,
		route(mask: number): number[] {
			const order: number[] = [];
			for (let m = mask, j = last[mask]!; m !== 0 && j >= 0;) {
				order.push(j + 2);
				const before = prev[m * n + j]!;
				m &= ~(1 << j);
				j = before;
			}
			return [0, ...order.reverse(), 1];
		}
	};
}

function valuesOf(pool: Pool): Float64Array {
	const n = pool.value.length;
	const value = new Float64Array(1 << n);
	for (let mask = 1; mask < 1 << n; mask++) {
		const high = 31 - Math.clz32(mask);
		value[mask] = value[mask & ~(1 << high)]! + pool.value[high]!;
	}
	return value;
}

const popcount = (x: number) => {
	let c = 0;
	for (; x; x &= x - 1) c++;
	return c;
};

/** The best subset for one round: most value, then most stops, then least time, then first. */
function exactSingle(crew: Crew, pool: Pool): number[] {
	const tours = subsetTours(crew, pool);
	const value = valuesOf(pool);
	let best = -1;
	for (let mask = 0; mask < tours.total.length; mask++) {
		const t = tours.total[mask]!;
		if (t === Infinity) continue;
		if (best < 0) {
			best = mask;
			continue;
		}
		const dv = value[mask]! - value[best]!;
		const dc = popcount(mask) - popcount(best);
		if (dv > 0 || (dv === 0 && (dc > 0 || (dc === 0 && t < tours.total[best]!)))) best = mask;
	}
	return best < 0 ? [0, 1] : tours.route(best);
}

/**
 * Disjoint subsets for several crews: crew c's best over the stops in `mask` plus the crews
 * before it over the rest, by enumerating submasks (3^n per crew; the last crew only needs the
 * full set). Most value, then most stops; ties to the first found.
 */
function exactTeam(crews: readonly Crew[], pool: Pool): number[][] {
	const n = pool.value.length;
	const full = (1 << n) - 1;
	const value = valuesOf(pool);
	const tours = crews.map((crew) => subsetTours(crew, pool));
	// score[c][mask], count[c][mask], pick[c][mask]: crews 0..c on stops within mask.
	const score: Float64Array[] = [];
	const count: Int32Array[] = [];
	const pick: Int32Array[] = [];
	for (let c = 0; c < crews.length; c++) {
		const s = new Float64Array(full + 1).fill(-Infinity);
		const k = new Int32Array(full + 1);
		const p = new Int32Array(full + 1);
		const total = tours[c]!.total;
		const lastCrew = c === crews.length - 1;
		for (let mask = lastCrew ? full : 0; mask <= full; mask++) {
			for (let sub = mask; ; sub = (sub - 1) & mask) {
				if (total[sub] !== Infinity) {
					const rest = mask ^ sub;
					const restScore = c === 0 ? 0 : score[c - 1]![rest]!;
					if (restScore !== -Infinity) {
						const v = value[sub]! + restScore;
						const cnt = popcount(sub) + (c === 0 ? 0 : count[c - 1]![rest]!);
						if (v > s[mask]! || (v === s[mask]! && cnt > k[mask]!)) [s[mask], k[mask], p[mask]] = [v, cnt, sub];
					}
				}
				if (sub === 0) break;
			}
		}
		score.push(s);
		count.push(k);
		pick.push(p);
	}
	const routes: number[][] = crews.map(() => [0, 1]);
	let mask = full;
	for (let c = crews.length - 1; c >= 0; c--) {
		if (score[c]![mask] === -Infinity) break; // a crew that cannot even walk start to end
		const sub = pick[c]![mask]!;
		routes[c] = tours[c]!.route(sub);
		mask ^= sub;
	}
	return routes;
}

// ———————————————————————————————————— iterated local search ————————————————————————————————————

interface Solution {
	routes: number[][];
	/** Which crew visits candidate k, or -1. */
	owner: Int32Array;
}

const copy = (s: Solution): Solution => ({ routes: s.routes.map((r) => [...r]), owner: s.owner.slice() });

function iteratedLocalSearch(crews: readonly Crew[], pool: Pool, options: SearchOptions): number[][] {
	const n = pool.value.length;
	const rng = mulberry32(options.seed ?? 0x5eed);
	const iterations = options.iterations ?? defaultIterations(n, crews.length);
	const fits = (c: number, route: readonly number[]) => roundMinutes(crews[c]!, pool, route) <= crews[c]!.budget;
	const usable = crews.map((_, c) => fits(c, [0, 1]));
	const score = (s: Solution) => {
		let v = 0;
		for (let k = 0; k < n; k++) if (s.owner[k]! >= 0) v += pool.value[k]!;
		return v;
	};
	const count = (s: Solution) => s.owner.reduce((a, o) => (o >= 0 ? a + 1 : a), 0);
	const minutes = (s: Solution) => s.routes.reduce((a, r, c) => a + roundMinutes(crews[c]!, pool, r), 0);

	/** Greedy insertion by value per added minute (times 1 + noise·random), as long as one fits. */
	const insert = (s: Solution, noise: number, banned: ReadonlySet<number> = new Set()) => {
		const refused = new Set<number>();
		for (;;) {
			let best: { k: number; c: number; at: number; ratio: number } | null = null;
			for (let k = 0; k < n; k++) {
				if (s.owner[k]! >= 0 || banned.has(k)) continue;
				const node = k + 2;
				const dwell = pool.dwell[k]!;
				for (let c = 0; c < crews.length; c++) {
					if (!usable[c] || refused.has(k * crews.length + c)) continue;
					const { n: size, d } = crews[c]!.f;
					const r = s.routes[c]!;
					let at = 1;
					let least = Infinity;
					for (let p = 1; p < r.length; p++) {
						const a = r[p - 1]!,
							b = r[p]!;
						const added = d[a * size + node]! + d[node * size + b]! - d[a * size + b]!;
						if (added <= least) [least, at] = [added, p];
					}
					const extra = least + dwell;
					if (roundEstimate(crews[c]!, pool, r) + extra > crews[c]!.budget + 1e-7) continue;
					let ratio = extra > 0 ? pool.value[k]! / extra : Infinity;
					if (noise > 0) ratio *= 1 + noise * rng();
					if (!best || ratio > best.ratio) best = { k, c, at, ratio };
				}
			}
			if (!best) return;
			const r = s.routes[best.c]!;
			const next = [...r.slice(0, best.at), best.k + 2, ...r.slice(best.at)];
			if (!fits(best.c, next)) {
				refused.add(best.k * crews.length + best.c);
				continue;
			}
			s.routes[best.c] = next;
			s.owner[best.k] = best.c;
		}
	};

	const polish = (s: Solution) => {
		for (let c = 0; c < crews.length; c++) s.routes[c] = localSearch(crews[c]!.f, s.routes[c]!);
	};

	/** Swap a visited stop for a more valuable one left out, where that fits. */
	const swap = (s: Solution): boolean => {
		let changed = false;
		const left = [...Array(n).keys()].filter((k) => s.owner[k]! < 0).sort((a, b) => pool.value[b]! - pool.value[a]! || a - b);
		for (const u of left) {
			if (s.owner[u]! >= 0) continue;
			let done = false;
			for (let c = 0; c < crews.length && !done; c++) {
				const r = s.routes[c]!;
				for (let p = 1; p < r.length - 1 && !done; p++) {
					const v = r[p]! - 2;
					if (!(pool.value[v]! < pool.value[u]!)) continue;
					const without = [...r.slice(0, p), ...r.slice(p + 1)];
					const next = cheapestInsertion(crews[c]!.f, without, u + 2);
					if (!fits(c, next)) continue;
					s.routes[c] = next;
					s.owner[v] = -1;
					s.owner[u] = c;
					done = changed = true;
				}
			}
		}
		return changed;
	};

	const climb = (s: Solution) => {
		for (let round = 0; round < 5; round++) {
			polish(s);
			insert(s, 0);
			if (!swap(s)) break;
		}
	};

	const better = (a: Solution, b: Solution) => {
		const dv = score(a) - score(b);
		if (dv !== 0) return dv > 0;
		const dc = count(a) - count(b);
		if (dc !== 0) return dc > 0;
		return minutes(a) < minutes(b) - MIN_GAIN;
	};

	let current: Solution = { routes: crews.map(() => [0, 1]), owner: new Int32Array(n).fill(-1) };
	insert(current, 0);
	climb(current);
	let best = copy(current);
	let stale = 0;
	for (let it = 0; it < iterations; it++) {
		const trial = copy(current);
		const removed = kick(trial, rng);
		polish(trial);
		insert(trial, 0.5, removed);
		climb(trial);
		if (!better(current, trial)) current = trial; // equal or better: move on
		if (better(trial, best)) {
			best = copy(trial);
			stale = 0;
		} else if (++stale % 25 === 0) current = copy(best);
	}
	return best.routes;
}

/** Walk + dwell of a route, fast (dwell in route order; the exact check follows on commit). */
function roundEstimate(crew: Crew, pool: Pool, r: readonly number[]): number {
	let total = pathCost(crew.f, r);
	for (let p = 1; p < r.length - 1; p++) total += pool.dwell[r[p]! - 2]!;
	return total;
}

/** Removes a stretch of one round and maybe one more stop; returns the candidates removed. */
function kick(s: Solution, rng: Rng): Set<number> {
	const removed = new Set<number>();
	const busy = s.routes.map((r, c) => (r.length > 2 ? c : -1)).filter((c) => c >= 0);
	if (busy.length === 0) return removed;
	const c = busy[randomInt(rng, busy.length)]!;
	const r = s.routes[c]!;
	const inner = r.length - 2;
	// Mostly a short stretch; now and then the whole round, so a set of stops can be traded for
	// a quite different one (e.g. two zones for the one that took their time).
	const len = rng() < 0.1 ? inner : 1 + randomInt(rng, Math.max(1, Math.ceil(inner / 2)));
	const from = 1 + randomInt(rng, inner - Math.min(len, inner) + 1);
	for (const node of r.splice(from, Math.min(len, inner))) removed.add(node - 2);
	if (rng() < 0.5) {
		const c2 = busy[randomInt(rng, busy.length)]!;
		const r2 = s.routes[c2]!;
		if (r2.length > 2) removed.add(r2.splice(1 + randomInt(rng, r2.length - 2), 1)[0]! - 2);
	}
	for (const k of removed) s.owner[k] = -1;
	return removed;
}

/** The route with `node` where it adds the least walking (ties: the latest position). */
export function cheapestInsertion(f: FlatMatrix, route: readonly number[], node: number): number[] {
	const { n, d } = f;
	let at = 1;
	let least = Infinity;
	for (let p = 1; p < route.length; p++) {
		const a = route[p - 1]!,
			b = route[p]!;
		const added = d[a * n + node]! + d[node * n + b]! - d[a * n + b]!;
		if (added <= least) [least, at] = [added, p];
	}
	return [...route.slice(0, at), node, ...route.slice(at)];
}

/**
 * The shortest walk found through the stops of `route` (ends kept): exact up to 12 stops
 * (Held–Karp), iterated 2-opt / Or-opt beyond. Prefers the route given when no shorter one is
 * found, so orders stay stable. Never longer than the input.
 */
export function orderStops(f: FlatMatrix, route: readonly number[], seed = 1): number[] {
	const inner = route.slice(1, -1);
	const improved = localSearch(f, route);
	let candidate: number[];
	if (inner.length < 3) return improved;
	if (inner.length <= HELD_KARP_MAX_STOPS) {
		const rows = Array.from({ length: f.n }, (_, i) => Array.from(f.d.subarray(i * f.n, (i + 1) * f.n)));
		candidate = heldKarp(rows, route[0]!, inner, route.at(-1)!).route;
	} else candidate = searchTour(f, improved, { seed });
	return pathCost(f, candidate) < pathCost(f, improved) ? candidate : improved;
}
