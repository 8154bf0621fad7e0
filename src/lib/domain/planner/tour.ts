// Routes on a matrix. A route is the full walk as node indices, both ends included:
// [start, ...stops, end]; a round trip has start === end. One representation for closed tours
// and open walks lets every algorithm keep the two ends fixed and work on the stops between.

/** Travel cost between nodes: metres, minutes or any unit, as long as one matrix keeps to one. */
export type Matrix = readonly (readonly number[])[];

/** A local-search move must gain more than this, so float noise never counts as a gain (or loops). */
export const MIN_GAIN = 1e-9;

/** The cost of one leg; throws on a node the matrix lacks (rather than silently summing NaN). */
export function leg(m: Matrix, from: number, to: number): number {
	const cost = m[from]?.[to];
	if (cost === undefined) throw new RangeError(`The matrix has no entry for ${from} → ${to}.`);
	return cost;
}

/** Length (or time) of a route: the sum of its legs, in order. */
export function routeLength(m: Matrix, route: readonly number[]): number {
	let total = 0;
	for (let i = 1; i < route.length; i++) total += leg(m, route[i - 1]!, route[i]!);
	return total;
}

/**
 * Running sums along a route, forwards and backwards: `forward[t]` is the cost of route[0..t]
 * as walked, `backward[t]` the same legs walked the other way. The difference of two entries
 * prices a segment in either direction in O(1), so moves that reverse a segment stay exact
 * on an asymmetric matrix.
 */
export function legSums(m: Matrix, route: readonly number[]): { forward: number[]; backward: number[] } {
	const forward = [0];
	const backward = [0];
	for (let i = 1; i < route.length; i++) {
		forward.push(forward[i - 1]! + leg(m, route[i - 1]!, route[i]!));
		backward.push(backward[i - 1]! + leg(m, route[i]!, route[i - 1]!));
	}
	return { forward, backward };
}

/** Throws unless the matrix is square with finite, non-negative entries. */
export function assertMatrix(m: Matrix): void {
	for (const [i, row] of m.entries()) {
		if (row.length !== m.length) throw new RangeError(`Matrix row ${i} has ${row.length} entries, expected ${m.length}.`);
		for (const cost of row)
			if (!Number.isFinite(cost) || cost < 0) throw new RangeError(`Matrix row ${i} holds ${cost}; costs must be finite and ≥ 0.`);
	}
}
