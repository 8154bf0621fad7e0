// Or-opt: move a run of 1–3 consecutive stops elsewhere in the route, as is or reversed. It
// catches what 2-opt cannot: a stop visited out of the way that belongs between two others.
import { leg, legSums, MIN_GAIN, type Matrix } from './tour';

/** Longest run of stops one Or-opt move relocates (the classic choice: 1, 2 or 3). */
export const OR_OPT_MAX_RUN = 3;

/**
 * Applies the best Or-opt move until none shortens the route. The two ends stay fixed.
 * Returns a new route that is never longer; the input is not changed.
 */
export function orOpt(m: Matrix, route: readonly number[]): number[] {
	let r = [...route];
	for (;;) {
		const move = bestMove(m, r);
		if (!move) return r;
		const { i, j, k, reversed } = move;
		const run = r.slice(i, j + 1);
		if (reversed) run.reverse();
		// Insert after node r[k]; k lies outside i-1..j, so the index shifts only when k > j.
		const rest = [...r.slice(0, i), ...r.slice(j + 1)];
		const at = k < i ? k + 1 : k - run.length + 1;
		r = [...rest.slice(0, at), ...run, ...rest.slice(at)];
	}
}

interface Move {
	gain: number;
	i: number;
	j: number;
	k: number;
	reversed: boolean;
}

/** The run r[i..j] and the leg (r[k], r[k+1]) to put it in that gain most, or null. */
function bestMove(m: Matrix, r: readonly number[]): Move | null {
	const { forward, backward } = legSums(m, r);
	let best: Move | null = null;
	for (let i = 1; i < r.length - 1; i++) {
		for (let j = i; j < Math.min(i + OR_OPT_MAX_RUN, r.length - 1); j++) {
			const [first, last, before, after] = [r[i]!, r[j]!, r[i - 1]!, r[j + 1]!];
			const removed = leg(m, before, first) + leg(m, last, after) - leg(m, before, after);
			const turnCost = backward[j]! - backward[i]! - (forward[j]! - forward[i]!);
			for (let k = 0; k < r.length - 1; k++) {
				if (k >= i - 1 && k <= j) continue; // legs that touch the run itself
				const [a, b] = [r[k]!, r[k + 1]!];
				const opened = leg(m, a, b);
				const asIs = removed - (leg(m, a, first) + leg(m, last, b) - opened);
				if (asIs > (best?.gain ?? MIN_GAIN)) best = { gain: asIs, i, j, k, reversed: false };
				if (i === j) continue; // one stop reversed is the same stop
				const turned = removed - (leg(m, a, last) + leg(m, first, b) - opened + turnCost);
				if (turned > (best?.gain ?? MIN_GAIN)) best = { gain: turned, i, j, k, reversed: true };
			}
		}
	}
	return best;
}
