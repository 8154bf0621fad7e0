// Nearest neighbour: the simplest way to a first route, as a start for local search.
import { leg, type Matrix } from './tour';

/**
 * A route from `start` that always walks to the nearest unvisited stop (ties: the first in
 * `stops`), then to `end` (default: back to `start`).
 */
export function nearestNeighbourRoute(m: Matrix, start: number, stops: readonly number[], end = start): number[] {
	const route = [start];
	const left = [...stops];
	while (left.length > 0) {
		const here = route.at(-1)!;
		let pick = 0;
		for (let i = 1; i < left.length; i++) if (leg(m, here, left[i]!) < leg(m, here, left[pick]!)) pick = i;
		route.push(...left.splice(pick, 1));
	}
	route.push(end);
	return route;
}
