// Exact shortest route through a few stops: Held–Karp dynamic programming over subsets,
// O(2^n · n²). The planner orders rounds of up to 12 stops with it, and it is the yardstick the
// heuristics are measured against.
import { assertMatrix, leg, routeLength, type Matrix } from './tour';

/** 4096 subsets × 12 ends take milliseconds; every further stop doubles time and memory. */
export const HELD_KARP_MAX_STOPS = 12;

/**
 * The shortest route from `start` through every node of `stops` (each once, any order) to `end`
 * (default: back to `start`). Ties go to the order found first, so the answer is deterministic.
 * @throws RangeError for more than {@link HELD_KARP_MAX_STOPS} stops.
 */
export function heldKarp(m: Matrix, start: number, stops: readonly number[], end = start): { route: number[]; length: number } {
	const n = stops.length;
	if (n > HELD_KARP_MAX_STOPS) throw new RangeError(`Held–Karp solves at most ${HELD_KARP_MAX_STOPS} stops exactly; got ${n}. Use the heuristics.`);
	assertMatrix(m);
	const full = 1 << n;
	// cost[mask·n + j]: cheapest walk from start through the stops in mask, ending at stop j.
	const cost = new Float64Array(full * n).fill(Infinity);
	const prev = new Int8Array(full * n).fill(-1);
	for (let j = 0; j < n; j++) cost[(1 << j) * n + j] = leg(m, start, stops[j]!);
	// Masks ascend, so every subset is final before a superset reads it.
	for (let mask = 1; mask < full; mask++) {
		for (let j = 0; j < n; j++) {
			const here = cost[mask * n + j]!;
			if (here === Infinity) continue;
			for (let k = 0; k < n; k++) {
				if (mask & (1 << k)) continue;
				const at = (mask | (1 << k)) * n + k;
				const via = here + leg(m, stops[j]!, stops[k]!);
				if (via < cost[at]!) {
					cost[at] = via;
					prev[at] = j;
				}
			}
		}
	}
	let last = -1;
	let best = Infinity;
	for (let j = 0; j < n; j++) {
		const total = cost[(full - 1) * n + j]! + leg(m, stops[j]!, end);
		if (total < best) [best, last] = [total, j];
	}
	const order: number[] = [];
	for (let mask = full - 1, j = last; j >= 0;) {
		order.push(stops[j]!);
		const before = prev[mask * n + j]!;
		mask &= ~(1 << j);
		j = before;
	}
	const route = [start, ...order.reverse(), end];
	return { route, length: routeLength(m, route) };
}
