// 2-opt: reverse a stretch of the route when that shortens it, which undoes crossing legs.
import { leg, legSums, MIN_GAIN, type Matrix } from './tour';

/**
 * Applies the best 2-opt move (reverse route[i..j]) until none shortens the route. The two ends
 * stay fixed. Reversal is priced in both directions, so this holds on asymmetric matrices too.
 * Returns a new route that is never longer; the input is not changed.
 */
export function twoOpt(m: Matrix, route: readonly number[]): number[] {
	const r = [...route];
	for (;;) {
		const { forward, backward } = legSums(m, r);
		let best = { gain: MIN_GAIN, i: -1, j: -1 };
		for (let i = 1; i < r.length - 2; i++) {
			for (let j = i + 1; j < r.length - 1; j++) {
				const before = leg(m, r[i - 1]!, r[i]!) + (forward[j]! - forward[i]!) + leg(m, r[j]!, r[j + 1]!);
				const after = leg(m, r[i - 1]!, r[j]!) + (backward[j]! - backward[i]!) + leg(m, r[i]!, r[j + 1]!);
				if (before - after > best.gain) best = { gain: before - after, i, j };
			}
		}
		if (best.i < 0) return r;
		r.splice(best.i, best.j - best.i + 1, ...r.slice(best.i, best.j + 1).reverse());
	}
}
