// Local search: 2-opt and Or-opt in turn until neither finds a gain, so the route is a local
// optimum for both neighbourhoods at once.
import { orOpt } from './or-opt';
import { routeLength, type Matrix } from './tour';
import { twoOpt } from './two-opt';

/**
 * Improves a route (ends fixed) with 2-opt and Or-opt to a joint local optimum.
 * Returns a new route that is never longer than the input.
 */
export function improveRoute(m: Matrix, route: readonly number[]): number[] {
	let best = [...route];
	let length = routeLength(m, route);
	for (;;) {
		const next = orOpt(m, twoOpt(m, best));
		const nextLength = routeLength(m, next);
		// Judged on the recomputed length, so float noise in the moves' gains can never lengthen it.
		if (!(nextLength < length)) break;
		[best, length] = [next, nextLength];
	}
	return best;
}
